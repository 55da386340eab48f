/** History blocks (raw with presence bitmaps, rollups, head records) and the ChunkStore that writes them. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import {
  averagePrecision, decodeHeadRecord, decodeRawBlock, decodeRollupBlock, decodeTimesBlock, encodeHeadRecord, encodeRawBlock,
  encodeRollupBlock, encodeTimesBlock, rollUp, type HeadEntry, type Rollup, type Samples,
} from '../../../electron/core/store/blocks.ts';
import { ChunkStore, DAY_MS, MINUTE_MS, TIER, WINDOW_MS, mergeSamples } from '../../../electron/core/store/chunks.ts';
import { EXACT_INTEGER, precisionOf, quantize, type Precision } from '../../../electron/core/store/codec.ts';
import { openDatabase, type Database } from '../../../electron/core/store/database.ts';

const PRECISIONS: Precision[] = [
  precisionOf('system.cpu.utilization'), precisionOf('system.network.io'), precisionOf('system.cpu.load_average.1m'),
  precisionOf('system.process.count'), precisionOf('some.exporter.metric'), EXACT_INTEGER,
];
const precisionArb = fc.constantFrom(...PRECISIONS);
const valueArb = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.integer({ min: 0, max: 1000 }),
  fc.constantFrom(0, -0, 0.5, 1e-9, 123456.789),
);
const WINDOW_START = Date.UTC(2026, 2, 3, 7);

/** Strictly increasing times within one hour window, with jitter and gaps. */
const hostTimesArb = fc.array(fc.integer({ min: 1, max: 90_000 }), { maxLength: 120 }).map((steps) => {
  const out: number[] = [];
  let t = WINDOW_START;
  for (const s of steps) {
    t += s;
    if (t >= WINDOW_START + WINDOW_MS) break;
    out.push(t);
  }
  return out;
});

/** Host times, a subset of them for one series (possibly all, possibly none), its values and precision. */
const rawArb = hostTimesArb.chain((hostTimes) => fc.record({
  hostTimes: fc.constant(hostTimes),
  present: fc.oneof(
    fc.array(fc.boolean(), { minLength: hostTimes.length, maxLength: hostTimes.length }),
    fc.constant(hostTimes.map(() => true)),
  ),
  values: fc.array(valueArb, { minLength: hostTimes.length, maxLength: hostTimes.length }),
  precision: precisionArb,
}));

function seriesOf(hostTimes: number[], present: boolean[], values: number[]): Samples {
  const samples: Samples = { t: [], v: [] };
  hostTimes.forEach((t, i) => {
    if (!present[i]) return;
    samples.t.push(t);
    samples.v.push(values[i]!);
  });
  return samples;
}

test('a raw block keeps which of the host times a series has, and its values rounded to the precision', () => {
  fc.assert(fc.property(rawArb, ({ hostTimes, present, values, precision }) => {
    const samples = seriesOf(hostTimes, present, values);
    const block = encodeRawBlock(hostTimes, samples, precision);
    const times = decodeTimesBlock(encodeTimesBlock(hostTimes));
    assert.deepEqual(times, hostTimes);
    const decoded = decodeRawBlock(block, times);
    assert.deepEqual(decoded.t, samples.t);
    assert.deepEqual(decoded.v, samples.v.map((v) => quantize(v, precision)));
  }), { numRuns: 400 });
});

test('a raw block refuses times that are not its host\'s, and host times that do not match it', () => {
  const hostTimes = [WINDOW_START, WINDOW_START + 5000, WINDOW_START + 10_000];
  const p = precisionOf('system.cpu.utilization');
  assert.throws(() => encodeRawBlock(hostTimes, { t: [WINDOW_START + 1], v: [0.5] }, p), RangeError);
  const partial = encodeRawBlock(hostTimes, { t: [WINDOW_START + 5000], v: [0.5] }, p);
  assert.deepEqual(decodeRawBlock(partial, hostTimes), { t: [WINDOW_START + 5000], v: [0.5] });
  // One host time fewer: its bitmap no longer says one sample.
  assert.throws(() => decodeRawBlock(partial, [WINDOW_START]), RangeError);
  const full = encodeRawBlock(hostTimes, { t: hostTimes, v: [0.1, 0.2, 0.3] }, p);
  assert.throws(() => decodeRawBlock(full, hostTimes.slice(0, 2)), RangeError);
  // Every cut of either block throws.
  for (const block of [partial, full]) {
    for (let n = 0; n < block.length; n++) assert.throws(() => decodeRawBlock(block.subarray(0, n), hostTimes));
  }
});

