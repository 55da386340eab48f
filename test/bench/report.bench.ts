/**
 * Report benchmark (issue 10): the time and peak memory to produce one report over the whole history
 * of a fleet (by default a 30-day report for 50 hosts) in each format: HTML (target ≤ 5 s), Markdown,
 * JSON, CSV and PDF (HTML printed by headless Chromium; skipped when none is installed). It prints
 * figures and asserts nothing.
 *
 * Each report is written by its own child process (this file with `--child FORMAT`), which opens the
 * database as the CLI does (SampleStore, AlertRepository, HostRepository), times writeReportFile() to a
 * file and prints its peak RSS (VmHWM of /proc/self/status: the whole process, SQLite's page cache and
 * the native side too, not only the JS heap); a child that only opens the database gives the baseline.
 * (Not getrusage's maxrss: Linux keeps it across execve, so a child forked from a parent that held more
 * would report the parent's size; it is the fallback off Linux.) For
 * PDF the Chromium processes' memory is not in the child's own RSS: the child samples the sum of their
 * PSS (shared pages split between the processes that map them) every 50 ms and reports its peak.
 * Every format runs `--reps` times, each in a fresh process; the table shows the median time.
 *
 * Workload (test/bench/store/workload.ts): `--hosts` hosts × 40 series every `--interval` seconds for
 * `--days` simulated days, fed to SampleStore exactly as the engine does (append each snapshot; flush()
 * once per simulated second; seal(now) every simulated minute; a final seal once the last hour window
 * has ended). At the engine's 5 s polls 50 hosts × 30 days would be ~1 G samples, too long to ingest for
 * a benchmark; the report reads the 1-hour rollups over 30 days whatever the poll interval, so 60 s
 * polls (~86 M samples) cost it about the same. The hosts table holds the fleet's hosts as remote hosts
 * (their ids are the snapshots' host names), and the alerts table about 300 alerts over 30 days (fewer
 * over a shorter range): mostly resolved, a few still firing or pending, one noisy user rule. The report covers the whole
 * history (`--days`, ending at the end of the simulated data) as of that end, so retention keeps every
 * tier it reads.
 *
 *   npm run bench:report -- [options]
 *     --hosts N        hosts (50)
 *     --days N         simulated days of history, and the report's range (30)
 *     --interval S     poll interval of the simulated hosts, seconds (60)
 *     --reps N         reports per format, each in a fresh process (3)
 *     --formats LIST   formats to time, comma-separated (html,md,json,csv,pdf)
 *     --seed N         workload seed (1)
 *     --dir DIR        data directory, kept: the database is built there once and reused by later runs
 *                      with the same --hosts, --days, --interval and --seed (default: a new folder in
 *                      the OS temp directory, removed at the end). The reports are written to DIR/reports.
 *
 *   node test/bench/report.bench.ts --child FORMAT --dir DIR
 *     One report (or `open`: only open the database) on DIR's data set, its figures as a JSON line:
 *     what the benchmark runs per measurement. To profile it: `node --cpu-prof test/bench/report.bench.ts
 *     --child html --dir DIR` (after a run with that --dir).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Alert } from '../../shared/api.ts';
import { formatPercent } from '../../shared/format.ts';
import { Attr, type Attributes } from '../../shared/metrics.ts';
import { ReportFormat, ReportRequest } from '../../shared/report.ts';
import { RuleSpec } from '../../shared/rules.ts';
import { REPORT_FILE_TYPES, writeReportFile, type ReportSources } from '../../electron/core/reports/export.ts';
import { findChromium } from '../../electron/core/reports/pdf.ts';
import { AlertRepository } from '../../electron/core/store/alerts.ts';
import { openDatabase, type Database } from '../../electron/core/store/database.ts';
import { HostRepository } from '../../electron/core/store/hosts.ts';
import { RuleRepository } from '../../electron/core/store/rules.ts';
import { SEAL_GRACE_MS, SampleStore } from '../../electron/core/store/samples.ts';
import { fileSize, formatBytes, formatCount, formatMs, now, printTable, quantile } from './store/measure.ts';
import { EPOCH_MS, Fleet, Rng, SERIES_PER_HOST, type HostSim } from './store/workload.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Bumped when the data set a directory holds changes meaning: an older one is built again. */
const DATA_SET_VERSION = 2;
const DB_NAME = 'report-bench.db';
const META_NAME = 'report-bench.json';
const ALL_FORMATS = ['html', 'md', 'json', 'csv', 'pdf'] as const satisfies readonly ReportFormat[];

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: '50' },
    days: { type: 'string', default: '30' },
    interval: { type: 'string', default: '60' },
    reps: { type: 'string', default: '3' },
    formats: { type: 'string', default: ALL_FORMATS.join(',') },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string' },
    child: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  allowPositionals: false,
});

