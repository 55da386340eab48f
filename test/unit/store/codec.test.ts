/** The history codec: value precision, value and timestamp columns, single values, block framing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  ByteReader, ByteWriter, EXACT_INTEGER, packBlock, precisionOf, quantize, readTimes, readValue, readValues,
  unpackBlock, writeTimes, writeValue, writeValues, type Precision,
} from '../../../electron/core/store/codec.ts';

/** One metric per unit of the catalog, one outside it, and the exact integer precision. */
const PRECISIONS: [string, Precision][] = [
  ['ratio (1)', precisionOf('system.cpu.utilization')],
  ['bytes (By)', precisionOf('system.memory.usage')],
  ['byte rate (By/s)', precisionOf('system.network.io')],
  ['seconds (s)', precisionOf('system.uptime')],
  ['temperature (Cel)', precisionOf('hw.temperature')],
  ['count ({count})', precisionOf('system.process.count')],
  ['operations ({operation}/s)', precisionOf('system.disk.operations')],
  ['load average ({thread})', precisionOf('system.cpu.load_average.1m')],
  ['a metric outside the catalog', precisionOf('some.exporter.metric')],
  ['EXACT_INTEGER', EXACT_INTEGER],
];
const precisionArb = fc.constantFrom(...PRECISIONS.map(([, p]) => p));

const EDGE_VALUES = [
  0, -0, 5e-324, -5e-324, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1e-300, -1e-300, 1e300, -1e300,
  2 ** 53, -(2 ** 53), 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e22, 1e23, 9.999999999999999e22, 0.1, 0.5, 1 / 3,
  999.9999999999999, 9999.5, 99995, 0.00005, 0.000049999, 1.7976931348623157e308, 2.2250738585072014e-308,
];
/** Any finite double, with fast-check's bias towards edge values, or one of ours. */
const finiteArb = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(...EDGE_VALUES),
  // Ordinary magnitudes, where most real values live.
  fc.double({ min: -1e12, max: 1e12, noNaN: true }),
);

/** floor(log10 |v|), exactly (the shortest decimal form of a double has the same leading digit position). */
function decimalExponent(v: number): number {
  return Number(Math.abs(v).toExponential().split('e')[1]);
}

/** The documented bound: half a unit of the last kept digit (a whole unit where rounding up would overflow). */
function bound(v: number, p: Precision): number {
  const e = Math.max(decimalExponent(v) - p.digits + 1, p.minExponent);
  const unit = 10 ** e;
  return (Math.abs(v) > 1e308 ? unit : unit / 2) * (1 + 1e-12) + Math.abs(v) * 2 ** -51;
}

test('quantize is idempotent, keeps the sign, and stays within half a unit of the last kept digit', () => {
  fc.assert(fc.property(finiteArb, precisionArb, (v, p) => {
    const q = quantize(v, p);
    assert.ok(Number.isFinite(q), `${v} → ${q}`);
    assert.ok(Object.is(quantize(q, p), q), `quantize(${q}) = ${quantize(q, p)}, not idempotent (from ${v})`);
    assert.ok(Math.abs(q - v) <= bound(v, p), `|${q} − ${v}| > ${bound(v, p)} at ${JSON.stringify(p)}`);
    assert.ok(q === 0 || Math.sign(q) === Math.sign(v), `${v} → ${q} changed sign`);
    assert.ok(!Object.is(q, -0), '-0 becomes 0');
  }), { numRuns: 3000 });
});

test('quantize rounds half away from zero on the kept digits', () => {
  const ratio = precisionOf('system.cpu.utilization'); // 4 digits, 1e-4 at least
  assert.equal(quantize(0.12345, ratio), 0.1235);
  assert.equal(quantize(-0.12345, ratio), -0.1235);
  assert.equal(quantize(0.00004, ratio), 0);
  assert.equal(quantize(0.00005, ratio), 0.0001);
  assert.equal(quantize(0.99996, ratio), 1);
  const bytes = precisionOf('system.memory.usage'); // 4 digits, integers
  assert.equal(quantize(123_456_789, bytes), 123_500_000);
  assert.equal(quantize(0.4, bytes), 0);
  assert.equal(quantize(2.5, bytes), 3);
  assert.equal(quantize(99_995, bytes), 100_000);
});

test('values with no more significant digits than the precision keeps are exact', () => {
  // Integers below 10^digits, decimals no finer than 10^minExponent, times a power of ten up to 10^22.
  const exactArb = precisionArb.chain((p) => fc.record({
    p: fc.constant(p),
    m: fc.integer({ min: -(10 ** p.digits) + 1, max: 10 ** p.digits - 1 }),
    // m × 10^-d with d ≤ -minExponent, or m × 10^k with k ≤ 22 - digits (a decimal the codec keeps exactly).
    shift: fc.integer({ min: Math.max(p.minExponent, -22), max: Math.max(0, 22 - p.digits) }),
  }));
  fc.assert(fc.property(exactArb, ({ p, m, shift }) => {
    const v = shift < 0 ? m / 10 ** -shift : m * 10 ** shift;
    assert.ok(Object.is(quantize(v, p), v === 0 ? 0 : v), `${v} at ${JSON.stringify(p)} became ${quantize(v, p)}`);
  }), { numRuns: 3000 });
  // The two cases the UI cares most about.
  const load = precisionOf('system.cpu.load_average.1m');
  for (let i = 0; i < 100_000; i += 7) assert.equal(quantize(i / 100, load), i / 100);
  for (let i = 0; i <= 10_000; i++) assert.equal(quantize(i / 10_000, precisionOf('system.cpu.utilization')), i / 10_000);
  for (const n of [0, 1, 65_535, 2 ** 31, 10 ** 15 - 1]) assert.equal(quantize(n, EXACT_INTEGER), n);
});

