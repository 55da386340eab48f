/**
 * Alerts: what is firing now (and pending), then the history as a filterable table. Both update live
 * from `alert` events. Each alert links to its host's charts, where the threshold is drawn, and shows the
 * busiest processes of the host when it fired.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Alert, AlertState, ProcessList } from '../../../shared/api.ts';
import { formatBytes, formatPercent } from '../../../shared/format.ts';
import { matchersText } from '../../../shared/silences.ts';
import { errorMessage } from '../api/index.ts';
import { expireSilence, loadSilences, silenceAlert, silenceOf, useSilences } from '../stores/silences.ts';
import type { Severity } from '../../../shared/rules.ts';
import { loadHistory, useAlerts } from '../stores/alerts.ts';
import type { HistoryFilter } from '../stores/alerts.ts';
import { useHosts } from '../stores/hosts.ts';
import { alertStateLook, SEVERITY_RANK, severityLook } from '../lib/status.ts';
import { alertDuration, alertValue, seriesLabel } from '../lib/alertText.ts';
import { formatDateTime, formatSoon, localZone } from '../lib/time.ts';
import { useNow } from '../lib/useNow.ts';
import { hostHref } from '../lib/router.ts';
import { StatusBadge } from '../components/StatusBadge.tsx';

function AlertCells({ alert, hostName, now }: { alert: Alert; hostName: string; now: number }) {
  const series = seriesLabel(alert);
  const value = alertValue(alert.value, alert.metric);
  return (
    <>
      <td><StatusBadge look={severityLook(alert.severity)} /></td>
      <td><a href={hostHref(alert.host)}>{hostName}</a></td>
      <td>
        <span className="rule-name">{alert.ruleName}</span>
        {series && <span className="muted"> · {series}</span>}
        {alert.summary && alert.summary !== value && <div className="muted small">{alert.summary}</div>}
        {alert.processes && alert.processes.processes.length > 0 && <FiredProcesses list={alert.processes} />}
      </td>
      <td className="num">
        {value}
        <div className="muted small">threshold {alertValue(alert.threshold, alert.metric)}</div>
      </td>
      <td className="num nowrap">{formatDateTime(alert.activeAt)}</td>
      <td className="nowrap">{alertDuration(alert, now)}</td>
      <td><StatusBadge look={alertStateLook(alert.state, alert.severity)} /></td>
    </>
  );
}

/** What ran on the host when the alert fired: the top five by CPU and by memory. */
function FiredProcesses({ list }: { list: ProcessList }) {
  const top = (key: 'cpu' | 'memory') => [...list.processes].sort((a, b) => b[key] - a[key]).slice(0, 5);
  const rows = (key: 'cpu' | 'memory') => top(key).map((p) => (
    <tr key={`${key}:${p.pid}`}>
      <td className="process-name" title={p.command}>{p.name}</td>
      <td className="num muted">{p.pid}</td>
      <td className="num">{formatPercent(p.cpu)}</td>
      <td className="num">{formatBytes(p.memory)}</td>
    </tr>
  ));
  return (
    <details className="alert-processes" data-testid="alert-processes">
      <summary className="small">Busiest processes when it fired ({formatDateTime(list.time)})</summary>
      <table className="table table-compact">
        <thead><tr><th scope="col">By CPU</th><th scope="col" className="num">PID</th><th scope="col" className="num">CPU</th><th scope="col" className="num">Memory</th></tr></thead>
        <tbody>{rows('cpu')}</tbody>
        <thead><tr><th scope="col">By memory</th><th scope="col" className="num">PID</th><th scope="col" className="num">CPU</th><th scope="col" className="num">Memory</th></tr></thead>
        <tbody>{rows('memory')}</tbody>
      </table>
    </details>
  );
}

