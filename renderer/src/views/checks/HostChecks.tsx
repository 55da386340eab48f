/**
 * A host's checks on its page: a compact list (state, name, what it looks at, the last error) worst
 * first, each opening its detail, "Add check" with this host chosen, and "Find services…" to tick what
 * runs there.
 */
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useChecks } from '../../stores/checks.ts';
import { checkHref } from '../../lib/router.ts';
import { useClock } from '../../stores/clock.ts';
import { displayState, failingText, isFailing, sortChecks, targetText, typeLabel } from '../../lib/checkList.ts';
import { CheckStateBadge, LastError } from './CheckBits.tsx';
import { CheckDialog } from './CheckDialog.tsx';
import { DiscoverDialog } from './DiscoverDialog.tsx';

export function HostChecks({ host, hostName }: { host: string; hostName: string }) {
  const mine = useChecks(useShallow((s) => s.checks.filter((c) => c.spec.host === host)));
  const loaded = useChecks((s) => s.loaded);
  const [adding, setAdding] = useState(false);
  const [finding, setFinding] = useState(false);
  const now = useClock((s) => Math.floor(s.now / 5000) * 5000);
  const sorted = useMemo(() => sortChecks(mine), [mine]);
  const failing = mine.filter(isFailing).length;
  return (
    <section className="panel host-checks" aria-labelledby="host-checks-title" data-testid="host-checks">
      <div className="panel-head">
        <h2 id="host-checks-title" className="panel-title">
          Checks{' '}
          {failing > 0 && <span className="badge tone-critical" data-testid="host-checks-failing"><span className="badge-icon" aria-hidden="true">✖</span>{failingText(failing)}</span>}
        </h2>
        <div className="panel-actions">
          <button type="button" className="button button-small" onClick={() => setFinding(true)} data-testid="host-check-find">Find services…</button>
          <button type="button" className="button button-small" onClick={() => setAdding(true)} data-testid="host-check-add">+ Add check</button>
        </div>
      </div>
      {!loaded ? (
        <div className="sk sk-line" aria-label="Loading checks" />
      ) : sorted.length === 0 ? (
        <p className="muted">No checks on this host yet: watch a web site, a port or a name it serves.</p>
      ) : (
        <ul className="host-check-list">
          {sorted.map((c) => (
            <li key={c.id} className="host-check" data-testid="host-check" data-name={c.spec.name} data-state={displayState(c)}>
              <CheckStateBadge check={c} />
              <a className="check-name" href={checkHref(c.id)} title={c.spec.name}>{c.spec.name}</a>
              <span className="muted small host-check-target" title={targetText(c.spec)}>{typeLabel(c.spec.type)} {targetText(c.spec)}</span>
              <LastError check={c} now={now} compact />
            </li>
          ))}
        </ul>
      )}
      {adding && <CheckDialog check={null} host={host} onClose={() => setAdding(false)} />}
      {finding && <DiscoverDialog host={host} hostName={hostName} onClose={() => setFinding(false)} />}
    </section>
  );
}
