/** What the enabled rules say about a metric: their thresholds (for chart lines and gauge colours). */
import type { Rule } from '../../../shared/rules.ts';
import { compare, matchesSeries } from '../../../shared/rules.ts';
import type { Tone } from './status.ts';
import { SEVERITY_RANK, severityTone } from './status.ts';

/** Enabled rules on `metric` (and, when given, watching the series with `attributes`). */
export function rulesOn(rules: readonly Rule[], metric: string, attributes?: Readonly<Record<string, string>>): Rule[] {
  return rules.filter((r) => r.enabled && r.metric === metric && (!attributes || matchesSeries(r.matchers, attributes)));
}

/** The tone of the most severe rule whose condition `value` meets; null when none does. */
export function toneFor(rules: readonly Rule[], value: number | undefined): Tone | null {
  if (value === undefined) return null;
  let worst: Rule | undefined;
  for (const r of rules) {
    if (compare(value, r.op, r.threshold) && (!worst || SEVERITY_RANK[r.severity] > SEVERITY_RANK[worst.severity])) worst = r;
  }
  return worst ? severityTone(worst.severity) : null;
}