/** rollUp written the obvious way: group by slot, then aggregate each group. */
function bruteRollUp(samples: Samples, start: number, slotMs: number, slots: number): Rollup[] {
  const groups = new Map<number, number[]>();
  samples.t.forEach((t, i) => {
    const slot = Math.floor((t - start) / slotMs);
    if (slot < 0 || slot >= slots) return;
    groups.set(slot, [...(groups.get(slot) ?? []), samples.v[i]!]);
  });
  return [...groups].sort((a, b) => a[0] - b[0]).map(([slot, vs]) => ({
    slot, count: vs.length, min: Math.min(...vs), max: Math.max(...vs),
    avg: vs.reduce((a, b) => a + b, 0) / vs.length, last: vs.at(-1)!,
  }));
}

test('rollUp equals a brute-force grouping, ignoring samples outside its slots', () => {
  const samplesArb = fc.array(fc.tuple(fc.integer({ min: -2 * WINDOW_MS, max: 3 * WINDOW_MS }), valueArb), { maxLength: 300 })
    .map((pairs) => {
      // Stored values are rounded, so never -0 (whose order against 0 min/max leave open).
      const byT = new Map(pairs.map(([t, v]) => [WINDOW_START + t, v === 0 ? 0 : v]));
      const t = [...byT.keys()].sort((a, b) => a - b);
      return { t, v: t.map((x) => byT.get(x)!) };
    });
  fc.assert(fc.property(samplesArb, fc.constantFrom([MINUTE_MS, 60], [WINDOW_MS, 1], [WINDOW_MS, 24], [1000, 7]), (samples, [slotMs, slots]) => {
    assert.deepEqual(rollUp(samples, WINDOW_START, slotMs!, slots!), bruteRollUp(samples, WINDOW_START, slotMs!, slots!));
  }), { numRuns: 400 });
});

test('a rollup block round-trips counts exactly and min, max, last rounded to the precision, avg to at least 4 digits', () => {
  const rollupsArb = fc.tuple(fc.constantFrom(60, 24), precisionArb).chain(([slots, precision]) => fc.record({
    slots: fc.constant(slots),
    precision: fc.constant(precision),
    rollups: fc.uniqueArray(fc.record({
      slot: fc.integer({ min: 0, max: slots - 1 }), count: fc.integer({ min: 1, max: 100_000 }),
      min: valueArb, max: valueArb, avg: valueArb, last: valueArb,
    }), { selector: (r) => r.slot, maxLength: slots }).map((rs) => rs.sort((a, b) => a.slot - b.slot)),
  }));
  fc.assert(fc.property(rollupsArb, ({ slots, precision, rollups }) => {
    const decoded = decodeRollupBlock(encodeRollupBlock(rollups, slots, precision), slots);
    const q = (v: number) => quantize(v, precision);
    assert.deepEqual(decoded, rollups.map((r) => ({ slot: r.slot, count: r.count, min: q(r.min), max: q(r.max), avg: quantize(r.avg, averagePrecision(precision)), last: q(r.last) })));
  }), { numRuns: 300 });
});

