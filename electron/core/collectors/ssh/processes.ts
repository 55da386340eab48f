/**
 * The busiest processes of a remote host from the loop's `processes` answer: every /proc/PID/stat
 * (`grep -H ''`, so each line carries its file's name) and the Uid and VmRSS lines of every
 * /proc/PID/status. Per-process CPU is the growth of utime + stime between two answers, so the sampler
 * keeps those baselines, per host. Parsed by the local collector's parsers (linux/pid.ts).
 */
import type { ProcessInfo } from '../../../../shared/api.ts';
import { parsePidStat, parsePidStatus, processName, type PidStat } from '../linux/pid.ts';
import { USER_HZ } from '../processes.ts';
import type { Answer } from './frame.ts';

/** `/proc/PID/stat:` or `/proc/PID/status:` and the rest of the line. */
const LINE = /^\/proc\/(\d{1,10})\/(stat|status):/;

/**
 * Groups `grep -H` lines of /proc/PID/stat or /proc/PID/status by pid, each file's lines joined back
 * with "\n". A line's pid is the one of its file name, which grep prints and a process cannot change:
 * a process name holding a newline only adds a line to its own process. Lines of another file are
 * skipped. Never throws.
 */
export function groupByPid(text: string, file: 'stat' | 'status'): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m === null || m[2] !== file) continue;
    const pid = Number(m[1]);
    const rest = line.slice(m[0].length);
    const before = out.get(pid);
    out.set(pid, before === undefined ? rest : `${before}\n${rest}`);
  }
  return out;
}

/** One process of an answer. */
export interface RemoteProcess {
  readonly pid: number;
  readonly stat: PidStat;
  /** VmRSS, bytes (0 for kernel threads). */
  readonly rssBytes: number;
  /** Effective uid; -1 when unknown. */
  readonly uid: number;
}

/** The processes of a `processes` answer; those whose stat does not parse (or names another pid) are left out. */
export function parseProcessesAnswer(answer: Answer): RemoteProcess[] {
  const stats = groupByPid(answer.get('stat') ?? '', 'stat');
  const statuses = groupByPid(answer.get('status') ?? '', 'status');
  const out: RemoteProcess[] = [];
  for (const [pid, text] of stats) {
    if (!text.startsWith(`${pid} (`)) continue;
    const stat = parsePidStat(text);
    if (stat === null) continue;
    const status = parsePidStatus(statuses.get(pid) ?? '');
    out.push({ pid, stat, rssBytes: status.rssBytes, uid: status.uid });
  }
  return out;
}

interface Baseline {
  readonly ticks: number;
  readonly start: number;
}

/**
 * Top processes of one remote host. Keep one instance per host: it holds each process's CPU time at the
 * previous answer.
 */
export class RemoteProcessSampler {
  #previous = new Map<number, Baseline>();
  #previousTime = Number.NaN;

  /**
   * The `perList` processes using most CPU plus the `perList` using most memory, deduplicated, busiest
   * CPU first, from an answer taken at `now` (ms since epoch). `cpu` is a ratio of one core since the
   * previous answer (0 without a baseline); `users` maps uids to names (from the host's /etc/passwd).
   * The remote loop does not read command lines (they are unbounded and may hold any bytes), so `name`
   * and `command` are the kernel's 15-character comm.
   */
  top(answer: Answer, now: number, users: ReadonlyMap<number, string>, perList = 10): ProcessInfo[] {
    const processes = parseProcessesAnswer(answer);
    const elapsed = (now - this.#previousTime) / 1000;
    const previous = this.#previous;
    const current = new Map<number, Baseline>();
    const candidates = processes.map((p) => {
      current.set(p.pid, { ticks: p.stat.cpuTicks, start: p.stat.startTicks });
      const before = previous.get(p.pid);
      // Same pid and start time: the same process; a reused pid starts over.
      const cpu = before !== undefined && before.start === p.stat.startTicks && elapsed > 0
        ? Math.max(0, p.stat.cpuTicks - before.ticks) / USER_HZ / elapsed : 0;
      return { p, cpu };
    });
    this.#previous = current;
    this.#previousTime = now;
    const byCpu = candidates.filter((c) => c.cpu > 0).sort((a, b) => b.cpu - a.cpu).slice(0, perList);
    const byMemory = [...candidates].sort((a, b) => b.p.rssBytes - a.p.rssBytes).slice(0, perList);
    return [...new Set([...byCpu, ...byMemory])].map(({ p, cpu }) => ({
      pid: p.pid,
      name: processName(p.stat.comm, ''),
      command: p.stat.comm,
      user: p.uid < 0 ? null : users.get(p.uid) ?? String(p.uid),
      cpu: Number.isFinite(cpu) ? cpu : 0,
      memory: p.rssBytes,
    }));
  }
}