if (args.help) {
  const source = fs.readFileSync(new URL(import.meta.url), 'utf8');
  console.log(source.slice(source.indexOf('/**') + 3, source.indexOf('*/')).replace(/^ \* ?/gm, '').trim());
  process.exit(0);
}

function numberArg(name: 'hosts' | 'days' | 'interval' | 'reps' | 'seed', min: number): number {
  const v = Number(args[name]);
  if (!Number.isFinite(v) || v < min) {
    console.error(`--${name}: expected a number ≥ ${min}, got "${String(args[name])}"`);
    process.exit(2);
  }
  return v;
}

/** What a data directory holds: the options it was built with and what the build measured. */
interface Meta {
  version: number;
  hosts: number;
  days: number;
  intervalMs: number;
  seed: number;
  /** First poll grid time and end of the simulated data (ms); the report is [end - days, end] as of end. */
  start: number;
  end: number;
  samples: number;
  snapshots: number;
  alerts: number;
  /** Ingest: wall time with the data's generation, and the store's calls alone (append + flush + seal). */
  ingestWallMs: number;
  ingestStoreMs: number;
  sealMs: number;
  /** Hostwatch's version, for the report's header. */
  appVersion: string;
}

/** What one child prints, as JSON on its last line of output. */
interface ChildResult {
  format: string;
  /** Opening the database and its repositories (the head log replayed), ms. */
  openMs: number;
  /** writeReportFile, ms (0 for `open`). */
  reportMs: number;
  /**
   * Peak resident set of the child, KiB, from getrusage (ru_maxrss). Linux keeps it across execve: it is
   * at least the parent's RSS when it forked the child, so only a fallback for hwmKiB.
   */
  maxRssKiB: number;
  /** Peak resident set of the child's own memory since exec, KiB (/proc/self/status VmHWM); null off Linux. */
  hwmKiB: number | null;
  /** JS heap in use at the end, bytes. */
  heapUsed: number;
  /** Size of the report written, bytes. */
  bytes: number;
  /** Peak of the sum of PSS over the child's descendants (Chromium), KiB, sampled; null when none were seen. */
  descendantsPeakPssKiB: number | null;
  descendantsPeakRssKiB: number | null;
  descendantsSeen: number;
}

function readMeta(dir: string): Meta | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, META_NAME), 'utf8')) as Meta;
  } catch {
    return null;
  }
}

function appVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

// ---------------------------------------------------------------------------------------------------
// Child: one report, measured

/** Peak memory of this process's descendants (Chromium), sampled from /proc. */
class DescendantSampler {
  peakPss = 0;
  peakRss = 0;
  readonly seen = new Set<number>();
  readonly #timer: NodeJS.Timeout;

