/** How an alert reads in lists: its value in its unit, its series, and how long it has been (or was) on. */
import type { Alert } from '../../../shared/api.ts';
import { formatDuration, formatValue } from '../../../shared/format.ts';
import { metricDefinition } from '../../../shared/metrics.ts';

export function alertValue(value: number, metric: string): string {
  const def = metricDefinition(metric);
  return def ? formatValue(value, def.unit) : String(value);
}

/** The series' attribute values ("/home", "eth0 · receive"), empty for a whole-host series. */
export function seriesLabel(alert: Alert): string {
  return Object.values(alert.attributes).join(' · ');
}

/** "for 12 min": firing or pending up to now, resolved up to its resolution. */
export function alertDuration(alert: Alert, now: number): string {
  const start = alert.firedAt ?? alert.activeAt;
  const end = alert.resolvedAt ?? now;
  return `for ${formatDuration(Math.max(0, (end - start) / 1000))}`;
}
