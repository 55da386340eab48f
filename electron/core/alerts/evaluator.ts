/**
 * The alert state machine, after Prometheus's rules/alerting.go: one rule, one host's samples at one
 * time in, the rule's alerts and what changed out. Pure: it never reads the clock or the store.
 *
 * Per series the rule watches (a key from `seriesKey`):
 * - inactive → pending when the condition first holds (activeAt = now);
 * - pending → firing once it has held `for` seconds (now - activeAt ≥ for × 1000; `for` 0 fires in the
 *   same evaluation, with no pending step);
 * - pending whose condition clears → dropped (it never fired, so nothing resolves);
 * - firing whose condition clears → resolved (resolvedAt = now), and it leaves the active set: if the
 *   condition holds again later, a new alert starts with a new activeAt.
 * A series absent from the samples (its source failed, the host is unreachable) keeps its state: missing
 * data resolves nothing. A disabled rule, or an alert of a series the rule no longer watches (its metric
 * or matchers were edited), is closed: pending ones dropped, firing ones resolved.
 */
import type { Alert, Sample } from '../../../shared/api.ts';
import { metricDefinition, seriesKey } from '../../../shared/metrics.ts';
import { compare, matchesSeries, type Rule } from '../../../shared/rules.ts';
import { renderSummary } from './summary.ts';

/**
 * An alert as the evaluator tracks it: the `Alert` shape, with `id` null until the caller has stored it.
 * The evaluator copies `id` through unchanged; it is the caller's (see `evaluate`).
 */
export type TrackedAlert = Omit<Alert, 'id'> & { id: number | null };

/** An alert in the active set: pending or firing. */
export type ActiveAlert = TrackedAlert & { state: 'pending' | 'firing' };

/**
 * One change of one alert, named as the API's `alert` event names them. `alert` is the alert after the
 * change: for `dropped`, the pending alert as it was; for `resolved`, with state resolved and resolvedAt.
 */
export interface Transition {
  kind: 'pending' | 'firing' | 'resolved' | 'dropped';
  /** The series key (`seriesKey(metric, attributes)`), the alert's key in the active maps. */
  key: string;
  alert: TrackedAlert;
}

export interface Evaluation {
  /** The rule's pending and firing alerts on this host after this evaluation, by series key. */
  active: Map<string, ActiveAlert>;
  /** What changed, in sample order, then closings of series not in the samples. */
  transitions: Transition[];
}

/**
 * Evaluates `rule` on the samples of one snapshot of `host`, taken at `now` (ms since epoch).
 * `samples` may hold every metric of the snapshot: only the rule's metric, on series its matchers
 * watch (`matchesSeries`), counts; non-finite values fail every comparison. `active` is what the
 * previous call returned for this rule and host (an empty map at first); it is not modified.
 *
 * The alert objects in `transitions` of kind pending and firing are the ones in the returned `active`:
 * a caller that stores a new alert (id null) sets `alert.id` on that object, and later evaluations
 * carry it.
 */
export function evaluate(
  rule: Rule,
  host: string,
  samples: readonly Sample[],
  active: ReadonlyMap<string, ActiveAlert>,
  now: number,
): Evaluation {
  if (!rule.enabled) return { active: new Map(), transitions: closeAll(active, now) };

  const next = new Map<string, ActiveAlert>();
  const transitions: Transition[] = [];
  let closed: Set<string> | undefined;
  const unit = metricDefinition(rule.metric)?.unit ?? '{count}';
  const holdMs = rule.for * 1000;

  for (const sample of samples) {
    if (sample.metric !== rule.metric || !matchesSeries(rule.matchers, sample.attributes)) continue;
    const key = seriesKey(sample.metric, sample.attributes);
    const previous = active.get(key);
    if (!compare(sample.value, rule.op, rule.threshold)) {
      if (previous) {
        transitions.push(close(key, previous, now));
        (closed ??= new Set()).add(key);
      }
      continue;
    }
    const activeAt = previous?.activeAt ?? now;
    const fires = previous?.state === 'firing' || now - activeAt >= holdMs;
    const alert: ActiveAlert = {
      id: previous?.id ?? null,
      ruleId: rule.id,
      ruleName: rule.name,
      host,
      metric: sample.metric,
      attributes: sample.attributes,
      severity: rule.severity,
      state: fires ? 'firing' : 'pending',
      value: sample.value,
      threshold: rule.threshold,
      summary: renderSummary(rule.summary, {
        value: sample.value, threshold: rule.threshold, unit, host, attributes: sample.attributes,
      }),
      activeAt,
      firedAt: previous?.firedAt ?? (fires ? now : null),
      resolvedAt: null,
    };
    next.set(key, alert);
    if (fires && previous?.state !== 'firing') transitions.push({ kind: 'firing', key, alert });
    else if (!previous) transitions.push({ kind: 'pending', key, alert });
  }

  for (const [key, previous] of active) {
    if (next.has(key) || closed?.has(key)) continue;
    if (previous.metric === rule.metric && matchesSeries(rule.matchers, previous.attributes)) {
      next.set(key, previous); // not in this snapshot: unchanged
    } else {
      transitions.push(close(key, previous, now));
    }
  }
  return { active: next, transitions };
}

/**
 * Closes every alert of `active` at `now`: pending ones are dropped, firing ones resolved. For a rule
 * that was disabled or deleted.
 */
export function closeAll(active: ReadonlyMap<string, ActiveAlert>, now: number): Transition[] {
  const transitions: Transition[] = [];
  for (const [key, alert] of active) transitions.push(close(key, alert, now));
  return transitions;
}

function close(key: string, alert: ActiveAlert, now: number): Transition {
  if (alert.state === 'pending') return { kind: 'dropped', key, alert };
  return { kind: 'resolved', key, alert: { ...alert, state: 'resolved', resolvedAt: now } };
}
