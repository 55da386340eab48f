/**
 * `npm run bench`: the engine polling this machine every second, side by side in the same run with
 * Debian's prometheus-node-exporter scraped every second, for BENCH_SECONDS (default 60).
 *
 * Prints, from /proc/PID/stat and /proc/PID/status of each process:
 * - CPU time as a share of one core: the engine (`hostwatch serve --interval 1`, which also serves the
 *   API), and node_exporter plus its scraper (a separate Node process fetching /metrics once a second);
 * - resident memory (peak VmHWM and the last VmRSS) of the engine;
 * - latency from a snapshot's time to (a) its samples being committed, seen by a separate reader polling
 *   the database every 2 ms, and (b) a WebSocket client (as the UI) receiving the snapshot event:
 *   p50 and p95.
 * Targets (issue 7): engine ≤ 1 % of a core and at most half of node_exporter + scraper; RSS ≤ 120 MB;
 * p95 latencies ≤ 50 ms.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { serve } from '../support/serve.ts';
import { connect } from '../support/ws-client.ts';
import type { Snapshot } from '../../shared/api.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const TICKS = 100; // USER_HZ: /proc/PID/stat times are in clock ticks (proc(5)); 100 on Linux.

/** utime + stime + cutime + cstime of a process, seconds (proc(5), fields 14–17). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
}

/** A field of /proc/PID/status in bytes (VmRSS, VmHWM). */
function statusBytes(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const SCRAPER = `
const url = process.argv[1];
setInterval(() => { fetch(url).then((r) => r.text()).catch(() => {}); }, 1000);
`;

async function main() {
  if (!existsSync(NODE_EXPORTER)) {
    console.error(`bench: ${NODE_EXPORTER} is missing (apt-get install prometheus-node-exporter)`);
    process.exit(1);
  }
  const exporterPort = await freePort();
  const exporter = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${exporterPort}`], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1000));
  const scraper = spawn(process.execPath, ['-e', SCRAPER, `http://127.0.0.1:${exporterPort}/metrics`], { stdio: 'ignore' });

  const served = await serve(['--interval', '1']);
  const enginePid = served.process.pid!;
  const client = await connect(served.origin, served.token);
  // Arrival latency is taken the moment each event is received.
  const arrivals: number[] = [];
  client.listen((e, receivedAt) => {
    if (e.event === 'snapshot') arrivals.push(receivedAt - (e.data as Snapshot).time);
  });

  // The commit reader: a separate connection polling the newest committed sample time.
  const reader = new Database(join(served.dataDir, 'hostwatch.db'), { readonly: true, fileMustExist: true });
  // One series' newest time is one seek on the (series_id, t) key; every snapshot has system.uptime.
  const newest = reader.prepare(`SELECT max(t) FROM samples WHERE series_id =
    (SELECT id FROM series WHERE host = 'local' AND key = 'system.uptime')`).pluck();
  const commitLatency: number[] = [];
  let lastSeen = Number(newest.get() ?? 0);
  const poll = setInterval(() => {
    const t = Number(newest.get() ?? 0);
    if (t > lastSeen) {
      commitLatency.push(Date.now() - t);
      lastSeen = t;
    }
  }, 2);

  // Warm-up: let start-up costs (module loading, first inventory) pass before measuring.
  await new Promise((r) => setTimeout(r, 5000));
  arrivals.length = 0;
  commitLatency.length = 0;
  const start = { engine: cpuSeconds(enginePid), exporter: cpuSeconds(exporter.pid!), scraper: cpuSeconds(scraper.pid!) };
  const wall0 = process.hrtime.bigint();
  let peakRss = 0;
  for (let i = 0; i < SECONDS; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    peakRss = Math.max(peakRss, statusBytes(enginePid, 'VmRSS'));
  }
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  const used = {
    engine: cpuSeconds(enginePid) - start.engine,
    exporter: cpuSeconds(exporter.pid!) - start.exporter,
    scraper: cpuSeconds(scraper.pid!) - start.scraper,
  };
  clearInterval(poll);
  reader.close();
  client.close();
  await served.stop();
  for (const child of [exporter, scraper] as ChildProcess[]) child.kill('SIGTERM');

  const share = (s: number) => `${((s / wall) * 100).toFixed(2)} % of one core`;
  const exporterTotal = used.exporter + used.scraper;
  console.log(`hostwatch bench: ${SECONDS} s of 1 s polling, Node ${process.versions.node}`);
  console.log(`  engine CPU:                      ${share(used.engine)}`);
  console.log(`  node_exporter CPU:               ${share(used.exporter)}`);
  console.log(`  node_exporter + scraper CPU:     ${share(exporterTotal)}`);
  console.log(`  engine / (exporter + scraper):   ${(used.engine / exporterTotal).toFixed(2)}`);
  console.log(`  engine RSS: peak sampled ${(peakRss / 2 ** 20).toFixed(1)} MiB`);
  console.log(`  snapshot → committed:  p50 ${percentile(commitLatency, 50)} ms, p95 ${percentile(commitLatency, 95)} ms (n=${commitLatency.length})`);
  console.log(`  snapshot → UI client:  p50 ${percentile(arrivals, 50)} ms, p95 ${percentile(arrivals, 95)} ms (n=${arrivals.length})`);
}

await main();
