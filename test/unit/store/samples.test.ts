/** SampleStore against a real SQLite file: appends, the head log, sealing, queries, latest values, deleting a host. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import type { Sample, Snapshot } from '../../../shared/api.ts';
import { openDatabase, type Database } from '../../../electron/core/store/database.ts';
import { SampleStore, type SampleQuery } from '../../../electron/core/store/samples.ts';

const FS = 'system.filesystem.utilization';
const MOUNT = 'system.filesystem.mountpoint';
const CPU = 'system.cpu.utilization';
const LOAD = 'system.cpu.load_average.1m';
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** In the past (deleteHost keeps times blocks that start after it began), on an hour. */
const T0 = Date.UTC(2026, 0, 5, 10);

interface Opened {
  db: Database;
  store: SampleStore;
  file: string;
  reopen: () => SampleStore;
}

function open(t: TestContext): Opened {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-samples-'));
  const file = path.join(dir, 'hostwatch.db');
  const opened: Opened = {
    db: openDatabase(file),
    store: null as unknown as SampleStore,
    file,
    reopen: () => {
      opened.db.close();
      opened.db = openDatabase(file);
      opened.store = new SampleStore(opened.db);
      return opened.store;
    },
  };
  opened.store = new SampleStore(opened.db);
  t.after(() => {
    if (opened.db.open) opened.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return opened;
}

function snapshot(time: number, samples: Sample[], host = 'local'): Snapshot {
  return { host, time, samples, errors: [] };
}

const cpu = (value: number): Sample => ({ metric: CPU, attributes: {}, value });
const noPause = async () => {};

/** The avg of each point of the one series `q` returns (and checks there is one). */
function avgs(store: SampleStore, q: Omit<SampleQuery, 'host' | 'metric'> & Partial<SampleQuery>, now = T0 + HOUR): number[] {
  const { series } = store.query({ host: 'local', metric: CPU, ...q }, now);
  assert.equal(series.length, 1);
  return series[0]!.points.map((p) => p.avg);
}

function count(db: Database, sql: string, ...params: unknown[]): number {
  return db.prepare(sql).pluck().get(...params) as number;
}

test('flush writes every waiting sample as one head record and returns how many; a second flush writes nothing', (t) => {
  const { db, store } = open(t);
  store.append(snapshot(T0, [cpu(0.25), { metric: FS, attributes: { [MOUNT]: '/' }, value: 0.5 }]));
  store.append(snapshot(T0 + 1000, [cpu(0.75)]));
  assert.equal(store.buffered, 2);
  assert.equal(store.flush(), 3);
  assert.equal(store.buffered, 0);
  assert.equal(store.flush(), 0);
  assert.equal(count(db, 'SELECT count(*) FROM head'), 1);
  assert.equal(count(db, 'SELECT count(*) FROM series'), 2);
  assert.equal(count(db, 'SELECT count(*) FROM chunks'), 0, 'nothing sealed yet');
});

test('samples are visible to queries and latest() as soon as they are appended, before any flush', (t) => {
  const { store } = open(t);
  store.append(snapshot(T0, [cpu(0.25)]));
  assert.deepEqual(avgs(store, { from: T0 - 1000, to: T0 + 1000, maxPoints: 10 }), [0.25]);
  assert.deepEqual(store.latest('local'), [{ metric: CPU, attributes: {}, t: T0, value: 0.25 }]);
});

test('values that are not finite are skipped; values are rounded to their metric\'s precision', (t) => {
  const { store } = open(t);
  store.append(snapshot(T0, [
    { metric: CPU, attributes: {}, value: Number.NaN },
    { metric: CPU, attributes: { 'cpu.logical_number': '0' }, value: Number.POSITIVE_INFINITY },
    { metric: CPU, attributes: { 'cpu.logical_number': '1' }, value: 0.123456 },
    { metric: LOAD, attributes: {}, value: 1.23456 },
  ]));
  store.append(snapshot(T0 + 1000, [{ metric: CPU, attributes: {}, value: Number.NEGATIVE_INFINITY }]));
  assert.equal(store.buffered, 1, 'a snapshot with nothing finite is not kept');
  assert.equal(store.flush(), 2);
  const q = { host: 'local', from: T0, to: T0 + 1000, maxPoints: 10 };
  assert.deepEqual(store.query({ ...q, metric: CPU }, T0).series.map((s) => [s.attributes, s.points.map((p) => p.avg)]),
    [[{ 'cpu.logical_number': '1' }, [0.1235]]]);
  assert.deepEqual(store.query({ ...q, metric: LOAD }, T0).series[0]!.points.map((p) => p.avg), [1.23], 'load averages keep 2 decimals');
});

test('a raw range query returns each sample in [from, to], both ends included, in 1 s buckets from `from`', (t) => {
  const { store } = open(t);
  for (let i = 0; i < 10; i++) store.append(snapshot(T0 + i * 1000 + 250, [cpu(i / 10)]));
  const result = store.query({ host: 'local', metric: CPU, from: T0 + 2250, to: T0 + 5250, maxPoints: 100 }, T0);
  assert.equal(result.step, 1000);
  assert.equal(result.tier, 'raw');
  assert.deepEqual(result.series, [{
    metric: CPU, attributes: {}, points: [2, 3, 4, 5].map((i) => ({ t: T0 + i * 1000 + 250, avg: i / 10, min: i / 10, max: i / 10 })),
  }]);
});

test('buckets start at from + k × step and hold the avg, min and max of their samples', (t) => {
  const { store } = open(t);
  [1, 5, 3, 10, 20, 30].forEach((v, i) => store.append(snapshot(T0 + i * 1000, [{ metric: LOAD, attributes: {}, value: v }])));
  // 6 s inclusive range into 2 buckets → step 3000: [1, 5, 3] and [10, 20, 30].
  const result = store.query({ host: 'local', metric: LOAD, from: T0, to: T0 + 5000, maxPoints: 2 }, T0);
  assert.equal(result.step, 3000);
  assert.deepEqual(result.series[0]?.points, [{ t: T0, avg: 3, min: 1, max: 5 }, { t: T0 + 3000, avg: 20, min: 10, max: 30 }]);
});

test('raw downsampling: the smallest whole-second step that fits, never more than maxPoints, min ≤ avg ≤ max', async (t) => {
  const { store } = open(t);
  const n = 2400;
  for (let i = 0; i < n; i++) store.append(snapshot(T0 + i * 1000, [cpu(Math.abs(Math.sin(i / 50))), { metric: FS, attributes: { [MOUNT]: '/' }, value: (i % 97) / 97 }]));
  store.flush();
  await store.seal(T0 + 30 * MINUTE + 120_000, noPause); // the first half hour sealed, the rest in the head
  fc.assert(fc.property(fc.integer({ min: -100, max: n + 100 }), fc.integer({ min: 1, max: n + 200 }), fc.integer({ min: 1, max: 5000 }),
    (start, length, maxPoints) => {
      const from = T0 + start * 1000;
      const to = from + length * 1000;
      for (const metric of [CPU, FS]) {
        const { step, series, tier } = store.query({ host: 'local', metric, from, to, maxPoints }, T0 + HOUR);
        if (tier !== 'raw') continue;
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
    }), { numRuns: 60 });
});

test('the tier follows the range: raw under a 40 s step, 1-minute rollups up to 40 min, then 1-hour ones', async (t) => {
  const { store } = open(t);
  for (let i = 0; i < 6 * 360; i++) store.append(snapshot(T0 + i * 10_000, [cpu((i % 100) / 100)]));
  store.flush();
  await store.seal(T0 + 7 * HOUR, noPause);
  const q = (from: number, to: number, maxPoints: number) => store.query({ host: 'local', metric: CPU, from, to, maxPoints }, T0 + 7 * HOUR);
  assert.equal(q(T0, T0 + HOUR, 3600).tier, 'raw');
  assert.deepEqual([q(T0, T0 + HOUR, 93).tier, q(T0, T0 + HOUR, 93).step], ['raw', 39_000]);
  assert.equal(q(T0, T0 + HOUR, 91).tier, '1m'); // a 40 s step: a minute is at most 1.5 × coarser
  assert.equal(q(T0, T0 + 6 * HOUR - 1, 10).tier, '1m'); // 36 min
  assert.equal(q(T0, T0 + 6 * HOUR - 1, 9).tier, '1h'); // 40 min
  const minute = q(T0, T0 + 6 * HOUR - 1, 300);
  assert.deepEqual([minute.tier, minute.step], ['1m', 2 * MINUTE]);
  assert.ok(minute.series[0]!.points.length <= 300);
  assert.equal(minute.series[0]!.points[0]!.t, T0);
  const hour = q(T0, T0 + 6 * HOUR - 1, 6);
  assert.deepEqual([hour.tier, hour.step], ['1h', HOUR]);
  assert.deepEqual(hour.series[0]!.points.map((p) => [p.t, p.min, p.max]), [0, 1, 2, 3, 4, 5].map((h) => [T0 + h * HOUR, 0, 0.99]));
  // Rollup buckets are aligned to their step even when `from` is not.
  const aligned = q(T0 + 17 * MINUTE + 5, T0 + 6 * HOUR, 100);
  assert.equal(aligned.tier, '1m');
  for (const p of aligned.series[0]!.points) assert.equal(p.t % aligned.step, 0);
  assert.ok(aligned.series[0]!.points.length <= 100);
});

test('gaps stay gaps: buckets without samples are absent, not zero', (t) => {
  const { store } = open(t);
  for (const i of [0, 1, 2, 7, 8, 9]) store.append(snapshot(T0 + i * 1000, [cpu(0.5)]));
  const points = store.query({ host: 'local', metric: CPU, from: T0, to: T0 + 9000, maxPoints: 10 }, T0).series[0]?.points;
  assert.deepEqual(points?.map((p) => (p.t - T0) / 1000), [0, 1, 2, 7, 8, 9]);
});

test('matchers select series by value, * (has the attribute) and empty (lacks it)', (t) => {
  const { store } = open(t);
  store.append(snapshot(T0, [cpu(0.5), { metric: CPU, attributes: { 'cpu.logical_number': '0' }, value: 0.4 }, { metric: CPU, attributes: { 'cpu.logical_number': '1' }, value: 0.6 }]));
  const cores = (matchers?: Record<string, string>) => store
    .query({ host: 'local', metric: CPU, from: T0, to: T0 + 1000, maxPoints: 10, ...(matchers && { matchers }) }, T0)
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
  store.append(snapshot(T0, [cpu(0.1)], 'local'));
  store.append(snapshot(T0, [cpu(0.9), { metric: FS, attributes: { [MOUNT]: '/' }, value: 0.3 }], 'web-1'));
  const result = store.query({ host: 'web-1', metric: CPU, from: T0, to: T0 + 1000, maxPoints: 10 }, T0);
  assert.deepEqual(result.series.map((s) => s.points[0]?.avg), [0.9]);
});

test('a query with from ≥ to or maxPoints < 1 is a RangeError', (t) => {
  const { store } = open(t);
  assert.throws(() => store.query({ host: 'local', metric: CPU, from: T0, to: T0, maxPoints: 10 }), RangeError);
  assert.throws(() => store.query({ host: 'local', metric: CPU, from: T0, to: T0 + 1, maxPoints: 0 }), RangeError);
});

test('after a reopen the head log is replayed: known series keep their ids, unflushed samples are gone', (t) => {
  const o = open(t);
  o.store.append(snapshot(T0, [{ metric: FS, attributes: { [MOUNT]: '/' }, value: 0.3 }]));
  o.store.append(snapshot(T0 + 1000, [{ metric: FS, attributes: { [MOUNT]: '/' }, value: 0.35 }, cpu(0.1)]));
  o.store.flush();
  o.store.append(snapshot(T0 + 2000, [{ metric: FS, attributes: { [MOUNT]: '/' }, value: 0.9 }, { metric: LOAD, attributes: {}, value: 3 }]));
  const id = count(o.db, 'SELECT id FROM series WHERE metric = ?', FS);
  const store = o.reopen();
  assert.equal(count(o.db, 'SELECT id FROM series WHERE metric = ?', FS), id);
  const q = { host: 'local', from: T0, to: T0 + 5000, maxPoints: 10 };
  assert.deepEqual(store.query({ ...q, metric: FS }, T0).series[0]!.points.map((p) => p.avg), [0.3, 0.35]);
  assert.deepEqual(store.query({ ...q, metric: LOAD }, T0).series, [], 'a series never flushed is gone with its samples');
  store.append(snapshot(T0 + 3000, [{ metric: FS, attributes: { [MOUNT]: '/' }, value: 0.4 }]));
  store.flush();
  assert.deepEqual(store.query({ ...q, metric: FS }, T0).series[0]!.points.map((p) => p.avg), [0.3, 0.35, 0.4]);
  assert.equal(count(o.db, 'SELECT count(*) FROM series'), 2);
});

test('a failed flush keeps its samples waiting, forgets the series ids it rolled back, and the next flush writes them', (t) => {
  const o = open(t);
  const blocker = openDatabase(o.file);
  t.after(() => blocker.close());
  blocker.pragma('busy_timeout = 0');
  o.db.pragma('busy_timeout = 0');
  o.store.append(snapshot(T0, [{ metric: 'system.uptime', attributes: {}, value: 42 }]));
  blocker.exec('BEGIN IMMEDIATE');
  assert.throws(() => o.store.flush(), /locked|busy/i);
  assert.equal(o.store.buffered, 1);
  blocker.exec('ROLLBACK');
  assert.equal(o.store.flush(), 1);
  assert.equal(count(o.db, 'SELECT count(*) FROM series'), 1);
  const store = o.reopen();
  assert.deepEqual(store.latest('local'), [{ metric: 'system.uptime', attributes: {}, t: T0, value: 42 }]);
});

test('seal moves hour windows ended SEAL_GRACE_MS ago into blocks, leaves the rest in the head, and is safe to repeat', async (t) => {
  const o = open(t);
  for (let i = 0; i < 150; i++) o.store.append(snapshot(T0 + i * MINUTE, [cpu((i % 10) / 10)]));
  o.store.flush();
  // 12:01: the 11:00 window ended a minute ago, within the grace: only 10:00 is sealed.
  assert.deepEqual(await o.store.seal(T0 + 2 * HOUR + MINUTE, noPause), { windows: 1, samples: 60 });
  assert.deepEqual(await o.store.seal(T0 + 2 * HOUR + MINUTE, noPause), { windows: 0, samples: 0 });
  assert.equal(count(o.db, 'SELECT count(*) FROM chunks WHERE tier = 0'), 1);
  assert.deepEqual(await o.store.seal(T0 + 2 * HOUR + 2 * MINUTE, noPause), { windows: 1, samples: 60 });
  // The head record spanning the cutoff now holds only what is unsealed.
  const head = o.db.prepare('SELECT t_min, t_max FROM head').all();
  assert.deepEqual(head, [{ t_min: T0 + 2 * HOUR, t_max: T0 + 149 * MINUTE }]);
  const store = o.reopen();
  const all = store.query({ host: 'local', metric: CPU, from: T0, to: T0 + 3 * HOUR, maxPoints: 3 * 3600 }, T0 + 3 * HOUR);
  assert.deepEqual(all.series[0]!.points.map((p) => p.avg), Array.from({ length: 150 }, (_, i) => (i % 10) / 10));
});

test('a late sample replaces the sealed one at its time: raw at once, the rollups once sealed again', async (t) => {
  const { store } = open(t);
  for (let i = 0; i < 60; i++) store.append(snapshot(T0 + i * MINUTE, [{ metric: LOAD, attributes: {}, value: 1 }]));
  store.flush();
  await store.seal(T0 + 2 * HOUR, noPause);
  store.append(snapshot(T0 + 30 * MINUTE, [{ metric: LOAD, attributes: {}, value: 61 }]));
  store.flush();
  const raw = { host: 'local', metric: LOAD, from: T0, to: T0 + HOUR - 1, maxPoints: 3600 };
  const hourly = { ...raw, maxPoints: 1 };
  assert.deepEqual(store.query(raw, T0 + 2 * HOUR).series[0]!.points.map((p) => p.max), [...Array(30).fill(1), 61, ...Array(29).fill(1)]);
  assert.deepEqual(store.query(hourly, T0 + 2 * HOUR).series[0]!.points, [{ t: T0, avg: 1, min: 1, max: 1 }]);
  await store.seal(T0 + 2 * HOUR, noPause);
  assert.deepEqual(store.query(hourly, T0 + 2 * HOUR).series[0]!.points, [{ t: T0, avg: 2, min: 1, max: 61 }]);
  assert.equal(store.query(raw, T0 + 2 * HOUR).series[0]!.points.length, 60);
});

test('latest() gives the newest sample of each live series, sorted by metric then attributes, from memory or blocks', async (t) => {
  const o = open(t);
  assert.deepEqual(o.store.latest('local'), []);
  o.store.append(snapshot(T0, [{ metric: 'system.network.io', attributes: { 'system.device': 'usb0', 'network.io.direction': 'receive' }, value: 5 }]));
  for (let i = 0; i < 10; i++) {
    o.store.append(snapshot(T0 + HOUR + i * 5000, [
      cpu(i / 10), { metric: CPU, attributes: { 'cpu.logical_number': '1' }, value: 0.5 }, { metric: LOAD, attributes: {}, value: i },
    ]));
  }
  // The load average missed the last poll: 5 s older than the host's newest, still live.
  o.store.append(snapshot(T0 + HOUR + 50_000, [cpu(0.99), { metric: CPU, attributes: { 'cpu.logical_number': '1' }, value: 0.25 }]));
  o.store.append(snapshot(T0 + HOUR, [cpu(0.01)], 'other'));
  const want = [
    { metric: LOAD, attributes: {}, t: T0 + HOUR + 45_000, value: 9 },
    { metric: CPU, attributes: {}, t: T0 + HOUR + 50_000, value: 0.99 },
    { metric: CPU, attributes: { 'cpu.logical_number': '1' }, t: T0 + HOUR + 50_000, value: 0.25 },
  ];
  assert.deepEqual(o.store.latest('local'), want, 'the usb0 series an hour old is not live');
  o.store.flush();
  await o.store.seal(T0 + 3 * HOUR, noPause);
  assert.equal(count(o.db, 'SELECT count(*) FROM head'), 0);
  assert.deepEqual(o.store.latest('local'), want, 'from the newest blocks');
  assert.deepEqual(o.reopen().latest('local'), want, 'after a reopen');
  assert.deepEqual(o.store.latest('other'), [{ metric: CPU, attributes: {}, t: T0 + HOUR, value: 0.01 }]);
  assert.deepEqual(o.store.latest('nowhere'), []);
});

test('a head record rewritten by seal() keeps the true t_min and t_max of late entries, so no unsealed sample is deleted', async (t) => {
  // #keepUnsealed stores entries[0].t and entries.at(-1).t, but a record's entries are in append order,
  // not time order. Here the rewritten record says t_max = 10:30 though it holds 11:00:30, so the 12:03
  // seal (cutoff 11:00) deletes it: the 11:00:30 sample, never sealed, is gone after a restart.
  const o = open(t);
  o.store.append(snapshot(T0 - HOUR, [cpu(0.1)]));
  o.store.flush(); // the series has its id
  o.store.append(snapshot(T0 + HOUR + 30_000, [cpu(0.2)])); // 11:00:30
  o.store.append(snapshot(T0 + 30 * MINUTE, [cpu(0.3)])); // a resend of 10:30
  o.store.append(snapshot(T0 - 10 * MINUTE, [cpu(0.4)])); // and of 09:50
  o.store.flush();
  await o.store.seal(T0 + HOUR + MINUTE, noPause); // 11:01: cutoff 10:00
  await o.store.seal(T0 + HOUR + 3 * MINUTE, noPause); // 11:03: cutoff 11:00
  const store = o.reopen();
  assert.deepEqual(avgs(store, { from: T0 + HOUR, to: T0 + 2 * HOUR, maxPoints: 3601 }), [0.2]);
});

test('latest() returns the newest sample when the head holds only older, late ones', async (t) => {
  // latest() reads the head's last sample whenever the head is not empty; a resend of an old poll after
  // the series was sealed (or a head record replayed after a restart) makes it older than the blocks' newest.
  const { store } = open(t);
  for (let i = 0; i < 60; i++) store.append(snapshot(T0 + i * MINUTE, [cpu(0.5)]));
  store.flush();
  await store.seal(T0 + 2 * HOUR, noPause);
  store.append(snapshot(T0 + 5 * MINUTE, [cpu(0.9)])); // a resend of the 10:05 poll
  assert.deepEqual(store.latest('local'), [{ metric: CPU, attributes: {}, t: T0 + 59 * MINUTE, value: 0.5 }]);
});

test('a rollup-tier bucket is the same before and after its samples are sealed', async (t) => {
  // query() reads rollups from the aligned origin (whole slots) but the head from max(from, sealedBefore):
  // the first bucket of a range that starts inside it holds different samples before and after seal().
  const { store } = open(t);
  for (let i = 0; i < 240; i++) store.append(snapshot(T0 + i * 30_000, [cpu(i / 1000)]));
  store.flush();
  const q = { host: 'local', metric: CPU, from: T0 + 90_000, to: T0 + 2 * HOUR - 1, maxPoints: 60 };
  const before = store.query(q, T0 + 2 * HOUR);
  await store.seal(T0 + 3 * HOUR, noPause);
  const after = store.query(q, T0 + 3 * HOUR);
  assert.equal(before.tier, '1m');
  assert.deepEqual(before.series[0]!.points[0], after.series[0]!.points[0]);
});

test('sealed history of a metric outside the catalog reads back exactly when an hour mixes magnitudes', async (t) => {
  // codec.ts writeValues (see codec.test.ts): the float64 fallback writes mantissas it had already scaled.
  const { store } = open(t);
  const metric = 'exporter.queue.depth';
  [5, 1e-4, 1e7].forEach((value, i) => store.append(snapshot(T0 + i * 1000, [{ metric, attributes: {}, value }])));
  store.flush();
  await store.seal(T0 + 2 * HOUR, noPause);
  const points = store.query({ host: 'local', metric, from: T0, to: T0 + 2000, maxPoints: 3 }, T0 + 2 * HOUR).series[0]!.points;
  assert.deepEqual(points.map((p) => p.avg), [5, 1e-4, 1e7]);
});

test('bytesByHost counts the sealed blocks of each host', async (t) => {
  const { store } = open(t);
  assert.deepEqual(store.bytesByHost(), new Map());
  for (let i = 0; i < 100; i++) {
    store.append(snapshot(T0 + i * MINUTE, [cpu(i / 100)], 'a'));
    if (i < 10) store.append(snapshot(T0 + i * MINUTE, [cpu(i / 100)], 'b'));
  }
  store.flush();
  await store.seal(T0 + 3 * HOUR, noPause);
  const bytes = store.bytesByHost();
  assert.deepEqual([...bytes.keys()].sort(), ['a', 'b']);
  assert.ok(bytes.get('a')! > bytes.get('b')! && bytes.get('b')! > 0);
});

/** Two hosts with sealed and unsealed history; `web` also has an unflushed snapshot. */
async function twoHosts(o: Opened): Promise<void> {
  for (let i = 0; i < 3 * 60; i++) {
    for (const host of ['web', 'db']) {
      o.store.append(snapshot(T0 + i * MINUTE, [cpu((i % 7) / 7), { metric: LOAD, attributes: {}, value: i % 5 }], host));
    }
  }
  o.store.flush();
  await o.store.seal(T0 + 2 * HOUR + 3 * MINUTE, noPause); // 10:00 and 11:00 sealed, 12:00 in the head
  o.store.append(snapshot(T0 + 3 * HOUR, [cpu(0.7)], 'web'));
}

const everything = (store: SampleStore, host: string) => [CPU, LOAD].map((metric) =>
  store.query({ host, metric, from: T0 - HOUR, to: T0 + 4 * HOUR, maxPoints: 6 * 3600 }, T0 + 4 * HOUR));

test('deleteHost removes the host\'s blocks, times, series, memory and waiting snapshots, and nothing of another host', async (t) => {
  const o = open(t);
  await twoHosts(o);
  const dbBefore = everything(o.store, 'db');
  const dbRows = o.db.prepare("SELECT c.* FROM chunks c JOIN series s ON s.id = c.series_id WHERE s.host = 'db' ORDER BY c.id").all();
  const webIds = o.db.prepare<[], number>("SELECT id FROM series WHERE host = 'web'").pluck().all();
  const webBlocks = count(o.db, `SELECT count(*) FROM chunks WHERE series_id IN (${webIds.join(',')})`) +
    count(o.db, "SELECT count(*) FROM chunk_times WHERE host = 'web'");
  assert.ok(webBlocks >= 2 * 2 * 2 + 2);

  let pauses = 0;
  assert.equal(await o.store.deleteHost('web', async () => { pauses++; }), webBlocks);
  assert.ok(pauses >= 1);
  assert.equal(o.store.buffered, 0, 'its unflushed snapshot is dropped');
  assert.equal(count(o.db, "SELECT count(*) FROM series WHERE host = 'web'"), 0);
  assert.equal(count(o.db, `SELECT count(*) FROM chunks WHERE series_id IN (${webIds.join(',')})`), 0);
  assert.equal(count(o.db, "SELECT count(*) FROM chunk_times WHERE host = 'web'"), 0);
  assert.deepEqual(everything(o.store, 'web').map((r) => r.series), [[], []]);
  assert.deepEqual(o.store.latest('web'), []);
  assert.ok(!o.store.bytesByHost().has('web'));
  assert.ok([...o.store.liveSeriesIds()].every((id) => !webIds.includes(id)));
  // The other host, untouched.
  assert.deepEqual(everything(o.store, 'db'), dbBefore);
  assert.deepEqual(o.db.prepare("SELECT c.* FROM chunks c JOIN series s ON s.id = c.series_id WHERE s.host = 'db' ORDER BY c.id").all(), dbRows);
  await o.store.seal(T0 + 5 * HOUR, noPause);
  assert.equal(count(o.db, "SELECT count(*) FROM chunk_times WHERE host = 'web'"), 0, 'sealing writes nothing of it');
  assert.deepEqual(everything(o.reopen(), 'db').map((r) => r.series), dbBefore.map((r) => r.series));
});

test('a host added again after deleteHost starts empty, also after a reopen replays the head log', async (t) => {
  const o = open(t);
  await twoHosts(o);
  o.store.flush();
  // db's series were created last: a store that reused ids would hand them out again.
  const oldIds = o.db.prepare<[], number>("SELECT id FROM series WHERE host = 'db'").pluck().all();
  await o.store.deleteHost('db', noPause);
  o.store.append(snapshot(T0 + 3 * HOUR + MINUTE, [cpu(0.125)], 'db'));
  o.store.flush();
  const newIds = o.db.prepare<[], number>("SELECT id FROM series WHERE host = 'db'").pluck().all();
  assert.equal(newIds.length, 1);
  assert.ok(newIds.every((id) => oldIds.every((old) => id > old)), 'series ids are never reused');
  const only = [{ metric: CPU, attributes: {}, points: [{ t: T0 + 3 * HOUR + MINUTE, avg: 0.125, min: 0.125, max: 0.125 }] }];
  assert.deepEqual(everything(o.store, 'db')[0]!.series, only);
  // The deleted host's records are still in the head log; a reopen must not bring them back.
  assert.ok(count(o.db, 'SELECT count(*) FROM head') > 0);
  const store = o.reopen();
  assert.deepEqual(everything(store, 'db').map((r) => r.series), [only, []]);
  assert.deepEqual(store.latest('db'), [{ metric: CPU, attributes: {}, t: T0 + 3 * HOUR + MINUTE, value: 0.125 }]);
  await store.seal(T0 + 6 * HOUR, noPause);
  assert.deepEqual(everything(store, 'db').map((r) => r.series), [only, []]);
  assert.equal(count(o.db, 'SELECT count(*) FROM head'), 0);
  assert.equal(everything(store, 'web')[0]!.series[0]!.points.length, 3 * 60 + 1);
});

test('deleteHost deletes a big host in batches, pausing between them so other work goes on', async (t) => {
  const o = open(t);
  // 400 hours of two series: about 1,600 blocks.
  for (let h = 0; h < 400; h++) {
    o.store.append(snapshot(T0 - 400 * HOUR + h * HOUR, [cpu(0.5), { metric: LOAD, attributes: {}, value: h }], 'big'));
  }
  o.store.flush();
  await o.store.seal(T0, noPause);
  const blocks = count(o.db, 'SELECT count(*) FROM chunks') + count(o.db, 'SELECT count(*) FROM chunk_times');
  assert.ok(blocks > 1500);
  let pauses = 0;
  const deleted = await o.store.deleteHost('big', async () => {
    pauses++;
    // Polling goes on meanwhile.
    o.store.append(snapshot(T0 + pauses * 1000, [cpu(0.1)], 'small'));
    o.store.flush();
  });
  assert.equal(deleted, blocks);
  assert.ok(pauses >= Math.floor(blocks / 500), `${pauses} pauses for ${blocks} blocks`);
  assert.equal(count(o.db, 'SELECT count(*) FROM chunks') + count(o.db, 'SELECT count(*) FROM chunk_times'), 0);
  assert.equal(o.store.query({ host: 'small', metric: CPU, from: T0, to: T0 + HOUR, maxPoints: 4000 }, T0).series[0]!.points.length, pauses);
});

test('a late sample for a window whose raw blocks retention deleted is dropped, leaving its rollups as they were', async (t) => {
  const { store } = open(t);
  for (let s = 0; s < 3600; s += 60) store.append(snapshot(T0 + s * 1000, [cpu(0.5)]));
  store.flush();
  await store.seal(T0 + 2 * HOUR, noPause);
  const now = T0 + 20 * 24 * HOUR;
  const before = store.query({ host: 'local', metric: CPU, from: T0, to: T0 + HOUR - 1, maxPoints: 1 }, now);
  assert.equal(before.tier, '1h');
  store.append(snapshot(T0 + 30 * MINUTE + 1, [cpu(0.9)]));
  store.flush();
  await store.seal(now, noPause);
  const after = store.query({ host: 'local', metric: CPU, from: T0, to: T0 + HOUR - 1, maxPoints: 1 }, now);
  assert.deepEqual(after.series[0]!.points, before.series[0]!.points);
  assert.deepEqual(before.series[0]!.points.map((p) => p.max), [0.5]);
});