/** The column written by writeValues, read back. */
function roundTripValues(values: number[], p: Precision): { out: number[]; bytes: Uint8Array } {
  const w = new ByteWriter();
  writeValues(w, values, p);
  w.byte(0xab); // a sentinel: the column must end exactly where it says
  const r = new ByteReader(w.view());
  const out = readValues(r, values.length);
  assert.equal(r.byte(), 0xab, 'the column read as many bytes as it wrote');
  assert.ok(r.done);
  return { out, bytes: w.view().slice() };
}

function assertSameDoubles(actual: number[], expected: number[], context: string): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Object.is(actual[i], expected[i]), `${context}: [${i}] read ${actual[i]}, expected ${expected[i]}`);
  }
}

test('writeValues → readValues returns exactly values.map(quantize), for any finite doubles', () => {
  const columnArb = fc.oneof(
    fc.array(finiteArb, { maxLength: 60 }),
    // One magnitude, as a real series has: the compact decimal form.
    fc.tuple(fc.integer({ min: -30, max: 30 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 60 }))
      .map(([k, xs]) => xs.map((x) => x * 10 ** k)),
  );
  fc.assert(fc.property(columnArb, precisionArb, (values, p) => {
    const { out } = roundTripValues(values, p);
    assertSameDoubles(out, values.map((v) => quantize(v, p)), JSON.stringify(p));
  }), { numRuns: 1500 });
});

test('edge values round-trip in one column, and mixed magnitudes fall back to float64 without loss', () => {
  for (const [name, p] of PRECISIONS) {
    const all = roundTripValues(EDGE_VALUES, p);
    assertSameDoubles(all.out, EDGE_VALUES.map((v) => quantize(v, p)), name);
    for (const v of EDGE_VALUES) assertSameDoubles(roundTripValues([v, v, 0, v], p).out, [v, v, 0, v].map((x) => quantize(x, p)), `${name} ${v}`);
  }
  const p = precisionOf('some.exporter.metric');
  // Scaled to one exponent these need mantissas far beyond 2^51: the column must be float64, 8 bytes a value.
  const mixed = [1e-20, 1e20, 123.456, -7e-15, 5e21];
  const { out, bytes } = roundTripValues(mixed, p);
  assertSameDoubles(out, mixed.map((v) => quantize(v, p)), 'mixed');
  assert.ok(bytes.length >= 8 * mixed.length, `${bytes.length} bytes: not the float64 form`);
  // Every order of a column that needs the fallback only at its third value or later.
  const wide = [5, 1e-4, 1e7, -3.3e-9, 0];
  for (const perm of permutations(wide)) assertSameDoubles(roundTripValues(perm, p).out, perm.map((v) => quantize(v, p)), `[${perm}]`);
  // Values beyond 10^22 (inexact powers of ten) go the same way.
  const huge = [1e300, 3e300, -Number.MAX_VALUE];
  assertSameDoubles(roundTripValues(huge, p).out, huge.map((v) => quantize(v, p)), 'huge');
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

test('a column that falls back to float64 keeps every value unscaled (5 stays 5 beside 1e-4 and 1e7)', () => {
  // writeValues scales mantissas in place while checking they fit, and the float64 fallback then composes
  // the already scaled mantissas with their own exponents: here 5 (exponent -5) was scaled by 10^4 to
  // the column's exponent -9 (of 1e-4) before 1e7 overflowed 2^51.
  const p = precisionOf('some.exporter.metric');
  const w = new ByteWriter();
  writeValues(w, [5, 1e-4, 1e7], p);
  assert.deepEqual(readValues(new ByteReader(w.view()), 3), [5, 1e-4, 1e7]);
});

test('quantize keeps every digit just below 10^15 at 15 digits, where Math.log10 rounds up', () => {
  // exponentOf corrects a magnitude one too low, not one too high: log10(999999999999999) === 15.
  assert.equal(quantize(999_999_999_999_999, EXACT_INTEGER), 999_999_999_999_999);
  assert.equal(quantize(9_999_999_999_999_990, EXACT_INTEGER), 9_999_999_999_999_990);
});

test('an ordinary series is compact: a drifting ratio costs under 2 bytes a value, a constant one under 1.1', () => {
  const ratio = precisionOf('system.cpu.utilization');
  const drifting = Array.from({ length: 1000 }, (_, i) => 0.3 + 0.05 * Math.sin(i / 20) + (i % 7) * 0.001);
  const a = roundTripValues(drifting, ratio);
  assertSameDoubles(a.out, drifting.map((v) => quantize(v, ratio)), 'drifting');
  assert.ok(a.bytes.length < 2 * 1000, `${a.bytes.length} bytes`);
  const constant = roundTripValues(Array.from({ length: 1000 }, () => 0.25), ratio);
  assert.ok(constant.bytes.length < 1.1 * 1000, `${constant.bytes.length} bytes`);
});

test('writeTimes → readTimes round-trips increasing integer ms with jitter, gaps and big jumps', () => {
  const stepArb = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 4950, max: 5050 }) }, // a 5 s poll with tens of ms of jitter
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 10 }) },
    { weight: 1, arbitrary: fc.integer({ min: 3_600_000, max: 30 * 86_400_000 }) }, // hours to a month off
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 40 }) },
  );
  const timesArb = fc.tuple(fc.integer({ min: 0, max: 2 ** 42 }), fc.array(stepArb, { maxLength: 200 }))
    .map(([start, steps]) => {
      const out = [start];
      for (const s of steps) out.push(out.at(-1)! + s);
      return out;
    });
  fc.assert(fc.property(fc.oneof(timesArb, fc.constant([])), (times) => {
    const w = new ByteWriter();
    writeTimes(w, times);
    w.byte(0xcd);
    const r = new ByteReader(w.view());
    assert.deepEqual(readTimes(r), times);
    assert.equal(r.byte(), 0xcd);
  }), { numRuns: 1000 });
  // A steady poll with jitter costs about a byte a timestamp.
  const steady = [1_750_000_000_000];
  for (let i = 1; i < 1000; i++) steady.push(1_750_000_000_000 + i * 5000 + ((i * 37) % 61) - 30);
  const w = new ByteWriter();
  writeTimes(w, steady);
  assert.ok(w.length < 1.6 * 1000, `${w.length} bytes for 1000 timestamps`);
});

