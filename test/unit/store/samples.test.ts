/** SampleStore against a real SQLite file: batched writes, downsampled range queries, matchers. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { Sample, Snapshot } from '../../../shared/api.ts';
import { openDatabase, type Database } from '../../../electron/core/store/database.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';

const FS = 'system.filesystem.utilization';
const MOUNT = 'system.filesystem.mountpoint';
const CPU = 'system.cpu.utilization';
const T0 = 1_750_000_000_000;

function open(t: TestContext): { db: Database; store: SampleStore; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-samples-'));
  const file = path.join(dir, 'hostwatch.db');
  const db = openDatabase(file);
  t.after(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { db, store: new SampleStore(db), file };
}

function snapshot(time: number, samples: Sample[], host = 'local'): Snapshot {
  return { host, time, samples, errors: [] };
}

test('flush writes every buffered sample and returns how many; a second flush writes nothing', (t) => {
  const { db, store } = open(t);
  store.append(snapshot(T0, [
    { metric: CPU, attributes: {}, value: 0.25 },
    { metric: FS, attributes: { [MOUNT]: '/' }, value: 0.5 },
  ]));
  store.append(snapshot(T0 + 1000, [{ metric: CPU, attributes: {}, value: 0.75 }]));
  assert.equal(store.buffered, 2);
  assert.equal(store.flush(), 3);
  assert.equal(store.buffered, 0);
  assert.equal(store.flush(), 0);
  assert.equal(db.prepare('SELECT count(*) FROM samples').pluck().get(), 3);
  assert.equal(db.prepare('SELECT count(*) FROM series').pluck().get(), 2);
});

test('samples are not visible to queries before flush', (t) => {
  const { store } = open(t);
  store.append(snapshot(T0, [{ metric: CPU, attributes: {}, value: 0.25 }]));
  assert.deepEqual(store.query({ host: 'local', metric: CPU, from: T0 - 1000, to: T0 + 1000, maxPoints: 10 }).series, []);
  store.flush();
  assert.equal(store.query({ host: 'local', metric: CPU, from: T0 - 1000, to: T0 + 1000, maxPoints: 10 }).series.length, 1);
});

test('values that are not finite are skipped, not stored', (t) => {
  const { store } = open(t);
  store.append(snapshot(T0, [
    { metric: CPU, attributes: {}, value: Number.NaN },
    { metric: CPU, attributes: { 'cpu.logical_number': '0' }, value: Number.POSITIVE_INFINITY },
    { metric: CPU, attributes: { 'cpu.logical_number': '1' }, value: 0.5 },
  ]));
  assert.equal(store.flush(), 1);
});

test('a range query at 1 s resolution returns each sample in [from, to], both ends included', (t) => {
  const { store } = open(t);
  for (let i = 0; i < 10; i++) store.append(snapshot(T0 + i * 1000, [{ metric: CPU, attributes: {}, value: i / 10 }]));
  store.flush();
  const result = store.query({ host: 'local', metric: CPU, from: T0 + 2000, to: T0 + 5000, maxPoints: 100 });
  assert.equal(result.step, 1000);
  assert.deepEqual(result.series, [{
    metric: CPU, attributes: {}, points: [2, 3, 4, 5].map((i) => ({ t: T0 + i * 1000, avg: i / 10, min: i / 10, max: i / 10 })),
  }]);
});

test('buckets start at from + k × step and hold the avg, min and max of their samples', (t) => {
  const { store } = open(t);
  const values = [1, 5, 3, 10, 20, 30];
  values.forEach((v, i) => store.append(snapshot(T0 + i * 1000, [{ metric: CPU, attributes: {}, value: v }])));
  store.flush();
  // 6 s inclusive range into 2 buckets → step 3000: [1, 5, 3] and [10, 20, 30].
  const result = store.query({ host: 'local', metric: CPU, from: T0, to: T0 + 5000, maxPoints: 2 });
  assert.equal(result.step, 3000);
  assert.deepEqual(result.series[0]?.points, [
    { t: T0, avg: 3, min: 1, max: 5 },
    { t: T0 + 3000, avg: 20, min: 10, max: 30 },
  ]);
});

test('downsampling never returns more than maxPoints buckets per series, and min ≤ avg ≤ max', (t) => {
  const { store } = open(t);
  const n = 3600;
  for (let i = 0; i < n; i++) {
    store.append(snapshot(T0 + i * 1000, [
      { metric: CPU, attributes: {}, value: Math.abs(Math.sin(i / 50)) },
      { metric: FS, attributes: { [MOUNT]: '/' }, value: (i % 97) / 97 },
    ]));
  }
  store.flush();
  fc.assert(fc.property(
    fc.integer({ min: -100, max: n + 100 }), fc.integer({ min: 1, max: n + 200 }), fc.integer({ min: 1, max: 5000 }),
    (start, length, maxPoints) => {
      const from = T0 + start * 1000;
      const to = from + length * 1000; // multiples of the step land exactly on `to`
      for (const metric of [CPU, FS]) {
        const { step, series } = store.query({ host: 'local', metric, from, to, maxPoints });
        // The smallest whole-second step that fits: one second less would need more than maxPoints.
        assert.ok(step >= 1000 && step % 1000 === 0);
        assert.ok(step === 1000 || (step - 1000) * maxPoints < to - from + 1);
        for (const { points } of series) {
          assert.ok(points.length <= maxPoints, `${points.length} > ${maxPoints}`);
          let previous = -Infinity;
          for (const p of points) {
            assert.ok(p.min <= p.avg + 1e-12 && p.avg <= p.max + 1e-12, JSON.stringify(p));
            assert.ok(p.t >= from && p.t <= to && (p.t - from) % step === 0 && p.t > previous);
            previous = p.t;
          }
        }
      }
    },
  ), { numRuns: 60 });
});

test('gaps stay gaps: buckets without samples are absent, not zero', (t) => {
  const { store } = open(t);
  for (const i of [0, 1, 2, 7, 8, 9]) store.append(snapshot(T0 + i * 1000, [{ metric: CPU, attributes: {}, value: 0.5 }]));
  store.flush();
  const points = store.query({ host: 'local', metric: CPU, from: T0, to: T0 + 9000, maxPoints: 10 }).series[0]?.points;
  assert.deepEqual(points?.map((p) => (p.t - T0) / 1000), [0, 1, 2, 7, 8, 9]);
});

test('matchers select series by value, * (has the attribute) and empty (lacks it)', (t) => {
  const { store } = open(t);
  store.append(snapshot(T0, [
    { metric: CPU, attributes: {}, value: 0.5 },
    { metric: CPU, attributes: { 'cpu.logical_number': '0' }, value: 0.4 },
    { metric: CPU, attributes: { 'cpu.logical_number': '1' }, value: 0.6 },
  ]));
  store.flush();
  const cores = (matchers?: Record<string, string>) => store
    .query({ host: 'local', metric: CPU, from: T0, to: T0 + 1000, maxPoints: 10, ...(matchers && { matchers }) })
    .series.map((s) => s.attributes['cpu.logical_number'] ?? 'total');
  assert.deepEqual(cores(), ['total', '0', '1']);
  assert.deepEqual(cores({}), ['total', '0', '1']);
  assert.deepEqual(cores({ 'cpu.logical_number': '1' }), ['1']);
  assert.deepEqual(cores({ 'cpu.logical_number': '*' }), ['0', '1']);
  assert.deepEqual(cores({ 'cpu.logical_number': '' }), ['total']);
  assert.deepEqual(cores({ 'cpu.logical_number': '7' }), []);
});

test('a query sees only its own host and metric', (t) => {
  const { store } = open(t);
  store.append(snapshot(T0, [{ metric: CPU, attributes: {}, value: 0.1 }], 'local'));
  store.append(snapshot(T0, [{ metric: CPU, attributes: {}, value: 0.9 }, { metric: FS, attributes: { [MOUNT]: '/' }, value: 0.3 }], 'web-1'));
  store.flush();
  const result = store.query({ host: 'web-1', metric: CPU, from: T0, to: T0 + 1000, maxPoints: 10 });
  assert.deepEqual(result.series.map((s) => s.points[0]?.avg), [0.9]);
});

test('a query with from ≥ to is a RangeError', (t) => {
  const { store } = open(t);
  assert.throws(() => store.query({ host: 'local', metric: CPU, from: T0, to: T0, maxPoints: 10 }), RangeError);
});

test('listSeries and latestTime report what was flushed, per host', (t) => {
  const { store } = open(t);
  assert.equal(store.latestTime('local'), null);
  store.append(snapshot(T0, [{ metric: CPU, attributes: {}, value: 0.1 }]));
  store.append(snapshot(T0 + 5000, [{ metric: FS, attributes: { [MOUNT]: '/' }, value: 0.3 }]));
  store.append(snapshot(T0 + 9000, [{ metric: CPU, attributes: {}, value: 0.2 }], 'web-1'));
  store.flush();
  assert.equal(store.latestTime('local'), T0 + 5000);
  assert.equal(store.latestTime('web-1'), T0 + 9000);
  assert.equal(store.latestTime('nowhere'), null);
  assert.deepEqual(store.listSeries('local').map(({ host, metric, attributes, key }) => ({ host, metric, attributes, key })), [
    { host: 'local', metric: CPU, attributes: {}, key: CPU },
    { host: 'local', metric: FS, attributes: { [MOUNT]: '/' }, key: `${FS}{${MOUNT}="/"}` },
  ]);
  assert.equal(store.listSeries().length, 3);
});

test('after a reopen, a known series keeps its id and its history continues', (t) => {
  const { db, store, file } = open(t);
  store.append(snapshot(T0, [{ metric: FS, attributes: { [MOUNT]: '/' }, value: 0.3 }]));
  store.flush();
  db.close();
  const again = openDatabase(file);
  t.after(() => again.close());
  const store2 = new SampleStore(again);
  store2.append(snapshot(T0 + 1000, [{ metric: FS, attributes: { [MOUNT]: '/' }, value: 0.4 }]));
  store2.flush();
  assert.equal(store2.listSeries().length, 1);
  const points = store2.query({ host: 'local', metric: FS, from: T0, to: T0 + 1000, maxPoints: 10 }).series[0]?.points;
  assert.deepEqual(points?.map((p) => p.avg), [0.3, 0.4]);
});

test('a failed flush keeps its samples buffered and the next flush writes them', (t) => {
  const { db, store } = open(t);
  const blocker = openDatabase(path.join(db.name));
  t.after(() => blocker.close());
  blocker.pragma('busy_timeout = 0');
  db.pragma('busy_timeout = 0');
  store.append(snapshot(T0, [{ metric: 'system.uptime', attributes: {}, value: 42 }]));
  blocker.exec('BEGIN IMMEDIATE');
  assert.throws(() => store.flush(), /locked|busy/i);
  assert.equal(store.buffered, 1);
  blocker.exec('ROLLBACK');
  assert.equal(store.flush(), 1);
  assert.equal(store.latestTime('local'), T0);
  assert.equal(store.listSeries().length, 1);
});

test('deleteHost removes one host\'s series, samples and buffered snapshots, and no other host\'s', (t) => {
  const { db, store } = open(t);
  for (const host of ['web', 'db']) {
    store.append(snapshot(T0, [{ metric: CPU, attributes: {}, value: 0.5 }], host));
    store.append(snapshot(T0 + 1000, [{ metric: CPU, attributes: {}, value: 0.6 }], host));
  }
  store.flush();
  store.append(snapshot(T0 + 2000, [{ metric: CPU, attributes: {}, value: 0.7 }], 'web'));
  assert.equal(store.deleteHost('web'), 2);
  assert.equal(store.buffered, 0, 'its unflushed snapshot is dropped too');
  store.flush();
  assert.equal(db.prepare("SELECT count(*) FROM series WHERE host = 'web'").pluck().get(), 0);
  assert.equal(db.prepare('SELECT count(*) FROM samples').pluck().get(), 2);
  // A host of the same name added later starts a fresh series.
  store.append(snapshot(T0 + 3000, [{ metric: CPU, attributes: {}, value: 0.1 }], 'web'));
  assert.equal(store.flush(), 1);
  const points = store.query({ host: 'web', metric: CPU, from: T0, to: T0 + 4000, maxPoints: 10 }).series[0]!.points;
  assert.deepEqual(points.map((p) => p.avg), [0.1]);
});
