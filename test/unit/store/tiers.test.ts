/**
 * SampleStore against a brute-force model of what was appended: random samples for a few hosts over
 * several hours (out of order, duplicated, with gaps, NaN and ±Infinity), flushed, sealed with a random
 * `now` and reopened at random points; raw and rollup queries and latest() checked against the model.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { Point, Sample } from '../../../shared/api.ts';
import { seriesKey, type Attributes } from '../../../shared/metrics.ts';
import { precisionOf, quantize, type Precision } from '../../../electron/core/store/codec.ts';
import { openDatabase, type Database } from '../../../electron/core/store/database.ts';
import { SEAL_GRACE_MS, SampleStore, type QueryResult, type SampleQuery } from '../../../electron/core/store/samples.ts';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Four hours before a UTC midnight, so the runs cross a day (and a 1-hour rollup block). */
const START = Date.UTC(2026, 3, 9, 20);

/** A small deterministic PRNG (mulberry32): a fast-check seed drives a whole simulated history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SeriesSpec {
  metric: string;
  attributes: Attributes;
  value: (rng: () => number, t: number) => number;
}

/** Series shaped like real ones: ratios, bursty byte rates with runs of zeros, load averages, counts, an exporter's gauge. */
const SERIES: SeriesSpec[] = [
  { metric: 'system.cpu.utilization', attributes: {}, value: (r) => r() },
  { metric: 'system.cpu.utilization', attributes: { 'cpu.logical_number': '0' }, value: (r) => r() * r() },
  {
    metric: 'system.network.io', attributes: { 'system.device': 'eth0', 'network.io.direction': 'receive' },
    value: (r, t) => ((t / MINUTE) % 7 < 3 ? 0 : r() < 0.1 ? r() * 1.25e9 : r() * 20_000),
  },
  { metric: 'system.cpu.load_average.1m', attributes: {}, value: (r, t) => Math.round((2 + Math.sin(t / HOUR) + r()) * 100) / 100 + r() * 1e-3 },
  { metric: 'system.process.count', attributes: {}, value: (r) => 100 + Math.floor(r() * 300) },
  // Five orders of magnitude, both signs (wider ones within an hour hit the float64 fallback; codec.test.ts).
  { metric: 'exporter.queue.depth', attributes: { queue: 'a"b' }, value: (r) => (r() < 0.2 ? 0 : (r() < 0.3 ? -1 : 1) * 10 ** (r() * 5 - 2)) },
];
const HOSTS = ['alpha', 'beta', 'gamma'];

/** One append of one sample, and whether it survives a reopen (flushed, or sealed into blocks). */
interface Entry {
  t: number;
  v: number;
  flushed: boolean;
  sealed: boolean;
}

interface ModelSeries {
  host: string;
  metric: string;
  attributes: Attributes;
  key: string;
  precision: Precision;
  entries: Entry[];
  /** Written to the series table by a flush: sealable, and it outlives a reopen. */
  hasId: boolean;
  /** Known to the open store: has an id, or was appended since the store opened. */
  known: boolean;
}

class Model {
  readonly series = new Map<string, ModelSeries>();
  sealedBefore = 0;

  get(host: string, metric: string, attributes: Attributes): ModelSeries {
    const key = `${host} ${seriesKey(metric, attributes)}`;
    let s = this.series.get(key);
    if (!s) {
      s = { host, metric, attributes, key: seriesKey(metric, attributes), precision: precisionOf(metric), entries: [], hasId: false, known: false };
      this.series.set(key, s);
    }
    return s;
  }

  append(host: string, t: number, samples: Sample[]): void {
    for (const sample of samples) {
      if (!Number.isFinite(sample.value)) continue;
      const s = this.get(host, sample.metric, sample.attributes);
      s.known = true;
      s.entries.push({ t, v: quantize(sample.value, s.precision), flushed: false, sealed: false });
    }
  }

