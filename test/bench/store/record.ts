/**
 * Records real series for the store benchmark (`npm run bench:store -- --record FILE`): this machine,
 * polled by the engine's local collector (createLocalCollector), and a loopback SSH host, a real OpenSSH
 * sshd on 127.0.0.1 started as the tests start it (test/support/sshd.ts; needs root and openssh-server)
 * and polled by the engine's SshCollector (it creates or reuses the test user `hwtest-sh`, as the tests do). Both run on the engine's poller (poller.ts: this machine at
 * whole seconds, the remote host at its hashed phase; a snapshot is stamped with its scheduled time, as
 * the engine stamps it) and get the health samples the engine adds (`up`; `hostwatch.storage.full` for
 * this machine, `hostwatch.ssh.host_key_changed` for a remote host), so the file holds what the engine
 * would append to its store. Every sample goes to an OpenMetrics file (hosts `local` and `ssh-loopback`,
 * the `instance` label), in time order, ending with `# EOF`. When sshd cannot start, only this machine
 * is recorded, and the reason is printed. Ctrl-C stops early and still finishes the file.
 */
import { HostUnavailableError, type Collector } from '../../../electron/core/collectors/collector.ts';
import { createLocalCollector } from '../../../electron/core/collectors/local.ts';
import { SshCollector, type SshCollectorStatus } from '../../../electron/core/collectors/ssh/collector.ts';
import { phaseOffset, startPoller, type Poller } from '../../../electron/core/poller.ts';
import { parseKnownHosts, verifyHostKey } from '../../../electron/core/ssh/known-hosts.ts';
import type { Sample, Snapshot } from '../../../shared/api.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../../support/sshd.ts';
import { fileSize, formatBytes, formatCount, formatMs, maxOf, quantile } from './measure.ts';
import { OpenMetricsWriter } from './openmetrics.ts';

/** The engine's default intervals (fleet.ts): this machine 1 s, a remote host 5 s; ms. */
export const LOCAL_INTERVAL_MS = 1000;
export const REMOTE_INTERVAL_MS = 5000;

export const LOCAL_HOST = 'local';
export const SSH_HOST = 'ssh-loopback';

/**
 * Snapshots are held this long (ms) before being written, so a slow poll (the SSH answer timeout is
 * 10 s) still lands in time order among the others.
 */
const HOLD_MS = 30_000;
/** How long the SSH host has to come online before the recording starts without it, ms. */
const CONNECT_LIMIT_MS = 20_000;

export interface RecordOptions {
  file: string;
  /** Wall time to record, minutes. */
  minutes: number;
  /** Interval of every host, ms; default the engine's (1 s here, 5 s over SSH). */
  intervalMs?: number;
  /** Progress and results, one line each; default console.log. */
  log?: (line: string) => void;
}

/** Per host: what its polls did. */
export interface HostRecording {
  host: string;
  intervalMs: number;
  snapshots: number;
  samples: number;
  /** Polls that failed (the engine stores `up` 0 and nothing else). */
  failed: number;
  /** Ticks the poller skipped because the previous poll was still running. */
  skipped: number;
  /** Timer lateness: when the poll started minus its scheduled time (the stamp), ms. */
  lateMs: number[];
  /** collect() start → settle, ms. */
  collectMs: number[];
}

export interface RecordResult {
  file: string;
  samples: number;
  bytes: number;
  wallMs: number;
  hosts: HostRecording[];
  /** Why the SSH host is not in the file, or null when it is. */
  sshMissing: string | null;
}

/** One host being polled: its collector, the health samples the engine adds, and its figures. */
interface Polled {
  collector: Collector;
  health: (up: 0 | 1) => Sample[];
  figures: HostRecording;
  poller: Poller | null;
  lastDue: number;
}

