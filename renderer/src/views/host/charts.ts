/**
 * The host view's charts: what each one plots (metrics, how series combine, units, which rules' thresholds
 * to draw) and the pure functions that turn `metrics.query` results and live snapshots into chart rows.
 *
 * A row is `{ t, [key]: avg | null, [key_band]: [min, max] | null }`: one per bucket of `step` ms.
 * Series of several devices (network, disk) are summed per bucket; their band is the sum of the
 * minimums to the sum of the maximums, a conservative envelope.
 */
import type { SeriesData, Snapshot } from '../../../../shared/api.ts';
import type { MetricUnit } from '../../../../shared/metrics.ts';
import { Attr } from '../../../../shared/metrics.ts';

export type Range = '5m' | '1h' | '6h' | '24h' | '7d' | '30d';

export const RANGES: readonly { id: Range; label: string; ms: number; live: boolean }[] = [
  { id: '5m', label: '5 min', ms: 5 * 60_000, live: true },
  { id: '1h', label: '1 hour', ms: 3600_000, live: true },
  { id: '6h', label: '6 hours', ms: 6 * 3600_000, live: false },
  { id: '24h', label: '24 hours', ms: 24 * 3600_000, live: false },
  { id: '7d', label: '7 days', ms: 7 * 86400_000, live: false },
  { id: '30d', label: '30 days', ms: 30 * 86400_000, live: false },
];

export interface SeriesSpec {
  /** Row key of this line. */
  key: string;
  label: string;
  metric: string;
  /** Which series of `metric` feed this line (all matching ones are summed). */
  accepts(attributes: Readonly<Record<string, string>>): boolean;
  color: string;
}

export interface ChartSpec {
  id: 'cpu' | 'memory' | 'load' | 'network' | 'disk';
  title: string;
  unit: MetricUnit;
  /** Fixed y maximum (1 for ratios); otherwise the data's. */
  yMax?: number;
  series: readonly SeriesSpec[];
  /** Rules on these metrics watching a whole-host series (no attributes) are drawn as thresholds. */
  thresholdMetrics: readonly string[];
  /** Matchers per metric for `metrics.query`, so the engine sends only the series drawn ('' = lacks it). */
  matchers?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const noAttributes = (a: Readonly<Record<string, string>>) => Object.keys(a).length === 0;
const direction = (key: string, value: string) => (a: Readonly<Record<string, string>>) => a[key] === value;

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'cpu', title: 'CPU', unit: '1', yMax: 1,
    series: [{ key: 'cpu', label: 'CPU', metric: 'system.cpu.utilization', accepts: noAttributes, color: 'var(--series-1)' }],
    thresholdMetrics: ['system.cpu.utilization'],
    matchers: { 'system.cpu.utilization': { 'cpu.logical_number': '' } },
  },
  {
    id: 'memory', title: 'Memory used', unit: '1', yMax: 1,
    series: [{ key: 'mem', label: 'Memory', metric: 'system.memory.utilization', accepts: noAttributes, color: 'var(--series-2)' }],
    thresholdMetrics: ['system.memory.utilization'],
  },
  {
    id: 'load', title: 'Load average', unit: '{thread}',
    series: [
      { key: 'l1', label: '1 min', metric: 'system.cpu.load_average.1m', accepts: noAttributes, color: 'var(--series-1)' },
      { key: 'l5', label: '5 min', metric: 'system.cpu.load_average.5m', accepts: noAttributes, color: 'var(--series-2)' },
      { key: 'l15', label: '15 min', metric: 'system.cpu.load_average.15m', accepts: noAttributes, color: 'var(--series-3)' },
    ],
    thresholdMetrics: ['system.cpu.load_average.1m', 'system.cpu.load_average.5m', 'system.cpu.load_average.15m'],
  },
  {
    id: 'network', title: 'Network I/O (all interfaces)', unit: 'By/s',
    series: [
      { key: 'rx', label: 'Received', metric: 'system.network.io', accepts: direction(Attr.networkDirection, 'receive'), color: 'var(--series-1)' },
      { key: 'tx', label: 'Transmitted', metric: 'system.network.io', accepts: direction(Attr.networkDirection, 'transmit'), color: 'var(--series-2)' },
    ],
    thresholdMetrics: [],
  },
  {
    id: 'disk', title: 'Disk I/O (all devices)', unit: 'By/s',
    series: [
      { key: 'read', label: 'Read', metric: 'system.disk.io', accepts: direction(Attr.diskDirection, 'read'), color: 'var(--series-1)' },
      { key: 'write', label: 'Written', metric: 'system.disk.io', accepts: direction(Attr.diskDirection, 'write'), color: 'var(--series-2)' },
    ],
    thresholdMetrics: [],
  },
];

