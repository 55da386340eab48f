/**
 * Alert rules, in Prometheus's words: a rule watches one metric, compares each matching series with a
 * threshold, and fires after the condition has held for `for` seconds.
 */
import { z } from 'zod';
import { durationText } from './duration.ts';
import { formatValue } from './format.ts';
import { metricDefinition } from './metrics.ts';

/** Severity of a rule's alerts, lowest first. */
export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** The comparison a rule applies: `value <op> threshold`. */
export const Comparison = z.enum(['>', '>=', '<', '<=']);
export type Comparison = z.infer<typeof Comparison>;

/** Attribute value that matches any value of that attribute: one alert per series. */
export const ANY = '*';

/**
 * The editable part of a rule, as the UI form, the API and `rules import` give it.
 * - `metric`: a catalog name (`system.cpu.utilization`).
 * - `matchers`: attribute → value, or `*` for every value (one alert per series). A series matches when
 *   every matcher matches and the series has no attribute the rule does not name, so a rule on
 *   `system.cpu.utilization` with no matchers watches the whole CPU, not each core.
 * - `threshold`: in the metric's unit (a ratio 0–1 for utilizations, bytes, bytes/s, …).
 * - `for`: seconds the condition must hold before the alert fires; 0 fires at once.
 * - `summary`: a message template; `{{value}}` is the value formatted in its unit, `{{threshold}}`
 *   likewise, and `{{host}}` and attribute names (`{{system.filesystem.mountpoint}}`) are replaced too.
 */
export const RuleSpec = z
  .object({
    name: z.string().trim().min(1, 'Give the rule a name').max(120),
    metric: z.string().refine((m) => metricDefinition(m) !== undefined, {
      message: 'Unknown metric: pick one from the catalog',
    }),
    matchers: z.record(z.string().min(1), z.string().min(1)).default({}),
    op: Comparison,
    threshold: z.number().finite('Threshold must be a number'),
    for: z.number().int().min(0, '`for` cannot be negative').max(7 * 86400).default(0),
    severity: Severity.default('warning'),
    summary: z.string().max(500).default('{{value}}'),
    enabled: z.boolean().default(true),
  })
  .superRefine((rule, ctx) => {
    const def = metricDefinition(rule.metric);
    if (!def) return;
    for (const key of Object.keys(rule.matchers)) {
      if (!def.attributes.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['matchers', key],
          message: `${rule.metric} has no attribute ${key}`,
        });
      }
    }
  });
export type RuleSpec = z.infer<typeof RuleSpec>;
export type RuleSpecInput = z.input<typeof RuleSpec>;

/** A stored rule: its spec plus an id given by the store. */
export const Rule = z.intersection(z.object({ id: z.number().int().positive() }), RuleSpec);
export type Rule = z.infer<typeof Rule>;

/** The rules a new installation starts with; the user may edit or disable them. */
export const DEFAULT_RULES: readonly RuleSpec[] = [
  {
    name: 'High CPU usage', metric: 'system.cpu.utilization', matchers: {}, op: '>', threshold: 0.8,
    for: 300, severity: 'warning', summary: 'High CPU usage: {{value}}', enabled: true,
  },
  {
    name: 'High memory usage', metric: 'system.memory.utilization', matchers: {}, op: '>',
    threshold: 0.85, for: 300, severity: 'warning', summary: 'High memory usage: {{value}}', enabled: true,
  },
  {
    name: 'Filesystem almost full', metric: 'system.filesystem.utilization',
    matchers: { 'system.filesystem.mountpoint': ANY }, op: '>', threshold: 0.9, for: 0,
    severity: 'critical', summary: 'Filesystem {{system.filesystem.mountpoint}} is {{value}} full',
    enabled: true,
  },
  {
    name: 'Host down', metric: 'up', matchers: {}, op: '<', threshold: 1, for: 60, severity: 'critical',
    summary: '{{host}} cannot be reached', enabled: true,
  },
  {
    name: 'Host key changed', metric: 'hostwatch.ssh.host_key_changed', matchers: {}, op: '>', threshold: 0,
    for: 0, severity: 'critical',
    summary: 'The SSH host key of {{host}} changed: Hostwatch will not connect until you check it', enabled: true,
  },
  {
    name: 'High swap usage', metric: 'system.paging.utilization', matchers: {}, op: '>', threshold: 0.5,
    for: 600, severity: 'warning', summary: 'High swap usage: {{value}}', enabled: true,
  },
  {
    name: 'Check down', metric: 'hostwatch.check.down', matchers: { 'hostwatch.check': ANY }, op: '>', threshold: 0,
    for: 0, severity: 'critical', summary: '{{hostwatch.check}} is down', enabled: true,
  },
  {
    name: 'Certificate expires soon', metric: 'hostwatch.check.tls.time_to_expiry', matchers: { 'hostwatch.check': ANY },
    op: '<', threshold: 14 * 86_400, for: 0, severity: 'warning',
    summary: 'The certificate of {{hostwatch.check}} expires in {{value}}', enabled: true,
  },
  {
    name: 'Storage full', metric: 'hostwatch.storage.full', matchers: {}, op: '>', threshold: 0, for: 0,
    severity: 'critical',
    summary: "Hostwatch's disk is full: history is not being written until space is freed", enabled: true,
  },
];

/** Whether a series with `attributes` is watched by a rule with `matchers` (see RuleSpec). */
export function matchesSeries(
  matchers: Readonly<Record<string, string>>,
  attributes: Readonly<Record<string, string>>,
): boolean {
  for (const key of Object.keys(attributes)) {
    const want = matchers[key];
    if (want === undefined) return false;
    if (want !== ANY && want !== attributes[key]) return false;
  }
  for (const key of Object.keys(matchers)) {
    if (!(key in attributes)) return false;
  }
  return true;
}

/** `value op threshold`. */
export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
  }
}

/** A rule as one line: `system.cpu.utilization > 80% for 5m`, with matchers in braces. */
export function ruleExpression(rule: Pick<RuleSpec, 'metric' | 'matchers' | 'op' | 'threshold' | 'for'>): string {
  const def = metricDefinition(rule.metric);
  const m = Object.entries(rule.matchers);
  const matchers = m.length ? `{${m.map(([k, v]) => `${k}="${v}"`).join(',')}}` : '';
  const threshold = def ? formatValue(rule.threshold, def.unit) : String(rule.threshold);
  return `${rule.metric}${matchers} ${rule.op} ${threshold}${rule.for > 0 ? ` for ${durationText(rule.for)}` : ''}`;
}
