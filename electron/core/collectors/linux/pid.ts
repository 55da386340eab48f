/**
 * Parsers of one process's files under /proc/[pid]: stat (CPU times, resident pages), status (RSS in
 * kB, effective uid) and cmdline. Source: proc(5), "/proc/[pid]/stat", "/proc/[pid]/status",
 * "/proc/[pid]/cmdline".
 */
import { parseUint, splitFields } from './text.ts';

/** What /proc/[pid]/stat tells of a process. Times are clock ticks (USER_HZ). */
export interface PidStat {
  /** The executable's name, at most 15 characters (the kernel's `comm`). */
  readonly comm: string;
  /** user + system CPU time spent so far, ticks. */
  readonly cpuTicks: number;
  /** Start time after boot, ticks: with the pid, it tells a process from a later one reusing its pid. */
  readonly startTicks: number;
  /** Resident set size, pages. */
  readonly rssPages: number;
}

/**
 * Parses /proc/[pid]/stat: `pid (comm) state ppid … utime stime … starttime vsize rss …`. comm may hold
 * spaces and parentheses, so it ends at the last `)`. Returns null when the text is not such a line.
 */
export function parsePidStat(text: string): PidStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // Fields after comm, numbered from state (field 3 in proc(5)): utime is 14, stime 15, starttime 22, rss 24.
  const f = splitFields(text.slice(close + 1));
  const utime = parseUint(f[14 - 3] ?? '');
  const stime = parseUint(f[15 - 3] ?? '');
  const start = parseUint(f[22 - 3] ?? '');
  const rss = parseUint(f[24 - 3] ?? '');
  if (utime < 0 || stime < 0 || start < 0 || rss < 0) return null;
  return { comm: text.slice(open + 1, close), cpuTicks: utime + stime, startTicks: start, rssPages: rss };
}

/** What /proc/[pid]/status adds: exact RSS and the effective user. */
export interface PidStatus {
  /** VmRSS in bytes; 0 for kernel threads, which have no memory of their own (and no VmRSS line). */
  readonly rssBytes: number;
  /** Effective uid (the second of the Uid line's real, effective, saved, filesystem), or -1 if absent. */
  readonly uid: number;
}

/** Parses the Uid and VmRSS lines of /proc/[pid]/status. Never throws. */
export function parsePidStatus(text: string): PidStatus {
  let rssBytes = 0;
  let uid = -1;
  for (const line of text.split('\n')) {
    if (line.startsWith('Uid:')) {
      const v = parseUint(splitFields(line)[2] ?? '');
      if (v >= 0) uid = v;
    } else if (line.startsWith('VmRSS:')) {
      const f = splitFields(line);
      const kib = parseUint(f[1] ?? '');
      if (kib >= 0 && f[2] === 'kB') rssBytes = kib * 1024;
    }
  }
  return { rssBytes, uid };
}

/**
 * The command line from /proc/[pid]/cmdline (arguments separated and ended by NUL), arguments joined by
 * spaces and cut at `maxLength` characters. '' for kernel threads and zombies, which have none.
 */
export function formatCmdline(raw: string, maxLength: number): string {
  let end = raw.length;
  while (end > 0 && raw.charCodeAt(end - 1) === 0) end--;
  return raw.slice(0, Math.min(end, maxLength)).replaceAll('\0', ' ');
}

/**
 * A process's name as people know it: the file name of argv[0] from /proc/PID/cmdline (proc(5)), since
 * `comm` is cut to 15 bytes and some runtimes rename their main thread (Node shows "MainThread").
 * Falls back to `comm` for kernel threads (empty cmdline) and for programs that rewrite argv[0] into a
 * title ("sshd: root@pts/0", "postgres: checkpointer").
 */
export function processName(comm: string, rawCmdline: string): string {
  const nul = rawCmdline.indexOf('\0');
  const argv0 = nul === -1 ? rawCmdline : rawCmdline.slice(0, nul);
  if (/[\s:]/.test(argv0)) return comm;
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base === '' ? comm : base;
}
