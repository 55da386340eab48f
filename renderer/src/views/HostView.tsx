/**
 * One host: "now" gauges (CPU, memory, swap, busiest filesystem), its service checks, the time-series
 * charts with a range picker, the top processes and what the host is; a banner saying why when the host is not online (its
 * gauges then show "—"); a Settings tab (connection, pause, remove); "Export report…" with this host chosen.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../../shared/format.ts';
import { client, errorMessage } from '../api/index.ts';
import { useHost, useHosts } from '../stores/hosts.ts';
import { useFiringCount } from '../stores/alerts.ts';
import {
  sampleValue, unknownReason,
} from '../lib/snapshot.ts';
import { hostLook } from '../lib/status.ts';
import { hostHref } from '../lib/router.ts';
import type { HostTab } from '../lib/router.ts';
import { unknownBecause } from '../lib/hostText.ts';
import { HostGauges } from '../components/HostGauges.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { CHARTS, RANGES } from './host/charts.ts';
import type { Range } from './host/charts.ts';
import { ChartCard } from './host/ChartCard.tsx';
import { ProcessTable } from './host/ProcessTable.tsx';
import { InventoryLine } from './host/InventoryLine.tsx';
import { StateBanner } from './host/StateBanner.tsx';
import { HostSettings } from './host/HostSettings.tsx';
import { ExportDialog } from './reports/ExportDialog.tsx';
import { HostChecks } from './checks/HostChecks.tsx';

/** Uptime, load and process count, as a line of facts ("—" with the reason when unknown). */
function HostFacts({ id, offlineReason }: { id: string; offlineReason: string | null }) {
  const facts = useHosts(useShallow((s) => {
    const snap = offlineReason === null ? s.latest[id] : undefined;
    return {
      uptime: sampleValue(snap, 'system.uptime'),
      load: sampleValue(snap, 'system.cpu.load_average.1m'),
      procs: sampleValue(snap, 'system.process.count'),
      reason: offlineReason ?? unknownReason(snap),
    };
  }));
  const unknown = <span title={facts.reason}>—</span>;
  return (
    <p className="facts num">
      <span>Up {facts.uptime !== undefined ? formatDuration(facts.uptime) : unknown}</span>
      <span>Load {facts.load !== undefined ? facts.load.toFixed(2) : unknown}</span>
      <span>{facts.procs !== undefined ? Math.round(facts.procs) : unknown} processes</span>
    </p>
  );
}

const INTERVALS = [1, 2, 5, 10, 30, 60] as const;

/** How often the engine polls this host; saved by the engine and applied at once. */
function IntervalPicker({ host, seconds }: { host: string; seconds: number }) {
  const [error, setError] = useState<string | null>(null);
  const choices = INTERVALS.includes(seconds as (typeof INTERVALS)[number]) ? INTERVALS : [...INTERVALS, seconds].sort((a, b) => a - b);
  return (
    <label className="interval-picker small">
      Poll every{' '}
      <select value={seconds} data-testid="host-interval" onChange={(e) => {
        setError(null);
        client.request('hosts.update', { id: host, intervalSeconds: Number(e.target.value) })
          .catch((err: unknown) => setError(errorMessage(err)));
      }}>
        {choices.map((s) => <option key={s} value={s}>{formatDuration(s)}</option>)}
      </select>
      {error && <span className="field-error" role="alert"> {error}</span>}
    </label>
  );
}

function RangePicker({ value, onChange }: { value: Range; onChange(r: Range): void }) {
  return (
    <div className="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button key={r.id} type="button" aria-pressed={value === r.id} data-testid={`range-${r.id}`}
          title={r.live ? `Last ${r.label}, live` : `Last ${r.label}`} onClick={() => onChange(r.id)}>
          {r.id}
        </button>
      ))}
    </div>
  );
}

function Tabs({ id, tab }: { id: string; tab: HostTab }) {
  return (
    <nav className="tabs" aria-label="Host sections">
      <a href={hostHref(id)} className="tab" aria-current={tab === 'overview' ? 'page' : undefined} data-testid="host-overview">Overview</a>
      <a href={hostHref(id, 'settings')} className="tab" aria-current={tab === 'settings' ? 'page' : undefined} data-testid="host-settings">Settings</a>
    </nav>
  );
}

export function HostView({ id, tab = 'overview' }: { id: string; tab?: HostTab }) {
  const host = useHost(id);
  const loaded = useHosts((s) => s.loaded);
  const firing = useFiringCount(id);
  const [range, setRange] = useState<Range>(() => (sessionStorage.getItem('hostwatch.range') as Range | null) ?? '1h');
  const [exporting, setExporting] = useState(false);
  const pick = (r: Range) => {
    setRange(r);
    try { sessionStorage.setItem('hostwatch.range', r); } catch { /* storage disabled */ }
  };

  if (loaded && !host) {
    return (
      <main className="view">
        <h1>Host not found</h1>
        <p>There is no host “{id}”. <a href="#/">Back to the fleet</a></p>
      </main>
    );
  }
  const intervalMs = (host?.intervalSeconds ?? 1) * 1000;
  const look = host ? hostLook(host.state) : null;
  const offlineReason = host && look && host.state !== 'online' ? unknownBecause(host, look.word) : null;

  return (
    <main className="view" aria-labelledby="host-title">
      <nav className="breadcrumb" aria-label="Breadcrumb"><a href="#/">Fleet</a> <span aria-hidden="true">›</span></nav>
      <div className="view-head">
        <h1 id="host-title">{host?.name ?? id}</h1>
        {host && look && <StatusBadge look={look} title={host.lastError ?? undefined} testId="host-state" />}
        {host?.address && <code className="host-address muted">{host.address}</code>}
        {firing > 0 && (
          <a className="badge tone-critical" href="#/alerts"><span className="badge-icon" aria-hidden="true">●</span>{firing} firing</a>
        )}
        {host && (
          <button type="button" className="button push-right" data-testid="report-export-open" onClick={() => setExporting(true)}>
            Export report…
          </button>
        )}
      </div>
      <Tabs id={id} tab={tab} />
      {host && <StateBanner host={host} onSettings={tab === 'settings'} />}
      {tab === 'settings' ? (host ? <HostSettings host={host} /> : null) : (
        <HostOverview id={id} hostName={host?.name ?? null} intervalSeconds={host?.intervalSeconds}
          intervalMs={intervalMs} offlineReason={offlineReason} range={range} pick={pick} />
      )}
      {exporting && <ExportDialog host={id} onClose={() => setExporting(false)} />}
    </main>
  );
}

function HostOverview({ id, hostName, intervalSeconds, intervalMs, offlineReason, range, pick }: {
  /** The host's name; null while it is not known (not loaded, or removed). */
  id: string; hostName: string | null; intervalSeconds: number | undefined; intervalMs: number; offlineReason: string | null;
  range: Range; pick(r: Range): void;
}) {
  return (
    <>
      <InventoryLine host={id} />
      <HostGauges id={id} offlineReason={offlineReason} />
      <div className="facts-row">
        <HostFacts id={id} offlineReason={offlineReason} />
        {hostName !== null && intervalSeconds !== undefined && <IntervalPicker host={id} seconds={intervalSeconds} />}
      </div>
      {hostName !== null && <HostChecks host={id} hostName={hostName} />}
      <div className="section-head">
        <h2>History</h2>
        <RangePicker value={range} onChange={pick} />
      </div>
      <div className="charts">
        {CHARTS.map((spec) => <ChartCard key={spec.id} spec={spec} host={id} range={range} intervalMs={intervalMs} />)}
      </div>
      <ProcessTable host={id} />
    </>
  );
}
