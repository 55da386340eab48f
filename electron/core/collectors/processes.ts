/**
 * The busiest processes of the local Linux host, from /proc/[pid]/{stat,status,cmdline}: per-process
 * CPU comes from the growth of utime + stime between two calls, so the sampler keeps those baselines.
 *
 * stat (of every process) and status (of the chosen ones) are read synchronously: procfs generates them
 * in memory without waiting on the process, and a synchronous read of a tiny file costs a tenth of the
 * CPU of fs.promises.readFile's thread-pool round trips (measured here: 4.4 → 1.5 ms a call for 75 processes).
 * cmdline stays asynchronous: reading it takes the process's mmap lock, and a process stuck in a page
 * fault (a dead NFS server) would hang the reader, which is why `ps` sometimes hangs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ProcessInfo } from '../../../shared/api.ts';
import { parsePasswd } from './linux/passwd.ts';
import { formatCmdline, processName, parsePidStat, parsePidStatus, type PidStat } from './linux/pid.ts';
import { isPid } from './linux/proc-listing.ts';

/** Clock ticks per second of /proc times: USER_HZ is 100 on every architecture Linux desktops run on. */
export const USER_HZ = 100;

/** Command lines longer than this are cut (a JVM's class path can run to hundreds of kB). */
const MAX_COMMAND = 4096;

/** A process's parsed stat, or null when it exited before being read. */
function readPidStat(path: string): PidStat | null {
  try {
    return parsePidStat(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

interface Baseline {
  readonly ticks: number;
  readonly start: number;
}

interface Candidate {
  readonly pid: number;
  readonly stat: PidStat;
  readonly cpu: number;
}

/**
 * Samples /proc for the top processes. Keep one instance per consumer: it holds each process's CPU
 * time at the previous call.
 */
export class LinuxProcessSampler {
  #previous = new Map<number, Baseline>();
  #previousTime = Number.NaN;
  #users: Promise<Map<number, string>> | null = null;

  /**
   * The `perList` processes using most CPU plus the `perList` using most memory, deduplicated, busiest
   * CPU first. `cpu` is a ratio of one core over the time since the previous call (`now`, ms since
   * epoch); a process without a baseline (every process on the first call, a new one later) has cpu 0,
   * and only processes with cpu > 0 enter the CPU list. Processes that exit while being read are
   * skipped. Throws only when /proc itself cannot be listed.
   */
  async top(now: number, perList = 10): Promise<ProcessInfo[]> {
    const names = readdirSync('/proc');
    const elapsed = (now - this.#previousTime) / 1000;
    const previous = this.#previous;
    const current = new Map<number, Baseline>();
    const candidates: Candidate[] = [];
    for (const name of names) {
      const stat = isPid(name) ? readPidStat(`/proc/${name}/stat`) : null;
      if (!stat) continue;
      const pid = Number(name);
      current.set(pid, { ticks: stat.cpuTicks, start: stat.startTicks });
      const before = previous.get(pid);
      let cpu = 0;
      // Same pid and start time: the same process; a reused pid starts over.
      if (before !== undefined && before.start === stat.startTicks && elapsed > 0) {
        cpu = Math.max(0, stat.cpuTicks - before.ticks) / USER_HZ / elapsed;
      }
      candidates.push({ pid, stat, cpu });
    }
    this.#previous = current;
    this.#previousTime = now;

    const byCpu = candidates.filter((c) => c.cpu > 0).sort((a, b) => b.cpu - a.cpu).slice(0, perList);
    const byMemory = candidates.sort((a, b) => b.stat.rssPages - a.stat.rssPages).slice(0, perList);
    const chosen = [...new Set([...byCpu, ...byMemory])];
    const users = await this.#userNames();
    const infos = await Promise.all(chosen.map((c) => this.#describe(c, users)));
    return infos.filter((p): p is ProcessInfo => p !== null);
  }

  async #describe(c: Candidate, users: Map<number, string>): Promise<ProcessInfo | null> {
    const dir = `/proc/${c.pid}`;
    try {
      const { rssBytes, uid } = parsePidStatus(readFileSync(`${dir}/status`, 'utf8'));
      const cmdline = await readFile(`${dir}/cmdline`, 'utf8');
      const command = formatCmdline(cmdline, MAX_COMMAND);
      return {
        pid: c.pid,
        name: processName(c.stat.comm, cmdline),
        // Kernel threads have no command line; ps shows them as [name].
        command: command !== '' ? command : `[${c.stat.comm}]`,
        user: uid < 0 ? null : users.get(uid) ?? String(uid),
        cpu: c.cpu,
        memory: rssBytes,
      };
    } catch {
      return null; // exited meanwhile
    }
  }

  /** uid → name from /etc/passwd, read once; empty when it cannot be read (names then show as uids). */
  #userNames(): Promise<Map<number, string>> {
    this.#users ??= readFile('/etc/passwd', 'utf8').then(parsePasswd, () => new Map<number, string>());
    return this.#users;
  }
}
