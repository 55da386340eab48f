/**
 * kill -9 during heavy ingest, many times at random moments, against one database file that every round
 * continues: after each kill the database opens, `PRAGMA integrity_check` says ok, every batch the worker
 * acknowledged (flush returned) is there with the values it wrote, and nothing is there beyond them but
 * at most the one batch that was being flushed when the kill landed (whole or not at all).
 *
 * The worker (test/support/ingest-worker.ts) is a real process on the real store; the fleet and its values
 * are deterministic (test/support/ingest-data.ts), so this side recomputes every sample. Kills land during
 * ingest, during the start (open and head replay), and on purpose inside seals (head → chunks).
 * STORE_CRASH_SEED=N repeats a run's random moments; STORE_CRASH_ROUNDS=N changes the number of rounds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../electron/core/store/database.ts';
import { SampleStore } from '../../electron/core/store/samples.ts';
import { precisionOf, quantize } from '../../electron/core/store/codec.ts';
import { seriesKey, type Attributes } from '../../shared/metrics.ts';
import {
  HOSTS, HOUR_MS, METRIC_NAMES, SERIES, T0, gridOf, nextGrid, timeOf, valueOf,
} from '../support/ingest-data.ts';

const WORKER = path.resolve(import.meta.dirname, '../support/ingest-worker.ts');
const ROUNDS = Number(process.env.STORE_CRASH_ROUNDS ?? 12);
const SEED = Number(process.env.STORE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
/**
 * The expected value is what the worker wrote, quantized as the store keeps it (ingest-data.ts picks
 * values quantization leaves alone, so this is checked close to exactly).
 */
const RELATIVE_TOLERANCE = 1e-9;
/** Hours per query: with maxPoints = seconds in the window, every bucket is 1 s and holds one sample. */
const QUERY_WINDOW_MS = 6 * HOUR_MS;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

type Plan =
  /** Killed while it starts: opening, migrating, replaying the head. */
  | { kind: 'startup'; delayMs: number }
  /** Killed this long after it said `start`: mid-ingest (or mid-seal by chance). */
  | { kind: 'ingest'; delayMs: number }
  /**
   * Killed inside a seal that has an hour window to move: at the first `sealing … 1` line after 100 ms,
   * delayFraction × the last such seal's duration later (at once before any was timed).
   */
  | { kind: 'seal'; delayFraction: number };

interface Run {
  start: number | null;
  acks: number[];
  sealedWindows: number;
  /** ms of each seal that moved at least one window. */
  sealMs: number[];
  lastLine: string;
  startupMs: number | null;
  stderr: string;
}

/** Runs the worker on `file` and kills it with SIGKILL according to `plan`; resolves once it is dead and its output read. */
function runAndKill(file: string, plan: Plan, lastSealMs: number): Promise<Run> {
  const child = spawn(process.execPath, [WORKER, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  const spawnedAt = performance.now();
  const run: Run = { start: null, acks: [], sealedWindows: 0, sealMs: [], lastLine: '', startupMs: null, stderr: '' };
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    child.kill('SIGKILL');
  };
  const timers: NodeJS.Timeout[] = [];
  const later = (ms: number, fn: () => void) => timers.push(setTimeout(fn, ms));
  // Whatever happens, no worker outlives 30 s.
  later(30_000, kill);
  if (plan.kind === 'startup') later(plan.delayMs, kill);
  let armedForSeal = false;

  child.stderr.on('data', (chunk: Buffer) => { run.stderr += chunk.toString(); });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    run.lastLine = line;
    const [word, ...args] = line.split(' ');
    const n = args.map(Number);
    switch (word) {
      case 'start':
        run.start = n[0]!;
        run.startupMs = performance.now() - spawnedAt;
        if (plan.kind === 'ingest') later(plan.delayMs, kill);
        if (plan.kind === 'seal') {
          later(100, () => { armedForSeal = true; });
          later(5000, kill); // no seal with work came: kill anyway
        }
        break;
      case 'ack':
        run.acks.push(n[0]!);
        break;
      case 'sealing':
        if (plan.kind === 'seal' && armedForSeal && n[1] === 1) {
          const delay = plan.delayFraction * lastSealMs;
          if (delay < 1) kill();
          else later(delay, kill);
        }
        break;
      case 'sealed':
        run.sealedWindows += n[1]!;
        if (n[1]! > 0) run.sealMs.push(n[3]!);
        break;
      default:
        run.stderr += `unexpected line from the worker: ${line}\n`;
    }
  });
  const linesDone = new Promise<void>((resolve) => lines.once('close', resolve));
  return new Promise((resolve, reject) => {
    child.once('exit', async (code, signal) => {
      for (const timer of timers) clearTimeout(timer);
      await linesDone;
      if (signal !== 'SIGKILL' || !killed) {
        reject(new Error(`the worker ended by itself (code ${code}, signal ${signal}):\n${run.stderr}`));
      } else resolve(run);
    });
  });
}

