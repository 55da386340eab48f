/**
 * Fleet overview: "is anything wrong?" in one look. A card per host with its state, CPU / memory /
 * busiest filesystem gauges, the count of firing alerts and of failing checks (down or pending); the
 * worst host first, and in the page's head the failing checks of all hosts, linking to Checks. A host that is not
 * online shows why and since when, and its gauges "—" (never its last values). "Add host" opens the
 * connection form, "Import from ~/.ssh/config" the hosts of the ssh client config, "Export report…" the
 * report dialog; while only this machine is watched, a quiet card invites to add a server.
 */
import { useMemo, useState } from 'react';
import type { Alert, HostStatus } from '../../../shared/api.ts';
import type { CheckStatus } from '../../../shared/checks/index.ts';
import { useHosts } from '../stores/hosts.ts';
import { useClock } from '../stores/clock.ts';
import { useAlerts } from '../stores/alerts.ts';
import { useChecks } from '../stores/checks.ts';
import { displayState, failingText, isFailing } from '../lib/checkList.ts';
import { hostLook, SEVERITY_RANK, severityLook, TONE_RANK } from '../lib/status.ts';
import type { Tone } from '../lib/status.ts';
import { hostHref } from '../lib/router.ts';
import { HostGauges } from '../components/HostGauges.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { sinceText, unknownBecause } from '../lib/hostText.ts';
import { AddHostDialog } from './hosts/AddHostDialog.tsx';
import { ImportSshConfigDialog } from './hosts/ImportSshConfigDialog.tsx';
import { ExportDialog } from './reports/ExportDialog.tsx';

/** The worst of the host's own state, its firing alerts and its failing checks (down: critical, pending: warning). */
function hostTone(host: HostStatus, firing: readonly Alert[], failing: readonly CheckStatus[]): Tone {
  let tone = hostLook(host.state).tone;
  const tones = [...firing.map((a) => severityLook(a.severity).tone), ...failing.map((c) => checksTone([c]))];
  for (const t of tones) if (TONE_RANK[t] > TONE_RANK[tone]) tone = t;
  return tone;
}

/** Critical when any of the checks is down, else warning (pending only). */
function checksTone(failing: readonly CheckStatus[]): Tone {
  return failing.some((c) => displayState(c) === 'down') ? 'critical' : 'warning';
}

/** "✖ 2 failing checks", in the tone of the worst. */
function FailingChecks({ failing, testId, href }: { failing: readonly CheckStatus[]; testId: string; href?: string }) {
  const tone = checksTone(failing);
  const content = <><span className="badge-icon" aria-hidden="true">{tone === 'critical' ? '✖' : '…'}</span>{failingText(failing.length)}</>;
  return href
    ? <a className={`badge tone-${tone}`} href={href} data-testid={testId}>{content}</a>
    : <span className={`badge tone-${tone}`} data-testid={testId}>{content}</span>;
}

/** "since 14:02 (12 min)" for a host that is not online, kept counting. */
function SinceLine({ since }: { since: number }) {
  const now = useClock((s) => Math.floor(s.now / 15_000) * 15_000);
  return <p className="card-since muted num" data-testid="host-since">{sinceText(since, Math.max(now, since))}</p>;
}

function HostCard({ host, firing, failing, tone }: { host: HostStatus; firing: readonly Alert[]; failing: readonly CheckStatus[]; tone: Tone }) {
  const look = hostLook(host.state);
  const online = host.state === 'online';
  const worst = firing.reduce<Alert | undefined>((w, a) => (!w || SEVERITY_RANK[a.severity] > SEVERITY_RANK[w.severity] ? a : w), undefined);
  return (
    <a className={`card host-card edge-${tone}`} href={hostHref(host.id)} data-testid="host-card" data-host={host.id}
      data-state={host.state}>
      <div className="card-head">
        <h2 className="card-title">{host.name}</h2>
        <StatusBadge look={look} title={host.lastError ?? undefined} testId="host-state" />
      </div>
      {!online && (
        <div className="card-state">
          <SinceLine since={host.since} />
          {host.lastError && <p className={`card-error tone-${look.tone}`} data-testid="host-last-error">{host.lastError}</p>}
        </div>
      )}
      <HostGauges id={host.id} offlineReason={online ? null : unknownBecause(host, look.word)} compact />
      <div className="card-foot">
        <span className="card-problems">
          {firing.length > 0 && worst ? (
            <span className={`badge tone-${severityLook(worst.severity).tone}`} data-testid="host-firing">
              <span className="badge-icon" aria-hidden="true">{severityLook(worst.severity).icon}</span>
              {firing.length} firing {firing.length === 1 ? 'alert' : 'alerts'}
            </span>
          ) : (
            <span className="muted" data-testid="host-firing">No firing alerts</span>
          )}
          {failing.length > 0 && <FailingChecks failing={failing} testId="host-failing-checks" />}
        </span>
        <span className="muted card-kind" title={host.address ?? undefined}>{host.kind === 'local' ? 'This machine' : host.address ?? 'SSH'}</span>
      </div>
    </a>
  );
}

