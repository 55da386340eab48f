/**
 * History store benchmark (issue 9). Feeds a realistic fleet workload through SampleStore exactly as the
 * engine drives it (append each snapshot; flush() once per simulated second; seal(now) every simulated
 * minute; a final seal once the last hour window has ended) and prints what it costs: bytes on disk per
 * raw sample, bytes written per sample (WAL and checkpoints included), database size, ingest rate, and
 * query latency (one series over 1 h / 24 h / 7 d / 30 d at 1,000 points; the fleet overview's latest
 * values). The first slice's one-row-per-sample layout is fed the same workload in the same run for
 * comparison. It prints figures and asserts nothing.
 *
 * Workload (test/bench/store/workload.ts): `--hosts` hosts × 40 series every 5 s for `--hours`, then
 * `--long-hosts` hosts for `--days` (in the same database, after the first part, for the 7 d and 30 d
 * queries). Or `--from FILE`: the samples of an OpenMetrics text file, such as one `--record` made.
 *
 *   npm run bench:store -- [options]
 *     --hosts N             hosts of the main run (50)
 *     --hours N             simulated hours of the main run (24)
 *     --long-hosts N        hosts of the long run (2)
 *     --days N              simulated days of the long run (30; 0 skips it)
 *     --baseline-hours N    simulated hours fed to the old layout (2; 0 skips it)
 *     --from FILE           read the samples from an OpenMetrics file instead of generating them
 *     --write-openmetrics FILE   also write the generated workload there (and run promtool on it if found)
 *     --prometheus-names    write `_` for `.` in names (classic Prometheus names) in that file
 *     --reps N              queries per range and fleet overviews (50)
 *     --points N            points per query (1000)
 *     --seed N              workload seed (1)
 *     --dir DIR             data directory, kept (default: a new folder in the OS temp directory, removed)
 *
 *   npm run bench:store -- --record FILE [--minutes N] [--interval SECONDS]
 *     Records real series instead of benchmarking (test/bench/store/record.ts): this machine with the
 *     engine's local collector and a loopback SSH host with the engine's SSH collector (a real sshd on
 *     127.0.0.1, as the tests start it, with their user hwtest-sh; needs root and openssh-server, else
 *     this machine only), for N minutes of wall time (10), every SECONDS (default the engine's: 1 s
 *     here, 5 s over SSH), written to FILE as OpenMetrics (hosts `local` and `ssh-loopback`). Then run
 *     the benchmark on it with `--from FILE`.
 *
 * Bytes written come from /proc/self/io (proc(5): `wchar` bytes passed to write(2), `write_bytes` bytes
 * sent to the block layer, 0 on tmpfs) and from the growth of the database and WAL files.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SeriesData, Snapshot } from '../../shared/api.ts';
import type { Attributes } from '../../shared/metrics.ts';
import { openDatabase, type Database } from '../../electron/core/store/database.ts';
import { SEAL_GRACE_MS, SampleStore, type SampleQuery } from '../../electron/core/store/samples.ts';
import { BaselineStore } from './store/baseline.ts';
import {
  dbFilesSize, dirSize, fileSize, formatBytes, formatCount, formatMs, formatPerSample, maxOf, now, printTable, procIo, quantile,
} from './store/measure.ts';
import { OpenMetricsWriter, openMetricsSnapshots, scanOpenMetrics, type FileScan } from './store/openmetrics.ts';
import { record } from './store/record.ts';
import { EPOCH_MS, Fleet, INTERVAL_MS, Rng, SERIES_PER_HOST, type SeriesDef } from './store/workload.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What the benchmark uses of SampleStore (issue 9's API); checked against the class at compile time. */
interface Store {
  append(snapshot: Snapshot): void;
  readonly buffered: number;
  flush(): number;
  seal(now?: number, pause?: () => Promise<void>): Promise<{ windows: number; samples: number }>;
  /** `now`: the simulated present (ms), which decides what the retention still keeps. */
  query(q: SampleQuery, now?: number): { step: number; tier: string; series: SeriesData[] };
  latest(host: string): readonly unknown[];
}

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    hosts: { type: 'string', default: '50' },
    hours: { type: 'string', default: '24' },
    'long-hosts': { type: 'string', default: '2' },
    days: { type: 'string', default: '30' },
    'baseline-hours': { type: 'string', default: '2' },
    from: { type: 'string' },
    'write-openmetrics': { type: 'string' },
    'prometheus-names': { type: 'boolean', default: false },
    reps: { type: 'string', default: '50' },
    points: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    dir: { type: 'string' },
    record: { type: 'string' },
    minutes: { type: 'string', default: '10' },
    interval: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  allowPositionals: false,
});

if (args.help) {
  const source = fs.readFileSync(new URL(import.meta.url), 'utf8');
  console.log(source.slice(source.indexOf('/**') + 3, source.indexOf('*/')).replace(/^ \* ?/gm, '').trim());
  process.exit(0);
}

