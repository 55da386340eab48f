/** Renders a rule's summary template (RuleSpec.summary) for one alert. */
import { formatValue } from '../../../shared/format.ts';
import type { Attributes, MetricUnit } from '../../../shared/metrics.ts';

/** What a template may name. `value` and `threshold` are in `unit`. */
export interface SummaryContext {
  value: number;
  threshold: number;
  unit: MetricUnit;
  host: string;
  attributes: Attributes;
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/**
 * Replaces `{{value}}` and `{{threshold}}` (formatted in the metric's unit: "87%", "1.2 GiB"),
 * `{{host}}` and `{{<attribute key>}}` (`{{system.filesystem.mountpoint}}`). A placeholder that names
 * nothing known is left as written, so a typo shows in the message instead of vanishing.
 */
export function renderSummary(template: string, context: SummaryContext): string {
  return template.replace(PLACEHOLDER, (match, name: string) => {
    switch (name) {
      case 'value': return formatValue(context.value, context.unit);
      case 'threshold': return formatValue(context.threshold, context.unit);
      case 'host': return context.host;
      default: return context.attributes[name] ?? match;
    }
  });
}