  flush(): void {
    for (const s of this.series.values()) {
      if (!s.known) continue;
      s.hasId = true;
      for (const e of s.entries) e.flushed = true;
    }
  }

  seal(now: number): void {
    const cutoff = Math.floor((now - SEAL_GRACE_MS) / HOUR) * HOUR;
    for (const s of this.series.values()) {
      if (!s.hasId) continue;
      for (const e of s.entries) if (e.t < cutoff) e.sealed = true;
    }
    this.sealedBefore = Math.max(this.sealedBefore, cutoff);
  }

  reopen(): void {
    for (const s of this.series.values()) {
      s.entries = s.entries.filter((e) => e.flushed || e.sealed);
      s.known = s.hasId;
    }
  }

  /** What a raw query shows: the last value appended at each time. */
  raw(s: ModelSeries): [number, number][] {
    const byT = new Map<number, number>();
    for (const e of s.entries) byT.set(e.t, e.v);
    return [...byT].sort((a, b) => a[0] - b[0]);
  }

  /**
   * What the rollup tiers show: sealed samples before the sealed watermark (a late sample reaches the
   * rollups when it is sealed), every sample from it on.
   */
  rolledUp(s: ModelSeries): [number, number][] {
    const byT = new Map<number, number>();
    for (const e of s.entries) if (e.t >= this.sealedBefore || e.sealed) byT.set(e.t, e.v);
    return [...byT].sort((a, b) => a[0] - b[0]);
  }

  of(host: string, metric: string): ModelSeries[] {
    return [...this.series.values()]
      .filter((s) => s.known && s.host === host && s.metric === metric)
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }
}

/** The snapshot time of `host` at second `sec`: tens of ms of jitter, the same for every resend. */
function timeOf(host: string, sec: number): number {
  let h = sec;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x9e3779b1);
  return sec * SECOND + ((h >>> 0) % 100);
}

function bucketize(samples: [number, number][], origin: number, step: number): (Point & { n: number })[] {
  const buckets = new Map<number, number[]>();
  for (const [t, v] of samples) {
    const i = Math.floor((t - origin) / step);
    let b = buckets.get(i);
    if (!b) buckets.set(i, (b = []));
    b.push(v);
  }
  return [...buckets].sort((a, b) => a[0] - b[0]).map(([i, vs]) => ({
    t: origin + i * step, avg: vs.reduce((a, b) => a + b, 0) / vs.length, min: Math.min(...vs), max: Math.max(...vs), n: vs.length,
  }));
}

/** Half a unit of the last digit `p` keeps at the magnitude of `x`: how far a stored rollup avg may be off. */
function avgTolerance(x: number, p: Precision): number {
  if (x === 0) return 1e-300;
  const magnitude = Number(Math.abs(x).toExponential().split('e')[1]);
  return 0.5 * 10 ** Math.max(magnitude - p.digits + 1, p.minExponent) * (1 + 1e-9) + Math.abs(x) * 1e-12;
}

const RESOLUTION = { '1m': MINUTE, '1h': HOUR } as const;

/** The tier the documented rule picks when retention does not interfere. */
function expectedTier(q: SampleQuery): { tier: 'raw' | '1m' | '1h'; rawStep: number } {
  const rawStep = SECOND * Math.max(1, Math.ceil((q.to - q.from + 1) / (q.maxPoints * SECOND)));
  return { tier: HOUR <= rawStep * 1.5 ? '1h' : MINUTE <= rawStep * 1.5 ? '1m' : 'raw', rawStep };
}

/**
 * Runs `q` and checks it against the model: the tier, the step, at most maxPoints points, and per
 * series the buckets of a brute-force computation. Rollup buckets hold whole slots (every sample whose
 * slot starts in [origin, to]); callers query rollup tiers only where that and the head's clipping to
 * [from, to] agree (see the rollup-bucket test in samples.test.ts).
 */