function numberArg(name: keyof typeof args, min: number): number {
  const v = Number(args[name]);
  if (!Number.isFinite(v) || v < min) {
    console.error(`--${name}: expected a number ≥ ${min}, got "${String(args[name])}"`);
    process.exit(2);
  }
  return v;
}

const opts = {
  hosts: Math.round(numberArg('hosts', 1)),
  hours: numberArg('hours', 0.1),
  longHosts: Math.round(numberArg('long-hosts', 0)),
  days: numberArg('days', 0),
  baselineHours: numberArg('baseline-hours', 0),
  reps: Math.round(numberArg('reps', 1)),
  points: Math.round(numberArg('points', 1)),
  seed: Math.round(numberArg('seed', 0)),
  from: args.from,
  writeOpenMetrics: args['write-openmetrics'],
  prometheusNames: args['prometheus-names'] ?? false,
};

if (args.record !== undefined) {
  if (opts.from !== undefined) {
    console.error('--record and --from exclude each other: record first, then run --from on the file');
    process.exit(2);
  }
  const minutes = numberArg('minutes', 0.05);
  const interval = args.interval === undefined ? undefined : numberArg('interval', 1);
  try {
    await record({ file: args.record, minutes, ...(interval === undefined ? {} : { intervalMs: interval * 1000 }) });
  } catch (error) {
    console.error(`--record: ${(error as Error).message}`);
    process.exit(1);
  }
  // ssh2 and sshd's child processes are closed, but a stray handle must not keep the recording open.
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------
// Workload: the phases and their snapshots

/** The snapshots of one phase, replayable, with the series each host has (for queries). */
interface Source {
  label: string;
  /** A fresh pass over the snapshots, in time order. */
  snapshots: () => Iterable<Snapshot>;
  hosts: Map<string, SeriesDef[]>;
  /** Span of sample times, ms. */
  start: number;
  end: number;
}

function fleetSource(label: string, make: () => Fleet, start: number, end: number): Source {
  const fleet = make();
  return {
    label,
    snapshots: () => make().snapshots(),
    hosts: new Map(fleet.hosts.map((h) => [h.host, [...h.series]])),
    start,
    end,
  };
}

let main: Source;
let long: Source | null = null;
let baseline: Source | null = null;
let fileScan: FileScan | null = null;
/** Query ranges per phase. */
let mainRanges: number[];
let longRanges: number[] = [];

console.log('Hostwatch store benchmark');
if (opts.from !== undefined) {
  const file = opts.from;
  console.log(`Reading ${file} …`);
  const t = now();
  try {
    fileScan = scanOpenMetrics(file);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const scan = fileScan;
  if (scan.samples === 0) {
    console.error(`${file}: no samples`);
    process.exit(1);
  }
  console.log(`  ${formatCount(scan.samples)} samples, ${scan.series.size} hosts, ` +
    `${[...scan.series.values()].reduce((n, l) => n + l.length, 0)} series, ${spanText(scan.to - scan.from)}, ` +
    `${scan.ordered ? 'in time order (streamed)' : 'not in time order (loaded and sorted in memory)'}; scanned in ${formatMs(now() - t)}`);
  main = { label: 'file', snapshots: () => openMetricsSnapshots(file, scan), hosts: scan.series, start: scan.from, end: scan.to };
  if (opts.baselineHours > 0) {
    const until = scan.from + opts.baselineHours * HOUR_MS;
    baseline = { ...main, label: 'file', snapshots: () => openMetricsSnapshots(file, scan, until), end: Math.min(scan.to, until) };
  }
  mainRanges = [HOUR_MS, DAY_MS, 7 * DAY_MS, 30 * DAY_MS];
} else {
  const { seed, hosts } = opts;
  const mainEnd = EPOCH_MS + opts.hours * HOUR_MS;
  main = fleetSource('main', () => new Fleet({ prefix: 'host', count: hosts, seed, firstIndex: 0, start: EPOCH_MS, end: mainEnd }),
    EPOCH_MS, mainEnd);
  mainRanges = [HOUR_MS, DAY_MS];
  if (opts.days > 0 && opts.longHosts > 0) {
    // After the main run (time only moves forward, as seal() expects): an hour after its last window.
    const start = Math.ceil(mainEnd / HOUR_MS) * HOUR_MS + HOUR_MS;
    const end = start + opts.days * DAY_MS;
    long = fleetSource('long', () => new Fleet({ prefix: 'long', count: opts.longHosts, seed, firstIndex: 1000, start, end }),
      start, end);
    longRanges = [7 * DAY_MS, 30 * DAY_MS];
  }
  if (opts.baselineHours > 0) {
    const end = EPOCH_MS + Math.min(opts.hours, opts.baselineHours) * HOUR_MS;
    baseline = fleetSource('main', () => new Fleet({ prefix: 'host', count: hosts, seed, firstIndex: 0, start: EPOCH_MS, end }),
      EPOCH_MS, end);
  }
}

function spanText(ms: number): string {
  return ms >= 2 * DAY_MS ? `${+(ms / DAY_MS).toFixed(2)} d` : ms >= 2 * HOUR_MS ? `${+(ms / HOUR_MS).toFixed(2)} h` : `${+(ms / 60_000).toFixed(1)} min`;
}

const rangeName = (ms: number) => (ms >= DAY_MS && ms % DAY_MS === 0 && ms > DAY_MS ? `${ms / DAY_MS} d` : `${ms / HOUR_MS} h`);

// ---------------------------------------------------------------------------------------------------
// Ingest: the engine's loop, on simulated time

interface IngestStats {
  samples: number;
  snapshots: number;
  flushes: number;
  seals: number;
  sealedWindows: number;
  sealedSamples: number;
  appendMs: number;
  flushMs: number;
  sealMs: number;
  flushTimes: number[];
  sealTimes: number[];
  /** Time of the last snapshot, ms since epoch (simulated). */
  last: number;
  wallMs: number;
}

/** A store as the ingest loop drives it; `seal` absent for the old layout (it had none). */
interface Sink {
  append(snapshot: Snapshot): void;
  readonly buffered: number;
  flush(): number;
  seal?: (now: number) => Promise<{ windows: number; samples: number }>;
}

const pause = async (): Promise<void> => {};

/**
 * Feeds `snapshots` (time order) to `sink`: append each; flush once per simulated second (when the next
 * snapshot is in a later second: one head record a second); seal every simulated minute. Times only the
 * store's calls, not the generation of the data. `counts`, when given, tallies the samples per host and
 * metric.
 */
async function ingest(sink: Sink, source: Source, snapshots: Iterable<Snapshot>, counts?: SampleCounts): Promise<IngestStats> {
  const stats: IngestStats = {
    samples: 0, snapshots: 0, flushes: 0, seals: 0, sealedWindows: 0, sealedSamples: 0,
    appendMs: 0, flushMs: 0, sealMs: 0, flushTimes: [], sealTimes: [], last: Number.NaN, wallMs: 0,
  };
  const wall = now();
  let second = Number.NaN;
  let minute = Number.NaN;
  let progressAt = wall;
  for (const snapshot of snapshots) {
    const s = Math.floor(snapshot.time / 1000);
    if (!(s <= second)) {
      if (sink.buffered > 0) flush(sink, stats);
      second = s;
      const m = Math.floor(snapshot.time / 60_000);
      if (sink.seal && !(m <= minute)) {
        if (!Number.isNaN(minute)) await seal(sink, stats, m * 60_000);
        minute = m;
      }
      if (stats.snapshots % 64 === 0 && now() - progressAt > 10_000) {
        progressAt = now();
        const store = stats.appendMs + stats.flushMs + stats.sealMs;
        process.stderr.write(`  … ${source.label}: ${spanText(snapshot.time - source.start)} of ${spanText(source.end - source.start)}, ` +
          `${formatCount(stats.samples)} samples, ${formatCount(stats.samples / (store / 1000))} samples/s\n`);
      }
    }
    const t = now();
    sink.append(snapshot);
    stats.appendMs += now() - t;
    stats.snapshots++;
    if (counts) count(counts, snapshot);
    stats.last = snapshot.time;
  }
  if (sink.buffered > 0) flush(sink, stats);
  stats.wallMs = now() - wall;
  return stats;
}

/** Samples appended, host → metric → count, for the per-metric breakdown of the blocks. */
type SampleCounts = Map<string, Map<string, number>>;

function count(counts: SampleCounts, snapshot: Snapshot): void {
  let metrics = counts.get(snapshot.host);
  if (!metrics) counts.set(snapshot.host, (metrics = new Map()));
  for (const s of snapshot.samples) {
    // The store keeps finite values only.
    if (Number.isFinite(s.value)) metrics.set(s.metric, (metrics.get(s.metric) ?? 0) + 1);
  }
}

function flush(sink: Sink, stats: IngestStats): void {
  const t = now();
  stats.samples += sink.flush();
  const ms = now() - t;
  stats.flushMs += ms;
  stats.flushTimes.push(ms);
  stats.flushes++;
}

async function seal(sink: Sink, stats: IngestStats, at: number): Promise<void> {
  const t = now();
  const result = await sink.seal!(at);
  const ms = now() - t;
  stats.sealMs += ms;
  stats.sealTimes.push(ms);
  stats.seals++;
  stats.sealedWindows += result.windows;
  stats.sealedSamples += result.samples;
}

// ---------------------------------------------------------------------------------------------------
// Queries

interface QueryFigures {
  range: number;
  p50: number;
  p95: number;
  /** Tier name → how many queries used it. */
  tiers: Map<string, number>;
  maxPoints: number;
  meanPoints: number;
  /** Queries that did not return exactly one series. */
  wrongSeries: number;
  /** Span of data the range could see, ms (less than the range when the data is shorter). */
  covered: number;
}

/** Matchers that select exactly `def` among the series of its metric on its host ('' = attribute absent). */
function exactMatchers(def: SeriesDef, all: readonly SeriesDef[]): Attributes {
  const keys = new Set<string>();
  for (const s of all) if (s.metric === def.metric) for (const k of Object.keys(s.attributes)) keys.add(k);
  const m: Record<string, string> = {};
  for (const k of keys) m[k] = def.attributes[k] ?? '';
  return m;
}

type Runner = (q: SampleQuery) => { tier: string; series: SeriesData[] };

/** `reps` queries of one random series of a random host of `hosts` over [to - range, to]. */
function benchQueries(run: Runner, hosts: Map<string, SeriesDef[]>, range: number, start: number, to: number, rng: Rng): QueryFigures {
  const names = [...hosts.keys()];
  const pickQuery = (): SampleQuery => {
    const host = rng.pick(names);
    const all = hosts.get(host)!;
    const def = rng.pick(all);
    return { host, metric: def.metric, matchers: exactMatchers(def, all), from: to - range, to, maxPoints: opts.points };
  };
  for (let i = 0; i < 3; i++) run(pickQuery()); // warm-up: JIT and statement caches
  const times: number[] = [];
  const tiers = new Map<string, number>();
  let maxPoints = 0;
  let points = 0;
  let wrongSeries = 0;
  for (let i = 0; i < opts.reps; i++) {
    const q = pickQuery();
    const t = now();
    const result = run(q);
    times.push(now() - t);
    tiers.set(result.tier, (tiers.get(result.tier) ?? 0) + 1);
    if (result.series.length !== 1) wrongSeries++;
    const n = result.series.reduce((a, s) => a + s.points.length, 0);
    points += n;
    maxPoints = Math.max(maxPoints, n);
  }
  return {
    range, p50: quantile(times, 0.5), p95: quantile(times, 0.95), tiers, maxPoints, meanPoints: points / opts.reps,
    // Within one poll of the range counts as covered: the last snapshot falls just short of the end.
    wrongSeries, covered: to - start + 2 * INTERVAL_MS >= range ? range : to - start,
  };
}

interface FleetFigures {
  hosts: number;
  series: number;
  p50: number;
  p95: number;
}

/** `reps` fleet overviews: the latest values of every host, timed as one. */
function benchFleet(latest: (host: string) => readonly unknown[], hosts: readonly string[]): FleetFigures {
  let series = 0;
  for (const h of hosts) series += latest(h).length; // warm-up, and the count
  const times: number[] = [];
  for (let i = 0; i < opts.reps; i++) {
    const t = now();
    for (const h of hosts) latest(h);
    times.push(now() - t);
  }
  return { hosts: hosts.length, series, p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

function describeQuery(f: QueryFigures): string {
  const tiers = [...f.tiers].map(([t, n]) => (f.tiers.size > 1 ? `${t}×${n}` : t)).join(' ');
  const cover = f.covered < f.range ? `, data covers ${spanText(f.covered)}` : '';
  const wrong = f.wrongSeries > 0 ? `, ${f.wrongSeries} queries did not return exactly 1 series` : '';
  return `${rangeName(f.range).padStart(5)}: p50 ${formatMs(f.p50)}, p95 ${formatMs(f.p95)}; tier ${tiers}; ` +
    `points mean ${f.meanPoints.toFixed(0)}, max ${f.maxPoints}${cover}${wrong}`;
}

// ---------------------------------------------------------------------------------------------------
// Phases

interface PhaseResult {
  name: string;
  samples: number;
  /** Database file size after the phase (after a TRUNCATE checkpoint), bytes. */
  dbBytes: number;
  /** What this phase added to the database file, bytes. */
  dbGrowth: number;
  /** What this phase added to the file's free pages (freed head records, not yet given back), bytes. */
  freeGrowth: number;
  wchar: number | null;
  writeBytes: number | null;
  /** Growth of database + WAL files over the phase, before the final checkpoint. */
  fileGrowth: number;
  ingest: IngestStats;
  queries: QueryFigures[];
  /** Measured before the final seal: the last hour still in the head. */
  liveQuery: QueryFigures | null;
  fleet: FleetFigures | null;
  breakdown: string[];
}

function checkpoint(db: Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/** Bytes of the database's free pages. */
function freeBytes(db: Database): number {
  return (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
}

/**
 * Per table and index, from the dbstat virtual table when SQLite has it; with `blobs`, also the
 * encoded bytes of the new store's tables.
 */
function breakdown(db: Database, samples: number, blobs = true): string[] {
  const out: string[] = [];
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  out.push(`pages: ${pages} × ${pageSize} B, ${free} free`);
  try {
    const rows = db.prepare<[], { name: string; bytes: number; payload: number }>(
      'SELECT name, sum(pgsize) AS bytes, sum(payload) AS payload FROM dbstat GROUP BY name ORDER BY bytes DESC').all();
    for (const r of rows.slice(0, 8)) {
      out.push(`${r.name}: ${formatBytes(r.bytes)} in pages (${formatPerSample(r.bytes, samples)}/sample), payload ${formatBytes(r.payload)}`);
    }
  } catch {
    out.push('(no dbstat table in this SQLite build)');
  }
  const blob = (label: string, sql: string) => {
    try {
      for (const r of db.prepare<[], { k: string | number | null; n: number; bytes: number | null }>(sql).all()) {
        out.push(`${label}${r.k === null ? '' : ` ${r.k}`}: ${r.n} rows, sum(length(data)) ${formatBytes(r.bytes ?? 0)} ` +
          `(${formatPerSample(r.bytes ?? 0, samples)}/sample)`);
      }
    } catch (error) {
      out.push(`${label}: ${(error as Error).message}`);
    }
  };
  if (!blobs) return out;
  blob('head', 'SELECT NULL AS k, count(*) AS n, sum(length(data)) AS bytes FROM head');
  blob('chunk_times', 'SELECT NULL AS k, count(*) AS n, sum(length(data)) AS bytes FROM chunk_times');
  blob('chunks tier', 'SELECT tier AS k, count(*) AS n, sum(length(data)) AS bytes FROM chunks GROUP BY tier ORDER BY tier');
  return out;
}

/**
 * `samplesBefore`: samples already in the database; 0 means it was empty, so all of it (schema, series,
 * free pages) counts for this phase.
 */
async function newStorePhase(store: Store, db: Database, file: string, source: Source, ranges: number[],
  name: string, rng: Rng, samplesBefore: number): Promise<PhaseResult> {
  const first = samplesBefore === 0;
  console.log(`\n== SampleStore: ${name} ==`);
  const dbBefore = first ? 0 : fileSize(file);
  const freeBefore = first ? 0 : freeBytes(db);
  const filesBefore = dbFilesSize(file);
  const ioBefore = procIo();
  const sink: Sink = { append: (s) => store.append(s), get buffered() { return store.buffered; }, flush: () => store.flush(),
    seal: (at) => store.seal(at, pause) };
  const stats = await ingest(sink, source, source.snapshots(), sampleCounts);
  const hosts = [...source.hosts.keys()];

  // While the last hour is still in the head, as a running engine has it.
  const fleet = benchFleet((h) => store.latest(h), hosts);
  const liveQuery = benchQueries((q) => store.query(q, stats.last), source.hosts, HOUR_MS, source.start, stats.last, rng);
  const head = breakdown(db, samplesBefore + stats.samples).filter((l) => l.startsWith('head'));

  // The engine keeps running past the end: every window ends and gets sealed.
  const finalNow = Math.ceil((stats.last + 1) / HOUR_MS) * HOUR_MS + SEAL_GRACE_MS + 1000;
  await seal(sink, stats, finalNow);
  const filesGrowth = dbFilesSize(file) - filesBefore;
  checkpoint(db);
  const ioAfter = procIo();
  const dbBytes = fileSize(file);

  const queries = ranges.map((r) => benchQueries((q) => store.query(q, finalNow), source.hosts, r, source.start, stats.last, rng));
  const result: PhaseResult = {
    name, samples: stats.samples, dbBytes, dbGrowth: dbBytes - dbBefore, freeGrowth: freeBytes(db) - freeBefore,
    wchar: ioBefore && ioAfter ? ioAfter.wchar - ioBefore.wchar : null,
    writeBytes: ioBefore && ioAfter ? ioAfter.writeBytes - ioBefore.writeBytes : null,
    fileGrowth: filesGrowth, ingest: stats, queries, liveQuery, fleet,
    breakdown: [
      `whole database, per sample of the ${formatCount(samplesBefore + stats.samples)} it holds:`,
      ...head.map((l) => `before the final seal: ${l}`),
      ...breakdown(db, samplesBefore + stats.samples),
    ],
  };
  printPhase(result);
  return result;
}

async function baselinePhase(file: string, source: Source, ranges: number[], name: string, rng: Rng): Promise<PhaseResult> {
  console.log(`\n== Old layout (one row per sample): ${name} ==`);
  const store = new BaselineStore(file);
  try {
    const ioBefore = procIo();
    const filesBefore = dbFilesSize(file);
    const stats = await ingest(store, source, source.snapshots());
    const filesGrowth = dbFilesSize(file) - filesBefore;
    checkpoint(store.db);
    const ioAfter = procIo();
    const dbBytes = fileSize(file);
    const hosts = [...source.hosts.keys()];
    const fleet = benchFleet((h) => store.latest(h), hosts);
    const run: Runner = (q) => ({ ...store.query(q), tier: 'raw rows (GROUP BY)' });
    // Only ranges the data covers: a 24 h query over 2 h of rows would read a twelfth of the rows.
    const queries = ranges.filter((r) => r <= stats.last - source.start + INTERVAL_MS)
      .map((r) => benchQueries(run, source.hosts, r, source.start, stats.last, rng));
    const result: PhaseResult = {
      name, samples: stats.samples, dbBytes, dbGrowth: dbBytes, freeGrowth: freeBytes(store.db),
      wchar: ioBefore && ioAfter ? ioAfter.wchar - ioBefore.wchar : null,
      writeBytes: ioBefore && ioAfter ? ioAfter.writeBytes - ioBefore.writeBytes : null,
      fileGrowth: filesGrowth, ingest: stats, queries, liveQuery: null, fleet, breakdown: breakdown(store.db, stats.samples, false),
    };
    printPhase(result);
    return result;
  } finally {
    store.close();
  }
}

function printPhase(r: PhaseResult): void {
  const s = r.ingest;
  const storeMs = s.appendMs + s.flushMs + s.sealMs;
  console.log(`samples stored: ${r.samples} (${s.snapshots} snapshots, ${s.flushes} flushes` +
    `${s.seals > 0 ? `, ${s.seals} seal calls sealing ${s.sealedWindows} windows of ${s.sealedSamples} samples` : ''})`);
  console.log(`store time: ${(storeMs / 1000).toFixed(1)} s (append ${(s.appendMs / 1000).toFixed(1)} s, flush ${(s.flushMs / 1000).toFixed(1)} s, ` +
    `seal ${(s.sealMs / 1000).toFixed(1)} s) of ${(s.wallMs / 1000).toFixed(1)} s wall with data generation → ` +
    `${formatCount(r.samples / (storeMs / 1000))} samples/s`);
  console.log(`flush: p50 ${formatMs(quantile(s.flushTimes, 0.5))}, p95 ${formatMs(quantile(s.flushTimes, 0.95))}, ` +
    `max ${formatMs(maxOf(s.flushTimes))}` +
    (s.sealTimes.length > 0 ? `; seal: p95 ${formatMs(quantile(s.sealTimes, 0.95))}, max ${formatMs(maxOf(s.sealTimes))}` : ''));
  console.log(`database: ${formatBytes(r.dbBytes)} after checkpoint; this phase added ${formatBytes(r.dbGrowth)} = ` +
    `${formatPerSample(r.dbGrowth, r.samples)}/sample`);
  if (r.wchar !== null) {
    console.log(`written: wchar ${formatBytes(r.wchar)} = ${formatPerSample(r.wchar, r.samples)}/sample; write_bytes ` +
      `${formatBytes(r.writeBytes!)} = ${formatPerSample(r.writeBytes!, r.samples)}/sample; db+wal growth before checkpoint ` +
      `${formatBytes(r.fileGrowth)}`);
  }
  for (const line of r.breakdown) console.log(`  ${line}`);
  // With --expose-gc, collect first so heap figures show what is live, not garbage.
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  console.log(`memory now: rss ${formatBytes(memory.rss)}, JS heap ${formatBytes(memory.heapUsed)} used of ` +
    `${formatBytes(memory.heapTotal)}, external ${formatBytes(memory.external)}`);
  if (r.fleet) {
    console.log(`fleet overview (latest of ${r.fleet.hosts} hosts, ${r.fleet.series} series): p50 ${formatMs(r.fleet.p50)}, ` +
      `p95 ${formatMs(r.fleet.p95)}`);
  }
  if (r.liveQuery) console.log(`query before the final seal (last hour in the head): ${describeQuery(r.liveQuery).trim()}`);
  for (const q of r.queries) console.log(`query ${describeQuery(q)}`);
}

/** Samples the new store was fed, over every phase (they share one database). */
const sampleCounts: SampleCounts = new Map();

/**
 * Sealed block bytes (sum(length(data)), no page overhead) per sample, per metric: tier 0 (raw values;
 * the timestamps are the host's chunk_times, shared by its series, shown per host) and the rollup tiers 1
 * and 2. With at most 4 hosts, tier 0 per host too (hosts polled at different intervals differ).
 */
function printPerMetric(db: Database, counts: SampleCounts): void {
  console.log('\n== Sealed blocks per metric (bytes per sample, whole database) ==');
  const rows = db.prepare<[], { host: string; metric: string; series: number; raw: number; rollup: number }>(`
    SELECT s.host, s.metric, count(DISTINCT c.series_id) AS series,
      sum(CASE WHEN c.tier = 0 THEN length(c.data) ELSE 0 END) AS raw,
      sum(CASE WHEN c.tier > 0 THEN length(c.data) ELSE 0 END) AS rollup
    FROM chunks c JOIN series s ON s.id = c.series_id GROUP BY s.host, s.metric`).all();
  const samplesOf = (host: string, metric: string) => counts.get(host)?.get(metric) ?? 0;
  const hosts = [...new Set(rows.map((r) => r.host))].sort();
  const perHost = hosts.length <= 4;
  type Sum = { series: number; samples: number; raw: number; rollup: number; hosts: Map<string, { samples: number; raw: number }> };
  const sums = new Map<string, Sum>();
  const all: Sum = { series: 0, samples: 0, raw: 0, rollup: 0, hosts: new Map() };
  for (const r of rows) {
    const n = samplesOf(r.host, r.metric);
    let sum = sums.get(r.metric);
    if (!sum) sums.set(r.metric, (sum = { series: 0, samples: 0, raw: 0, rollup: 0, hosts: new Map() }));
    for (const x of [sum, all]) {
      x.series += r.series;
      x.samples += n;
      x.raw += r.raw;
      x.rollup += r.rollup;
      const h = x.hosts.get(r.host) ?? { samples: 0, raw: 0 };
      x.hosts.set(r.host, { samples: h.samples + n, raw: h.raw + r.raw });
    }
  }
  const line = (name: string, x: Sum) => [name, String(x.series), formatCount(x.samples), formatPerSample(x.raw, x.samples),
    formatPerSample(x.rollup, x.samples), ...(perHost ? hosts.map((h) => {
      const v = x.hosts.get(h);
      return v ? formatPerSample(v.raw, v.samples) : '–';
    }) : [])];
  printTable(['metric', 'series', 'samples', 'raw (tier 0) / sample', 'rollups (tiers 1, 2) / sample', ...(perHost ? hosts.map((h) => `raw on ${h}`) : [])],
    [...[...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([metric, x]) => line(metric, x)), line('all metrics', all)]);
  if (hosts.length > 8) return;
  const times = new Map(db.prepare<[], { host: string; bytes: number }>('SELECT host, sum(length(data)) AS bytes FROM chunk_times GROUP BY host')
    .all().map((r) => [r.host, r.bytes]));
  console.log('');
  printTable(['host', 'samples', 'raw values / sample', 'timestamps (chunk_times) / sample', 'raw total / sample'], hosts.map((h) => {
    const v = all.hosts.get(h)!;
    const t = times.get(h) ?? 0;
    return [h, formatCount(v.samples), formatPerSample(v.raw, v.samples), formatPerSample(t, v.samples), formatPerSample(v.raw + t, v.samples)];
  }));
}

// ---------------------------------------------------------------------------------------------------
// Prometheus, for comparison

function which(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  return null;
}

/** promtool's blocks of `file`: bytes per sample, or why not. */
function promtool(file: string | undefined, samples: number, dir: string): string {
  const tool = which('promtool');
  if (!tool) return 'skipped: promtool is not on PATH';
  if (file === undefined) return 'skipped: pass --write-openmetrics FILE (or --from FILE) to give promtool the same data';
  const out = path.join(dir, 'promtool-blocks');
  fs.rmSync(out, { recursive: true, force: true });
  const argv = ['tsdb', 'create-blocks-from', 'openmetrics', file, out];
  console.log(`\n== promtool ${argv.join(' ')} ==`);
  const t = now();
  const run = spawnSync(tool, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    const tail = `${run.stderr ?? ''}${run.stdout ?? ''}`.trim().split('\n').slice(-5).join('\n');
    return `failed (exit ${run.status}): ${tail}${opts.prometheusNames ? '' : '\n(older promtool reads only classic names: try --prometheus-names)'}`;
  }
  const total = dirSize(out);
  const chunks = dirSize(out, (f) => f.split(path.sep).includes('chunks'));
  return `${formatPerSample(total, samples)}/sample all files (${formatBytes(total)}), ${formatPerSample(chunks, samples)}/sample ` +
    `in chunks, for ${formatCount(samples)} samples, in ${((now() - t) / 1000).toFixed(0)} s (2 h blocks, uncompacted)`;
}

// ---------------------------------------------------------------------------------------------------
// Run

const dir = args.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-bench-'));
fs.mkdirSync(dir, { recursive: true });
const storeFile = path.join(dir, 'store.db');
const baselineFile = path.join(dir, 'baseline.db');
for (const f of [storeFile, baselineFile]) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(f + suffix, { force: true });

console.log(`Data directory: ${dir}${args.dir ? '' : ' (removed at the end)'}`);
if (fileScan) {
  console.log(`Workload: ${opts.from}`);
} else {
  const expected = (hosts: number, ms: number) => hosts * SERIES_PER_HOST * (ms / INTERVAL_MS);
  console.log(`Workload (seed ${opts.seed}): ${opts.hosts} hosts × ${SERIES_PER_HOST} series every ${INTERVAL_MS / 1000} s ` +
    `(jitter ±tens of ms) for ${spanText(main.end - main.start)} ≈ ${formatCount(expected(opts.hosts, main.end - main.start))} samples` +
    (long ? `; then ${opts.longHosts} hosts for ${spanText(long.end - long.start)} ≈ ${formatCount(expected(opts.longHosts, long.end - long.start))} ` +
      'samples in the same database (no retention pass: every tier kept)' : ''));
}
console.log(`Engine loop: append each snapshot, flush() once per simulated second, seal(now) every simulated minute, ` +
  `final seal once the last window ended (+${SEAL_GRACE_MS / 60_000} min grace).`);

let writtenOpenMetrics: { file: string; samples: number } | null = null;
if (opts.writeOpenMetrics !== undefined && fileScan) console.log('--write-openmetrics is ignored with --from (the data is a file already).');
if (opts.writeOpenMetrics !== undefined && !fileScan) {
  const t = now();
  const writer = new OpenMetricsWriter(opts.writeOpenMetrics, { prometheusNames: opts.prometheusNames });
  for (const source of [main, long]) if (source) for (const s of source.snapshots()) writer.write(s);
  writer.close();
  writtenOpenMetrics = { file: opts.writeOpenMetrics, samples: writer.samples };
  console.log(`Wrote ${formatCount(writer.samples)} samples to ${opts.writeOpenMetrics} (${formatBytes(fileSize(opts.writeOpenMetrics))}) ` +
    `in ${((now() - t) / 1000).toFixed(1)} s`);
}

const rng = new Rng(opts.seed ^ 0x51ed270b);
const results: PhaseResult[] = [];
const db = openDatabase(storeFile);
const store: Store = new SampleStore(db);
const mainName = fileScan ? 'the file' : `${opts.hosts} hosts × ${spanText(main.end - main.start)}`;
results.push(await newStorePhase(store, db, storeFile, main, mainRanges, mainName, rng, 0));
if (long) {
  results.push(await newStorePhase(store, db, storeFile, long, longRanges, `${opts.longHosts} hosts × ${spanText(long.end - long.start)}`, rng, results[0]!.samples));
}
const totalBytes = fileSize(storeFile);
printPerMetric(db, sampleCounts);
const totalSamples = results.reduce((n, r) => n + r.samples, 0);
db.close();

let baselineResult: PhaseResult | null = null;
if (baseline) {
  const name = fileScan ? `the file's first ${spanText(baseline.end - baseline.start)}` :
    `${opts.hosts} hosts × ${spanText(baseline.end - baseline.start)} (the first part of the main run only: it is slow)`;
  baselineResult = await baselinePhase(baselineFile, baseline, mainRanges, name, rng);
}

const promFile = fileScan ? opts.from : writtenOpenMetrics?.file;
const promSamples = fileScan ? fileScan.samples : writtenOpenMetrics?.samples ?? 0;
const prometheus = promtool(promFile, promSamples, dir);

// The summary table: one column per phase.
const columns = [...results, ...(baselineResult ? [baselineResult] : [])];
const header = ['', ...results.map((r) => `new: ${r.name}`), ...(baselineResult ? [`old layout: ${fileScan ? 'file' : `${spanText(baseline!.end - baseline!.start)}`}`] : []), 'target'];
const row = (label: string, cell: (r: PhaseResult) => string, target = '') => [label, ...columns.map(cell), target];
const queryCell = (range: number, f: (q: QueryFigures) => string) => (r: PhaseResult) => {
  const q = r.queries.find((x) => x.range === range);
  return q ? f(q) : '–';
};
const ranges = [...new Set([...mainRanges, ...longRanges])];
const rows = [
  row('samples stored', (r) => formatCount(r.samples)),
  row('bytes on disk / sample', (r) => formatPerSample(r.dbGrowth, r.samples), '≤ 1.5 B'),
  row('  pages in use only', (r) => formatPerSample(r.dbGrowth - r.freeGrowth, r.samples)),
  row('written / sample (wchar)', (r) => (r.wchar === null ? '–' : formatPerSample(r.wchar, r.samples)), '≤ 50 B'),
  row('written / sample (write_bytes)', (r) => (r.writeBytes === null ? '–' : formatPerSample(r.writeBytes, r.samples))),
  row('db size after phase', (r) => formatBytes(r.dbBytes)),
  row('ingest (append+flush+seal)', (r) => `${formatCount(r.samples / ((r.ingest.appendMs + r.ingest.flushMs + r.ingest.sealMs) / 1000))}/s`, '≥ 200 k/s'),
  row('flush p95', (r) => formatMs(quantile(r.ingest.flushTimes, 0.95))),
  row('seal max', (r) => (r.ingest.sealTimes.length ? formatMs(maxOf(r.ingest.sealTimes)) : '–')),
  ...ranges.flatMap((range) => [
    row(`query ${rangeName(range)} p50 / p95`, queryCell(range, (q) => `${formatMs(q.p50)} / ${formatMs(q.p95)}`), '≤ 20 ms'),
    row(`  tier`, queryCell(range, (q) => [...q.tiers.keys()].join('+'))),
  ]),
  row('query 1 h, live head p50 / p95', (r) => (r.liveQuery ? `${formatMs(r.liveQuery.p50)} / ${formatMs(r.liveQuery.p95)}` : '–')),
  row('fleet overview p50 / p95', (r) => (r.fleet ? `${formatMs(r.fleet.p50)} / ${formatMs(r.fleet.p95)}` : '–'), '≤ 5 ms'),
  row('  hosts / series', (r) => (r.fleet ? `${r.fleet.hosts} / ${r.fleet.series}` : '–')),
];
console.log('\n== Summary ==');
printTable(header, rows);
console.log(`\nnew store database: ${formatBytes(totalBytes)} for ${formatCount(totalSamples)} samples = ` +
  `${formatPerSample(totalBytes, totalSamples)}/sample overall (all tiers, series, indexes, free pages)`);
if (baselineResult) {
  console.log(`old layout: fed ${spanText(baseline!.end - baseline!.start)} only; its per-sample figures are for that slice ` +
    '(its B-tree grows with history, so longer runs only get slower per sample). Values stored exactly (REAL); the new store ' +
    'keeps the codec\'s per-unit precision.');
}
console.log(`Prometheus (promtool): ${prometheus}`);
console.log(`peak RSS: ${formatBytes(process.resourceUsage().maxRSS * 1024)}`);
if (!args.dir) fs.rmSync(dir, { recursive: true, force: true });