test('a head record round-trips times (in any order), series ids and values rounded to each one\'s precision', () => {
  const entryArb = fc.integer({ min: 0, max: 12 }).chain((n) => fc.record({
    t: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
    ids: fc.array(fc.integer({ min: 1, max: 2 ** 31 }), { minLength: n, maxLength: n }),
    values: fc.array(fc.oneof(valueArb, fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: n, maxLength: n }),
    precisions: fc.array(precisionArb, { minLength: n, maxLength: n }),
  }));
  fc.assert(fc.property(fc.array(entryArb, { maxLength: 20 }), (entries: HeadEntry[]) => {
    const decoded = decodeHeadRecord(encodeHeadRecord(entries));
    assert.deepEqual(decoded, entries.map((e) => ({
      t: e.t, ids: e.ids, values: e.values.map((v, i) => quantize(v, e.precisions![i]!)),
    })));
    const block = encodeHeadRecord(entries);
    if (entries.length > 0) assert.throws(() => decodeHeadRecord(block.subarray(0, block.length - 1)));
  }), { numRuns: 300 });
});

test('mergeSamples is the sorted union, the second argument winning at an equal time', () => {
  const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), valueArb), { maxLength: 60 }).map((pairs) => {
    const byT = new Map(pairs);
    const t = [...byT.keys()].sort((a, b) => a - b);
    return { t, v: t.map((x) => byT.get(x)!) };
  });
  fc.assert(fc.property(arb, arb, (a, b) => {
    const expected = new Map<number, number>();
    a.t.forEach((t, i) => expected.set(t, a.v[i]!));
    b.t.forEach((t, i) => expected.set(t, b.v[i]!));
    const t = [...expected.keys()].sort((x, y) => x - y);
    assert.deepEqual(mergeSamples(a, b), { t, v: t.map((x) => expected.get(x)!) });
  }), { numRuns: 300 });
});

function openDb(t: TestContext): Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-blocks-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

function insertSeries(db: Database, host: string, metric: string, key: string): number {
  return db.prepare<[string, string, string], number>(
    "INSERT INTO series (host, metric, attributes, key) VALUES (?, ?, '{}', ?) RETURNING id").pluck().get(host, metric, key)!;
}

test('ChunkStore.writeWindow: series with different times share one times block; rewriting merges, the new sample winning', (t) => {
  const db = openDb(t);
  const chunks = new ChunkStore(db);
  const cpu = insertSeries(db, 'h', 'system.cpu.utilization', 'cpu');
  const net = insertSeries(db, 'h', 'system.network.io', 'net');
  const other = insertSeries(db, 'other', 'system.cpu.utilization', 'cpu');
  const pc = precisionOf('system.cpu.utilization');
  const pn = precisionOf('system.network.io');
  const s = WINDOW_START;
  const write = (host: string, entries: [number, Samples, Precision][]) => db.transaction(() =>
    chunks.writeWindow(host, s, new Map(entries.map(([id, samples, precision]) => [id, { samples, precision }]))))();

  assert.equal(write('h', [
    [cpu, { t: [s + 1000, s + 6000, s + 11_000], v: [0.1, 0.2, 0.3] }, pc],
    [net, { t: [s + 6000, s + 61_000], v: [1000, 2000] }, pn],
  ]), 5);
  assert.equal(write('other', [[other, { t: [s + 2000], v: [0.9] }, pc]]), 1);
  assert.deepEqual(decodeTimesBlock(db.prepare<[], Uint8Array>("SELECT data FROM chunk_times WHERE host = 'h'").pluck().get()!),
    [s + 1000, s + 6000, s + 11_000, s + 61_000]);
  assert.deepEqual(chunks.readRaw(net, 'h', s, s + WINDOW_MS), { t: [s + 6000, s + 61_000], v: [1000, 2000] });

  // Late samples of one series: the other series of the window keeps its samples, the new value wins.
  assert.equal(write('h', [[cpu, { t: [s + 6000, s + 3_000_000], v: [0.25, 0.4] }, pc]]), 6);
  assert.deepEqual(chunks.readRaw(cpu, 'h', s, s + WINDOW_MS), { t: [s + 1000, s + 6000, s + 11_000, s + 3_000_000], v: [0.1, 0.25, 0.3, 0.4] });
  assert.deepEqual(chunks.readRaw(net, 'h', s, s + WINDOW_MS), { t: [s + 6000, s + 61_000], v: [1000, 2000] });
  assert.deepEqual(chunks.readRaw(other, 'other', s, s + WINDOW_MS), { t: [s + 2000], v: [0.9] });
  // Both ends of readRaw's range are inclusive.
  assert.deepEqual(chunks.readRaw(cpu, 'h', s + 6000, s + 11_000).t, [s + 6000, s + 11_000]);

  // Sealing the same samples again changes nothing.
  const before = db.prepare('SELECT series_id, tier, start, hex(data) AS d FROM chunks ORDER BY id').all();
  write('h', [[cpu, { t: [s + 6000], v: [0.25] }, pc]]);
  assert.deepEqual(db.prepare('SELECT series_id, tier, start, hex(data) AS d FROM chunks ORDER BY id').all(), before);

  // Rollups: 1-minute slots of the merged samples, and the hour in its day block.
  const minutes = chunks.readRollups(cpu, TIER.minute, s, s + WINDOW_MS);
  assert.deepEqual(minutes.map((r) => [r.t, r.count, r.min, r.max, r.last]), [
    [s, 3, 0.1, 0.3, 0.3], [s + 50 * MINUTE_MS, 1, 0.4, 0.4, 0.4],
  ]);
  assert.ok(Math.abs(minutes[0]!.avg - 0.65 / 3) <= 0.00005);
  const hours = chunks.readRollups(cpu, TIER.hour, s - DAY_MS, s + DAY_MS);
  assert.deepEqual(hours.map((r) => [r.t, r.count, r.min, r.max, r.avg, r.last]), [[s, 4, 0.1, 0.4, 0.2625, 0.4]]);
  assert.deepEqual(chunks.newestRaw(cpu, 'h'), { t: s + 3_000_000, value: 0.4 });
  assert.equal(chunks.newestRaw(insertSeries(db, 'h', 'x', 'x'), 'h'), null);
});