function check(store: SampleStore, model: Model, q: SampleQuery, now: number, label: string): QueryResult {
  const result = store.query(q, now);
  const { tier, rawStep } = expectedTier(q);
  const context = `${label}: ${JSON.stringify(q)} → tier ${result.tier}, step ${result.step}`;
  assert.equal(result.tier, tier, context);
  let origin = q.from;
  if (tier === 'raw') assert.equal(result.step, rawStep, context);
  else {
    const res = RESOLUTION[tier];
    assert.ok(result.step % res === 0 && result.step >= res, context);
    origin = Math.floor(q.from / result.step) * result.step;
  }
  const expected = model.of(q.host, q.metric);
  assert.deepEqual(result.series.map((s) => seriesKey(s.metric, s.attributes)), expected.map((s) => s.key), context);
  result.series.forEach((actual, i) => {
    const s = expected[i]!;
    assert.deepEqual(actual.attributes, s.attributes);
    assert.ok(actual.points.length <= q.maxPoints, `${context}: ${actual.points.length} points`);
    let want: (Point & { n: number })[];
    if (tier === 'raw') {
      want = bucketize(model.raw(s).filter(([t]) => t >= q.from && t <= q.to), q.from, result.step);
    } else {
      const res = RESOLUTION[tier];
      const lastSlot = Math.floor(q.to / res) * res;
      want = bucketize(model.rolledUp(s).filter(([t]) => t >= origin && Math.floor(t / res) * res <= lastSlot), origin, result.step);
    }
    assert.deepEqual(actual.points.map((p) => p.t), want.map((p) => p.t), `${context} ${s.key}: bucket times`);
    actual.points.forEach((p, j) => {
      const w = want[j]!;
      const magnitude = Math.max(Math.abs(w.min), Math.abs(w.max));
      const tolerance = tier === 'raw' ? magnitude * 1e-12 : avgTolerance(magnitude, s.precision);
      // min and max exact; avg within the tolerance (rollup averages are stored rounded).
      if (p.min !== w.min || p.max !== w.max || !(Math.abs(p.avg - w.avg) <= tolerance)) {
        assert.fail(`${context} ${s.key} bucket ${p.t}: ${JSON.stringify(p)}, expected ${JSON.stringify(w)} (avg ± ${tolerance})`);
      }
    });
  });
  return result;
}

interface Sim {
  store: SampleStore;
  db: Database;
  file: string;
  model: Model;
  clock: number;
  /** Seconds each host has polled, so a resend can repeat one. */
  seconds: Map<string, number[]>;
}

