/** Plain-text tables and values for the command line: aligned columns, units people read. */
import { formatValue } from '../../../shared/format.ts';
import { metricDefinition } from '../../../shared/metrics.ts';

/** Renders rows as left-aligned columns separated by two spaces, with a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A metric's value in its catalog unit ("37%", "1.2 GiB"); the raw number for unknown metrics. */
export function formatMetric(metric: string, value: number): string {
  const unit = metricDefinition(metric)?.unit;
  return unit ? formatValue(value, unit) : String(value);
}

/** A time as local date and time with the zone ("2026-11-22 14:03:07 UTC+1"). */
export function formatTime(ms: number | null): string {
  if (ms === null) return '—';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${Math.abs(offset) / 60}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** Prints `value` as indented JSON on stdout. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