/** Every point the store returns for host `h`: series key → (bucket time → value), from raw 1 s buckets. */
function readAll(store: SampleStore, host: string, from: number, to: number, now: number): Map<string, Map<number, number>> {
  const found = new Map<string, Map<number, number>>();
  for (let start = from; start <= to; start += QUERY_WINDOW_MS) {
    const end = start + QUERY_WINDOW_MS - 1;
    for (const metric of METRIC_NAMES) {
      const result = store.query({ host, metric, from: start, to: end, maxPoints: QUERY_WINDOW_MS / 1000 }, now);
      assert.equal(result.step, 1000, `a ${QUERY_WINDOW_MS / HOUR_MS} h query at maxPoints 1 per s has 1 s buckets`);
      assert.equal(result.tier, 'raw');
      for (const series of result.series) {
        const key = SERIES.find((s) => s.metric === series.metric &&
          JSON.stringify(Object.entries(s.attributes).sort()) === JSON.stringify(Object.entries(series.attributes).sort()))?.key;
        assert.ok(key, `${host} has a series nobody wrote: ${series.metric} ${JSON.stringify(series.attributes)}`);
        let points = found.get(key);
        if (!points) found.set(key, (points = new Map()));
        for (const p of series.points) {
          if (p.min !== p.avg || p.max !== p.avg) {
            assert.fail(`${host} ${key} has more than one sample in the 1 s bucket at ${iso(p.t)}: ${JSON.stringify(p)}`);
          }
          if (points.has(p.t)) assert.fail(`${host} ${key}: two points at ${iso(p.t)}`);
          points.set(p.t, p.avg);
        }
      }
    }
  }
  return found;
}

