/**
 * A "now" gauge: label, value with its unit, a bar, and a detail line. An unknown value shows "—" with
 * the reason on hover, never 0 %. The bar turns amber or red (with an icon) when an enabled rule's
 * condition holds for the value.
 */
import { useShallow } from 'zustand/react/shallow';
import { useRules } from '../stores/rules.ts';
import { rulesOn, toneFor } from '../lib/thresholds.ts';
import { TONE_ICON } from '../lib/status.ts';
import { formatPercent } from '../../../shared/format.ts';

export interface GaugeProps {
  testId: string;
  label: string;
  /** A ratio 0–1, or undefined when unknown. */
  value: number | undefined;
  /** The metric the value is of, to colour it by the rules on it. */
  metric: string;
  attributes?: Readonly<Record<string, string>>;
  /** Detail under the bar ("1.2 GiB of 15.6 GiB"). */
  detail?: string | undefined;
  /** Why the value is unknown (tooltip). */
  unknownReason: string;
  compact?: boolean;
  /** The value is the last one received, from this time (engine offline or host silent). */
  staleSince?: number | null;
}

export function Gauge({ testId, label, value, metric, attributes, detail, unknownReason, compact, staleSince }: GaugeProps) {
  const rules = useRules(useShallow((s) => rulesOn(s.rules, metric, attributes)));
  const tone = toneFor(rules, value);
  const known = value !== undefined && Number.isFinite(value);
  const pct = known ? Math.max(0, Math.min(100, value * 100)) : 0;
  const text = known ? formatPercent(value) : '—';
  const stale = staleSince != null && known;
  return (
    <div
      className={`gauge${compact ? ' gauge-compact' : ''}${tone ? ` tone-${tone}` : ''}${stale ? ' gauge-stale' : ''}`}
      data-testid={testId}
      title={stale ? `Last value received, at ${new Date(staleSince).toLocaleTimeString()}` : undefined}
    >
      <div className="gauge-head">
        <span className="gauge-label">{label}</span>
        <span className="gauge-value num" data-testid="gauge-value" title={known ? undefined : unknownReason}>
          {tone && <span className="gauge-icon" aria-label={tone}>{TONE_ICON[tone]} </span>}
          {text}
        </span>
      </div>
      <div
        className={`gauge-bar${known ? '' : ' gauge-bar-unknown'}`}
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? Math.round(pct) : undefined}
        aria-valuetext={known ? text : 'unknown'}
      >
        <div className="gauge-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="gauge-detail num" title={known ? undefined : unknownReason}>{known ? (detail ?? '\u00a0') : 'unknown'}</div>
    </div>
  );
}