function AlertHead({ silence = false }: { silence?: boolean }) {
  return (
    <thead>
      <tr>
        <th scope="col">Severity</th>
        <th scope="col">Host</th>
        <th scope="col">Rule</th>
        <th scope="col" className="num">Value</th>
        <th scope="col" className="num">Started</th>
        <th scope="col">Duration</th>
        <th scope="col">State</th>
        {silence && <th scope="col"><span className="visually-hidden">Silence</span></th>}
      </tr>
    </thead>
  );
}

function useHostNames(): (id: string) => string {
  const hosts = useHosts((s) => s.hosts);
  return useMemo(() => {
    const names = new Map(hosts.map((h) => [h.id, h.name]));
    return (id: string) => names.get(id) ?? id;
  }, [hosts]);
}

/** "Silence 2 h" for a firing alert, or, when a silence quiets it, until when and "End silence". */
function SilenceControl({ alert, hostName, now }: { alert: Alert; hostName: string; now: number }) {
  const silences = useSilences((s) => s.silences);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The clock ticks every 15 s; a silence made a moment ago holds already.
  const silence = silenceOf(silences, alert, hostName, Math.max(now, Date.now()));
  const act = (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    work().catch((err: unknown) => setError(errorMessage(err))).finally(() => setBusy(false));
  };
  return (
    <div className="silence-control" data-testid="alert-silence" data-silenced={silence ? 'true' : 'false'}>
      {silence ? (
        <>
          <span className="badge tone-info" title={`${matchersText(silence.matchers)} until ${formatDateTime(silence.endsAt)}`}>
            <span className="badge-icon" aria-hidden="true">⊘</span>Silenced until {formatSoon(silence.endsAt, Date.now())}
          </span>
          <button type="button" className="link-button" disabled={busy} onClick={() => act(() => expireSilence(silence.id))}>End silence</button>
        </>
      ) : alert.state === 'firing' ? (
        <button type="button" className="button button-small" disabled={busy} data-testid="alert-silence-2h"
          title={`No notifications for ${alert.ruleName} on ${hostName} for 2 hours`} onClick={() => act(() => silenceAlert(alert, 2))}>
          Silence 2 h
        </button>
      ) : null}
      {error && <span className="error-text small" role="alert">{error}</span>}
    </div>
  );
}