/** What the store keeps of the value series `s` of host `h` had at grid point `g`. */
function expectedValue(h: number, s: number, g: number): number {
  return quantize(valueOf(h, s, g), precisionOf(SERIES[s]!.metric));
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/**
 * Compares the 1-minute buckets of host `h` (min, max, avg per minute) with the same computed from the
 * values written at `grids`. Rollups keep min and max as samples are kept and the average rounded to the
 * metric's precision, so averages are compared to that precision.
 */
function checkMinutes(store: SampleStore, round: number, h: number, grids: readonly number[], from: number,
  last: number, now: number): void {
  const host = HOSTS[h]!;
  for (let s = 0; s < SERIES.length; s++) {
    const expected = new Map<number, { min: number; max: number; sum: number; count: number }>();
    for (const g of grids) {
      const v = expectedValue(h, s, g);
      const minute = g - (g % 60_000);
      const m = expected.get(minute);
      if (!m) expected.set(minute, { min: v, max: v, sum: v, count: 1 });
      else {
        m.min = Math.min(m.min, v);
        m.max = Math.max(m.max, v);
        m.sum += v;
        m.count++;
      }
    }
    const { metric, attributes, key } = SERIES[s]!;
    const precision = precisionOf(metric);
    const found = new Map<number, { min: number; max: number; avg: number }>();
    for (let start = from; start <= last; start += QUERY_WINDOW_MS) {
      const result = store.query({ host, metric, matchers: attributesOrAbsent(metric, attributes), from: start,
        to: start + QUERY_WINDOW_MS - 1, maxPoints: QUERY_WINDOW_MS / 60_000 }, now);
      assert.equal(result.tier, '1m');
      assert.equal(result.step, 60_000);
      const series = result.series.find((x) => seriesKey(x.metric, x.attributes) === key);
      for (const p of series?.points ?? []) found.set(p.t, p);
    }
    const wrong: string[] = [];
    for (const [minute, want] of expected) {
      const got = found.get(minute);
      const avg = want.sum / want.count;
      const avgSlack = 0.5 * 10 ** (1 - precision.digits) * Math.abs(avg) + 0.5 * 10 ** precision.minExponent;
      if (!got || got.min !== want.min || got.max !== want.max || Math.abs(got.avg - avg) > avgSlack * (1 + 1e-9)) {
        wrong.push(`${iso(minute)}: ${JSON.stringify(got)}, written min ${want.min} max ${want.max} avg ${avg} ` +
          `(${want.count} samples)`);
      }
    }
    for (const minute of found.keys()) if (!expected.has(minute)) wrong.push(`${iso(minute)}: a minute never written`);
    if (wrong.length) {
      assert.fail(`round ${round}: ${host} ${key}: ${wrong.length} wrong 1-minute buckets, first: ${wrong.slice(0, 3).join('; ')}`);
    }
  }
}

/** Matchers that select exactly the series with `attributes` among those of `metric` in SERIES. */
function attributesOrAbsent(metric: string, attributes: Attributes): Attributes {
  const matchers: Record<string, string> = {};
  for (const s of SERIES) if (s.metric === metric) for (const k of Object.keys(s.attributes)) matchers[k] = '';
  return { ...matchers, ...attributes };
}

/**
 * Checks the database after a kill. `durable`: every grid point acknowledged so far, or found after an
 * earlier kill (ascending). `candidate`: the one grid point that may have been flushed without its ack.
 * Returns whether the candidate is in the database (then it is durable from now on).
 */
function verify(file: string, round: number, durable: readonly number[], candidate: number): boolean {
  const db = openDatabase(file);
  try {
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }], `round ${round}: integrity_check`);
    const store = new SampleStore(db);
    const durableSet = new Set(durable);
    const last = Math.max(candidate, durable.at(-1) ?? -Infinity);
    // Queries at the simulated time, so every range is within raw retention.
    const now = last + HOUR_MS;
    const from = Math.floor(T0 / HOUR_MS) * HOUR_MS;
    let candidateSeen = 0;
    for (let h = 0; h < HOSTS.length; h++) {
      const host = HOSTS[h]!;
      const found = readAll(store, host, from, last, now);
      // Nothing in the day before the first or after the last grid point that can exist (raw, 1 s buckets).
      for (const [lo, hi] of [[from - 86_400_000, from - 1], [last + 1000, last + 86_400_000]] as const) {
        for (const metric of METRIC_NAMES) {
          const result = store.query({ host, metric, from: lo, to: hi, maxPoints: 86_400 }, now);
          assert.equal(result.tier, 'raw');
          const stray = result.series.filter((s) => s.points.length > 0);
          assert.deepEqual(stray.map((s) => s.points.map((p) => iso(p.t))), [],
            `round ${round}: ${host} ${metric} has samples in ${iso(lo)}…${iso(hi)}`);
        }
      }
      for (let s = 0; s < SERIES.length; s++) {
        const key = SERIES[s]!.key;
        const points = found.get(key) ?? new Map<number, number>();
        // 1 s buckets start at whole seconds; a snapshot is < 80 ms after its grid point, a whole second.
        const missing = durable.filter((g) => !points.has(g));
        assert.deepEqual(missing.slice(0, 5).map(iso), [],
          `round ${round}: ${host} ${key} lost ${missing.length} acknowledged samples (first ones shown) ` +
          `of ${durable.length}`);
        for (const [t, value] of points) {
          const g = gridOf(t);
          // (Messages are built only on failure: this runs for millions of samples.)
          if (t !== g) assert.fail(`round ${round}: ${host} ${key}: a bucket at ${iso(t)} is not on the grid`);
          if (g === candidate && !durableSet.has(g)) candidateSeen++;
          else if (!durableSet.has(g)) {
            assert.fail(`round ${round}: ${host} ${key} has a sample at ${iso(t)}, never written or beyond the ` +
              `batch in flight (${iso(candidate)})`);
          }
          const want = expectedValue(h, s, g);
          if (!close(value, want)) assert.fail(`round ${round}: ${host} ${key} at ${iso(t)}: ${value}, written ${want}`);
        }
      }
    }
    const all = HOSTS.length * SERIES.length;
    assert.ok(candidateSeen === 0 || candidateSeen === all,
      `round ${round}: the batch in flight at ${iso(candidate)} is partly there (${candidateSeen} of ${all} samples)`);
    const newest = candidateSeen ? candidate : durable.at(-1);
    if (newest !== undefined) {
      for (let h = 0; h < HOSTS.length; h++) {
        const latest = store.latest(HOSTS[h]!);
        assert.equal(latest.length, SERIES.length, `round ${round}: latest(${HOSTS[h]}) has every series`);
        for (const sample of latest) {
          const s = SERIES.findIndex((x) => x.metric === sample.metric &&
            JSON.stringify(Object.entries(x.attributes).sort()) === JSON.stringify(Object.entries(sample.attributes).sort()));
          assert.ok(s >= 0);
          assert.equal(sample.t, timeOf(h, newest), `round ${round}: latest(${HOSTS[h]}) ${SERIES[s]!.key} time`);
          assert.ok(close(sample.value, expectedValue(h, s, newest)),
            `round ${round}: latest(${HOSTS[h]}) ${SERIES[s]!.key}: ${sample.value}, written ${valueOf(h, s, newest)}`);
        }
      }
    }
    // The 1-minute tier (rollups once sealed, the head before) agrees with the samples: a kill during a
    // seal neither drops nor double-counts samples in the rollups.
    const grids = candidateSeen ? [...durable, candidate] : [...durable];
    for (let h = 0; h < HOSTS.length; h++) checkMinutes(store, round, h, grids, from, last, now);
    // A sealed window has its rollups: a kill never leaves raw chunks without their 1-minute tier.
    const orphans = db.prepare(`
      SELECT count(*) FROM chunks a WHERE a.tier = 0 AND NOT EXISTS (
        SELECT 1 FROM chunks b WHERE b.series_id = a.series_id AND b.tier = 1 AND b.start = a.start)`).pluck().get();
    assert.equal(orphans, 0, `round ${round}: raw chunks without 1-minute rollups`);
    return candidateSeen > 0;
  } finally {
    db.close();
  }
}

