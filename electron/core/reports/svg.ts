/**
 * The report's small inline SVG chart: one resource over the whole range, its lowest and highest
 * values drawn and labelled (the points are bucket averages, so the true min and max are drawn too and a
 * spike is never averaged away), gaps drawn as gaps, and a filesystem's trend line. Colours come from
 * the page's stylesheet (classes), so the chart follows the light, dark and print themes.
 */
import type { ResourceSummary } from '../../../shared/report.ts';
import { formatFigure } from './content.ts';
import { html } from './escape.ts';
import type { SafeHtml } from './escape.ts';

type ChartPoint = ResourceSummary['chart'][number];

const WIDTH = 280;
const HEIGHT = 52;
/** The plot on the left, the min and max labels on the right. */
const PLOT = { left: 1, right: 168, top: 6, bottom: HEIGHT - 6 };
const LABEL_X = PLOT.right + 8;
const DAY_MS = 86_400_000;

/** A point of the chart in the plot's coordinates. */
interface Xy { x: number; y: number }

/**
 * The chart of `resource` over [from, to] as an `<svg>`, or a "No data" note when it has no point. The
 * resource's label (data) goes only into the escaped aria-label.
 */
export function sparkline(resource: ResourceSummary, from: number, to: number): SafeHtml {
  const points = resource.chart.filter((p) => Number.isFinite(p.value) && p.t >= from && p.t <= to);
  if (points.length === 0) return html`<span class="muted small">No data</span>`;

  const values = points.map((p) => p.value);
  const lo = Math.min(...values, resource.min ?? Infinity);
  const hi = Math.max(...values, resource.max ?? -Infinity);
  const [bottom, top] = domain(lo, hi, resource.unit);
  const x = (t: number) => PLOT.left + ((t - from) / (to - from)) * (PLOT.right - PLOT.left);
  const y = (v: number) => PLOT.top + ((top - v) / (top - bottom)) * (PLOT.bottom - PLOT.top);

  const runs = splitAtGaps(points).map((run) => run.map((p) => ({ x: x(p.t), y: y(p.value) })));
  const line = runs.filter((r) => r.length > 1).map((r) => r.map((p, i) => `${i ? 'L' : 'M'}${n(p.x)} ${n(p.y)}`).join('')).join('');
  // A run of one point has no length: a dot shows it.
  const dots = runs.filter((r) => r.length === 1).map(([p]) => html`<circle class="spark-dot" cx="${n(p!.x)}" cy="${n(p!.y)}" r="1.6"/>`);
  const trend = trendSegment(resource, points.at(-1)!, points[0]!.t, [bottom, top], x, y);

  const hiText = formatFigure(hi, resource.unit);
  const loText = formatFigure(lo, resource.unit);
  const flat = hiText === loText;
  const [hiY, loY] = labelBaselines(y(hi), y(lo));
  const edge = (v: number) => html`<line class="spark-edge" x1="${PLOT.left}" x2="${PLOT.right}" y1="${n(y(v))}" y2="${n(y(v))}"/>`;
  const label = (baseline: number, text: string) => html`<text class="spark-label" x="${LABEL_X}" y="${n(baseline)}">${text}</text>`;
  return html`<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${resource.label}: from ${loText} to ${hiText} over the range">${[
    edge(hi), hi === lo ? null : edge(lo),
    line && html`<path class="spark-line" d="${line}"/>`, dots,
    // Over the data: a fit runs through the line, and would vanish under it.
    trend && html`<line class="spark-trend" x1="${n(trend[0].x)}" y1="${n(trend[0].y)}" x2="${n(trend[1].x)}" y2="${n(trend[1].y)}"/>`,
    flat ? label((hiY + loY) / 2, `${hiText} throughout`) : [label(hiY, `max ${hiText}`), label(loY, `min ${loText}`)],
  ]}</svg>`;
}