function openSim(t: TestContext): Sim {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-tiers-'));
  const file = path.join(dir, 'hostwatch.db');
  const db = openDatabase(file);
  const sim: Sim = { store: new SampleStore(db), db, file, model: new Model(), clock: START, seconds: new Map() };
  t.after(() => {
    if (sim.db.open) sim.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return sim;
}

function reopen(sim: Sim): void {
  sim.db.close();
  sim.db = openDatabase(sim.file);
  sim.store = new SampleStore(sim.db);
  sim.model.reopen();
}

/** Every metric of the run over the whole history: raw with a point per second, then rollup tiers at random widths. */
function checkWhole(sim: Sim, rng: () => number, label: string): void {
  // Before any sample (late ones go up to three hours back from START) and after the newest.
  const from = START - 4 * HOUR;
  const to = sim.clock + 10 * SECOND;
  for (const host of [...HOSTS, 'nowhere']) {
    for (const metric of [...new Set(SERIES.map((s) => s.metric)), 'not.collected']) {
      check(sim.store, sim.model, { host, metric, from, to, maxPoints: Math.ceil((to - from + 1) / SECOND) }, sim.clock, `${label} raw`);
      for (const maxPoints of [1 + Math.floor(rng() * 12), 20 + Math.floor(rng() * 800), 1 + Math.floor(rng() * 5000)]) {
        check(sim.store, sim.model, { host, metric, from, to, maxPoints }, sim.clock, `${label} whole`);
      }
    }
  }
}

/**
 * Ranges inside the history. Rollup tiers only where the whole range is sealed: there the edge slots
 * hold whole slots, sealed or not (the head is read clipped to [from, to]).
 */
function checkInner(sim: Sim, rng: () => number, label: string, count: number): void {
  const first = START - 3 * HOUR;
  for (let i = 0; i < count; i++) {
    const host = HOSTS[Math.floor(rng() * HOSTS.length)]!;
    const metric = SERIES[Math.floor(rng() * SERIES.length)]!.metric;
    const from = first + Math.floor(rng() * (sim.clock - first));
    const to = from + 1 + Math.floor(rng() * (sim.clock - from));
    const maxPoints = 1 + Math.floor(rng() * (rng() < 0.5 ? 30 : 3000));
    const q = { host, metric, from, to, maxPoints };
    if (expectedTier(q).tier !== 'raw' && to >= sim.model.sealedBefore) continue;
    check(sim.store, sim.model, q, sim.clock, `${label} inner`);
  }
}

interface RunOptions {
  seed: number;
  snapshots: number;
  flushRate: number;
  sealRate: number;
  reopenRate: number;
  lateRate: number;
}

/** Appends `snapshots` snapshots across the hosts, with flushes, seals and reopens, checking along the way. */
async function simulate(sim: Sim, o: RunOptions, onCheckpoint: (sim: Sim, rng: () => number, label: string) => void): Promise<void> {
  const rng = prng(o.seed);
  const hostSeries = new Map(HOSTS.map((h) => [h, SERIES.filter(() => rng() < 0.7)]));
  const interval = new Map(HOSTS.map((h) => [h, 5 + Math.floor(rng() * 40)]));
  const next = new Map(HOSTS.map((h) => [h, START / SECOND + Math.floor(rng() * 30)]));
  for (let n = 0; n < o.snapshots; n++) {
    const host = [...next].sort((a, b) => a[1] - b[1])[0]![0];
    let sec = next.get(host)!;
    const seconds = sim.seconds.get(host) ?? [];
    sim.seconds.set(host, seconds);
    // A gap of hours now and then (the machine slept, the server was unreachable).
    next.set(host, sec + interval.get(host)! + (rng() < 0.01 ? Math.floor(rng() * 3 * 3600) : 0));
    if (rng() < o.lateRate && seconds.length > 0) {
      // Out of order: a resend of an earlier poll, or a late one up to three hours back.
      sec = rng() < 0.5 ? seconds[Math.floor(rng() * seconds.length)]! : sec - 1 - Math.floor(rng() * 3 * 3600);
    } else {
      seconds.push(sec);
    }
    const t = timeOf(host, sec);
    sim.clock = Math.max(sim.clock, t);
    const samples: Sample[] = [];
    for (const spec of hostSeries.get(host)!) {
      if (rng() < 0.1) continue; // this series missed this poll
      const r = rng();
      const value = r < 0.02 ? Number.NaN : r < 0.03 ? Number.POSITIVE_INFINITY : r < 0.04 ? Number.NEGATIVE_INFINITY : spec.value(rng, t);
      samples.push({ metric: spec.metric, attributes: spec.attributes, value });
      if (rng() < 0.02) samples.push({ metric: spec.metric, attributes: spec.attributes, value: spec.value(rng, t) });
    }
    // Fractions of a ms are dropped.
    sim.store.append({ host, time: t + (rng() < 0.1 ? 0.75 : 0), samples, errors: [] });
    sim.model.append(host, t, samples);
    if (rng() < o.flushRate) {
      sim.store.flush();
      sim.model.flush();
    }
    if (rng() < o.sealRate) {
      const now = sim.clock + Math.floor((rng() - 0.4) * 40 * MINUTE);
      await sim.store.seal(now, async () => {});
      sim.model.seal(now);
    }
    if (rng() < o.reopenRate) {
      if (rng() < 0.5) {
        sim.store.flush();
        sim.model.flush();
      }
      reopen(sim);
    }
    if (rng() < 0.006) onCheckpoint(sim, rng, `snapshot ${n}`);
  }
}

const runArb = fc.record({
  seed: fc.integer(),
  snapshots: fc.integer({ min: 200, max: 1200 }),
  flushRate: fc.constantFrom(0.05, 0.3, 1),
  sealRate: fc.constantFrom(0.005, 0.03, 0.1),
  reopenRate: fc.constantFrom(0, 0.003, 0.01),
  lateRate: fc.constantFrom(0, 0.05, 0.2),
});

test('raw and rollup queries equal a brute-force computation over the samples appended, through flushes, seals and reopens', async (t) => {
  await fc.assert(fc.asyncProperty(runArb, async (o) => {
    const sim = openSim(t);
    const checkpoint = (s: Sim, rng: () => number, label: string) => {
      checkWhole(s, rng, label);
      checkInner(s, rng, label, 10);
    };
    await simulate(sim, o, checkpoint);
    const rng = prng(o.seed ^ 0x5eed);
    checkpoint(sim, rng, 'end');
    // Everything sealed (a day later), then read back from a reopened file.
    sim.store.flush();
    sim.model.flush();
    await sim.store.seal(sim.clock + 24 * HOUR, async () => {});
    sim.model.seal(sim.clock + 24 * HOUR);
    checkpoint(sim, rng, 'all sealed');
    reopen(sim);
    assert.equal(sim.db.prepare('SELECT count(*) FROM head').pluck().get(), 0, 'nothing left in the head log');
    checkWhole(sim, rng, 'reopened');
    checkInner(sim, rng, 'reopened', 60);
    sim.db.close();
  }), { numRuns: 10 });
});

test('latest(host) is the newest sample of each live series, through flushes, seals and reopens', async (t) => {
  await fc.assert(fc.asyncProperty(runArb, async (o) => {
    const sim = openSim(t);
    const checkLatest = (s: Sim, _rng: () => number, label: string) => {
      for (const host of [...HOSTS, 'nowhere']) {
        const all = [...s.model.series.values()].filter((m) => m.known && m.host === host)
          .map((m) => ({ m, raw: s.model.raw(m) })).filter(({ raw }) => raw.length > 0)
          .map(({ m, raw }) => ({ metric: m.metric, attributes: m.attributes, t: raw.at(-1)![0], value: raw.at(-1)![1] }));
        const hostNewest = Math.max(...all.map((x) => x.t));
        const want = all.filter((x) => x.t >= hostNewest - MINUTE)
          .sort((a, b) => a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : seriesKey(a.metric, a.attributes) < seriesKey(b.metric, b.attributes) ? -1 : 1);
        assert.deepEqual(s.store.latest(host), want, `${label}, ${host}`);
      }
    };
    await simulate(sim, { ...o, reopenRate: o.reopenRate * 3 }, checkLatest);
    checkLatest(sim, () => 0, 'end');
    await sim.store.seal(sim.clock + 24 * HOUR, async () => {});
    sim.model.seal(sim.clock + 24 * HOUR);
    checkLatest(sim, () => 0, 'all sealed');
    sim.store.flush();
    sim.model.flush();
    reopen(sim);
    checkLatest(sim, () => 0, 'reopened');
    // A resend of an early poll arrives after everything was sealed: the newest sample is still the newest.
    const rng = prng(o.seed ^ 0x1a7e);
    for (const host of HOSTS) {
      const sec = sim.seconds.get(host)?.[0];
      if (sec === undefined) continue;
      const samples = SERIES.map((spec) => ({ metric: spec.metric, attributes: spec.attributes, value: spec.value(rng, sec * SECOND) }));
      sim.store.append({ host, time: timeOf(host, sec), samples, errors: [] });
      sim.model.append(host, timeOf(host, sec), samples);
    }
    checkLatest(sim, () => 0, 'a late resend');
    sim.db.close();
  }), { numRuns: 8 });
});
