/**
 * The rule form's model: what the user types (strings), how it becomes a RuleSpec (threshold in % for
 * ratio metrics → 0–1, `for` as "5m" → 300 s), and the validation issues per field, from
 * RuleSpec.safeParse plus the two conversions it cannot see.
 */
import type { Comparison, Rule, RuleSpec, Severity } from '../../../../shared/rules.ts';
import { ANY, RuleSpec as RuleSpecSchema } from '../../../../shared/rules.ts';
import type { MetricDefinition } from '../../../../shared/metrics.ts';
import { Attr, metricDefinition } from '../../../../shared/metrics.ts';
import { durationText, parseDuration } from '../../../../shared/duration.ts';

/** '' = the attribute is not used (only series without it match), '*' = any value, else that value. */
export type MatcherChoice = string;

export interface RuleForm {
  name: string;
  metric: string;
  op: Comparison;
  threshold: string;
  for: string;
  severity: Severity;
  summary: string;
  enabled: boolean;
  matchers: Record<string, MatcherChoice>;
}

export type Field = 'name' | 'metric' | 'op' | 'threshold' | 'for' | 'severity' | 'summary' | 'matchers';
export type Issues = Partial<Record<Field, string>> & { matcher?: Record<string, string> };

/** Whether thresholds of this metric are entered in % (ratio metrics). */
export function isRatio(def: MetricDefinition | undefined): boolean {
  return def?.unit === '1';
}

/** Matchers a new rule on `metric` starts with: the whole CPU, every value of anything else. */
export function defaultMatchers(metric: string): Record<string, MatcherChoice> {
  const def = metricDefinition(metric);
  const out: Record<string, MatcherChoice> = {};
  for (const a of def?.attributes ?? []) out[a] = a === Attr.cpu ? '' : ANY;
  return out;
}

function round(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

export function emptyForm(): RuleForm {
  const metric = 'system.cpu.utilization';
  return {
    name: '', metric, op: '>', threshold: '80', for: '5m', severity: 'warning', summary: '', enabled: true,
    matchers: defaultMatchers(metric),
  };
}

export function formFromRule(rule: Rule): RuleForm {
  const def = metricDefinition(rule.metric);
  const matchers: Record<string, MatcherChoice> = {};
  for (const a of def?.attributes ?? []) matchers[a] = rule.matchers[a] ?? '';
  return {
    name: rule.name,
    metric: rule.metric,
    op: rule.op,
    threshold: round(isRatio(def) ? rule.threshold * 100 : rule.threshold),
    for: durationText(rule.for),
    severity: rule.severity,
    summary: rule.summary === '{{value}}' ? '' : rule.summary,
    enabled: rule.enabled,
    matchers,
  };
}

/** The form as a RuleSpec, or the issues to show next to each field. */
export function validate(form: RuleForm): { spec: RuleSpec | null; issues: Issues } {
  const issues: Issues = {};
  const def = metricDefinition(form.metric);
  const raw = form.threshold.trim();
  let threshold = raw === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(threshold)) issues.threshold = 'Enter the threshold as a number';
  else if (isRatio(def)) {
    if (threshold < 0 || threshold > 100) issues.threshold = 'A percentage is between 0 and 100';
    threshold /= 100;
  }
  const seconds = parseDuration(form.for);
  if (seconds === null) issues.for = 'Write it like 30s, 5m or 1h';

  const matchers: Record<string, string> = {};
  for (const [k, v] of Object.entries(form.matchers)) {
    if (v !== '' && def?.attributes.includes(k)) matchers[k] = v;
  }
  const candidate = {
    name: form.name,
    metric: form.metric,
    matchers,
    op: form.op,
    threshold: Number.isFinite(threshold) ? threshold : 0,
    for: seconds ?? 0,
    severity: form.severity,
    ...(form.summary.trim() ? { summary: form.summary } : {}),
    enabled: form.enabled,
  };
  const parsed = RuleSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, sub] = issue.path;
      if (head === 'matchers' && typeof sub === 'string') {
        issues.matcher = { ...issues.matcher, [sub]: issue.message };
      } else if (typeof head === 'string' && !(head in issues)) {
        (issues as Record<string, string>)[head] = issue.message;
      }
    }
  }
  const ok = parsed.success && Object.keys(issues).length === 0;
  return { spec: ok ? parsed.data : null, issues };
}

