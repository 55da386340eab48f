/**
 * `npm run bench:ssh [-- --hosts 10,50,100,200 --seconds 30 --users sh,bashrc]`: N remote hosts polled
 * every 5 s, as the engine polls them, against a real OpenSSH sshd on 127.0.0.1 (test/support/sshd.ts;
 * needs root and openssh-server).
 *
 * For each N and each test user, N SshCollectors (N connections as that user, identity file, host key
 * verified against the sshd's known_hosts line) each get a poller (poller.ts: aligned to the 5 s clock,
 * one collect in flight per host), and each snapshot is dropped once counted. Warm-up (connecting, the
 * login shell, the first snapshot of every host) is excluded: the window of --seconds (or BENCH_SECONDS;
 * default 30) starts half an interval after the first poll round in which every host has answered once.
 *
 * Prints, per run:
 * - engine CPU: this process's CPU time (process.cpuUsage: ssh2, framing, parsers, pollers) over the
 *   window, as a share of one core (target, issue 8: ≤ 10 % at 100 hosts);
 * - poll latency p50/p95/max: collect() start → resolve, ms (target: p95 ≤ 50 ms at 100 hosts);
 * - snapshots (of N × rounds expected) and failures (collect() rejected) in the window;
 * - remote CPU per snapshot: utime + stime + cutime + cstime (proc(5)) summed over the listening sshd and
 *   every process below it (per-connection sshd, the user's sshd, the login shell, the loop's sh and its
 *   children), delta over the window ÷ snapshots (target ≤ 1 ms); and the same sum over the warm-up ÷ N:
 *   what one session costs to start (key exchange, PAM, login shell and its rc files), paid once.
 * Users: `sh` (login shell /bin/sh, dash) and `bashrc` (bash with a .bashrc costing about 100 ms of CPU,
 * like pyenv/nvm/conda initialisation: lookups, subshells, a long sourced script).
 * Figures only; no pass/fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import type { ConnectOptions } from '../../electron/core/ssh/connect.ts';
import { parseKnownHosts, verifyHostKey } from '../../electron/core/ssh/known-hosts.ts';
import { phaseOffset, startPoller, type Poller } from '../../electron/core/poller.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';

const INTERVAL_MS = 5000;
/** USER_HZ: /proc/PID/stat times are in clock ticks (proc(5)); 100 on Linux. */
const TICK_MS = 10;
/** How long every host has to connect and answer once before the run goes on without the rest. */
const WARMUP_LIMIT_MS = 120_000;

const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: '10,50,100,200' },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '30' },
    users: { type: 'string', default: 'sh,bashrc' },
  },
});
const HOSTS = args.hosts.split(',').map((n) => Number(n.trim()));
const SECONDS = Number(args.seconds);
if (HOSTS.some((n) => !Number.isInteger(n) || n < 1) || !(SECONDS > 0)) {
  console.error('usage: npm run bench:ssh -- [--hosts 10,50,100,200] [--seconds 30] [--users sh,bashrc]');
  process.exit(2);
}

/**
 * The heavy .bashrc: what pyenv, nvm or conda initialisation does, in kind and roughly in cost (about
 * 100 ms of CPU): tools looked up, subshells, PATH edits and a long script. Bash reads ~/.bashrc for
 * every session sshd starts, commands included.
 */
const HEAVY_BASHRC = `# hostwatch bench: a developer's .bashrc
for tool in git python3 node npm pyenv nvm conda rbenv direnv starship; do command -v "$tool" >/dev/null 2>&1; done
HW_KERNEL=$(uname -r); HW_HOST=$(cat /proc/sys/kernel/hostname); HW_ARCH=$(uname -m)
for d in "$HOME/.local/bin" "$HOME/bin" /opt/tools/bin; do case ":$PATH:" in *":$d:"*) ;; *) PATH="$d:$PATH";; esac; done
export PATH
hw_init() { local i=0 s=; while [ "$i" -lt 24000 ]; do s="\${s:0:16}$i"; i=$((i + 1)); done; }
hw_init
`;

const USERS: Record<string, { name: string; shell?: string; bashrc?: string; label: string }> = {
  sh: { name: 'hwtest-bench-sh', label: '/bin/sh' },
  bashrc: { name: 'hwtest-bench-bashrc', shell: '/bin/bash', bashrc: HEAVY_BASHRC, label: 'bash, heavy .bashrc' },
};
const RUN_USERS = args.users.split(',').map((u) => u.trim());
for (const u of RUN_USERS) {
  if (!USERS[u]) {
    console.error(`bench:ssh: unknown user kind ${u} (sh, bashrc)`);
    process.exit(2);
  }
}