/** The metrics a chart queries (one `metrics.query` each). */
export function chartMetrics(spec: ChartSpec): string[] {
  return [...new Set(spec.series.map((s) => s.metric))];
}

export type Band = [number, number];
/** One bucket. `n` counts the snapshots merged live into it (0 for queried buckets). */
export interface Row {
  t: number;
  n: number;
  [key: string]: number | Band | null;
}

/** Rows from the query results (one per metric), buckets summed per line. */
export function rowsFromQuery(spec: ChartSpec, results: ReadonlyMap<string, readonly SeriesData[]>): Row[] {
  const byT = new Map<number, Row>();
  for (const line of spec.series) {
    for (const series of results.get(line.metric) ?? []) {
      if (!line.accepts(series.attributes)) continue;
      for (const p of series.points) {
        let row = byT.get(p.t);
        if (!row) {
          row = { t: p.t, n: 0 };
          byT.set(p.t, row);
        }
        const avg = row[line.key];
        const band = row[`${line.key}_band`];
        row[line.key] = (typeof avg === 'number' ? avg : 0) + p.avg;
        row[`${line.key}_band`] = Array.isArray(band) ? [band[0] + p.min, band[1] + p.max] : [p.min, p.max];
      }
    }
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

/** The line values of one snapshot (a line with no matching sample is absent: unknown, not zero). */
export function valuesFromSnapshot(spec: ChartSpec, snap: Snapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of spec.series) {
    for (const s of snap.samples) {
      if (s.metric === line.metric && line.accepts(s.attributes)) out.set(line.key, (out.get(line.key) ?? 0) + s.value);
    }
  }
  return out;
}

/** Merges one live snapshot's values into `row` (its bucket), keeping avg, min and max. */
export function mergeInto(row: Row, values: ReadonlyMap<string, number>): Row {
  const n = Math.max(row.n, 1);
  const out: Row = { ...row, n: row.n + 1 };
  for (const [key, v] of values) {
    const avg = row[key];
    const band = row[`${key}_band`];
    if (typeof avg !== 'number') {
      out[key] = v;
      out[`${key}_band`] = [v, v];
    } else {
      out[key] = (avg * n + v) / (n + 1);
      out[`${key}_band`] = Array.isArray(band) ? [Math.min(band[0], v), Math.max(band[1], v)] : [v, v];
    }
  }
  return out;
}

/** A row from one snapshot, at its bucket's start. */
export function rowFromValues(t: number, values: ReadonlyMap<string, number>): Row {
  const row: Row = { t, n: 1 };
  for (const [key, v] of values) {
    row[key] = v;
    row[`${key}_band`] = [v, v];
  }
  return row;
}

/**
 * Rows for drawing: a null row inserted wherever consecutive buckets are further apart than `gapMs`,
 * so missing data is drawn as a gap and not bridged by a straight line.
 */
export function withGaps(rows: readonly Row[], gapMs: number, keys: readonly string[]): Row[] {
  const out: Row[] = [];
  let prev: Row | undefined;
  for (const row of rows) {
    if (prev && row.t - prev.t > gapMs) {
      const gap: Row = { t: prev.t + Math.min(gapMs, (row.t - prev.t) / 2), n: 0 };
      for (const key of keys) {
        gap[key] = null;
        gap[`${key}_band`] = null;
      }
      out.push(gap);
    }
    out.push(row);
    prev = row;
  }
  return out;
}
