/**
 * Small pieces every list of checks shares: the state badge (icon and word, the reason on hover), the
 * last error with since when, the uptime figure, the run-time sparkline.
 */
import type { CheckStatus } from '../../../../shared/checks/index.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { Sparkline } from '../../components/Sparkline.tsx';
import { checkLook } from '../../lib/status.ts';
import { sinceText } from '../../lib/hostText.ts';
import { displayState } from '../../lib/checkList.ts';
import { latencyText, uptimeText, uptimeTone } from './checkFigures.ts';
import type { CheckFigures } from './useCheckFigures.ts';

export function CheckStateBadge({ check }: { check: CheckStatus }) {
  const state = displayState(check);
  const reason = check.last && check.last.status !== 'up' ? check.last.reason : undefined;
  return <StatusBadge look={checkLook(state)} title={reason || undefined} testId="check-state" />;
}

/** What went wrong last, and since when the check is in its state; calm words when nothing did. */
export function LastError({ check, now, compact = false }: { check: CheckStatus; now: number; compact?: boolean }) {
  const state = displayState(check);
  const since = check.since !== null ? sinceText(check.since, Math.max(now, check.since)) : null;
  if (state === 'paused') return <span className="muted">Paused — not run</span>;
  if (!check.last) return <span className="muted">{state === 'maintenance' ? 'In maintenance, not run yet' : 'Not run yet'}</span>;
  const reason = check.last.status !== 'up' || state !== 'up' ? check.last.reason : '';
  const tone = checkLook(state).tone;
  return (
    <div className={`last-error${compact ? ' last-error-compact' : ''}`}>
      {reason ? (
        <span className={`last-error-reason tone-${tone}`} title={reason} data-testid="check-reason">{reason}</span>
      ) : (
        <span className="muted">{state === 'up' ? 'No error' : check.last.status === 'up' ? 'Last run passed' : ''}</span>
      )}
      {since && state !== 'up' && <span className="muted small num" data-testid="check-since">{since}</span>}
    </div>
  );
}

/** "99.95%", toned below 99 %; "—" with why on hover; a skeleton while loading. */
export function UptimeFigure({ ratio, loading, label }: { ratio: number | null; loading: boolean; label: string }) {
  if (loading) return <span className="sk sk-figure" aria-label={`Loading ${label}`} />;
  const tone = uptimeTone(ratio);
  return (
    <span className={`uptime${tone ? ` tone-${tone}` : ''}`} title={ratio === null ? `No runs in the last ${label}` : `Up ${uptimeText(ratio)} of the last ${label}`}>
      {tone && <span className="uptime-icon" aria-hidden="true">{tone === 'critical' ? '✖ ' : '▲ '}</span>}
      {uptimeText(ratio)}
    </span>
  );
}

/** The run times of the last 24 h, and the last run's. */
export function LatencyCell({ check, figures, width = 120, height = 28, lastLabel = '' }: {
  check: CheckStatus; figures: CheckFigures; width?: number; height?: number; lastLabel?: string;
}) {
  const l = figures.latency;
  const points = l?.points ?? [];
  const max = points.reduce((m, p) => Math.max(m, p.avg), 0);
  const min = points.reduce((m, p) => Math.min(m, p.avg), Infinity);
  const label = points.length > 0 ? `Run time over 24 h: ${latencyText(min)} to ${latencyText(max)}` : 'No runs in the last 24 h';
  return (
    <div className="latency">
      {l ? (
        <Sparkline points={points} from={l.from} to={l.to} step={l.step} width={width} height={height} label={label}
          emptyText="No runs in the last 24 h" testId="check-sparkline" />
      ) : <span className="sk sk-spark" style={{ width, height }} aria-label="Loading run times" />}
      <span className="num latency-last" title="The last run">{lastLabel}{check.last ? latencyText(check.last.durationSeconds) : '—'}</span>
    </div>
  );
}
