/**
 * The arithmetic of a report over downsampled series (buckets of avg/min/max): summaries, percentiles,
 * sums over devices, chart points, a least-squares line. Pure functions, no store.
 */
import type { Point } from '../../../shared/api.ts';

/** A series' buckets as columns (same order as the points: by time, no empty buckets). */
export interface Columns {
  t: Float64Array;
  avg: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/** min/avg/p95/max of a series' buckets, null when it has none (see shared/report.ts ResourceSummary). */
export interface Summary {
  min: number | null;
  avg: number | null;
  p95: number | null;
  max: number | null;
}

/** A query's points (t ms, avg/min/max in the metric's unit) as columns. */
export function toColumns(points: readonly Point[]): Columns {
  const n = points.length;
  const c: Columns = { t: new Float64Array(n), avg: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    c.t[i] = p.t;
    c.avg[i] = p.avg;
    c.min[i] = p.min;
    c.max[i] = p.max;
  }
  return c;
}

/**
 * min of the bucket minima, max of the maxima, the mean of the bucket averages (each bucket weighing the
 * same: they are equally wide and the points carry no counts) and the nearest-rank 95th percentile of
 * the averages. All null without buckets.
 */
export function summarize(c: Columns): Summary {
  const n = c.t.length;
  if (n === 0) return { min: null, avg: null, p95: null, max: null };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (c.min[i]! < min) min = c.min[i]!;
    if (c.max[i]! > max) max = c.max[i]!;
    sum += c.avg[i]!;
  }
  return { min, avg: sum / n, p95: percentile(c.avg, 0.95), max };
}

/**
 * The nearest-rank percentile `p` (0 < p ≤ 1) of `values`: the smallest value with at least p of them at
 * or below it, i.e. sorted[ceil(p × n) − 1]. NaN for no values. Does not change `values`.
 */
export function percentile(values: Float64Array | readonly number[], p: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  // Selection, not a sort: 43,200 buckets per series on a 30-day report, hundreds of series.
  return select(Float64Array.from(values), Math.max(0, Math.ceil(p * n) - 1));
}

/** The k-th smallest (0-based) of `a`, reordering `a` (Hoare's quickselect, median-of-three pivots). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot: sorted or constant runs (common in metrics) stay O(n).
    const x = a[lo]!, y = a[mid]!, z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * The sum of several series of the same buckets (same origin and step), bucket by bucket over the ones
 * present: avg, min and max each summed. A bucket present in any series is present in the sum.
 */
export function sumColumns(series: readonly Columns[], step: number): Columns {
  if (series.length === 1) return series[0]!;
  let first = Infinity;
  let last = -Infinity;
  for (const s of series) {
    if (s.t.length === 0) continue;
    first = Math.min(first, s.t[0]!);
    last = Math.max(last, s.t[s.t.length - 1]!);
  }
  if (first === Infinity) return toColumns([]);
  // Buckets share an origin and a step, so a bucket's index is exact; an array beats a Map at 43,200 buckets.
  const slots = Math.round((last - first) / step) + 1;
  const present = new Uint8Array(slots);
  const avg = new Float64Array(slots);
  const min = new Float64Array(slots);
  const max = new Float64Array(slots);
  for (const s of series) {
    for (let i = 0; i < s.t.length; i++) {
      const k = Math.round((s.t[i]! - first) / step);
      present[k] = 1;
      avg[k]! += s.avg[i]!;
      min[k]! += s.min[i]!;
      max[k]! += s.max[i]!;
    }
  }
  let n = 0;
  for (let k = 0; k < slots; k++) n += present[k]!;
  const out: Columns = { t: new Float64Array(n), avg: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) };
  for (let k = 0, j = 0; k < slots; k++) {
    if (!present[k]) continue;
    out.t[j] = first + k * step;
    out.avg[j] = avg[k]!;
    out.min[j] = min[k]!;
    out.max[j] = max[k]!;
    j++;
  }
  return out;
}

/**
 * At most `maxPoints` chart points: consecutive buckets grouped in fixed time slices from `origin` (the
 * first bucket's possible start), each point the mean of the averages in its slice; slices without data
 * have no point, so gaps stay gaps. `to`: the range's end (inclusive).
 */
export function chartPoints(c: Columns, origin: number, step: number, to: number, maxPoints: number): { t: number; value: number }[] {
  const slots = Math.floor((to - origin) / step) + 1;
  const width = Math.max(1, Math.ceil(slots / maxPoints)) * step;
  const out: { t: number; value: number }[] = [];
  let group = Number.NaN;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < c.t.length; i++) {
    const g = Math.floor((c.t[i]! - origin) / width);
    if (g !== group) {
      if (count > 0) out.push({ t: origin + group * width, value: sum / count });
      group = g;
      sum = 0;
      count = 0;
    }
    sum += c.avg[i]!;
    count++;
  }
  if (count > 0) out.push({ t: origin + group * width, value: sum / count });
  return out;
}

/** Least-squares line y = intercept + slope × x; null with fewer than two distinct x. */
export function linearFit(x: Float64Array | readonly number[], y: Float64Array | readonly number[]): { slope: number; intercept: number } | null {
  const n = x.length;
  if (n < 2) return null;
  // Centred sums: epoch milliseconds squared would lose the slope to rounding.
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (y[i]! - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
