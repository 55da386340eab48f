/**
 * The blocks stored history is made of, as bytes (codec.ts has the columns they are built from):
 * - a times block: the timestamps of one host for one raw window, shared by all its series;
 * - a raw block: one series' values in that window, with which of the host's timestamps it has;
 * - a rollup block: one series' rollups (count, min, max, avg, last) in fixed slots, 60 one-minute
 *   slots of an hour or 24 one-hour slots of a day;
 * - a head record: the samples of one flush, not yet sealed into blocks.
 * Every block starts with a format byte (see codec.ts packBlock); decoders throw a RangeError on a
 * block they cannot read rather than return wrong values.
 */
import {
  ByteReader, ByteWriter, EXACT_INTEGER, packBlock, readTimes, readValue, readValues, unpackBlock, writeTimes,
  writeValue, writeValues, type Precision,
} from './codec.ts';

/** One series' samples in time order: `t[i]` (ms, strictly increasing) holds `v[i]`. */
export interface Samples {
  t: number[];
  v: number[];
}

/** Aggregates of the samples in one slot. `last` is the value with the greatest timestamp. */
export interface Rollup {
  /** Slot index within the block (minute of the hour, hour of the day). */
  slot: number;
  count: number;
  min: number;
  max: number;
  avg: number;
  last: number;
}

export function encodeTimesBlock(times: readonly number[]): Buffer {
  const w = new ByteWriter();
  writeTimes(w, times);
  return packBlock(w.view());
}

export function decodeTimesBlock(block: Uint8Array): number[] {
  const r = new ByteReader(unpackBlock(block));
  return end(r, readTimes(r));
}

/** Returns `value` once `r` is used up: bytes left over mean the block is not what it claims. */
function end<T>(r: ByteReader, value: T): T {
  if (!r.done) throw new RangeError('trailing bytes in history block');
  return value;
}

const ALL_PRESENT = 0;
const BITMAP = 1;

/**
 * A series' values in a window whose host timestamps are `hostTimes` (sorted); `samples.t` must be a
 * subset of them. Values are rounded to `precision`.
 */
export function encodeRawBlock(hostTimes: readonly number[], samples: Samples, precision: Precision): Buffer {
  const w = new ByteWriter();
  const n = samples.t.length;
  w.varint(n);
  if (n === hostTimes.length) w.byte(ALL_PRESENT);
  else {
    w.byte(BITMAP);
    const bitmap = new Uint8Array(Math.ceil(hostTimes.length / 8));
    for (let i = 0, j = 0; i < n; i++) {
      while (hostTimes[j] !== samples.t[i]) {
        if (++j >= hostTimes.length) throw new RangeError('a sample time is missing from its host times');
      }
      bitmap[j >> 3]! |= 1 << (j & 7);
    }
    w.bytes(bitmap);
  }
  writeValues(w, samples.v, precision);
  return packBlock(w.view());
}

export function decodeRawBlock(block: Uint8Array, hostTimes: readonly number[]): Samples {
  const r = new ByteReader(unpackBlock(block));
  const n = r.varint();
  const kind = r.byte();
  let t: number[];
  if (kind === ALL_PRESENT) {
    if (n !== hostTimes.length) throw new RangeError('raw block and its host times disagree');
    t = hostTimes.slice();
  } else if (kind === BITMAP) {
    const bitmap = r.bytes(Math.ceil(hostTimes.length / 8));
    t = [];
    for (let j = 0; j < hostTimes.length; j++) if (bitmap[j >> 3]! & (1 << (j & 7))) t.push(hostTimes[j]!);
    if (t.length !== n) throw new RangeError('raw block and its host times disagree');
  } else {
    throw new RangeError(`unknown raw block presence ${kind}`);
  }
  return end(r, { t, v: readValues(r, n) });
}

/**
 * Aggregates `samples` into slots of `slotMs` from `start`: one Rollup per slot that has samples, in slot
 * order. Samples outside [start, start + slots × slotMs) are ignored.
 */
