/**
 * Numbers of a check's history, from `metrics.query` answers: the availability over a range (the
 * average of probe_success) and run times in words.
 *
 * Availability is the mean of the buckets' averages, each bucket weighted by the time of the range it
 * covers (the newest bucket ends now, part way through): a failing check runs more often (its retry
 * interval), and counting runs would weigh its failures more than the time they lasted. Buckets
 * without runs are left out: unknown is not zero.
 */
import type { SeriesData } from '../../../../shared/api.ts';
import { formatAvailability, formatLatency } from '../../../../shared/format.ts';

/** The ranges uptime is shown for, with the buckets asked for each (about one per 5 min, 1 h, 4 h). */
export const UPTIME_RANGES = [
  { id: '24h', label: '24 h', ms: 24 * 3600_000, maxPoints: 288 },
  { id: '7d', label: '7 d', ms: 7 * 86400_000, maxPoints: 168 },
  { id: '30d', label: '30 d', ms: 30 * 86400_000, maxPoints: 180 },
] as const;
export type UptimeRange = (typeof UPTIME_RANGES)[number]['id'];

/**
 * The ratio (0–1) of time a check was up over [from, to], from buckets of `step` ms starting at their
 * `t`; null without any run. Without a range (step 0), every bucket weighs the same.
 */
export function availability(series: readonly SeriesData[], range?: { from: number; to: number; step: number }): number | null {
  let sum = 0;
  let weights = 0;
  for (const s of series) {
    for (const p of s.points) {
      if (!Number.isFinite(p.avg)) continue;
      const w = range && range.step > 0
        ? Math.max(0, Math.min(p.t + range.step, range.to) - Math.max(p.t, range.from)) / range.step
        : 1;
      if (w <= 0) continue;
      sum += p.avg * w;
      weights += w;
    }
  }
  return weights === 0 ? null : Math.min(1, Math.max(0, sum / weights));
}

/** An availability as people compare them (shared formatAvailability), "—" without data. */
export function uptimeText(ratio: number | null): string {
  return ratio === null ? '—' : formatAvailability(ratio);
}

/** The tone of an availability: below 99 % warning, below 95 % critical, else none. */
export function uptimeTone(ratio: number | null): 'warning' | 'critical' | null {
  if (ratio === null || ratio >= 0.99) return null;
  return ratio < 0.95 ? 'critical' : 'warning';
}

/** A run time: "0.4 ms", "12 ms", "1.23 s", "12.3 s" (shared formatLatency). */
export const latencyText = formatLatency;