test('ChunkStore: the hours of one day share a day block, each hour rolled up from its own window', (t) => {
  const db = openDb(t);
  const chunks = new ChunkStore(db);
  const id = insertSeries(db, 'h', 'system.cpu.load_average.1m', 'load');
  const p = precisionOf('system.cpu.load_average.1m');
  const day = Math.floor(WINDOW_START / DAY_MS) * DAY_MS;
  const expected: [number, number, number, number][] = [];
  for (const hour of [0, 5, 6, 23, 24, 30]) {
    const start = day + hour * WINDOW_MS;
    const samples = { t: [start + 10, start + 20_000, start + WINDOW_MS - 1], v: [hour, hour + 0.5, hour + 0.25] };
    db.transaction(() => chunks.writeWindow('h', start, new Map([[id, { samples, precision: p }]])))();
    expected.push([start, 3, hour, hour + 0.5]);
  }
  assert.deepEqual(chunks.readRollups(id, TIER.hour, day, day + 2 * DAY_MS).map((r) => [r.t, r.count, r.min, r.max]), expected);
  assert.equal(db.prepare('SELECT count(*) FROM chunks WHERE tier = 2').pluck().get(), 2, 'one block per UTC day');
  // A slot starting exactly at `to` is included, one starting after it is not.
  assert.deepEqual(chunks.readRollups(id, TIER.hour, day + 5 * WINDOW_MS, day + 6 * WINDOW_MS).map((r) => r.t),
    [day + 5 * WINDOW_MS, day + 6 * WINDOW_MS]);
});

test('a block with bytes after its content is refused, not read', () => {
  const times = encodeTimesBlock([1000, 2000, 3000]);
  const padded = Buffer.concat([times, Buffer.of(0)]);
  assert.equal(padded[0], 0, 'a plain block, so the extra byte reaches the decoder');
  assert.throws(() => decodeTimesBlock(padded), /trailing bytes/);
  const raw = encodeRawBlock([1000, 2000], { t: [1000, 2000], v: [1, 2] }, precisionOf('system.cpu.utilization'));
  assert.throws(() => decodeRawBlock(Buffer.concat([raw, Buffer.of(0)]), [1000, 2000]), /trailing bytes/);
});
