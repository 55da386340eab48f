/**
 * The byte formats of stored history: how one value is rounded (its precision), and how columns of
 * timestamps and values become bytes.
 *
 * - Values are decimal: a value keeps `digits` significant digits, but never finer than 10^minExponent
 *   (a ratio needs no more than 0.01 %), so it is an integer mantissa m times 10^e. A column scales all
 *   its mantissas to the smallest exponent among them, then stores the deltas between neighbours as
 *   zigzag varints: a slowly drifting series costs a byte or less a sample, a constant one almost nothing
 *   once deflated. Values the decimal form cannot hold exactly (|m| ≥ 2^51 after scaling, or exponents
 *   beyond ±22, where powers of ten stop being exact doubles) make the column fall back to raw float64.
 * - Timestamps (integer ms, increasing) are delta-of-delta zigzag varints, as in Facebook's Gorilla
 *   paper: a steady poll interval with jitter costs about a byte per timestamp, and one timestamp column
 *   serves every series of a host.
 * - A block is deflated (RFC 1951, zlib) when that makes it smaller; its first byte says which.
 *
 * Varints are LEB128 (7 bits a byte, low first), written with arithmetic rather than bit operators so
 * they hold any integer up to 2^53.
 */
import zlib from 'node:zlib';
import { metricDefinition, type MetricUnit } from '../../../shared/metrics.ts';

/** How finely a value is kept: `digits` significant decimal digits, no finer than 10^minExponent. */
export interface Precision {
  readonly digits: number;
  readonly minExponent: number;
}

/**
 * Per unit: at least one digit more than the UI shows (shared/format.ts shows at most three significant
 * digits, load averages two decimals), so rounding never changes what a person reads.
 */
const UNIT_PRECISION: Record<MetricUnit, Precision> = {
  '1': { digits: 4, minExponent: -4 },
  By: { digits: 4, minExponent: 0 },
  'By/s': { digits: 4, minExponent: 0 },
  s: { digits: 6, minExponent: -3 },
  Cel: { digits: 4, minExponent: -2 },
  '{count}': { digits: 15, minExponent: 0 },
  '{operation}/s': { digits: 4, minExponent: -2 },
  '{thread}': { digits: 5, minExponent: -2 },
};

/** Metrics outside the catalog (a future check, a scraped exporter): six digits, as float32 keeps. */
const DEFAULT_PRECISION: Precision = { digits: 6, minExponent: -22 };

/** Precision of integer columns (counts): exact. */
export const EXACT_INTEGER: Precision = { digits: 15, minExponent: 0 };

/** The precision history keeps for `metric`, from its unit in the catalog. */
export function precisionOf(metric: string): Precision {
  const unit = metricDefinition(metric)?.unit;
  return unit ? UNIT_PRECISION[unit] : DEFAULT_PRECISION;
}

/** 10^i for i in 0..330, each the double nearest to the exact power (exact up to 10^22). */
const POW10 = Array.from({ length: 331 }, (_, i) => Number(`1e${i}`));
/** Beyond this exponent a power of ten is not an exact double, so scaling would round twice. */
const EXACT_POW10 = 22;
/** Mantissas stay below this so the difference of two fits a safe integer after zigzag. */
const MAX_MANTISSA = 2 ** 51;

/** m × 10^e as the double nearest to it. */
function compose(m: number, e: number): number {
  return e < 0 ? m / POW10[-e]! : m * POW10[e]!;
}

/** The exponent `value` is rounded at (see Precision), or null when it rounds to zero. */
function exponentOf(value: number, precision: Precision): number {
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  let e = Math.max(magnitude - precision.digits + 1, precision.minExponent, -EXACT_POW10);
  // log10 can be off by one next to a power of ten, either way: one digit too few shows as a mantissa
  // that still fits one exponent lower, one too many as a mantissa of digits + 1.
  const floor = Math.max(precision.minExponent, -EXACT_POW10);
  if (e > floor && Math.abs(roundMantissa(value, e - 1)) < POW10[precision.digits]!) e--;
  else if (Math.abs(roundMantissa(value, e)) >= POW10[precision.digits]!) e++;
  return e;
}

