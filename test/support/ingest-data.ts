/**
 * The synthetic fleet the crash test ingests (test/support/ingest-worker.ts) and checks
 * (test/integration/store-crash.test.ts): which hosts and series exist, when each host's snapshots are
 * taken, and every sample's value, all deterministic, so the checker recomputes what the worker wrote.
 *
 * Simulated time moves on a grid of 5 s steps; each host's snapshot lands a few ms after the grid point
 * (the jitter real polling has). Now and then the clock jumps forward (minutes, rarely hours), so hour
 * windows end, and get sealed, every few hundred batches. Values have at most 4 significant digits and
 * no finer decimals than their unit keeps (ratios in steps of 1e-4, load averages of 0.01, counts whole),
 * so the store's quantization (electron/core/store/codec.ts) keeps them as they are.
 */
import type { Sample, Snapshot } from '../../shared/api.ts';
import { Attr, seriesKey, type Attributes } from '../../shared/metrics.ts';

/** First grid point: 2025-06-15T00:00:00Z. */
export const T0 = Date.UTC(2025, 5, 15);
export const STEP_MS = 5000;
export const HOUR_MS = 3_600_000;

export const HOSTS = ['web-1', 'web-2', 'db-1', 'cache-1', 'backup-1'] as const;

type Kind = 'ratio' | 'bytes' | 'rate' | 'load' | 'count' | 'constant';

export interface SeriesDef {
  metric: string;
  attributes: Attributes;
  kind: Kind;
  /** Decimal exponent of byte-like values: mantissa 1000–9999 × 10^exp. */
  exp: number;
  key: string;
}

function def(metric: string, attributes: Attributes, kind: Kind, exp = 0): SeriesDef {
  return { metric, attributes, kind, exp, key: seriesKey(metric, attributes) };
}

/** 41 series per host, shaped like what the collectors produce. */
export const SERIES: readonly SeriesDef[] = [
  ...Array.from({ length: 8 }, (_, cpu) => def('system.cpu.utilization', { [Attr.cpu]: String(cpu) }, 'ratio')),
  def('system.cpu.load_average.1m', {}, 'load'),
  def('system.cpu.load_average.5m', {}, 'load'),
  def('system.cpu.load_average.15m', {}, 'load'),
  ...['used', 'free', 'cached', 'buffers'].map((state) =>
    def('system.memory.usage', { [Attr.memoryState]: state }, 'bytes', 6)),
  def('system.memory.limit', {}, 'constant'),
  def('system.memory.utilization', {}, 'ratio'),
  ...['used', 'free'].map((state) => def('system.paging.usage', { [Attr.pagingState]: state }, 'bytes', 5)),
  ...['/', '/var'].flatMap((mount) => ['used', 'free', 'reserved'].map((state) =>
    def('system.filesystem.usage', { [Attr.mountpoint]: mount, [Attr.filesystemState]: state }, 'bytes', 7))),
  ...['/', '/var'].map((mount) => def('system.filesystem.utilization', { [Attr.mountpoint]: mount }, 'ratio')),
  ...['read', 'write'].flatMap((direction) => [
    def('system.disk.io', { [Attr.device]: 'sda', [Attr.diskDirection]: direction }, 'rate', 3),
    def('system.disk.io', { [Attr.device]: 'sdb', [Attr.diskDirection]: direction }, 'rate', 2),
    def('system.disk.operations', { [Attr.device]: 'sda', [Attr.diskDirection]: direction }, 'rate', -1),
    def('system.disk.operations', { [Attr.device]: 'sdb', [Attr.diskDirection]: direction }, 'rate', -2),
  ]),
  ...['eth0', 'lo'].flatMap((device) => ['receive', 'transmit'].map((direction) =>
    def('system.network.io', { [Attr.device]: device, [Attr.networkDirection]: direction }, 'rate', 2))),
  def('system.process.count', {}, 'count'),
];

/** Every metric name of SERIES, once. */
export const METRIC_NAMES: readonly string[] = [...new Set(SERIES.map((s) => s.metric))];

/** A 32-bit integer hash of a few small non-negative integers (murmur3's finalizer over a running mix). */
export function hash(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    // Parts may exceed 32 bits (grid numbers do not, but be safe): fold the high part in too.
    h ^= Math.floor(part / 0x1_0000_0000);
  }
  return h >>> 0;
}

/** Grid points are whole multiples of STEP_MS; their index fits in 32 bits. */
function gridIndex(grid: number): number {
  return grid / STEP_MS;
}

/** The grid point after `grid`: 5 s later, sometimes minutes later, rarely hours later. */
export function nextGrid(grid: number): number {
  const h = hash(gridIndex(grid), 7);
  if (h % 1000 === 0) return grid + STEP_MS * (720 + (h >>> 10) % 1440); // 1–3 h without data
  if (h % 150 === 1) return grid + STEP_MS * (12 + (h >>> 10) % 240); // 1–21 min without data
  return grid + STEP_MS;
}

/** The grid point a snapshot time belongs to (jitter is less than one step). */
export function gridOf(time: number): number {
  return Math.floor(time / STEP_MS) * STEP_MS;
}

/** When host `h` took its snapshot for grid point `grid`: 0–79 ms late, as real polling is. */
export function timeOf(h: number, grid: number): number {
  return grid + hash(h, gridIndex(grid), 3) % 80;
}

/** The value series `s` of host `h` has at grid point `grid`. */
export function valueOf(h: number, s: number, grid: number): number {
  const series = SERIES[s]!;
  const i = gridIndex(grid);
  const r = hash(h, s, i);
  const mantissa = 1000 + (r % 9000); // 4 significant digits
  switch (series.kind) {
    case 'ratio': return (1 + (r % 9999)) / 10_000;
    case 'load': return (r % 2000) / 100; // 0.00–19.99
    case 'count': return 50 + (r % 900);
    case 'constant': return 16_000_000_000 + h * 2_000_000_000;
    case 'bytes': return mantissa * 10 ** series.exp;
    case 'rate': {
      // Long runs of zeros (an idle disk or link), bursts otherwise: a minute at a time.
      if (hash(h, s, Math.floor(i / 12), 5) % 3 === 0) return 0;
      return series.exp >= 0 ? mantissa * 10 ** series.exp : mantissa / 10 ** -series.exp;
    }
  }
}

/** Host `h`'s snapshot for grid point `grid`. */
export function snapshotOf(h: number, grid: number): Snapshot {
  const samples: Sample[] = SERIES.map((series, s) => ({
    metric: series.metric,
    attributes: series.attributes,
    value: valueOf(h, s, grid),
  }));
  return { host: HOSTS[h]!, time: timeOf(h, grid), samples, errors: [] };
}
