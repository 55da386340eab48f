/**
 * Service check benchmark (issue 11): 500 HTTP checks every 10 s against local servers plus 50 TCP
 * checks, run by the engine's scheduler with the real runners, for a few minutes. Prints the share of
 * one core this process used (the servers run in a child process, so their work is not counted), the
 * scheduling jitter (when a run started against when it was due: p50, p95, max), and the same with
 * hanging targets added (an HTTP server that never answers and a TCP port that accepts and never
 * replies, each checked by 20 checks with a 5 s timeout), to show that they delay nobody else. It prints
 * figures and asserts nothing.
 *
 *   npm run bench:checks -- [--http 500] [--tcp 50] [--interval 10] [--seconds 60] [--hanging 20]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { CheckSpec, type Check } from '../../shared/checks/index.ts';
import { defaultRunners } from '../../electron/core/checks/registry.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import { CheckScheduler, type RunReport } from '../../electron/core/checks/scheduler.ts';
import { formatMs, maxOf, printTable, quantile } from './store/measure.ts';

const { values: args } = parseArgs({
  options: {
    http: { type: 'string', default: '500' },
    tcp: { type: 'string', default: '50' },
    interval: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '60' },
    hanging: { type: 'string', default: '20' },
    child: { type: 'boolean', default: false },
  },
});

if (args.child) {
  // The targets, in their own process: 4 HTTP servers, one that never answers, TCP listeners.
  const http = await import('node:http');
  const net = await import('node:net');
  const listen = (server: import('node:net').Server) => new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as import('node:net').AddressInfo).port)));
  const httpPorts = await Promise.all(Array.from({ length: 4 }, () =>
    listen(http.createServer((_req, res) => res.end('{"status":"ok"}')))));
  const hangingHttp = await listen(http.createServer(() => {}));
  // Checks close their side at once: a reset here is expected, not a crash.
  const tcpPort = await listen(net.createServer((socket) => socket.on('error', () => {}).end('220 ready\r\n')));
  const silentTcp = await listen(net.createServer((socket) => socket.on('error', () => {})));
  process.send!({ httpPorts, hangingHttp, tcpPort, silentTcp });
  await new Promise(() => {});
}

interface Ports { httpPorts: number[]; hangingHttp: number; tcpPort: number; silentTcp: number }

const targets: ChildProcess = fork(import.meta.filename, ['--child'], { stdio: 'inherit' });
const ports = await new Promise<Ports>((resolve) => targets.once('message', (m) => resolve(m as Ports)));

const interval = Number(args.interval);
const seconds = Number(args.seconds);
let nextId = 1;
const check = (spec: unknown): Check => ({ id: nextId++, createdAt: Date.now(), spec: CheckSpec.parse(spec) });

function fleet(hanging: number): Check[] {
  const out: Check[] = [];
  for (let i = 0; i < Number(args.http); i++) {
    out.push(check({ type: 'http', name: `http-${i}`, url: `http://127.0.0.1:${ports.httpPorts[i % 4]}/health?i=${i}`, intervalSeconds: interval, timeoutSeconds: 5 }));
  }
  for (let i = 0; i < Number(args.tcp); i++) {
    out.push(check({ type: 'tcp', name: `tcp-${i}`, target: '127.0.0.1', port: ports.tcpPort, intervalSeconds: interval, timeoutSeconds: 5 }));
  }
  for (let i = 0; i < hanging; i++) {
    out.push(check({ type: 'http', name: `hang-http-${i}`, url: `http://127.0.0.1:${ports.hangingHttp}/`, intervalSeconds: interval, timeoutSeconds: 5 }));
    out.push(check({ type: 'tcp', name: `hang-tcp-${i}`, target: '127.0.0.1', port: ports.silentTcp, expect: 'never', intervalSeconds: interval, timeoutSeconds: 5 }));
  }
  return out;
}

async function run(label: string, checks: Check[]): Promise<string[]> {
  const reports: RunReport[] = [];
  const scheduler = new CheckScheduler({
    runners: defaultRunners(),
    contextFor: (_check, signal, timeoutMs) => localContext(timeoutMs, signal),
    onRun: (report) => reports.push(report),
  });
  // The first runs are spread over the first seconds; measure after a full interval.
  scheduler.set(checks);
  await new Promise((r) => setTimeout(r, interval * 1000));
  reports.length = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  await scheduler.stop();
  const measured = reports.filter((r) => !r.check.spec.name.startsWith('hang-'));
  const jitter = measured.map((r) => r.result.at - r.dueAt);
  const down = measured.filter((r) => r.result.status === 'down').length;
  if (down > 0) console.log(`${label}: e.g. ${measured.find((r) => r.result.status === 'down')!.result.reason}`);
  return [
    label, String(checks.length), String(measured.length), `${((cpu.user + cpu.system) / 1000 / wall * 100).toFixed(1)} %`,
    formatMs(quantile(jitter, 0.5)), formatMs(quantile(jitter, 0.95)), formatMs(maxOf(jitter)), String(down),
  ];
}

const rows = [await run('healthy targets', fleet(0))];
rows.push(await run(`+ ${args.hanging}×2 hanging`, fleet(Number(args.hanging))));
targets.kill();
console.log(`\n${args.http} HTTP + ${args.tcp} TCP checks every ${interval} s, measured over ${seconds} s (after one interval to settle)`);
printTable(['RUN', 'CHECKS', 'RUNS MEASURED', 'CPU (ONE CORE)', 'JITTER P50', 'JITTER P95', 'JITTER MAX', 'DOWN (NOT HANGING)'], rows);