test(`kill -9 during heavy ingest, ${ROUNDS} times at random moments: integrity ok, nothing acknowledged lost, at most the batch in flight extra`, async (t) => {
  t.diagnostic(`seed ${SEED} (STORE_CRASH_SEED=${SEED} repeats these moments)`);
  const random = prng(SEED);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-crash-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'hostwatch.db');

  const durable: number[] = [];
  let startupMs = 300;
  let lastSealMs = 0;
  let sealedWindows = 0;
  let killedInSeal = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const plan: Plan =
      round % 4 === 3 ? { kind: 'seal', delayFraction: random() * 0.5 }
      // Round 0 too: a kill while the new database is being created and migrated.
      : round % 6 === 0 ? { kind: 'startup', delayMs: random() * startupMs }
      : { kind: 'ingest', delayMs: 100 + random() * 1400 };
    const runStarted = performance.now();
    const run = await runAndKill(file, plan, lastSealMs);
    const runMs = performance.now() - runStarted;
    if (run.startupMs !== null) startupMs = run.startupMs;
    if (run.sealMs.length) lastSealMs = run.sealMs.at(-1)!;
    sealedWindows += run.sealedWindows;
    const inSeal = /^sealing \d+ 1$/.test(run.lastLine);
    if (inSeal) killedInSeal++;

    // The worker resumed right after the newest durable batch and acknowledged a gapless sequence.
    const expectedStart = durable.length ? nextGrid(durable.at(-1)!) : T0;
    if (run.start !== null) assert.equal(run.start, expectedStart, `round ${round}: the worker resumed at the wrong time`);
    let expected = expectedStart;
    for (const ack of run.acks) {
      assert.equal(ack, expected, `round ${round}: acknowledgements out of sequence`);
      expected = nextGrid(expected);
    }
    durable.push(...run.acks);
    const candidate = expected;

    const verifyStarted = performance.now();
    let inFlightLanded: boolean;
    try {
      inFlightLanded = verify(file, round, durable, candidate);
    } catch (error) {
      t.diagnostic(`round ${round} failed after a ${plan.kind} kill; the worker's last line was "${run.lastLine}", ` +
        `${run.acks.length} batches acknowledged this round (last ${run.acks.length ? iso(run.acks.at(-1)!) : '-'}), ` +
        `${durable.length} in all`);
      throw error;
    }
    const verifyMs = performance.now() - verifyStarted;
    if (inFlightLanded) durable.push(candidate);
    t.diagnostic(`round ${round}: ${plan.kind} kill after ${runMs.toFixed(0)} ms ` +
      `(started in ${run.startupMs === null ? '-' : run.startupMs.toFixed(0)} ms), ${run.acks.length} batches ` +
      `acknowledged, ${run.sealedWindows} windows sealed, last line "${run.lastLine}"` +
      `${inFlightLanded ? ', the unacknowledged batch in flight was kept' : ''}; checked in ${verifyMs.toFixed(0)} ms`);
  }

  // The run did what it claims: heavy ingest, seals that moved data, kills inside seals.
  const samples = durable.length * HOSTS.length * SERIES.length;
  t.diagnostic(`${durable.length} batches (${samples} samples) durable, ${sealedWindows} windows sealed, ` +
    `${killedInSeal} kills inside a seal`);
  assert.ok(durable.length >= 500, `only ${durable.length} batches were ingested in ${ROUNDS} rounds`);
  assert.ok(sealedWindows > 0, 'no seal moved a window to chunks');
  assert.ok(killedInSeal > 0, 'no kill landed inside a seal with work to do');
  const db = openDatabase(file);
  try {
    assert.ok((db.prepare('SELECT count(*) FROM chunks WHERE tier = 0').pluck().get() as number) > 0);
  } finally {
    db.close();
  }
});