export function rollUp(samples: Samples, start: number, slotMs: number, slots: number): Rollup[] {
  const out: Rollup[] = [];
  let current = null as Rollup | null;
  let sum = 0;
  for (let i = 0; i < samples.t.length; i++) {
    const slot = Math.floor((samples.t[i]! - start) / slotMs);
    if (slot < 0 || slot >= slots) continue;
    const v = samples.v[i]!;
    if (current?.slot !== slot) {
      if (current) current.avg = sum / current.count;
      current = { slot, count: 0, min: v, max: v, avg: 0, last: v };
      sum = 0;
      out.push(current);
    }
    current.count++;
    sum += v;
    if (v < current.min) current.min = v;
    if (v > current.max) current.max = v;
    current.last = v;
  }
  if (current) current.avg = sum / current.count;
  return out;
}

/**
 * Rollups (sorted by slot, at most `slots`) as a block; values rounded to `precision`, averages to at
 * least four significant digits: the average of whole numbers (`up`, counts) is a share that rounding to
 * the metric's own precision would erase (11 good polls of 12 would read 1).
 */
export function encodeRollupBlock(rollups: readonly Rollup[], slots: number, precision: Precision): Buffer {
  const w = new ByteWriter();
  const bitmap = new Uint8Array(Math.ceil(slots / 8));
  for (const r of rollups) bitmap[r.slot >> 3]! |= 1 << (r.slot & 7);
  w.bytes(bitmap);
  writeValues(w, rollups.map((r) => r.count), EXACT_INTEGER);
  writeValues(w, rollups.map((r) => r.min), precision);
  writeValues(w, rollups.map((r) => r.max), precision);
  writeValues(w, rollups.map((r) => r.avg), averagePrecision(precision));
  writeValues(w, rollups.map((r) => r.last), precision);
  return packBlock(w.view());
}

/** The precision rollup averages keep for a metric of precision `p`: at least 4 digits, to 10^-4. */
export function averagePrecision(p: Precision): Precision {
  return { digits: Math.max(p.digits, 4), minExponent: Math.min(p.minExponent, -4) };
}

export function decodeRollupBlock(block: Uint8Array, slots: number): Rollup[] {
  const r = new ByteReader(unpackBlock(block));
  const bitmap = r.bytes(Math.ceil(slots / 8));
  const present: number[] = [];
  for (let s = 0; s < slots; s++) if (bitmap[s >> 3]! & (1 << (s & 7))) present.push(s);
  const n = present.length;
  const count = readValues(r, n);
  const min = readValues(r, n);
  const max = readValues(r, n);
  const avg = readValues(r, n);
  const last = readValues(r, n);
  return end(r, present.map((slot, i) => ({ slot, count: count[i]!, min: min[i]!, max: max[i]!, avg: avg[i]!, last: last[i]! })));
}

/**
 * One snapshot in a head record: its time (ms) and its samples as (series id, value, the value's
 * precision). Decoded entries have no precisions: their values are already rounded.
 */
export interface HeadEntry {
  t: number;
  ids: number[];
  values: number[];
  precisions?: Precision[];
}

/**
 * The samples of one flush, each value rounded to its precision and written as its own mantissa and
 * exponent: replay restores exactly the doubles the engine held in memory.
 */
export function encodeHeadRecord(entries: readonly HeadEntry[]): Buffer {
  const w = new ByteWriter();
  w.varint(entries.length);
  let previousT = 0;
  for (const entry of entries) {
    w.zigzag(entry.t - previousT);
    previousT = entry.t;
    w.varint(entry.ids.length);
    let previousId = 0;
    for (const id of entry.ids) {
      w.zigzag(id - previousId);
      previousId = id;
    }
    for (let i = 0; i < entry.values.length; i++) writeValue(w, entry.values[i]!, entry.precisions![i]!);
  }
  return packBlock(w.view());
}

export function decodeHeadRecord(block: Uint8Array): HeadEntry[] {
  const r = new ByteReader(unpackBlock(block));
  const count = r.varint();
  const entries: HeadEntry[] = [];
  let t = 0;
  for (let e = 0; e < count; e++) {
    t += r.zigzag();
    const n = r.varint();
    const ids = new Array<number>(n);
    let id = 0;
    for (let i = 0; i < n; i++) ids[i] = id += r.zigzag();
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) values[i] = readValue(r);
    entries.push({ t, ids, values });
  }
  return end(r, entries);
}

