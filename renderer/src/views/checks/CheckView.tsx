/**
 * One check: its state and what it looks at; the last result (status code, certificate, readiness
 * dependencies, DNS answers, ping figures, the reason and an excerpt of the response); uptime over
 * 24 h / 7 d / 30 d and the run times of the day; the history of its state changes with their reasons
 * and excerpts (as text). Edit, Pause / Resume, Maintenance on / off, Delete (confirmed).
 */
import { useEffect, useState } from 'react';
import type { CheckEvent, CheckSpec, CheckStatus } from '../../../../shared/checks/index.ts';
import { errorMessage } from '../../api/index.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { checkEvents, deleteCheck, updateCheck, useCheck, useChecks } from '../../stores/checks.ts';
import { useHosts } from '../../stores/hosts.ts';
import { showToast } from '../../stores/toasts.ts';
import { useClock } from '../../stores/clock.ts';
import { checkLook } from '../../lib/status.ts';
import { hostHref, navigate } from '../../lib/router.ts';
import { formatDateTime, localZone } from '../../lib/time.ts';
import { formatDuration } from '../../../../shared/format.ts';
import { displayState, targetText, typeLabel } from '../../lib/checkList.ts';
import { UPTIME_RANGES } from './checkFigures.ts';
import { secondsText } from './checkForm.ts';
import { excerptText } from './checkResult.ts';
import { CheckStateBadge, LatencyCell, UptimeFigure } from './CheckBits.tsx';
import { sinceText } from '../../lib/hostText.ts';
import { CheckDialog } from './CheckDialog.tsx';
import { ResultView } from './ResultView.tsx';
import { useCheckFigures } from './useCheckFigures.ts';

const EVENTS_LIMIT = 100;

/** "every 1m, timeout 10s; down after 3 failures, up after 1 good run; every 10s while failing". */
function scheduleText(spec: CheckSpec): string {
  const parts = [`every ${secondsText(spec.intervalSeconds)}, timeout ${secondsText(spec.timeoutSeconds)}`];
  parts.push(`down after ${spec.failureThreshold} ${spec.failureThreshold === 1 ? 'failure' : 'failures'} in a row, `
    + `up again after ${spec.successThreshold} good ${spec.successThreshold === 1 ? 'run' : 'runs'}`);
  if (spec.retryIntervalSeconds !== null) parts.push(`every ${secondsText(spec.retryIntervalSeconds)} while failing`);
  return parts.join('; ');
}

/** "12 s ago", counting. */
function Ago({ at }: { at: number }) {
  const now = useClock((s) => s.now);
  return <span className="muted small num" title={formatDateTime(at)}>{formatDuration(Math.max(0, (now - at) / 1000))} ago</span>;
}

function ConfirmDelete({ check, onClose }: { check: CheckStatus; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={`Delete check “${check.spec.name}”?`} onClose={onClose} testId="check-delete-dialog">
      <p>Hostwatch stops checking <code>{targetText(check.spec)}</code> and forgets the history of its state changes.
        Its measurements stay in the host’s history until retention removes them. This cannot be undone.</p>
      {error && <p className="error-box" role="alert">Could not delete: {error}</p>}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>Keep it</button>
        <button type="button" className="button button-danger" disabled={busy} data-testid="check-delete-confirm"
          onClick={() => {
            setBusy(true);
            deleteCheck(check.id).then(() => {
              onClose();
              navigate('/checks');
            }, (err: unknown) => { setError(errorMessage(err)); setBusy(false); });
          }}>
          Delete check
        </button>
      </div>
    </Dialog>
  );
}

/** Saves one change of the spec (pause, maintenance) and says so when it fails. */
function useSpecChange(check: CheckStatus | undefined): [boolean, (patch: Partial<CheckSpec>) => void] {
  const [busy, setBusy] = useState(false);
  const change = (patch: Partial<CheckSpec>) => {
    if (!check) return;
    setBusy(true);
    updateCheck(check.id, { ...check.spec, ...patch } as CheckSpec)
      .catch((err: unknown) => showToast({ title: 'Could not change the check', body: errorMessage(err), severity: 'critical', host: null }))
      .finally(() => setBusy(false));
  };
  return [busy, change];
}