/**
 * `value` rounded to `precision` (half away from zero on the mantissa): what history stores and shows.
 * Finite values only; -0 becomes 0. Rounding is idempotent: quantize(quantize(v)) === quantize(v).
 */
export function quantize(value: number, precision: Precision): number {
  if (value === 0) return 0;
  const e = exponentOf(value, precision);
  const m = mantissaOf(value, e);
  return m === 0 ? 0 : compose(m, e);
}

/** The rounded mantissa of `value` at exponent `e`, toward zero where rounding up would overflow a double. */
function mantissaOf(value: number, e: number): number {
  const m = roundMantissa(value, e);
  return Number.isFinite(compose(m, e)) ? m : m - Math.sign(m);
}

function roundMantissa(value: number, e: number): number {
  const scaled = e < 0 ? value * POW10[-e]! : value / POW10[e]!;
  return Math.sign(scaled) * Math.round(Math.abs(scaled));
}

/** Appends bytes to a growing buffer. */
export class ByteWriter {
  #bytes = new Uint8Array(256);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  #reserve(n: number): void {
    if (this.#length + n <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + n));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }

  byte(value: number): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = value;
  }

  /** A non-negative integer ≤ 2^53 as an LEB128 varint. */
  varint(value: number): void {
    this.#reserve(8);
    while (value >= 0x80) {
      this.#bytes[this.#length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.#bytes[this.#length++] = value;
  }

  /** A signed integer, |value| < 2^52, zigzag-mapped (0, -1, 1, -2 … → 0, 1, 2, 3 …) then varint. */
  zigzag(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  float64(value: number): void {
    this.#reserve(8);
    new DataView(this.#bytes.buffer).setFloat64(this.#length, value, true);
    this.#length += 8;
  }

  bytes(data: Uint8Array): void {
    this.#reserve(data.length);
    this.#bytes.set(data, this.#length);
    this.#length += data.length;
  }

  /** The bytes written so far (a view; valid until the next write). */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

/** Reads what a ByteWriter wrote. Every read throws a RangeError past the end (a truncated block). */
export class ByteReader {
  readonly #bytes: Uint8Array;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get done(): boolean {
    return this.#offset >= this.#bytes.length;
  }

  byte(): number {
    if (this.#offset >= this.#bytes.length) throw new RangeError('truncated history block');
    return this.#bytes[this.#offset++]!;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new RangeError('varint too long in history block');
    }
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  float64(): number {
    if (this.#offset + 8 > this.#bytes.length) throw new RangeError('truncated history block');
    const value = new DataView(this.#bytes.buffer, this.#bytes.byteOffset).getFloat64(this.#offset, true);
    this.#offset += 8;
    return value;
  }

  bytes(n: number): Uint8Array {
    if (this.#offset + n > this.#bytes.length) throw new RangeError('truncated history block');
    const out = this.#bytes.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return out;
  }
}

const DECIMAL = 0;
const FLOAT64 = 1;

/**
 * Writes a column of finite values, each first rounded to `precision` (already rounded values stay as
 * they are). The reader must know the count (decodeValues' `n`).
 */
export function writeValues(w: ByteWriter, values: ArrayLike<number>, precision: Precision): void {
  const n = values.length;
  const mantissas = new Array<number>(n);
  const exponents = new Array<number>(n);
  let common = Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v === 0) {
      mantissas[i] = 0;
      exponents[i] = Infinity;
      continue;
    }
    const e = exponentOf(v, precision);
    const m = mantissaOf(v, e);
    mantissas[i] = m;
    exponents[i] = m === 0 ? Infinity : e;
    if (m !== 0 && e < common) common = e;
  }
  if (common === Infinity) common = 0;
  // Exponents above 22 compose through an inexact power of ten: kept as the doubles quantize() made.
  let decimal = true;
  for (let i = 0; i < n && decimal; i++) if (mantissas[i] !== 0 && exponents[i]! > EXACT_POW10) decimal = false;
  const scaled = new Array<number>(n);
  for (let i = 0; i < n && decimal; i++) {
    const m = mantissas[i] === 0 ? 0 : mantissas[i]! * POW10[exponents[i]! - common]!;
    if (!(Math.abs(m) < MAX_MANTISSA)) decimal = false;
    scaled[i] = m;
  }
  if (!decimal) {
    w.byte(FLOAT64);
    for (let i = 0; i < n; i++) w.float64(mantissas[i] === 0 ? 0 : compose(mantissas[i]!, exponents[i]!));
    return;
  }
  w.byte(DECIMAL);
  w.zigzag(common);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    w.zigzag(scaled[i]! - previous);
    previous = scaled[i]!;
  }
}

/** Reads `n` values written by writeValues. Throws a RangeError on a truncated or unknown column. */
export function readValues(r: ByteReader, n: number): number[] {
  const kind = r.byte();
  const out = new Array<number>(n);
  if (kind === FLOAT64) {
    for (let i = 0; i < n; i++) out[i] = r.float64();
    return out;
  }
  if (kind !== DECIMAL) throw new RangeError(`unknown value column kind ${kind}`);
  const e = r.zigzag();
  let m = 0;
  for (let i = 0; i < n; i++) {
    m += r.zigzag();
    out[i] = m === 0 ? 0 : compose(m, e);
  }
  return out;
}

/**
 * Writes one finite value rounded to `precision` as its own exponent and mantissa (a float64 where the
 * decimal form cannot hold it), so readValue returns exactly quantize(value, precision).
 */
export function writeValue(w: ByteWriter, value: number, precision: Precision): void {
  if (value === 0) {
    w.zigzag(0);
    w.zigzag(0);
    return;
  }
  const e = exponentOf(value, precision);
  const m = mantissaOf(value, e);
  if (e > EXACT_POW10) {
    w.zigzag(EXACT_POW10 + 1);
    w.float64(compose(m, e));
    return;
  }
  w.zigzag(e);
  w.zigzag(m);
}

/** Reads a value written by writeValue. */
export function readValue(r: ByteReader): number {
  const e = r.zigzag();
  if (e > EXACT_POW10) return r.float64();
  const m = r.zigzag();
  return m === 0 ? 0 : compose(m, e);
}

/** Writes strictly increasing integer timestamps (ms), count first: delta of delta, zigzag varints. */
export function writeTimes(w: ByteWriter, times: ArrayLike<number>): void {
  const n = times.length;
  w.varint(n);
  if (n === 0) return;
  w.varint(times[0]!);
  let previousDelta = 0;
  for (let i = 1; i < n; i++) {
    const delta = times[i]! - times[i - 1]!;
    w.zigzag(delta - previousDelta);
    previousDelta = delta;
  }
}

/** Reads a column written by writeTimes. */
export function readTimes(r: ByteReader): number[] {
  const n = r.varint();
  const out = new Array<number>(n);
  if (n === 0) return out;
  let t = r.varint();
  out[0] = t;
  let delta = 0;
  for (let i = 1; i < n; i++) {
    delta += r.zigzag();
    t += delta;
    out[i] = t;
  }
  return out;
}

const PLAIN = 0;
const DEFLATED = 1;
/** Below this, deflate's own framing outweighs what it saves. */
const MIN_DEFLATE = 48;

/** A finished block: its bytes deflated when that is smaller, behind one byte that says which. */
export function packBlock(payload: Uint8Array): Buffer {
  if (payload.length >= MIN_DEFLATE) {
    const deflated = zlib.deflateRawSync(payload, { level: 9 });
    if (deflated.length + 1 < payload.length + 1) return Buffer.concat([Buffer.of(DEFLATED), deflated]);
  }
  return Buffer.concat([Buffer.of(PLAIN), payload]);
}

/** The payload of a block made by packBlock. Throws on an unknown format or corrupt deflate data. */
export function unpackBlock(block: Uint8Array): Uint8Array {
  const body = block.subarray(1);
  switch (block[0]) {
    case PLAIN: return body;
    case DEFLATED: return zlib.inflateRawSync(body);
    default: throw new RangeError(`unknown history block format ${block[0]}`);
  }
}
