/** The geometry of a sparkline: one series of buckets as SVG path data, gaps kept. */
import type { Point } from '../../../shared/api.ts';

export interface Sparkline {
  /** SVG path data, one subpath per run of two or more consecutive buckets (gaps stay gaps). */
  path: string;
  /** Buckets with no neighbour, drawn as dots (a one-point line draws nothing). */
  dots: { x: number; y: number }[];
  /** The highest and lowest bucket averages drawn (the top of the scale is a little above the highest). */
  max: number;
  min: number;
  /** The newest bucket's average. */
  last: number;
}

/**
 * The sparkline of `points` (bucket starts `t`, averages) over [from, to] in a width × height box,
 * the y scale from 0 to a little above the highest value. Buckets more than 1.5 steps apart are
 * separate subpaths; a lone bucket is a dot. Null without points.
 */
export function sparkline(points: readonly Point[], from: number, to: number, step: number, width: number, height: number): Sparkline | null {
  const pts = points.filter((p) => Number.isFinite(p.avg)).sort((a, b) => a.t - b.t);
  if (pts.length === 0 || to <= from) return null;
  let max = 0;
  let min = Infinity;
  for (const p of pts) {
    max = Math.max(max, p.avg);
    min = Math.min(min, p.avg);
  }
  const top = max > 0 ? max * 1.15 : 1;
  const pad = 1.5;
  const x = (t: number) => Math.round(((t + step / 2 - from) / (to - from)) * width * 10) / 10;
  const y = (v: number) => Math.round((height - pad - (v / top) * (height - 2 * pad)) * 10) / 10;
  // Runs of consecutive buckets: two or more make a line, one a dot.
  const runs: { x: number; y: number }[][] = [];
  let prev: Point | null = null;
  for (const p of pts) {
    const at = { x: Math.min(width, Math.max(0, x(p.t))), y: y(p.avg) };
    if (prev === null || p.t - prev.t > step * 1.5) runs.push([at]);
    else runs[runs.length - 1]!.push(at);
    prev = p;
  }
  const path = runs.filter((r) => r.length > 1).map((r) => r.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join('')).join('');
  const dots = runs.filter((r) => r.length === 1).map((r) => r[0]!);
  return { path, dots, max, min, last: pts[pts.length - 1]!.avg };
}