/**
 * The plotted values: from the lowest to the highest, but never narrower than a minimum span (5 points
 * of a percentage, a fifth of a size or rate), so noise of a steady value does not fill the chart.
 * Figures are never negative, nor ratios above 1, so the widened span stays within those.
 */
function domain(lo: number, hi: number, unit: string): [number, number] {
  const minSpan = unit === '1' ? 0.05 : Math.max(Math.abs(lo), Math.abs(hi)) * 0.2 || 1;
  if (hi - lo >= minSpan) return [lo, hi];
  const pad = (minSpan - (hi - lo)) / 2;
  let [bottom, top] = [lo - pad, hi + pad];
  if (bottom < 0 && lo >= 0) [bottom, top] = [0, top - bottom];
  if (unit === '1' && top > 1 && hi <= 1) [bottom, top] = [bottom - (top - 1), 1];
  return [bottom, top];
}

/** Baselines of the max and min labels beside their lines, pushed apart so they do not overlap, within the chart. */
function labelBaselines(hiLine: number, loLine: number): [number, number] {
  const gap = 11;
  let [hi, lo] = [hiLine + 4, loLine + 4];
  if (lo - hi < gap) [hi, lo] = [(hi + lo - gap) / 2, (hi + lo + gap) / 2];
  const shift = Math.max(0, 9 - hi) - Math.max(0, lo - (HEIGHT - 1));
  return [hi + shift, lo + shift];
}

/** Coordinates with one decimal: enough for a small chart, and a short file. */
function n(value: number): string {
  return value.toFixed(1);
}

/**
 * The points in runs without gaps. Buckets are evenly spaced, so a step much longer than the usual one
 * (the median) is a stretch without data: the host was unreachable, or not yet watched.
 */
function splitAtGaps<P extends { t: number }>(points: readonly P[]): P[][] {
  const steps = points.slice(1).map((p, i) => p.t - points[i]!.t).sort((a, b) => a - b);
  const usual = steps[Math.floor(steps.length / 2)] ?? 0;
  const runs: P[][] = [];
  let run: P[] = [];
  for (const [i, p] of points.entries()) {
    if (i > 0 && usual > 0 && p.t - points[i - 1]!.t > usual * 1.5) {
      runs.push(run);
      run = [];
    }
    run.push(p);
  }
  runs.push(run);
  return runs;
}

/**
 * The trend line of a filesystem over the span of its data (the fit is over the data, so the line goes
 * no further), clipped to the plotted span [lo, hi]: the fit's slope, through the last point (the
 * schema keeps the slope, not the fit's intercept). On a utilization chart (unit `1`, df's used / (used
 * + free)) the slope is a share of used + free bytes, or of the size when the free bytes are unknown.
 * Null when there is no trend, or it cannot be drawn in the chart's unit.
 */
function trendSegment(resource: ResourceSummary, last: ChartPoint, from: number, [lo, hi]: [number, number],
  x: (t: number) => number, y: (v: number) => number): [Xy, Xy] | null {
  const trend = resource.trend;
  const until = last.t;
  if (!trend || until <= from) return null;
  const capacity = trend.freeBytes !== null ? trend.usedBytes + trend.freeBytes : trend.limitBytes;
  let perDay: number;
  if (resource.unit === 'By') perDay = trend.slopePerDay;
  else if (resource.unit === '1' && capacity) perDay = trend.slopePerDay / capacity;
  else return null;
  const at = (t: number) => last.value + perDay * ((t - until) / DAY_MS);
  // Keep the part of the line between lo and hi, within [from, until].
  let [t0, t1] = [from, until];
  if (perDay === 0) {
    if (last.value < lo || last.value > hi) return null;
  } else {
    const [tA, tB] = [lo, hi].map((v) => until + ((v - last.value) / perDay) * DAY_MS).sort((p, q) => p - q) as [number, number];
    t0 = Math.max(from, tA);
    t1 = Math.min(until, tB);
    if (t0 >= t1) return null;
  }
  return [{ x: x(t0), y: y(at(t0)) }, { x: x(t1), y: y(at(t1)) }];
}
