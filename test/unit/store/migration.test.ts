/** The v3 migration: the first slice's one-row-per-sample table becomes blocks and rollups, nothing lost. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import Sqlite from 'better-sqlite3';
import type { Point } from '../../../shared/api.ts';
import { seriesKey, type Attributes } from '../../../shared/metrics.ts';
import { precisionOf, quantize } from '../../../electron/core/store/codec.ts';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../electron/core/store/migrations.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Two days and a bit, from 21:00 UTC: three UTC days of 1-hour rollups. */
const START = Date.UTC(2026, 5, 10, 21);
const END = START + 50 * HOUR;
const STORAGE_FULL = 'hostwatch.storage.full';

interface OldSeries {
  id: number;
  host: string;
  metric: string;
  attributes: Attributes;
  /** Whether the series polls at `t` (gaps of hours), and its raw value there. */
  at: (t: number) => number | null;
}

const wave = (t: number, period: number) => Math.sin((2 * Math.PI * t) / period);
/** Ids with holes, as a database whose series came and went has them. */
const OLD_SERIES: OldSeries[] = [
  { id: 3, host: 'local', metric: 'system.cpu.utilization', attributes: {}, at: (t) => 0.5 + 0.4 * wave(t, 7 * HOUR) + ((t / SECOND) % 7) * 1.234567e-5 },
  { id: 4, host: 'local', metric: 'system.cpu.load_average.1m', attributes: {}, at: (t) => 2 + wave(t, 3 * HOUR) + ((t / SECOND) % 11) * 0.0012345 },
  {
    id: 9, host: 'local', metric: 'system.network.io', attributes: { 'system.device': 'eth0', 'network.io.direction': 'transmit' },
    // Runs of zeros, bursts, and a gap of five hours.
    at: (t) => (t >= START + 10 * HOUR && t < START + 15 * HOUR ? null : (t / MINUTE) % 10 < 4 ? 0 : 123_456.789 * (1 + wave(t, HOUR))),
  },
  { id: 12, host: 'web', metric: 'system.cpu.utilization', attributes: { 'cpu.logical_number': '0' }, at: (t) => (t < START + 20 * HOUR ? 0.123456789 : 0.987654321) },
  { id: 13, host: 'web', metric: 'system.process.count', attributes: {}, at: (t) => 200 + Math.floor((t / MINUTE) % 50) },
  { id: 20, host: 'db', metric: 'exporter.replication.lag', attributes: { replica: 'r1' }, at: (t) => (t < START + 24 * HOUR ? 1.23456789 * (1 + ((t / MINUTE) % 13)) : null) },
  // A series that never had a sample, and one whose only sample starts an hour window (the host's last).
  { id: 21, host: 'db', metric: 'system.uptime', attributes: {}, at: () => null },
  { id: 22, host: 'db', metric: 'system.process.count', attributes: {}, at: (t) => (t === END ? 321 : null) },
];

/** Poll times of a host: every 30 s with tens of ms of jitter, none during a three-hour outage of `web`. */
function pollTimes(host: string): number[] {
  const out: number[] = [];
  for (let t = START, i = 0; t < END; t += 30 * SECOND, i++) {
    if (host === 'web' && t >= START + 30 * HOUR && t < START + 33 * HOUR) continue;
    out.push(t + ((i * 37) % 90));
  }
  return out;
}