function FiringNow({ now }: { now: number }) {
  const active = useAlerts((s) => s.active);
  const loaded = useAlerts((s) => s.activeLoaded);
  const hostName = useHostNames();
  const sorted = useMemo(() => [...active].sort((a, b) =>
    (a.state === 'firing' ? 0 : 1) - (b.state === 'firing' ? 0 : 1)
    || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]
    || a.activeAt - b.activeAt), [active]);
  return (
    <section className="panel" data-testid="alerts-firing" aria-labelledby="firing-title">
      <h2 id="firing-title" className="panel-title">Firing now</h2>
      {!loaded ? (
        <div className="sk sk-table" aria-label="Loading active alerts" />
      ) : sorted.length === 0 ? (
        <p className="calm"><span aria-hidden="true">✓ </span>Nothing is firing.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <AlertHead silence />
            <tbody>
              {sorted.map((a) => (
                <tr key={a.id} data-testid="alert-active-row" data-state={a.state} data-rule={a.ruleName} className={a.state === 'pending' ? 'row-dim' : undefined}>
                  <AlertCells alert={a} hostName={hostName(a.host)} now={now} />
                  <td><SilenceControl alert={a} hostName={hostName(a.host)} now={now} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function History({ now }: { now: number }) {
  const history = useAlerts((s) => s.history);
  const loaded = useAlerts((s) => s.historyLoaded);
  const filter = useAlerts((s) => s.historyFilter);
  const error = useAlerts((s) => s.error);
  const hosts = useHosts((s) => s.hosts);
  const hostName = useHostNames();
  const [text, setText] = useState('');

  const setFilter = (patch: Partial<Record<keyof HistoryFilter, string>>) => {
    const next: HistoryFilter = { ...filter };
    for (const [k, v] of Object.entries(patch) as [keyof HistoryFilter, string][]) {
      if (v) (next as Record<string, string>)[k] = v;
      else delete next[k];
    }
    void loadHistory(next);
  };

  const rows = useMemo(() => {
    const q = text.trim().toLowerCase();
    if (!q) return history;
    return history.filter((a) => `${a.ruleName} ${a.summary} ${a.host} ${seriesLabel(a)}`.toLowerCase().includes(q));
  }, [history, text]);

  return (
    <section className="panel" aria-labelledby="history-title">
      <div className="panel-head">
        <h2 id="history-title" className="panel-title">History</h2>
        <span className="muted small">Times in {localZone()}</span>
      </div>
      <div className="filters">
        <FilterSelect label="Severity" testId="filter-severity" value={filter.severity ?? ''}
          onChange={(v) => setFilter({ severity: v as Severity | '' })}
          options={[['critical', 'Critical'], ['warning', 'Warning'], ['info', 'Info']]} />
        <FilterSelect label="State" testId="filter-state" value={filter.state ?? ''}
          onChange={(v) => setFilter({ state: v as AlertState | '' })}
          options={[['firing', 'Firing'], ['resolved', 'Resolved'], ['pending', 'Pending']]} />
        <FilterSelect label="Host" testId="filter-host" value={filter.host ?? ''}
          onChange={(v) => setFilter({ host: v })} options={hosts.map((h) => [h.id, h.name] as const)} />
        <input className="search" type="search" placeholder="Search rules and summaries  ( / )" aria-label="Search alerts"
          data-search value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {error && <p className="error-text" role="alert">Could not load alerts: {error}</p>}
      {!loaded ? (
        <div className="sk sk-table" aria-label="Loading alert history" />
      ) : rows.length === 0 ? (
        <p className="muted">{history.length === 0 ? 'No alert has fired with these filters.' : `No alert matches “${text}”.`}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="alerts-history">
            <AlertHead />
            <tbody>
              {rows.map((a) => (
                <tr key={a.id} data-testid="alert-row" data-state={a.state} data-rule={a.ruleName} data-rule-id={a.ruleId} data-host={a.host}>
                  <AlertCells alert={a} hostName={hostName(a.host)} now={now} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A filter of the history: "All" and the given (value, label) choices. */
function FilterSelect({ label, testId, value, onChange, options }: {
  label: string; testId: string; value: string; onChange(value: string): void; options: readonly (readonly [string, string])[];
}) {
  return (
    <label>{label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">All</option>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </label>
  );
}

/** The silences that are active or yet to start, with who made them, why, and "End". */
function Silences({ now: tick }: { now: number }) {
  const silences = useSilences((s) => s.silences);
  const now = Math.max(tick, Date.now());
  const current = silences.filter((s) => now < s.endsAt);
  if (current.length === 0) return null;
  return (
    <section className="panel" data-testid="silences" aria-labelledby="silences-title">
      <h2 id="silences-title" className="panel-title">Silences</h2>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th scope="col">Matchers</th><th scope="col">From</th><th scope="col">Until</th><th scope="col">By</th><th scope="col">Comment</th><th scope="col"><span className="visually-hidden">End</span></th></tr></thead>
          <tbody>
            {current.map((s) => (
              <tr key={s.id} data-testid="silence-row" data-state={now < s.startsAt ? 'pending' : 'active'}>
                <td><code>{matchersText(s.matchers)}</code></td>
                <td className="nowrap">{formatDateTime(s.startsAt)}</td>
                <td className="nowrap">{formatDateTime(s.endsAt)}</td>
                <td>{s.createdBy}</td>
                <td className="muted">{s.comment}</td>
                <td><button type="button" className="button button-small" onClick={() => void expireSilence(s.id)} data-testid="silence-end">End</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function AlertsView() {
  const now = useNow(15_000);
  useEffect(() => { void loadHistory(); void loadSilences(); }, []);
  return (
    <main className="view" aria-labelledby="alerts-title">
      <div className="view-head"><h1 id="alerts-title">Alerts</h1></div>
      <FiringNow now={now} />
      <Silences now={now} />
      <History now={now} />
    </main>
  );
}
