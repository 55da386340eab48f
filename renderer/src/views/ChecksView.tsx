/**
 * Checks: every service check with its state (icon and word), name, host, type and target, uptime
 * over 24 h / 7 d / 30 d, its run times of the day as a sparkline, and the last error with since when;
 * the worst first, filtered by state, host and text. A row opens the check's detail; "Add check" the
 * dialog. Kept live by the `check` events.
 */
import { useMemo, useState } from 'react';
import type { CheckStatus } from '../../../shared/checks/index.ts';
import { useChecks } from '../stores/checks.ts';
import { useHosts } from '../stores/hosts.ts';
import { checkLook } from '../lib/status.ts';
import { checkHref, hostHref, navigate } from '../lib/router.ts';
import { useClock } from '../stores/clock.ts';
import type { CheckFilter, StateFilter } from '../lib/checkList.ts';
import { NO_FILTER, STATE_ORDER, displayState, filterChecks, isFailing, sortChecks, targetText, typeLabel } from '../lib/checkList.ts';
import { UPTIME_RANGES } from './checks/checkFigures.ts';
import { useCheckFigures } from './checks/useCheckFigures.ts';
import { CheckStateBadge, LastError, LatencyCell, UptimeFigure } from './checks/CheckBits.tsx';
import { CheckDialog } from './checks/CheckDialog.tsx';

function CheckRow({ check, hostName, now }: { check: CheckStatus; hostName: string; now: number }) {
  const figures = useCheckFigures(check.spec.host, check.spec.name, check.last?.at ?? null);
  const state = displayState(check);
  const loading = figures.uptime === null && !figures.error;
  return (
    <tr data-testid="check-row" data-check={check.id} data-name={check.spec.name} data-state={state} data-host={check.spec.host}
      className={`row-link${state === 'paused' ? ' row-dim' : ''}`}
      onClick={(e) => {
        if (e.target instanceof Element && e.target.closest('a, button')) return;
        navigate(checkHref(check.id));
      }}>
      <td><CheckStateBadge check={check} /></td>
      <td className="check-cell">
        <a className="check-name" href={checkHref(check.id)} data-testid="check-link" title={check.spec.name}>{check.spec.name}</a>
        <div className="check-target-line muted small">
          <span className="check-type">{typeLabel(check.spec.type)}</span>{' '}
          <span className="check-target-text" title={targetText(check.spec)}>{targetText(check.spec)}</span>
        </div>
      </td>
      <td className="check-host"><a href={hostHref(check.spec.host)} title={hostName}>{hostName}</a></td>
      {UPTIME_RANGES.map((r) => (
        <td key={r.id} className="num" data-testid={`check-uptime-${r.id}`}>
          <UptimeFigure ratio={figures.uptime?.[r.id] ?? null} loading={loading} label={r.label} />
        </td>
      ))}
      <td><LatencyCell check={check} figures={figures} /></td>
      <td className="check-error-cell"><LastError check={check} now={now} compact /></td>
    </tr>
  );
}

function Empty({ onAdd }: { onAdd(): void }) {
  return (
    <div className="empty" data-testid="checks-empty">
      <h2>No checks yet</h2>
      <p>A check watches a service from the outside: a web site answers with the right status and a valid certificate,
        an API’s health endpoint reports its dependencies up, a database port accepts connections, a name resolves, a host answers ping.</p>
      <p className="fleet-actions centred">
        <button type="button" className="button button-primary" onClick={onAdd} data-testid="check-add-empty">Add a check…</button>
      </p>
    </div>
  );
}