/** A schema-v2 database as the first slice left it, with `samples` rows; returns its file and the samples by series id. */
function buildV2(t: TestContext, options: { storageFullRule: boolean; samples?: false }): { file: string; samples: Map<number, [number, number][]> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-migration-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'hostwatch.db');
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  MIGRATIONS.slice(0, 2).forEach((migration, version) => {
    db.transaction(() => {
      migration(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  });
  // v1 seeds today's default rules; the first slice's had no "Storage full" one.
  if (!options.storageFullRule) db.prepare('DELETE FROM rules WHERE metric = ?').run(STORAGE_FULL);
  const insertSeries = db.prepare('INSERT INTO series (id, host, metric, attributes, key) VALUES (?, ?, ?, ?, ?)');
  const insertSample = db.prepare('INSERT INTO samples (series_id, t, value) VALUES (?, ?, ?)');
  const samples = new Map<number, [number, number][]>();
  db.transaction(() => {
    for (const s of options.samples === false ? [] : OLD_SERIES) {
      insertSeries.run(s.id, s.host, s.metric, JSON.stringify(s.attributes), seriesKey(s.metric, s.attributes));
      const rows: [number, number][] = [];
      for (const time of [...pollTimes(s.host), END]) {
        const value = s.at(time);
        if (value === null) continue;
        insertSample.run(s.id, time, value);
        rows.push([time, value]);
      }
      samples.set(s.id, rows);
    }
  })();
  db.close();
  return { file, samples };
}

function bucketize(samples: [number, number][], origin: number, step: number): Point[] {
  const buckets = new Map<number, number[]>();
  for (const [t, v] of samples) {
    const i = Math.floor((t - origin) / step);
    buckets.set(i, [...(buckets.get(i) ?? []), v]);
  }
  return [...buckets].sort((a, b) => a[0] - b[0]).map(([i, vs]) => ({
    t: origin + i * step, avg: vs.reduce((a, b) => a + b, 0) / vs.length, min: Math.min(...vs), max: Math.max(...vs),
  }));
}

test('v2 → v3 keeps every sample (rounded to its precision), the series ids, and builds rollups equal to a brute-force computation', async (t) => {
  const { file, samples } = buildV2(t, { storageFullRule: false });
  const db = openDatabase(file);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'samples'").pluck().get(), 0, 'the samples table is gone');
  assert.deepEqual(
    db.prepare('SELECT id, host, metric, attributes, key FROM series ORDER BY id').all(),
    OLD_SERIES.map((s) => ({ id: s.id, host: s.host, metric: s.metric, attributes: JSON.stringify(s.attributes), key: seriesKey(s.metric, s.attributes) })),
  );
  assert.equal(db.prepare('SELECT count(*) FROM head').pluck().get(), 0);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');

  const store = new SampleStore(db);
  const now = END + HOUR;
  const from = START - HOUR;
  const to = END + 10 * SECOND;
  let checked = 0;
  for (const s of OLD_SERIES) {
    const precision = precisionOf(s.metric);
    const want = samples.get(s.id)!.map(([time, v]): [number, number] => [time, quantize(v, precision)]);
    const q = { host: s.host, metric: s.metric, matchers: s.attributes, from, to };
    // Raw, a bucket per second: every old sample, once, rounded.
    const raw = store.query({ ...q, maxPoints: Math.ceil((to - from + 1) / SECOND) }, now);
    assert.equal(raw.tier, 'raw');
    assert.equal(raw.series.length, 1, s.metric);
    assert.deepEqual(raw.series[0]!.points, bucketize(want, from, SECOND), `${s.metric} raw`);
    checked += raw.series[0]!.points.length;
    // Rollup tiers: min and max exact, avg within the precision (rollup averages are stored rounded).
    for (const [maxPoints, tier] of [[500, '1m'], [30, '1h'], [3, '1h']] as const) {
      const result = store.query({ ...q, maxPoints }, now);
      assert.equal(result.tier, tier);
      const origin = Math.floor(from / result.step) * result.step;
      const points = result.series[0]!.points;
      assert.ok(points.length <= maxPoints);
      const expected = bucketize(want, origin, result.step);
      assert.deepEqual(points.map((p) => [p.t, p.min, p.max]), expected.map((p) => [p.t, p.min, p.max]), `${s.metric} ${tier}`);
      points.forEach((p, i) => {
        const magnitude = Math.max(Math.abs(p.min), Math.abs(p.max));
        const unit = magnitude === 0 ? 0 : 10 ** Math.max(Math.floor(Math.log10(magnitude)) - precision.digits + 1, precision.minExponent);
        assert.ok(Math.abs(p.avg - expected[i]!.avg) <= unit, `${s.metric} ${tier} avg ${p.avg} vs ${expected[i]!.avg}`);
      });
    }
  }
  assert.equal(checked, [...samples.values()].reduce((n, rows) => n + rows.length, 0));
  assert.ok(checked > 20_000);
  assert.equal(store.query({ host: 'db', metric: 'system.uptime', from, to, maxPoints: 10 }, now).series[0]!.points.length, 0);

  // The newest converted window takes new samples: they merge when sealed.
  const lastCpu = samples.get(3)!.at(-1)!;
  store.append({ host: 'local', time: lastCpu[0] + 5 * SECOND, samples: [{ metric: 'system.cpu.utilization', attributes: {}, value: 0.25 }], errors: [] });
  store.flush();
  await store.seal(END + 2 * HOUR, async () => {});
  const cpu = precisionOf('system.cpu.utilization');
  const tail = store.query({ host: 'local', metric: 'system.cpu.utilization', from: lastCpu[0] - 30 * SECOND, to: lastCpu[0] + 5 * SECOND, maxPoints: 100 }, now);
  assert.deepEqual(tail.series[0]!.points.map((p) => p.avg), [quantize(samples.get(3)!.at(-2)![1], cpu), quantize(lastCpu[1], cpu), 0.25]);
});

function storageFullRules(file: string): number {
  const db = openDatabase(file);
  try {
    return db.prepare<[string], number>('SELECT count(*) FROM rules WHERE metric = ?').pluck().get(STORAGE_FULL)!;
  } finally {
    db.close();
  }
}

test('the "Storage full" default rule is added once by the migration, and a fresh database has it once', (t) => {
  const { file } = buildV2(t, { storageFullRule: false, samples: false });
  assert.equal(storageFullRules(file), 1);
  assert.equal(storageFullRules(file), 1, 'reopening adds no second one');
  const db = openDatabase(file);
  assert.deepEqual(db.prepare('SELECT name, op, threshold, enabled FROM rules WHERE metric = ?').get(STORAGE_FULL),
    { name: 'Storage full', op: '>', threshold: 0, enabled: 1 });
  db.close();
  // A v2 database that already has a rule on the metric keeps just that one.
  assert.equal(storageFullRules(buildV2(t, { storageFullRule: true, samples: false }).file), 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-migration-fresh-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.equal(storageFullRules(path.join(dir, 'hostwatch.db')), 1);
});