interface Result {
  user: string;
  hosts: number;
  warmupMs: number;
  connected: number;
  expected: number;
  snapshots: number;
  failures: number;
  engineShare: number;
  p50: number;
  p95: number;
  max: number;
  remoteTicks: number;
  remotePerSnapshotMs: number;
  /** The part of it spent in sshd processes (encryption, channel I/O); the rest is the shell side. */
  remoteSshdPerSnapshotMs: number;
  remoteShare: number;
  setupPerSessionMs: number;
  rssMiB: number;
  firstFailure: string | null;
  /** Polls of a host for a due time it was already polled for (see the poller). */
  repeated: string[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** utime + stime + cutime + cstime of a process (proc(5), fields 14–17), ticks, and its name; null if it is gone. */
function ticksOf(pid: number): { name: string; ticks: number } | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    // Fields from state (3): utime 14, stime 15, cutime 16, cstime 17.
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { name: f.slice(f.indexOf('(') + 1, f.lastIndexOf(')')), ticks };
  } catch {
    return null;
  }
}

/**
 * CPU ticks of the listening sshd and everything below it: in total, and in the sshd processes only (the
 * rest is the login shell, the loop's sh and what it runs). A process that ends moves its time into its
 * parent's cutime/cstime, so the total only grows, whatever starts and ends between two readings.
 */
function sshdTicks(sshd: Sshd): { total: number; sshd: number } {
  const sum = { total: 0, sshd: 0 };
  for (const pid of [...(sshd.pid ? [sshd.pid] : []), ...sshd.sessionPids()]) {
    const t = ticksOf(pid);
    if (!t) continue;
    sum.total += t.ticks;
    if (t.name === 'sshd') sum.sshd += t.ticks;
  }
  return sum;
}

/** The CPU time one run of the heavy .bashrc takes here (bash's `times`: the shell and its children), ms. */
function bashrcCostMs(): number {
  const out = execFileSync('bash', ['-c', `${HEAVY_BASHRC}\ntimes`], { encoding: 'utf8' });
  let ms = 0;
  for (const m of out.matchAll(/(\d+)m([\d.]+)s/g)) ms += (Number(m[1]) * 60 + Number(m[2])) * 1000;
  return ms;
}

