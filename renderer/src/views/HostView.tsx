/**
 * One host: "now" gauges (CPU, memory, swap, busiest filesystem), the time-series charts with a range
 * picker, the top processes and what the host is.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatDuration } from '../../../shared/format.ts';
import { Attr } from '../../../shared/metrics.ts';
import { client, errorMessage } from '../api/index.ts';
import { useHost, useHosts } from '../stores/hosts.ts';
import { useFiringCount } from '../stores/alerts.ts';
import {
  busiestFilesystem, cpuCount, cpuNow, memoryNow, sampleValue, swapNow, unknownReason,
} from '../lib/snapshot.ts';
import { hostLook } from '../lib/status.ts';
import { Gauge } from '../components/Gauge.tsx';
import { StaleNote } from '../components/StaleNote.tsx';
import { useStaleSince } from '../lib/useStale.ts';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { CHARTS, RANGES } from './host/charts.ts';
import type { Range } from './host/charts.ts';
import { ChartCard } from './host/ChartCard.tsx';
import { ProcessTable } from './host/ProcessTable.tsx';
import { InventoryLine } from './host/InventoryLine.tsx';

function ofTotal(used: number | undefined, total: number | undefined): string | undefined {
  if (used === undefined || total === undefined) return undefined;
  return `${formatBytes(used)} of ${formatBytes(total)}`;
}

function HostGauges({ id }: { id: string }) {
  const cpu = useHosts((s) => cpuNow(s.latest[id]));
  const cores = useHosts((s) => cpuCount(s.latest[id]));
  const mem = useHosts(useShallow((s) => memoryNow(s.latest[id])));
  const swap = useHosts(useShallow((s) => swapNow(s.latest[id])));
  const fs = useHosts(useShallow((s) => busiestFilesystem(s.latest[id])));
  const reason = useHosts((s) => unknownReason(s.latest[id]));
  const staleSince = useStaleSince(id);
  return (
    <>
      {staleSince !== null && <StaleNote since={staleSince} />}
      <div className="gauges">
        <Gauge testId="gauge-cpu" label="CPU" value={cpu} metric="system.cpu.utilization" attributes={{}}
          detail={cores !== undefined ? `${cores} logical CPUs` : undefined} unknownReason={reason} staleSince={staleSince} />
        <Gauge testId="gauge-memory" label="Memory" value={mem.utilization} metric="system.memory.utilization" attributes={{}}
          detail={ofTotal(mem.used, mem.total)} unknownReason={reason} staleSince={staleSince} />
        <Gauge testId="gauge-swap" label="Swap" value={swap.utilization} metric="system.paging.utilization" attributes={{}}
          detail={swap.total === 0 ? 'No swap configured' : ofTotal(swap.used, swap.total)} unknownReason={reason} staleSince={staleSince} />
        <Gauge testId="gauge-filesystem" label={fs.mountpoint ? `Disk ${fs.mountpoint}` : 'Disk'} value={fs.utilization}
          metric="system.filesystem.utilization" attributes={fs.mountpoint ? { [Attr.mountpoint]: fs.mountpoint } : undefined}
          detail={ofTotal(fs.used, fs.total)} unknownReason={reason} staleSince={staleSince} />
      </div>
    </>
  );
}

/** Uptime, load and process count, as a line of facts ("—" with the reason when unknown). */
function HostFacts({ id }: { id: string }) {
  const facts = useHosts(useShallow((s) => {
    const snap = s.latest[id];
    return {
      uptime: sampleValue(snap, 'system.uptime'),
      load: sampleValue(snap, 'system.cpu.load_average.1m'),
      procs: sampleValue(snap, 'system.process.count'),
      reason: unknownReason(snap),
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

export function HostView({ id }: { id: string }) {
  const host = useHost(id);
  const loaded = useHosts((s) => s.loaded);
  const firing = useFiringCount(id);
  const [range, setRange] = useState<Range>(() => (sessionStorage.getItem('hostwatch.range') as Range | null) ?? '1h');
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

  return (
    <main className="view" aria-labelledby="host-title">
      <nav className="breadcrumb" aria-label="Breadcrumb"><a href="#/">Fleet</a> <span aria-hidden="true">›</span></nav>
      <div className="view-head">
        <h1 id="host-title">{host?.name ?? id}</h1>
        {host && <StatusBadge look={hostLook(host.state)} title={host.lastError ?? undefined} />}
        {firing > 0 && (
          <a className="badge tone-critical" href="#/alerts"><span className="badge-icon" aria-hidden="true">●</span>{firing} firing</a>
        )}
      </div>
      <InventoryLine host={id} />
      {host?.lastError && <p className="error-box" role="alert">{host.lastError}</p>}
      <HostGauges id={id} />
      <div className="facts-row">
        <HostFacts id={id} />
        {host && <IntervalPicker host={id} seconds={host.intervalSeconds} />}
      </div>
      <div className="section-head">
        <h2>History</h2>
        <RangePicker value={range} onChange={pick} />
      </div>
      <div className="charts">
        {CHARTS.map((spec) => <ChartCard key={spec.id} spec={spec} host={id} range={range} intervalMs={intervalMs} />)}
      </div>
      <ProcessTable host={id} />
    </main>
  );
}