export function ChecksView() {
  const checks = useChecks((s) => s.checks);
  const loaded = useChecks((s) => s.loaded);
  const error = useChecks((s) => s.error);
  const hosts = useHosts((s) => s.hosts);
  const now = useClock((s) => Math.floor(s.now / 5000) * 5000);
  const [adding, setAdding] = useState(false);
  const [filter, setFilter] = useState<CheckFilter>(NO_FILTER);

  const hostName = useMemo(() => {
    const names = new Map(hosts.map((h) => [h.id, h.name]));
    return (id: string) => names.get(id) ?? id;
  }, [hosts]);
  const counts = useMemo(() => {
    const out = new Map<string, number>();
    for (const c of checks) out.set(displayState(c), (out.get(displayState(c)) ?? 0) + 1);
    return out;
  }, [checks]);
  const failing = checks.filter(isFailing).length;
  const rows = useMemo(() => sortChecks(filterChecks(checks, filter), hostName), [checks, filter, hostName]);
  const checkHosts = useMemo(() => [...new Set(checks.map((c) => c.spec.host))].sort((a, b) => hostName(a).localeCompare(hostName(b))), [checks, hostName]);
  const set = (patch: Partial<CheckFilter>) => setFilter((f) => ({ ...f, ...patch }));

  return (
    <main className="view" aria-labelledby="checks-title">
      <div className="view-head">
        <h1 id="checks-title">Checks</h1>
        {loaded && checks.length > 0 && (
          <p className="check-summary" data-testid="checks-summary">
            {failing > 0
              ? <span className="badge tone-critical"><span className="badge-icon" aria-hidden="true">✖</span>{failing} failing</span>
              : <span className="calm"><span aria-hidden="true">✓ </span>Nothing failing</span>}
            <span className="muted small">{checks.length} {checks.length === 1 ? 'check' : 'checks'}</span>
          </p>
        )}
        <button type="button" className="button button-primary push-right" onClick={() => setAdding(true)} data-testid="check-add">+ Add check</button>
      </div>
      {error && <p className="error-box" role="alert">Could not load the checks: {error}. The list will load when the engine answers.</p>}
      {!loaded ? (
        <div className="sk sk-table" aria-label="Loading checks" />
      ) : checks.length === 0 ? (
        <Empty onAdd={() => setAdding(true)} />
      ) : (
        <section className="panel">
          <div className="filters">
            <label>State
              <select value={filter.state} data-testid="filter-check-state" onChange={(e) => set({ state: e.target.value as StateFilter })}>
                <option value="">All ({checks.length})</option>
                <option value="failing">Failing: down or pending ({failing})</option>
                {STATE_ORDER.filter((s) => counts.has(s) || s === filter.state).map((s) => (
                  <option key={s} value={s}>{checkLook(s).word} ({counts.get(s) ?? 0})</option>
                ))}
              </select>
            </label>
            <label>Host
              <select value={filter.host} data-testid="filter-check-host" onChange={(e) => set({ host: e.target.value })}>
                <option value="">All</option>
                {checkHosts.map((h) => <option key={h} value={h}>{hostName(h)}</option>)}
              </select>
            </label>
            <input className="search" type="search" placeholder="Filter checks  ( / )" aria-label="Filter checks" data-search
              value={filter.text} onChange={(e) => set({ text: e.target.value })} />
          </div>
          {rows.length === 0 ? (
            <p className="muted" data-testid="checks-none-match">No check matches these filters. <button type="button" className="link-button" onClick={() => setFilter(NO_FILTER)}>Show all</button></p>
          ) : (
            <div className="table-wrap">
              <table className="table checks-table" data-testid="checks-table">
                <thead>
                  <tr>
                    <th scope="col">State</th>
                    <th scope="col">Check</th>
                    <th scope="col">Host</th>
                    {UPTIME_RANGES.map((r) => <th key={r.id} scope="col" className="num">Up {r.label}</th>)}
                    <th scope="col">Run time, 24 h</th>
                    <th scope="col">Last error</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((c) => <CheckRow key={c.id} check={c} hostName={hostName(c.spec.host)} now={now} />)}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {adding && <CheckDialog check={null} onClose={() => setAdding(false)} />}
    </main>
  );
}
