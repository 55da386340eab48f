/**
 * The process table of a host as one script prints it (PROCESS_TABLE_SCRIPT): every process's
 * /proc/PID/stat line (proc(5)) and its command line from `ps -e -o pid= -o args=` (procps-ng ps(1)),
 * with the clock tick, page size and uptime to turn ticks and pages into seconds and bytes. Parsed
 * defensively: the text comes from the host, and a process chooses its own name and arguments.
 */

/** Lines marking the parts of the script's output. */
const MARK = { stat: '--hostwatch-stat', ps: '--hostwatch-ps' } as const;

/**
 * Prints `self PID` (the script's shell, whose children are its own `cat` and `ps`), `CLK_TCK PAGESIZE`,
 * /proc/uptime, then every /proc/PID/stat and `ps`'s pid and args. Runs in any POSIX sh on Linux.
 */
export const PROCESS_TABLE_SCRIPT = [
  'echo "self $$"',
  'echo "$(getconf CLK_TCK 2>/dev/null || echo 100) $(getconf PAGESIZE 2>/dev/null || echo 4096)"',
  'cat /proc/uptime',
  `echo ${MARK.stat}`,
  'cat /proc/[0-9]*/stat 2>/dev/null',
  `echo ${MARK.ps}`,
  'ps -e -o pid= -o args= 2>&1',
].join('\n');

/** One process: its id and parent's, name (the kernel's comm, ≤ 15 bytes), command line when known. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The kernel's name of the process (`comm`), as `ps -o comm` shows it. */
  name: string;
  /** Its command line, arguments joined by spaces (ps shows unprintable characters as `?`); null when ps could not say. */
  commandLine: string | null;
  /** CPU time used since it started (user + system), seconds. */
  cpuSeconds: number;
  /** When it started, seconds after boot. */
  startedSeconds: number;
  /** Resident memory, bytes. */
  rssBytes: number;
}

/** What the script found: the processes, the host's uptime (seconds) and the script's own pid. */
export interface ProcessTable {
  self: number;
  uptimeSeconds: number;
  processes: ProcessEntry[];
  /** Why command lines are missing (ps failed or is not procps), or null. */
  commandLineError: string | null;
}

/** Characters after `pid (` searched for the end of the name: 64 bytes of name, `) X `. */
const NAME_WINDOW = 72;

/** At most this many processes are read (a host with more is reported on its first ones). */
export const MAX_PROCESSES = 100_000;

/**
 * Parses the output of PROCESS_TABLE_SCRIPT. Throws an Error saying what is wrong when the output is not
 * that script's (no /proc, a shell that is not sh); lines it cannot read (a process that ended between
 * the listing and the reading, a hostile name) are skipped.
 */
export function parseProcessTable(output: string): ProcessTable {
  const statAt = output.indexOf(`\n${MARK.stat}\n`);
  const psAt = output.indexOf(`\n${MARK.ps}\n`, statAt + 1);
  if (statAt < 0 || psAt < 0) throw new Error('the host did not list its processes (is /proc mounted?)');
  const head = output.slice(0, statAt).split('\n');
  const self = /^self (\d+)$/.exec(head[0] ?? '');
  const units = /^(\d+) (\d+)$/.exec(head[1] ?? '');
  const uptime = /^(\d+(?:\.\d+)?) /.exec(head[2] ?? '');
  if (!self || !units || !uptime) throw new Error('the host answered something else than its process table');
  const tick = Number(units[1]) || 100;
  const page = Number(units[2]) || 4096;

  const processes = parseStatLines(output.slice(statAt + MARK.stat.length + 2, psAt + 1), tick, page);
  const ps = output.slice(psAt + MARK.ps.length + 2);
  const args = new Map<number, string>();
  let commandLineError: string | null = null;
  for (const line of ps.split('\n')) {
    const m = /^\s*(\d+) (.*)$/.exec(line);
    if (m) args.set(Number(m[1]), m[2]!);
    else if (line.trim() !== '' && commandLineError === null) commandLineError = `ps could not list command lines: ${line.trim().slice(0, 200)}`;
  }
  for (const p of processes) p.commandLine = args.get(p.pid) ?? null;
  return { self: Number(self[1]), uptimeSeconds: Number(uptime[1]), processes, commandLineError };
}

/**
 * /proc/PID/stat lines: `pid (comm) state ppid … utime stime … starttime vsize rss …`. The name may hold
 * spaces, `)` and even line breaks (prctl PR_SET_NAME), so it is found by its bounds (at most 64 bytes
 * between the parentheses, followed by a state letter), not by splitting on spaces.
 */
function parseStatLines(text: string, tick: number, page: number): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  const start = /(?:^|\n)(\d{1,10}) \(/g;
  let m: RegExpExecArray | null;
  while ((m = start.exec(text)) !== null && out.length < MAX_PROCESSES) {
    const open = m.index + m[0].length;
    // The last `) X ` within the longest name the kernel shows (64 bytes for a workqueue's kworker).
    const window = text.slice(open, open + NAME_WINDOW);
    const close = lastCloseBeforeState(window);
    if (close < 0) continue;
    const name = window.slice(0, close);
    const lineEnd = text.indexOf('\n', open + close);
    const fields = text.slice(open + close + 2, lineEnd < 0 ? text.length : lineEnd).split(' ');
    // After the name: state(0) ppid(1) … utime(11) stime(12) … starttime(19) vsize(20) rss(21).
    if (fields.length < 22) continue;
    const ppid = Number(fields[1]);
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const started = Number(fields[19]);
    const rss = Number(fields[21]);
    if (![ppid, utime, stime, started, rss].every(Number.isFinite)) continue;
    out.push({
      pid: Number(m[1]), ppid, name, commandLine: null,
      cpuSeconds: (utime + stime) / tick, startedSeconds: started / tick, rssBytes: Math.max(0, rss) * page,
    });
    start.lastIndex = lineEnd < 0 ? text.length : lineEnd;
  }
  return out;
}

function lastCloseBeforeState(window: string): number {
  for (let i = Math.min(window.length - 4, NAME_WINDOW - 4); i >= 0; i--) {
    if (window[i] === ')' && window[i + 1] === ' ' && /[A-Za-z]/.test(window[i + 2]!) && window[i + 3] === ' ') return i;
  }
  return -1;
}