async function run(sshd: Sshd, kind: string, hosts: number): Promise<Result> {
  const user = sshd.users[USERS[kind]!.name]!;
  // Sessions of the previous run must be gone: the sums below assume one run's processes.
  for (let i = 0; i < 100 && sshd.sessionPids().length > 0; i++) await sleep(100);
  const knownHosts = parseKnownHosts(sshd.knownHostsLine());
  const connectOptions: ConnectOptions = {
    address: sshd.address,
    port: sshd.port,
    user: user.name,
    auth: { method: 'identity', identityFile: user.privateKeyPath },
    jump: [],
    verify: (address, port, key) => verifyHostKey(knownHosts, address, port, key),
  };

  const collectors: SshCollector[] = [];
  const pollers: Poller[] = [];
  const answered = new Set<number>();
  let measuring = false;
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  /** `host due` of every poll in the window: the poller should ask each host once per due time. */
  const dues = new Set<string>();
  const repeated: string[] = [];

  const remoteAtStart = sshdTicks(sshd);
  const t0 = performance.now();
  try {
    for (let i = 0; i < hosts; i++) {
      const collector = new SshCollector(`bench-${i}`, connectOptions);
      collectors.push(collector);
      pollers.push(startPoller(INTERVAL_MS, async (due) => {
        const inWindow = measuring;
        const start = performance.now();
        if (inWindow) {
          const key = `${i} ${due}`;
          if (dues.has(key)) repeated.push(`host ${i} due ${new Date(due).toISOString()} ran at ${new Date().toISOString()}`);
          dues.add(key);
        }
        try {
          const snapshot = await collector.collect(due);
          const ms = performance.now() - start;
          if (snapshot.samples.length === 0) throw new Error('an empty snapshot');
          answered.add(i);
          if (inWindow) latencies.push(ms);
        } catch (error) {
          if (inWindow) {
            failures++;
            firstFailure ??= error instanceof Error ? error.message : String(error);
          }
        }
      }, () => undefined, phaseOffset(`bench-${i}`, INTERVAL_MS)));
    }

    // Warm-up: until every host has answered once (or the limit), then to the middle of the next interval.
    while (answered.size < hosts && performance.now() - t0 < WARMUP_LIMIT_MS) await sleep(50);
    const warmupMs = performance.now() - t0;
    const connected = answered.size;
    const remoteAfterWarmup = sshdTicks(sshd);
    const now = Date.now();
    const windowStart = Math.ceil(now / INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS / 2;
    await sleep(windowStart - now);

    // The window: whole poll rounds, each started and finished inside it.
    const remote0 = sshdTicks(sshd);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    measuring = true;
    await sleep(SECONDS * 1000);
    measuring = false;
    const wall = performance.now() - wall0;
    const cpu = process.cpuUsage(cpu0);
    // Polls that started inside the window may still be running: let them finish before reading sshd.
    await sleep(Math.min(1000, INTERVAL_MS / 2 - 100));
    const remote1 = sshdTicks(sshd);
    const remoteTicks = remote1.total - remote0.total;
    const remoteSshdTicks = remote1.sshd - remote0.sshd;
    const rounds = Math.floor(SECONDS * 1000 / INTERVAL_MS) + (SECONDS * 1000 % INTERVAL_MS > INTERVAL_MS / 2 ? 1 : 0);

    latencies.sort((a, b) => a - b);
    const snapshots = latencies.length;
    return {
      user: USERS[kind]!.label,
      hosts,
      warmupMs,
      connected,
      expected: hosts * rounds,
      snapshots,
      failures,
      engineShare: (cpu.user + cpu.system) / 1000 / wall,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      max: latencies.at(-1) ?? Number.NaN,
      remoteTicks,
      remotePerSnapshotMs: snapshots > 0 ? (remoteTicks * TICK_MS) / snapshots : Number.NaN,
      remoteShare: (remoteTicks * TICK_MS) / wall,
      remoteSshdPerSnapshotMs: snapshots > 0 ? (remoteSshdTicks * TICK_MS) / snapshots : Number.NaN,
      setupPerSessionMs: connected > 0 ? ((remoteAfterWarmup.total - remoteAtStart.total) * TICK_MS) / connected : Number.NaN,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
      firstFailure,
      repeated,
    };
  } finally {
    for (const p of pollers) p.stop();
    await Promise.allSettled(collectors.map((c) => c.close()));
  }
}

const pct = (share: number) => `${(share * 100).toFixed(2)} %`;
const ms1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

function line(r: Result): string {
  return `${r.user.padEnd(20)} N=${String(r.hosts).padStart(3)}: engine ${pct(r.engineShare)} of a core, `
    + `latency p50 ${ms1(r.p50)} / p95 ${ms1(r.p95)} / max ${ms1(r.max)} ms, ${r.snapshots}/${r.expected} snapshots, `
    + `${r.failures} failed; remote ${r.remotePerSnapshotMs.toFixed(2)} ms/snapshot (${r.remoteTicks} ticks; sshd `
    + `${r.remoteSshdPerSnapshotMs.toFixed(2)}, shell ${(r.remotePerSnapshotMs - r.remoteSshdPerSnapshotMs).toFixed(2)}), `
    + `session start ${ms1(r.setupPerSessionMs)} ms; warm-up ${(r.warmupMs / 1000).toFixed(1)} s (${r.connected}/${r.hosts} up)`
    + (r.firstFailure ? `; first failure: ${r.firstFailure}` : '')
    + (r.repeated.length > 0 ? `; ${r.repeated.length} repeated poll(s): ${r.repeated.slice(0, 3).join(', ')}` : '');
}

function table(results: readonly Result[]): string {
  const head = ['user', 'N', 'engine CPU', 'p50 ms', 'p95 ms', 'max ms', 'snapshots', 'failed', 'remote ms/snap', '(sshd+shell)', 'remote CPU', 'start ms/session', 'RSS MiB'];
  const rows = results.map((r) => [
    r.user, String(r.hosts), pct(r.engineShare), ms1(r.p50), ms1(r.p95), ms1(r.max), `${r.snapshots}/${r.expected}`,
    String(r.failures), r.remotePerSnapshotMs.toFixed(2),
    `${r.remoteSshdPerSnapshotMs.toFixed(2)}+${(r.remotePerSnapshotMs - r.remoteSshdPerSnapshotMs).toFixed(2)}`, pct(r.remoteShare), ms1(r.setupPerSessionMs), r.rssMiB.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const skip = sshdSkipReason();
  if (skip !== null) {
    console.error(`bench:ssh: ${skip}`);
    process.exit(1);
  }
  const sshd = await startSshd({
    users: RUN_USERS.map((u) => {
      const { name, shell, bashrc } = USERS[u]!;
      return { name, ...(shell ? { shell } : {}), ...(bashrc !== undefined ? { bashrc } : {}) };
    }),
    // 200 connections open at once, one session each: the harness's MaxStartups 1000 lets them in (sshd
    // keeps the first value of a keyword, so it cannot be lowered or raised here), MaxSessions is per connection.
  });
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    void sshd.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results: Result[] = [];
  try {
    // sshd -V prints its version on stderr.
    const version = spawnSync('/usr/sbin/sshd', ['-V'], { encoding: 'utf8' }).stderr.split('\n')[0]!.split(',')[0]!;
    console.log(`hostwatch bench:ssh: ${SECONDS} s per run, ${INTERVAL_MS / 1000} s interval, hosts ${HOSTS.join(', ')}; `
      + `Node ${process.versions.node}, sshd on ${sshd.address}:${sshd.port}, ${version}`);
    if (RUN_USERS.includes('bashrc')) console.log(`heavy .bashrc: ${bashrcCostMs().toFixed(0)} ms of CPU per run here (bash \`times\`)`);
    for (const hosts of HOSTS) {
      for (const kind of RUN_USERS) {
        if (stopping) break;
        const result = await run(sshd, kind, hosts);
        results.push(result);
        console.log(line(result));
      }
    }
  } finally {
    await sshd.close();
  }
  console.log(`\nhostwatch bench:ssh — ${SECONDS} s window per run, each of N hosts polled every ${INTERVAL_MS / 1000} s (engine CPU: share of one core; remote: sshd + sessions, ${TICK_MS} ms ticks)`);
  console.log(table(results));
}

await main();