test('writeValue → readValue returns exactly quantize(value), one after another', () => {
  fc.assert(fc.property(fc.array(fc.tuple(finiteArb, precisionArb), { minLength: 1, maxLength: 30 }), (pairs) => {
    const w = new ByteWriter();
    for (const [v, p] of pairs) writeValue(w, v, p);
    const r = new ByteReader(w.view());
    for (const [v, p] of pairs) {
      const read = readValue(r);
      assert.ok(Object.is(read, quantize(v, p)), `${v} → ${read}, expected ${quantize(v, p)}`);
    }
    assert.ok(r.done);
  }), { numRuns: 1500 });
});

test('packBlock → unpackBlock round-trips any payload, deflating only what shrinks', () => {
  const payloadArb = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 200 }))
      .map(([unit, times]) => new Uint8Array(Array.from({ length: times }, () => [...unit]).flat())),
  );
  fc.assert(fc.property(payloadArb, (payload) => {
    const block = packBlock(payload);
    assert.deepEqual(new Uint8Array(unpackBlock(block)), payload);
    assert.ok(block.length <= payload.length + 1, 'never more than one byte of overhead');
  }), { numRuns: 800 });
  const repetitive = new Uint8Array(4000).fill(7);
  assert.ok(packBlock(repetitive).length < 100);
});

test('a truncated block throws instead of decoding to something', () => {
  fc.assert(fc.property(fc.array(finiteArb, { minLength: 1, maxLength: 40 }), precisionArb, fc.boolean(), (values, p, compressible) => {
    const w = new ByteWriter();
    writeTimes(w, values.map((_, i) => 1_750_000_000_000 + i * (compressible ? 5000 : 7919 * i)));
    writeValues(w, compressible ? values.map(() => values[0]!) : values, p);
    const block = packBlock(w.view());
    const decode = (bytes: Uint8Array) => {
      const r = new ByteReader(unpackBlock(bytes));
      readValues(r, readTimes(r).length);
    };
    decode(block);
    for (let n = 0; n < block.length; n++) {
      assert.throws(() => decode(block.subarray(0, n)), `a block cut to ${n} of ${block.length} bytes decoded`);
    }
  }), { numRuns: 150 });
});

test('garbage throws: an unknown block format, an unknown column kind, corrupt deflate data, an overlong varint', () => {
  for (const format of [2, 3, 0x78, 0xff]) assert.throws(() => unpackBlock(Uint8Array.of(format, 1, 2, 3)), RangeError);
  assert.throws(() => unpackBlock(new Uint8Array(0)), RangeError);
  assert.throws(() => unpackBlock(Uint8Array.of(1, 0xff, 0xff, 0xff, 0xff, 0xff)));
  for (const kind of [2, 9, 0xff]) assert.throws(() => readValues(new ByteReader(Uint8Array.of(kind, 0, 0)), 1), RangeError);
  assert.throws(() => new ByteReader(new Uint8Array(10).fill(0xff)).varint(), RangeError);
  assert.throws(() => readTimes(new ByteReader(Uint8Array.of(5, 1, 2))), RangeError);
  assert.throws(() => readValue(new ByteReader(Uint8Array.of(46, 1, 2))), RangeError); // float64 form cut short
});