  constructor(everyMs: number) {
    this.#timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    let entries: string[];
    try {
      entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
    } catch {
      return;
    }
    const children = new Map<number, number[]>();
    for (const e of entries) {
      try {
        const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
        // pid (comm) state ppid …; comm may hold spaces and parentheses: read after the last ')'.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const list = children.get(ppid) ?? [];
        list.push(Number(e));
        children.set(ppid, list);
      } catch {
        // gone
      }
    }
    let pss = 0;
    let rss = 0;
    const queue = [...(children.get(process.pid) ?? [])];
    while (queue.length > 0) {
      const pid = queue.pop()!;
      queue.push(...(children.get(pid) ?? []));
      try {
        const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
        pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
        rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
        this.seen.add(pid);
      } catch {
        // gone, or not ours to read
      }
    }
    if (pss > this.peakPss) this.peakPss = pss;
    if (rss > this.peakRss) this.peakRss = rss;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

function vmHwmKiB(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function runChild(format: string, dir: string): Promise<void> {
  const meta = readMeta(dir);
  if (!meta) throw new Error(`${dir} has no data set (${META_NAME}): run the benchmark with --dir ${dir} first`);
  if (format !== 'open' && !(ALL_FORMATS as readonly string[]).includes(format)) throw new Error(`--child: unknown format ${format}`);
  let t = now();
  const db = openDatabase(path.join(dir, DB_NAME));
  const sources: ReportSources = {
    samples: new SampleStore(db), alerts: new AlertRepository(db), hosts: new HostRepository(db), version: meta.appVersion,
  };
  const openMs = now() - t;
  let reportMs = 0;
  let bytes = 0;
  let sampler: DescendantSampler | null = null;
  if (format !== 'open') {
    const fmt = format as ReportFormat;
    const out = path.join(dir, 'reports', `report.${REPORT_FILE_TYPES[fmt].extension}`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const request = ReportRequest.parse({ from: meta.end - meta.days * DAY_MS, to: meta.end });
    if (fmt === 'pdf') sampler = new DescendantSampler(50);
    t = now();
    try {
      await writeReportFile(sources, request, fmt, out, { now: meta.end });
    } finally {
      sampler?.stop();
    }
    reportMs = now() - t;
    bytes = fileSize(out);
  }
  db.close();
  const result: ChildResult = {
    format, openMs, reportMs, maxRssKiB: process.resourceUsage().maxRSS, hwmKiB: vmHwmKiB(), heapUsed: process.memoryUsage().heapUsed,
    bytes, descendantsPeakPssKiB: sampler && sampler.seen.size > 0 ? sampler.peakPss : null,
    descendantsPeakRssKiB: sampler && sampler.seen.size > 0 ? sampler.peakRss : null, descendantsSeen: sampler?.seen.size ?? 0,
  };
  console.log(JSON.stringify(result));
}

if (args.child !== undefined) {
  if (args.dir === undefined) {
    console.error('--child needs --dir');
    process.exit(2);
  }
  try {
    await runChild(args.child, args.dir);
  } catch (error) {
    console.error((error as Error).stack ?? String(error));
    process.exit(1);
  }
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------
// The data set

const opts = {
  hosts: Math.round(numberArg('hosts', 1)),
  days: numberArg('days', 1 / 24),
  intervalMs: Math.round(numberArg('interval', 1) * 1000),
  reps: Math.round(numberArg('reps', 1)),
  seed: Math.round(numberArg('seed', 0)),
};
const formats = (args.formats ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
for (const f of formats) {
  if (!(ALL_FORMATS as readonly string[]).includes(f)) {
    console.error(`--formats: unknown format "${f}" (known: ${ALL_FORMATS.join(', ')})`);
    process.exit(2);
  }
}

function spanText(ms: number): string {
  return ms >= 2 * DAY_MS ? `${+(ms / DAY_MS).toFixed(2)} d` : ms >= 2 * HOUR_MS ? `${+(ms / HOUR_MS).toFixed(2)} h` : `${+(ms / MINUTE_MS).toFixed(1)} min`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** The simulated fleet: hour-aligned start, `days` long. */
function makeFleet(): Fleet {
  return new Fleet({
    prefix: 'host', count: opts.hosts, seed: opts.seed, firstIndex: 0, start: EPOCH_MS, end: EPOCH_MS + opts.days * DAY_MS,
    intervalMs: opts.intervalMs,
  });
}

const pause = async (): Promise<void> => {};

/**
 * Feeds the fleet's snapshots to `store` as the engine does: append each; flush once per simulated
 * second (when the next snapshot is in a later second); seal every simulated minute; a final seal once
 * the last hour window has ended (plus the grace). Times the store's calls apart from the generation.
 */
async function ingest(store: SampleStore, fleet: Fleet, end: number): Promise<{ samples: number; snapshots: number; wallMs: number; storeMs: number; sealMs: number }> {
  const wall = now();
  let storeMs = 0;
  let sealMs = 0;
  let samples = 0;
  let snapshots = 0;
  let second = Number.NaN;
  let minute = Number.NaN;
  let last = Number.NaN;
  let progressAt = wall;
  const timed = <T>(f: () => T): T => {
    const t = now();
    const r = f();
    storeMs += now() - t;
    return r;
  };
  const seal = async (at: number) => {
    const t = now();
    await store.seal(at, pause);
    const ms = now() - t;
    storeMs += ms;
    sealMs += ms;
  };
  for (const snapshot of fleet.snapshots()) {
    const s = Math.floor(snapshot.time / 1000);
    if (!(s <= second)) {
      if (store.buffered > 0) samples += timed(() => store.flush());
      second = s;
      const m = Math.floor(snapshot.time / MINUTE_MS);
      if (!(m <= minute)) {
        if (!Number.isNaN(minute)) await seal(m * MINUTE_MS);
        minute = m;
      }
      if (snapshots % 64 === 0 && now() - progressAt > 10_000) {
        progressAt = now();
        process.stderr.write(`  … ${spanText(snapshot.time - EPOCH_MS)} of ${spanText(end - EPOCH_MS)}, ${formatCount(samples)} samples, ` +
          `${formatCount(samples / (storeMs / 1000))} samples/s in the store, ${seconds(now() - wall)} so far\n`);
      }
    }
    timed(() => store.append(snapshot));
    snapshots++;
    last = snapshot.time;
  }
  if (store.buffered > 0) samples += timed(() => store.flush());
  // The engine keeps running past the end: every window ends and gets sealed.
  await seal(Math.ceil((last + 1) / HOUR_MS) * HOUR_MS + SEAL_GRACE_MS + 1000);
  return { samples, snapshots, wallMs: now() - wall, storeMs, sealMs };
}

/** A rule of the alert history: its id in the rules table, and how its alerts look. */
interface AlertKind {
  ruleId: number;
  ruleName: string;
  metric: string;
  severity: Alert['severity'];
  threshold: number;
  /** Seconds the condition holds before the alert fires. */
  forSeconds: number;
  /** Resolved firings per 30 days of range; and how many are still firing at the end. */
  count: number;
  firing: number;
  /** How many hosts they are spread over (the first of a shuffled list). */
  hosts: number;
  /** Duration of a firing, minutes (log-uniform between the two). */
  minutes: [number, number];
  value: (rng: Rng) => number;
  attributes: (host: HostSim, rng: Rng) => Attributes;
  summary: (value: number, host: HostSim, attributes: Attributes) => string;
}

/** What alertHistory makes of each kind. */
type AlertShape = Pick<AlertKind, 'count' | 'firing' | 'hosts' | 'minutes' | 'value' | 'attributes' | 'summary'>;

/**
 * A few hundred alerts over [from, to] (per 30 days; fewer over a shorter range): the default rules and
 * a few user rules firing now and then, at most 10 times each over 30 days (a report calls a rule that
 * fires more than that noisy), some still firing at the end, a couple pending, a few resolved before
 * the range; and one noisy user rule (a load threshold set too low) firing ~7 times a day.
 */
function alertHistory(db: Database, fleet: Fleet, from: number, to: number, seed: number): Omit<Alert, 'id'>[] {
  const rules = new RuleRepository(db);
  const byName = new Map(rules.list().map((r) => [r.name, r]));
  const ratio = (lo: number, hi: number) => (rng: Rng) => Math.round(rng.range(lo, hi) * 1000) / 1000;
  const between = (lo: number, hi: number, digits = 0) => (rng: Rng) => Math.round(rng.range(lo, hi) * 10 ** digits) / 10 ** digits;
  const mountOf = (host: HostSim, rng: Rng): Attributes => {
    const mounts = host.series.filter((s) => s.metric === 'system.filesystem.utilization').map((s) => s.attributes[Attr.mountpoint]!);
    return { [Attr.mountpoint]: rng.next() < 0.8 ? mounts.at(-1)! : mounts[0]! };
  };
  const deviceOf = (metric: string, attr: string, direction: string) => (host: HostSim): Attributes => {
    const s = host.series.find((x) => x.metric === metric && x.attributes[attr] === direction);
    return s ? s.attributes : {};
  };
  const hosts = (n: number) => Math.min(n, fleet.hosts.length);
  const none = () => ({});
  /** A rule of the database's defaults. */
  const builtIn = (name: string, shape: AlertShape): AlertKind => {
    const r = byName.get(name);
    if (!r) throw new Error(`no default rule "${name}" in the database`);
    return { ruleId: r.id, ruleName: r.name, metric: r.metric, severity: r.severity, threshold: r.threshold, forSeconds: r.for, ...shape };
  };
  /** A rule the user added (stored in the rules table, as the app would). */
  const userRule = (spec: { name: string; metric: string; op: '>' | '<'; threshold: number; for: number; severity: Alert['severity'] },
    shape: AlertShape): AlertKind => {
    const r = rules.create(RuleSpec.parse({ ...spec, summary: '{{value}}' }));
    return { ruleId: r.id, ruleName: r.name, metric: r.metric, severity: r.severity, threshold: r.threshold, forSeconds: r.for, ...shape };
  };
  const kinds: AlertKind[] = [
    builtIn('High CPU usage', {
      count: 10, firing: 0, hosts: hosts(6), minutes: [5, 90], value: ratio(0.8, 0.99),
      attributes: none, summary: (v) => `High CPU usage: ${formatPercent(v)}`,
    }),
    builtIn('High memory usage', {
      count: 8, firing: 1, hosts: hosts(4), minutes: [10, 360], value: ratio(0.85, 0.97),
      attributes: none, summary: (v) => `High memory usage: ${formatPercent(v)}`,
    }),
    builtIn('High swap usage', {
      count: 5, firing: 0, hosts: hosts(3), minutes: [30, 720], value: ratio(0.5, 0.8),
      attributes: none, summary: (v) => `High swap usage: ${formatPercent(v)}`,
    }),
    builtIn('Filesystem almost full', {
      count: 6, firing: 2, hosts: hosts(4), minutes: [60, 3 * 1440], value: ratio(0.9, 0.98),
      attributes: mountOf, summary: (v, _h, a) => `Filesystem ${a[Attr.mountpoint]} is ${formatPercent(v)} full`,
    }),
    builtIn('Host down', {
      count: 10, firing: 0, hosts: hosts(8), minutes: [1, 15], value: () => 0,
      attributes: none, summary: (_v, h) => `${h.host} cannot be reached`,
    }),
    builtIn('Host key changed', {
      count: 1, firing: 0, hosts: 1, minutes: [60, 180], value: () => 1,
      attributes: none, summary: (_v, h) => `The SSH host key of ${h.host} changed: Hostwatch will not connect until you check it`,
    }),
    userRule({ name: 'Disk writes above 20 MB/s', metric: 'system.disk.io', op: '>', threshold: 20e6, for: 120, severity: 'warning' }, {
      count: 9, firing: 0, hosts: hosts(5), minutes: [3, 60], value: between(20e6, 90e6),
      attributes: deviceOf('system.disk.io', Attr.diskDirection, 'write'), summary: (v) => `Disk writes ${(v / 1e6).toFixed(0)} MB/s`,
    }),
    userRule({ name: 'Hot CPU', metric: 'hw.temperature', op: '>', threshold: 70, for: 300, severity: 'warning' }, {
      count: 8, firing: 0, hosts: hosts(4), minutes: [5, 45], value: between(70, 85, 1),
      attributes: (h) => h.series.find((x) => x.metric === 'hw.temperature')?.attributes ?? {}, summary: (v) => `CPU at ${v} °C`,
    }),
    userRule({ name: 'Too many processes', metric: 'system.process.count', op: '>', threshold: 400, for: 600, severity: 'info' }, {
      count: 7, firing: 0, hosts: hosts(3), minutes: [10, 120], value: between(401, 600),
      attributes: none, summary: (v) => `${v} processes`,
    }),
    userRule({ name: 'Outbound traffic above 50 MB/s', metric: 'system.network.io', op: '>', threshold: 50e6, for: 60, severity: 'info' }, {
      count: 10, firing: 0, hosts: hosts(4), minutes: [2, 90], value: between(50e6, 110e6),
      attributes: deviceOf('system.network.io', Attr.networkDirection, 'transmit'), summary: (v) => `Sending ${(v / 1e6).toFixed(0)} MB/s`,
    }),
    // The noisy one.
    userRule({ name: 'Load above 2', metric: 'system.cpu.load_average.1m', op: '>', threshold: 2, for: 0, severity: 'warning' }, {
      count: 200, firing: 1, hosts: hosts(8), minutes: [1, 10], value: between(2.01, 6, 2),
      attributes: none, summary: (v, h) => `Load ${v.toFixed(2)} on ${h.host}`,
    }),
  ];
  const rng = new Rng(seed ^ 0x0a1e7);
  const out: Omit<Alert, 'id'>[] = [];
  const range = to - from;
  const perRange = (count: number) => Math.max(1, Math.round(count * range / (30 * DAY_MS)));
  for (const k of kinds) {
    // Each rule picks on its own hosts: some hosts see many alerts, most none.
    const shuffled = [...fleet.hosts];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const pool = shuffled.slice(0, k.hosts);
    const resolved = perRange(k.count);
    for (let n = 0; n < resolved + k.firing; n++) {
      const host = pool[n % pool.length]!;
      const value = k.value(rng);
      const attributes = k.attributes(host, rng);
      const minutes = Math.exp(rng.range(Math.log(k.minutes[0]), Math.log(k.minutes[1])));
      const duration = Math.round(minutes * MINUTE_MS / 1000) * 1000;
      const stillFiring = n >= resolved;
      // Still firing: since some time in the last few days; resolved: anywhere it ends before `to`.
      const firedAt = stillFiring
        ? Math.round((to - rng.range(0.05, Math.min(3, range / DAY_MS)) * DAY_MS) / 1000) * 1000
        : Math.round((from + rng.next() * Math.max(0, range - duration)) / 1000) * 1000;
      out.push({
        ruleId: k.ruleId, ruleName: k.ruleName, host: host.host, metric: k.metric, attributes, severity: k.severity,
        state: stillFiring ? 'firing' : 'resolved', value, threshold: k.threshold, summary: k.summary(value, host, attributes),
        activeAt: firedAt - k.forSeconds * 1000, firedAt, resolvedAt: stillFiring ? null : Math.min(to, firedAt + duration),
      });
    }
  }
  // Before the range: the report leaves them out, the alerts query still reads them.
  const cpu = kinds[0]!;
  for (let n = 0; n < 5; n++) {
    const host = fleet.hosts[n % fleet.hosts.length]!;
    const firedAt = Math.round((from - rng.range(1, 7) * DAY_MS) / 1000) * 1000;
    const value = cpu.value(rng);
    out.push({
      ruleId: cpu.ruleId, ruleName: cpu.ruleName, host: host.host, metric: cpu.metric, attributes: {}, severity: cpu.severity,
      state: 'resolved', value, threshold: cpu.threshold, summary: cpu.summary(value, host, {}),
      activeAt: firedAt - cpu.forSeconds * 1000, firedAt, resolvedAt: firedAt + 20 * MINUTE_MS,
    });
  }
  // Pending at the end: the condition holds, not for long enough yet.
  for (let n = 0; n < 2; n++) {
    const host = fleet.hosts[(3 * n + 1) % fleet.hosts.length]!;
    const value = cpu.value(rng);
    out.push({
      ruleId: cpu.ruleId, ruleName: cpu.ruleName, host: host.host, metric: cpu.metric, attributes: {}, severity: cpu.severity,
      state: 'pending', value, threshold: cpu.threshold, summary: cpu.summary(value, host, {}),
      activeAt: to - rng.int(1, 4) * MINUTE_MS, firedAt: null, resolvedAt: null,
    });
  }
  return out.sort((a, b) => a.activeAt - b.activeAt);
}

/** Builds the data set in `dir` (database and meta file) and returns its meta. */
async function build(dir: string): Promise<Meta> {
  const file = path.join(dir, DB_NAME);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  fs.rmSync(path.join(dir, META_NAME), { force: true });
  const start = EPOCH_MS;
  const end = start + opts.days * DAY_MS;
  const db = openDatabase(file);
  try {
    const fleet = makeFleet();
    const hosts = new HostRepository(db);
    // Added over the week before the history starts, oldest first; ids are the names (host-01 …).
    fleet.hosts.forEach((h, i) => {
      const record = hosts.addRemote({
        name: h.host, address: `${h.host}.example.net`, port: 22, user: 'ops', auth: 'agent', jump: [],
        intervalSeconds: opts.intervalMs / 1000, enabled: true, commands: [],
      }, null, start - 7 * DAY_MS + i * MINUTE_MS);
      if (record.id !== h.host) throw new Error(`host ${h.host} got id ${record.id}: the report would find no samples`);
    });
    const store = new SampleStore(db);
    const expected = opts.hosts * SERIES_PER_HOST * (opts.days * DAY_MS / opts.intervalMs);
    console.log(`Building the data set: ${opts.hosts} hosts × ${SERIES_PER_HOST} series every ${opts.intervalMs / 1000} s for ` +
      `${spanText(end - start)} ≈ ${formatCount(expected)} samples …`);
    const stats = await ingest(store, fleet, end);
    const alerts = new AlertRepository(db);
    const history = alertHistory(db, fleet, end - opts.days * DAY_MS, end, opts.seed);
    db.transaction(() => {
      for (const a of history) alerts.insert(a);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const meta: Meta = {
      version: DATA_SET_VERSION, hosts: opts.hosts, days: opts.days, intervalMs: opts.intervalMs, seed: opts.seed, start, end,
      samples: stats.samples, snapshots: stats.snapshots, alerts: history.length, ingestWallMs: stats.wallMs, ingestStoreMs: stats.storeMs,
      sealMs: stats.sealMs, appVersion: appVersion(),
    };
    fs.writeFileSync(path.join(dir, META_NAME), `${JSON.stringify(meta, null, 2)}\n`);
    return meta;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Measurements

/** Runs one child and returns its figures, or the reason it failed. */
function child(format: string, dir: string): ChildResult | { error: string } {
  const t = now();
  const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', format, '--dir', dir], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20,
  });
  const wall = now() - t;
  if (run.status !== 0) {
    const tail = `${run.stderr ?? ''}${run.stdout ?? ''}`.trim().split('\n').slice(-12).join('\n');
    return { error: `exit ${run.status ?? run.signal}: ${tail}` };
  }
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const result = JSON.parse(line) as ChildResult;
    if (process.env['BENCH_VERBOSE']) console.log(`  ${format}: ${line} (process ${formatMs(wall)})`);
    return result;
  } catch {
    return { error: `unexpected output: ${line.slice(0, 200)}` };
  }
}

const median = (values: readonly number[]) => quantile(values, 0.5);
/** A child's peak RSS, KiB: VmHWM, or maxrss where there is none. */
const peakKiB = (r: ChildResult) => r.hwmKiB ?? r.maxRssKiB;
const kib = (n: number) => formatBytes(n * 1024);

const dir = args.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-report-bench-'));
fs.mkdirSync(dir, { recursive: true });
try {
  console.log('Hostwatch report benchmark');
  console.log(`Data directory: ${dir}${args.dir ? '' : ' (removed at the end)'}`);
  const found = readMeta(dir);
  const same = found !== null && found.version === DATA_SET_VERSION && found.hosts === opts.hosts && found.days === opts.days &&
    found.intervalMs === opts.intervalMs && found.seed === opts.seed && fs.existsSync(path.join(dir, DB_NAME));
  let meta: Meta;
  if (same) {
    meta = found;
    console.log(`Reusing the data set in ${dir} (built earlier: ingest took ${seconds(meta.ingestWallMs)}).`);
  } else {
    if (found) {
      console.log(`${dir} holds another data set (${found.hosts} hosts, ${found.days} d, every ${found.intervalMs / 1000} s, ` +
        `seed ${found.seed}): building this one in its place.`);
    }
    meta = await build(dir);
  }
  const dbBytes = fileSize(path.join(dir, DB_NAME));
  const from = meta.end - meta.days * DAY_MS;
  console.log(`Data set: ${meta.hosts} hosts × ${SERIES_PER_HOST} series every ${meta.intervalMs / 1000} s for ${spanText(meta.end - meta.start)}: ` +
    `${formatCount(meta.samples)} samples (${formatCount(meta.snapshots)} snapshots), ${meta.alerts} alerts; database ${formatBytes(dbBytes)} ` +
    `(${(dbBytes / meta.samples).toFixed(2)} B/sample)`);
  console.log(`Ingest: ${seconds(meta.ingestWallMs)} wall with data generation; store calls ${seconds(meta.ingestStoreMs)} ` +
    `(seal ${seconds(meta.sealMs)}) → ${formatCount(meta.samples / (meta.ingestStoreMs / 1000))} samples/s`);
  console.log(`Report: ${new Date(from).toISOString()} … ${new Date(meta.end).toISOString()} (${spanText(meta.end - from)}), every host, ` +
    `as of its end; ${opts.reps} run${opts.reps === 1 ? '' : 's'} per format, each in a fresh process.`);

  const chromium = findChromium();
  const rows: string[][] = [];
  const notes: string[] = [];
  const baseline: ChildResult[] = [];
  for (let i = 0; i < opts.reps; i++) {
    const r = child('open', dir);
    if ('error' in r) throw new Error(`opening the database in a child failed: ${r.error}`);
    baseline.push(r);
  }
  const baseRss = median(baseline.map(peakKiB));
  rows.push(['open only (baseline)', '–', '–', formatMs(median(baseline.map((r) => r.openMs))), kib(baseRss), '–', '–', '']);
  for (const format of formats) {
    if (format === 'pdf' && !chromium) {
      console.log('PDF skipped: no Chromium, Chrome or Edge found (install one or set HOSTWATCH_CHROMIUM).');
      rows.push(['pdf', 'skipped: no Chromium', '', '', '', '', '', '']);
      continue;
    }
    process.stderr.write(`  ${format} …\n`);
    const results: ChildResult[] = [];
    let error: string | null = null;
    for (let i = 0; i < opts.reps && error === null; i++) {
      const r = child(format, dir);
      if ('error' in r) error = r.error;
      else results.push(r);
    }
    if (error !== null || results.length === 0) {
      console.log(`${format} failed: ${error}`);
      rows.push([format, 'failed', '', '', '', '', '', '']);
      continue;
    }
    const times = results.map((r) => r.reportMs);
    const rss = median(results.map(peakKiB));
    const target = format === 'html' ? `≤ 5 s: ${median(times) <= 5000 ? 'met' : 'MISSED'}` : '';
    rows.push([
      format, seconds(median(times)), `${seconds(Math.min(...times))} – ${seconds(Math.max(...times))}`,
      formatMs(median(results.map((r) => r.openMs))), kib(rss), `+${kib(rss - baseRss)}`, formatBytes(median(results.map((r) => r.bytes))), target,
    ]);
    if (format === 'pdf') {
      const pss = results.map((r) => r.descendantsPeakPssKiB).filter((v): v is number => v !== null);
      const rssSum = results.map((r) => r.descendantsPeakRssKiB).filter((v): v is number => v !== null);
      notes.push(pss.length > 0
        ? `pdf: Chromium's processes (up to ${Math.max(...results.map((r) => r.descendantsSeen))} seen) peaked at ${kib(median(pss))} PSS ` +
          `(${kib(median(rssSum))} summed RSS, shared pages counted in each), sampled every 50 ms, on top of the Node process's peak.`
        : 'pdf: no Chromium process was seen by the 50 ms sampler.');
    }
  }
  console.log('');
  printTable(['format', `time (median of ${opts.reps})`, 'min – max', 'open db', 'peak RSS', 'over baseline', 'output', 'target'], rows);
  for (const n of notes) console.log(n);
  console.log(`time: writeReportFile() in the child (gather, render, write); open db: openDatabase and the repositories, not in the time. ` +
    `peak RSS: the child's VmHWM (median of the runs), the whole process with Node, SQLite and the modules.`);
  if (args.dir) console.log(`Reports written to ${path.join(dir, 'reports')}.`);
} finally {
  if (!args.dir) fs.rmSync(dir, { recursive: true, force: true });
}