function History({ check }: { check: CheckStatus }) {
  const [events, setEvents] = useState<CheckEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Loaded again whenever the state changes (a new event was written).
  useEffect(() => {
    let cancelled = false;
    checkEvents(check.id, EVENTS_LIMIT).then(
      (got) => { if (!cancelled) { setEvents(got); setError(null); } },
      (err: unknown) => { if (!cancelled) setError(errorMessage(err)); },
    );
    return () => { cancelled = true; };
  }, [check.id, check.state, check.since]);
  return (
    <section className="panel" aria-labelledby="check-history-title" data-testid="check-history">
      <div className="panel-head">
        <h2 id="check-history-title" className="panel-title">State changes</h2>
        <span className="muted small">Times in {localZone()}</span>
      </div>
      {error && <p className="error-text" role="alert">Could not load the history: {error}</p>}
      {events === null ? (
        !error && <div className="sk sk-table" aria-label="Loading the history" />
      ) : events.length === 0 ? (
        <p className="muted">No state change yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="check-event" data-from={e.from} data-to={e.to}>
                  <td className="nowrap">{formatDateTime(e.at)}</td>
                  <td className="nowrap">
                    <span className="event-change">
                      <StatusBadge look={checkLook(e.from)} /> <span aria-label="to">→</span> <StatusBadge look={checkLook(e.to)} />
                    </span>
                  </td>
                  <td className="event-reason">
                    <span data-testid="check-event-reason">{e.reason}</span>
                    {e.excerpt && (
                      <details className="event-excerpt">
                        <summary>Response</summary>
                        <pre className="excerpt">{excerptText(e.excerpt)}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Figures({ check }: { check: CheckStatus }) {
  const figures = useCheckFigures(check.spec.host, check.spec.name, check.last?.at ?? null);
  return (
    <section className="panel check-figures" aria-labelledby="check-figures-title">
      <h2 id="check-figures-title" className="panel-title">Availability</h2>
      <dl className="uptime-grid" data-testid="check-uptime">
        {UPTIME_RANGES.map((r) => (
          <div key={r.id} className="uptime-cell" data-range={r.id}>
            <dt className="muted">Last {r.label}</dt>
            <dd className="uptime-big num"><UptimeFigure ratio={figures.uptime?.[r.id] ?? null} loading={figures.uptime === null && !figures.error} label={r.label} /></dd>
          </div>
        ))}
      </dl>
      <h3 className="result-label">Run time, last 24 h</h3>
      <LatencyCell check={check} figures={figures} width={340} height={56} lastLabel="last run " />
      {figures.error && <p className="error-text small" role="alert">Could not read the history: {figures.error}</p>}
    </section>
  );
}

export function CheckView({ id }: { id: number }) {
  const check = useCheck(id);
  const loaded = useChecks((s) => s.loaded);
  const hostName = useHosts((s) => (check ? s.hosts.find((h) => h.id === check.spec.host)?.name ?? check.spec.host : ''));
  const now = useClock((s) => Math.floor(s.now / 5000) * 5000);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [busy, change] = useSpecChange(check);
  const name = check?.spec.name;
  useEffect(() => {
    document.title = `${name ?? 'Check'} — Hostwatch`;
  }, [name]);

  if (!check) {
    return (
      <main className="view">
        <nav className="breadcrumb" aria-label="Breadcrumb"><a href="#/checks">Checks</a> <span aria-hidden="true">›</span></nav>
        {loaded ? (
          <>
            <h1>Check not found</h1>
            <p>There is no check {id} (deleted?). <a href="#/checks">Back to the checks</a></p>
          </>
        ) : <div className="sk sk-table" aria-label="Loading the check" />}
      </main>
    );
  }
  const { spec } = check;
  const state = displayState(check);
  const bannerReason = state !== 'paused' && check.last && check.last.status !== 'up' ? check.last.reason : '';
  return (
    <main className="view check-view" aria-labelledby="check-title" data-testid="check-view" data-check={check.id}>
      <nav className="breadcrumb" aria-label="Breadcrumb"><a href="#/checks">Checks</a> <span aria-hidden="true">›</span></nav>
      <div className="view-head">
        <h1 id="check-title" className="check-title">{spec.name}</h1>
        <CheckStateBadge check={check} />
        <div className="view-actions push-right">
          <button type="button" className="button" onClick={() => setEditing(true)} data-testid="check-edit">Edit</button>
          <button type="button" className="button" disabled={busy} data-testid="check-pause"
            title={spec.enabled ? 'Stop running it until you resume it' : 'Run it again'}
            onClick={() => change({ enabled: !spec.enabled })}>
            {spec.enabled ? 'Pause' : 'Resume'}
          </button>
          <button type="button" className="button" disabled={busy} data-testid="check-maintenance" aria-pressed={spec.maintenance}
            title={spec.maintenance ? 'Under maintenance: click to end it' : 'Keep running it and keep its results, but alert nobody'}
            onClick={() => change({ maintenance: !spec.maintenance })}>
            <span aria-hidden="true">⚒ </span>Maintenance
          </button>
          <button type="button" className="button button-danger-quiet" onClick={() => setDeleting(true)} data-testid="check-delete">Delete…</button>
        </div>
      </div>
      <p className="check-subtitle">
        <span className="muted">{typeLabel(spec.type)}</span>{' '}
        <code className="check-target" data-testid="check-target">{targetText(spec)}</code>
        <span className="muted"> on </span><a href={hostHref(spec.host)} data-testid="check-host-link">{hostName}</a>
        <span className="muted small"> · {scheduleText(spec)}</span>
      </p>
      {state !== 'up' && (
        <div className={`state-banner tone-${checkLook(state).tone}`} data-testid="check-banner">
          <span className="state-banner-icon" aria-hidden="true">{checkLook(state).icon}</span>
          <div className="state-banner-body">
            <p className="state-banner-title"><strong>{checkLook(state).word}</strong>
              {check.since !== null && state !== 'paused' && <span className="num"> {sinceText(check.since, Math.max(now, check.since))}</span>}
              {state === 'pending' && <span className="muted"> — {check.consecutiveFailures} of {spec.failureThreshold} failures in a row before it is down</span>}
              {state === 'down' && spec.successThreshold > 1 && check.consecutiveSuccesses > 0 && (
                <span className="muted"> — {check.consecutiveSuccesses} of {spec.successThreshold} good runs before it is up</span>
              )}
              {state === 'maintenance' && <span className="muted"> — it runs and keeps its results; nobody is alerted</span>}
              {state === 'paused' && <span className="muted"> — not run until you resume it</span>}
            </p>
            {bannerReason && <p className="check-banner-reason" data-testid="check-banner-reason">{bannerReason}</p>}
          </div>
        </div>
      )}
      <div className="check-columns">
        <section className="panel" aria-labelledby="check-last-title" data-testid="check-last">
          <div className="panel-head">
            <h2 id="check-last-title" className="panel-title">Last result</h2>
            {check.last && <Ago at={check.last.at} />}
          </div>
          {check.last ? <ResultView result={check.last} spec={spec} now={now} testId="check-last-result" />
            : <p className="muted">{spec.enabled ? 'Not run yet: the first result appears here.' : 'Paused: not run.'}</p>}
        </section>
        <Figures check={check} />
      </div>
      <History check={check} />
      {editing && <CheckDialog check={check} onClose={() => setEditing(false)} />}
      {deleting && <ConfirmDelete check={check} onClose={() => setDeleting(false)} />}
    </main>
  );
}