/** Records for `minutes` of wall time; resolves once the file is complete. */
export async function record(options: RecordOptions): Promise<RecordResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const writer = new OpenMetricsWriter(options.file);
  const localInterval = options.intervalMs ?? LOCAL_INTERVAL_MS;
  const remoteInterval = options.intervalMs ?? REMOTE_INTERVAL_MS;

  const hosts: Polled[] = [{
    collector: createLocalCollector({ host: LOCAL_HOST }),
    // fleet.ts adds `up`; engine.ts adds `hostwatch.storage.full` to every snapshot of this machine.
    health: (up) => [{ metric: 'up', attributes: {}, value: up }, { metric: 'hostwatch.storage.full', attributes: {}, value: 0 }],
    figures: figures(LOCAL_HOST, localInterval),
    poller: null,
    lastDue: Number.NaN,
  }];

  let sshd: Sshd | null = null;
  let ssh: SshCollector | null = null;
  let sshMissing = sshdSkipReason();
  if (sshMissing === null) {
    try {
      sshd = await startSshd();
      const server = sshd;
      const user = server.users['hwtest-sh']!;
      const last: { status: SshCollectorStatus | null } = { status: null };
      ssh = new SshCollector(SSH_HOST, {
        address: server.address,
        port: server.port,
        user: user.name,
        auth: { method: 'identity', identityFile: user.privateKeyPath },
        jump: [],
        verify: (address, port, key) => verifyHostKey(parseKnownHosts(server.knownHostsLine()), address, port, key),
      }, { onStatus: (s) => { last.status = s; } });
      // Start once it answers, so the file does not open with a connection's warm-up as a gap.
      const online = await waitUntil(() => last.status?.state === 'online', CONNECT_LIMIT_MS);
      if (!online) {
        const s = last.status;
        throw new Error(`not online within ${CONNECT_LIMIT_MS / 1000} s (${s?.state ?? 'no status'}${s?.lastError ? `: ${s.lastError}` : ''})`);
      }
      hosts.push({
        collector: ssh,
        // fleet.ts's health samples of a remote host.
        health: (up) => [{ metric: 'up', attributes: {}, value: up }, { metric: 'hostwatch.ssh.host_key_changed', attributes: {}, value: 0 }],
        figures: figures(SSH_HOST, remoteInterval),
        poller: null,
        lastDue: Number.NaN,
      });
    } catch (error) {
      sshMissing = `the loopback sshd could not be used: ${(error as Error).message.split('\n')[0]}`;
      await ssh?.close();
      ssh = null;
      await sshd?.close().catch(() => {});
      sshd = null;
    }
  }
  if (sshMissing !== null) log(`Recording this machine only: ${sshMissing}`);

  // Snapshots wait here until HOLD_MS old, then go to the file in time order.
  let held: Snapshot[] = [];
  const drain = (before: number) => {
    const ready = held.filter((s) => s.time < before).sort((a, b) => a.time - b.time || (a.host < b.host ? -1 : 1));
    held = held.filter((s) => s.time >= before);
    for (const s of ready) writer.write(s);
  };

  const inFlight = new Set<Promise<void>>();
  const poll = async (h: Polled, due: number) => {
    const f = h.figures;
    const started = Date.now();
    f.lateMs.push(started - due);
    // The poller skips a tick while a poll runs: the gap shows as a missing stamp.
    if (!Number.isNaN(h.lastDue)) f.skipped += Math.max(0, Math.round((due - h.lastDue) / f.intervalMs) - 1);
    h.lastDue = due;
    const t = performance.now();
    let snapshot: Snapshot;
    try {
      const collected = await h.collector.collect(due);
      snapshot = { ...collected, samples: [...collected.samples, ...h.health(1)] };
    } catch (error) {
      // As fleet.ts does: a failed poll stores `up` 0 (and the other health samples) only.
      if (!(error instanceof HostUnavailableError)) throw error;
      f.failed++;
      snapshot = { host: h.collector.host, time: due, samples: h.health(0), errors: [{ source: 'connection', message: error.message }] };
    }
    f.collectMs.push(performance.now() - t);
    f.snapshots++;
    f.samples += snapshot.samples.filter((s) => Number.isFinite(s.value)).length;
    held.push(snapshot);
  };

  const startedAt = Date.now();
  const endAt = startedAt + options.minutes * 60_000;
  for (const h of hosts) {
    const offset = h.collector.host === LOCAL_HOST ? 0 : phaseOffset(h.collector.host, h.figures.intervalMs);
    h.poller = startPoller(h.figures.intervalMs, (due) => {
      if (due >= endAt) return Promise.resolve();
      const p = poll(h, due).finally(() => inFlight.delete(p));
      inFlight.add(p);
      return p;
    }, (error) => log(`${h.collector.host}: poll failed: ${(error as Error).message}`), offset);
  }
  log(`Recording ${hosts.map((h) => `${h.collector.host} every ${h.figures.intervalMs / 1000} s`).join(' and ')} ` +
    `for ${options.minutes} min (until ${new Date(endAt).toISOString()}) into ${options.file}; Ctrl-C stops early`);

  let interrupted = false;
  let onSigint = () => {};
  let tick: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    onSigint = () => {
      interrupted = true;
      resolve();
    };
    process.once('SIGINT', onSigint);
    let minute = 0;
    tick = setInterval(() => {
      drain(Date.now() - HOLD_MS);
      const elapsed = Date.now() - startedAt;
      if (elapsed >= (minute + 1) * 60_000 && Date.now() < endAt) {
        minute = Math.floor(elapsed / 60_000);
        log(`  … ${minute} of ${options.minutes} min: ` + hosts.map((h) =>
          `${h.collector.host} ${h.figures.snapshots} polls (${h.figures.failed} failed), ${formatCount(h.figures.samples)} samples`).join('; '));
      }
      if (Date.now() >= endAt) resolve();
    }, 1000);
  });
  clearInterval(tick);
  process.off('SIGINT', onSigint);
  if (interrupted) log('Interrupted: finishing the file with what was recorded.');

  for (const h of hosts) h.poller?.stop();
  await Promise.allSettled([...inFlight]);
  drain(Infinity);
  writer.close();
  for (const h of hosts) await h.collector.close().catch(() => {});
  await sshd?.close().catch(() => {});

  const result: RecordResult = {
    file: options.file, samples: writer.samples, bytes: fileSize(options.file), wallMs: Date.now() - startedAt,
    hosts: hosts.map((h) => h.figures), sshMissing,
  };
  printRecording(result, log);
  return result;
}

