/**
 * A host's "now" gauges, shared by the fleet's cards (`compact`: CPU, memory, busiest filesystem) and the
 * host view (with swap): the latest values while the host is online; "—" with `offlineReason` on hover
 * when it is not (never its last values).
 */
import { useShallow } from 'zustand/react/shallow';
import { formatBytes } from '../../../shared/format.ts';
import { Attr } from '../../../shared/metrics.ts';
import { useHosts } from '../stores/hosts.ts';
import { busiestFilesystem, cpuCount, cpuNow, memoryNow, swapNow, unknownReason } from '../lib/snapshot.ts';
import { useStaleSince } from '../lib/useStale.ts';
import { Gauge } from './Gauge.tsx';
import { StaleNote } from './StaleNote.tsx';

function ofTotal(used: number | undefined, total: number | undefined): string | undefined {
  if (used === undefined || total === undefined) return undefined;
  return `${formatBytes(used)} of ${formatBytes(total)}`;
}

export function HostGauges({ id, offlineReason, compact = false }: { id: string; offlineReason: string | null; compact?: boolean }) {
  const live = offlineReason === null;
  const cpu = useHosts((s) => (live ? cpuNow(s.latest[id]) : undefined));
  const cores = useHosts((s) => (live ? cpuCount(s.latest[id]) : undefined));
  const mem = useHosts(useShallow((s) => memoryNow(live ? s.latest[id] : undefined)));
  const swap = useHosts(useShallow((s) => swapNow(live && !compact ? s.latest[id] : undefined)));
  const fs = useHosts(useShallow((s) => busiestFilesystem(live ? s.latest[id] : undefined)));
  const reason = useHosts((s) => offlineReason ?? unknownReason(s.latest[id]));
  const stale = useStaleSince(id);
  const staleSince = live ? stale : null;
  return (
    <>
      {staleSince !== null && <StaleNote since={staleSince} />}
      <div className={compact ? 'card-gauges' : 'gauges'}>
        <Gauge testId="gauge-cpu" label="CPU" value={cpu} metric="system.cpu.utilization" attributes={{}}
          detail={cores !== undefined ? `${cores} logical CPUs` : undefined} unknownReason={reason} staleSince={staleSince} compact={compact} />
        <Gauge testId="gauge-memory" label="Memory" value={mem.utilization} metric="system.memory.utilization" attributes={{}}
          detail={ofTotal(mem.used, mem.total)} unknownReason={reason} staleSince={staleSince} compact={compact} />
        {!compact && (
          <Gauge testId="gauge-swap" label="Swap" value={swap.utilization} metric="system.paging.utilization" attributes={{}}
            detail={swap.total === 0 ? 'No swap configured' : ofTotal(swap.used, swap.total)} unknownReason={reason} staleSince={staleSince} />
        )}
        <Gauge testId="gauge-filesystem" label={fs.mountpoint ? `Disk ${fs.mountpoint}` : 'Disk'} value={fs.utilization}
          metric="system.filesystem.utilization" attributes={fs.mountpoint ? { [Attr.mountpoint]: fs.mountpoint } : undefined}
          detail={ofTotal(fs.used, fs.total)} unknownReason={reason} staleSince={staleSince} compact={compact} />
      </div>
    </>
  );
}