function SkeletonCard() {
  return (
    <div className="card host-card skeleton" aria-hidden="true">
      <div className="sk sk-title" />
      <div className="sk sk-line" />
      <div className="sk sk-line" />
      <div className="sk sk-line" />
    </div>
  );
}

/** While only this machine is watched: a quiet invitation to add a server. */
function InviteCard({ onAdd, onImport }: { onAdd(): void; onImport(): void }) {
  return (
    <div className="card invite-card" data-testid="host-invite">
      <h2 className="card-title">Watch a server over SSH — nothing to install on it</h2>
      <p className="muted">Give its address and how you log in; Hostwatch reads its CPU, memory, disks and network the way <code>cat /proc</code> would.</p>
      <div className="fleet-actions">
        <button type="button" className="button" onClick={onAdd} data-testid="host-add-invite">Add a server…</button>
        <button type="button" className="button" onClick={onImport} data-testid="host-import-invite">Import from ~/.ssh/config…</button>
      </div>
    </div>
  );
}

export function FleetView() {
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const hosts = useHosts((s) => s.hosts);
  const loaded = useHosts((s) => s.loaded);
  const error = useHosts((s) => s.error);
  const active = useAlerts((s) => s.active);
  const checks = useChecks((s) => s.checks);
  const failingChecks = useMemo(() => checks.filter(isFailing), [checks]);
  const [query, setQuery] = useState('');

  const cards = useMemo(() => {
    const q = query.trim().toLowerCase();
    return hosts
      .filter((h) => !q || h.name.toLowerCase().includes(q) || h.id.toLowerCase().includes(q))
      .map((host) => {
        const firing = active.filter((a) => a.host === host.id && a.state === 'firing');
        const failing = failingChecks.filter((c) => c.spec.host === host.id);
        return { host, firing, failing, tone: hostTone(host, firing, failing) };
      })
      .sort((a, b) => TONE_RANK[b.tone] - TONE_RANK[a.tone] || b.firing.length - a.firing.length
        || b.failing.length - a.failing.length || a.host.name.localeCompare(b.host.name));
  }, [hosts, active, failingChecks, query]);

  return (
    <main className="view" aria-labelledby="fleet-title">
      <div className="view-head">
        <h1 id="fleet-title">Fleet</h1>
        {failingChecks.length > 0 && <FailingChecks failing={failingChecks} href="#/checks" testId="fleet-failing-checks" />}
        {hosts.length > 1 && (
          <input className="search" type="search" placeholder="Filter hosts  ( / )" aria-label="Filter hosts" data-search
            value={query} onChange={(e) => setQuery(e.target.value)} />
        )}
        <button type="button" className={`button button-primary${hosts.length > 1 ? '' : ' push-right'}`} data-testid="host-add"
          onClick={() => setAdding(true)}>
          + Add host
        </button>
        <button type="button" className="button" data-testid="host-import-open" onClick={() => setImporting(true)}>
          Import from ~/.ssh/config
        </button>
        {hosts.length > 0 && (
          <button type="button" className="button" data-testid="report-export-open" onClick={() => setExporting(true)}>
            Export report…
          </button>
        )}
      </div>
      {error && !loaded && <p className="error-box" role="alert">Could not load hosts: {error}. The list will load when the engine answers.</p>}
      {!loaded ? (
        <div className="card-grid" aria-busy="true" aria-label="Loading hosts"><SkeletonCard /><SkeletonCard /></div>
      ) : hosts.length === 0 ? (
        <div className="empty">
          <h2>No hosts yet</h2>
          <p>Hostwatch watches this machine and any Linux server you can reach over SSH — nothing gets installed on them.</p>
          <p>Add a host to start watching it, or import your hosts from <code>~/.ssh/config</code>.</p>
          <p className="fleet-actions">
            <button type="button" className="button button-primary" onClick={() => setAdding(true)} data-testid="host-add-empty">Add a server…</button>
            <button type="button" className="button" onClick={() => setImporting(true)} data-testid="host-import-empty">Import from ~/.ssh/config…</button>
          </p>
        </div>
      ) : cards.length === 0 ? (
        <p className="muted">No host matches “{query}”.</p>
      ) : (
        <div className="card-grid">
          {cards.map(({ host, firing, failing, tone }) => <HostCard key={host.id} host={host} firing={firing} failing={failing} tone={tone} />)}
          {!query && hosts.every((h) => h.kind === 'local') && <InviteCard onAdd={() => setAdding(true)} onImport={() => setImporting(true)} />}
        </div>
      )}
      {adding && <AddHostDialog onClose={() => setAdding(false)} />}
      {importing && <ImportSshConfigDialog onClose={() => setImporting(false)} />}
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
    </main>
  );
}