function figures(host: string, intervalMs: number): HostRecording {
  return { host, intervalMs, snapshots: 0, samples: 0, failed: 0, skipped: 0, lateMs: [], collectMs: [] };
}

async function waitUntil(done: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function printRecording(r: RecordResult, log: (line: string) => void): void {
  log(`Wrote ${formatCount(r.samples)} samples to ${r.file} (${formatBytes(r.bytes)}) over ${(r.wallMs / 60_000).toFixed(1)} min`);
  for (const h of r.hosts) {
    const ms = (values: number[]) => `p50 ${formatMs(quantile(values, 0.5))}, p95 ${formatMs(quantile(values, 0.95))}, max ${formatMs(maxOf(values))}`;
    log(`  ${h.host} every ${h.intervalMs / 1000} s: ${h.snapshots} polls, ${h.failed} failed, ${h.skipped} ticks skipped, ` +
      `${formatCount(h.samples)} samples; timer late ${ms(h.lateMs)}; collect ${ms(h.collectMs)}`);
  }
  log('  Stamps are the scheduled times (as the engine stores them), so they carry no jitter; "timer late" and "collect" ' +
    'are the jitter a stamp taken when the poll started or ended would have.');
  if (r.sshMissing) log(`  Only this machine was recorded: ${r.sshMissing}`);
  log(`Next: npm run bench:store -- --from ${r.file}`);
}
