/**
 * The service checks part of a health report: per check of a host, its availability and run-time
 * percentiles from the probe_success and probe_duration_seconds buckets of the range, and the time it
 * spent down from its state changes (shared/report.ts ReportCheck).
 */
import type { SeriesData } from '../../../shared/api.ts';
import { CHECK_FORMS, checkTarget, type Check, type CheckEvent } from '../../../shared/checks/index.ts';
import { Attr } from '../../../shared/metrics.ts';
import type { ReportCheck } from '../../../shared/report.ts';
import { ANY } from '../../../shared/rules.ts';
import type { SampleStore } from '../store/samples.ts';
import { percentile } from './stats.ts';

/** Where a report reads the checks: the stored checks and their state changes (store/checks.ts). */
export interface ReportCheckSource {
  list(): Check[];
  stateChanges(checkId: number, from: number, to: number): { before: CheckEvent | null; events: CheckEvent[] };
}

/** The range and bucket count of the report's queries (ms since epoch). */
export interface CheckQuery {
  from: number;
  to: number;
  now: number;
  maxPoints: number;
}

/**
 * The checks of host `host` over the range, by name; checks added after the range are left out. Two
 * queries for all of the host's checks (one per metric), one indexed read of state changes per check.
 */
export function gatherChecks(store: SampleStore, source: ReportCheckSource, host: string, q: CheckQuery): ReportCheck[] {
  const checks = source.list().filter((c) => c.spec.host === host && c.createdAt <= q.to);
  if (checks.length === 0) return [];
  const byName = (metric: string): Map<string, SeriesData> => {
    const result = store.query({ host, metric, matchers: { [Attr.check]: ANY }, from: q.from, to: q.to, maxPoints: q.maxPoints }, q.now);
    return new Map(result.series.map((s) => [s.attributes[Attr.check]!, s]));
  };
  const success = byName('probe_success');
  const duration = byName('probe_duration_seconds');
  return checks.map((check) => {
    const ok = success.get(check.spec.name)?.points ?? [];
    const took = duration.get(check.spec.name)?.points.map((p) => p.avg) ?? [];
    const down = downTime(source.stateChanges(check.id, q.from, q.to), q.from, q.to);
    return {
      id: check.id,
      name: check.spec.name,
      type: check.spec.type,
      typeLabel: CHECK_FORMS[check.spec.type].label,
      target: checkTarget(check.spec),
      availability: ok.length > 0 ? ok.reduce((sum, p) => sum + p.avg, 0) / ok.length : null,
      latencyP50Seconds: took.length > 0 ? percentile(took, 0.5) : null,
      latencyP95Seconds: took.length > 0 ? percentile(took, 0.95) : null,
      ...down,
    };
  });
}

/**
 * Time spent `down` within [from, to], seconds, how often it went down in the range, and the state at
 * `to`, from the state changes in the range and the last one before it.
 */
function downTime(changes: { before: CheckEvent | null; events: CheckEvent[] }, from: number, to: number):
  { downSeconds: number; downCount: number; state: string | null } {
  let state = changes.before?.to ?? null;
  let since = from;
  let downMs = 0;
  let downCount = 0;
  for (const event of changes.events) {
    if (state === 'down') downMs += event.at - since;
    if (event.to === 'down' && state !== 'down') downCount++;
    state = event.to;
    since = event.at;
  }
  if (state === 'down') downMs += to - since;
  return { downSeconds: downMs / 1000, downCount, state };
}
