/**
 * Fleet overview: "is anything wrong?" in one look. A card per host with its state, CPU / memory /
 * busiest filesystem gauges and the count of firing alerts; the worst host first.
 */
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Alert, HostStatus } from '../../../shared/api.ts';
import { formatBytes } from '../../../shared/format.ts';
import { Attr } from '../../../shared/metrics.ts';
import { useHosts } from '../stores/hosts.ts';
import { useAlerts } from '../stores/alerts.ts';
import { busiestFilesystem, cpuCount, cpuNow, memoryNow, unknownReason } from '../lib/snapshot.ts';
import { hostLook, SEVERITY_RANK, severityLook, TONE_RANK } from '../lib/status.ts';
import type { Tone } from '../lib/status.ts';
import { hostHref } from '../lib/router.ts';
import { Gauge } from '../components/Gauge.tsx';
import { StaleNote } from '../components/StaleNote.tsx';
import { useStaleSince } from '../lib/useStale.ts';
import { StatusBadge } from '../components/StatusBadge.tsx';

function ofTotal(used: number | undefined, total: number | undefined): string | undefined {
  if (used === undefined || total === undefined) return undefined;
  return `${formatBytes(used)} of ${formatBytes(total)}`;
}

/** The worst of the host's own state and its firing alerts. */
function hostTone(host: HostStatus, firing: readonly Alert[]): Tone {
  let tone = hostLook(host.state).tone;
  for (const a of firing) {
    const t = severityLook(a.severity).tone;
    if (TONE_RANK[t] > TONE_RANK[tone]) tone = t;
  }
  return tone;
}

function HostGauges({ id }: { id: string }) {
  const cpu = useHosts((s) => cpuNow(s.latest[id]));
  const cores = useHosts((s) => cpuCount(s.latest[id]));
  const mem = useHosts(useShallow((s) => memoryNow(s.latest[id])));
  const fs = useHosts(useShallow((s) => busiestFilesystem(s.latest[id])));
  const reason = useHosts((s) => unknownReason(s.latest[id]));
  const staleSince = useStaleSince(id);
  return (
    <>
      {staleSince !== null && <StaleNote since={staleSince} />}
      <div className="card-gauges">
        <Gauge testId="gauge-cpu" label="CPU" value={cpu} metric="system.cpu.utilization" attributes={{}}
          detail={cores !== undefined ? `${cores} logical CPUs` : undefined} unknownReason={reason} staleSince={staleSince} compact />
        <Gauge testId="gauge-memory" label="Memory" value={mem.utilization} metric="system.memory.utilization" attributes={{}}
          detail={ofTotal(mem.used, mem.total)} unknownReason={reason} staleSince={staleSince} compact />
        <Gauge testId="gauge-filesystem" label={fs.mountpoint ? `Disk ${fs.mountpoint}` : 'Disk'} value={fs.utilization}
          metric="system.filesystem.utilization" attributes={fs.mountpoint ? { [Attr.mountpoint]: fs.mountpoint } : undefined}
          detail={ofTotal(fs.used, fs.total)} unknownReason={reason} staleSince={staleSince} compact />
      </div>
    </>
  );
}

function HostCard({ host, firing, tone }: { host: HostStatus; firing: readonly Alert[]; tone: Tone }) {
  const look = hostLook(host.state);
  const worst = firing.reduce<Alert | undefined>((w, a) => (!w || SEVERITY_RANK[a.severity] > SEVERITY_RANK[w.severity] ? a : w), undefined);
  return (
    <a className={`card host-card edge-${tone}`} href={hostHref(host.id)} data-testid="host-card" data-host={host.id}>
      <div className="card-head">
        <h2 className="card-title">{host.name}</h2>
        <StatusBadge look={look} title={host.lastError ?? undefined} />
      </div>
      {host.lastError && <p className="card-error">{host.lastError}</p>}
      <HostGauges id={host.id} />
      <div className="card-foot">
        {firing.length > 0 && worst ? (
          <span className={`badge tone-${severityLook(worst.severity).tone}`} data-testid="host-firing">
            <span className="badge-icon" aria-hidden="true">{severityLook(worst.severity).icon}</span>
            {firing.length} firing {firing.length === 1 ? 'alert' : 'alerts'}
          </span>
        ) : (
          <span className="muted" data-testid="host-firing">No firing alerts</span>
        )}
        <span className="muted">{host.kind === 'local' ? 'This machine' : 'SSH'}</span>
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

export function FleetView() {
  const hosts = useHosts((s) => s.hosts);
  const loaded = useHosts((s) => s.loaded);
  const error = useHosts((s) => s.error);
  const active = useAlerts((s) => s.active);
  const [query, setQuery] = useState('');

  const cards = useMemo(() => {
    const q = query.trim().toLowerCase();
    return hosts
      .filter((h) => !q || h.name.toLowerCase().includes(q) || h.id.toLowerCase().includes(q))
      .map((host) => {
        const firing = active.filter((a) => a.host === host.id && a.state === 'firing');
        return { host, firing, tone: hostTone(host, firing) };
      })
      .sort((a, b) => TONE_RANK[b.tone] - TONE_RANK[a.tone] || b.firing.length - a.firing.length || a.host.name.localeCompare(b.host.name));
  }, [hosts, active, query]);

  return (
    <main className="view" aria-labelledby="fleet-title">
      <div className="view-head">
        <h1 id="fleet-title">Fleet</h1>
        {hosts.length > 1 && (
          <input className="search" type="search" placeholder="Filter hosts  ( / )" aria-label="Filter hosts" data-search
            value={query} onChange={(e) => setQuery(e.target.value)} />
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
        </div>
      ) : cards.length === 0 ? (
        <p className="muted">No host matches “{query}”.</p>
      ) : (
        <div className="card-grid">
          {cards.map(({ host, firing, tone }) => <HostCard key={host.id} host={host} firing={firing} tone={tone} />)}
        </div>
      )}
    </main>
  );
}
