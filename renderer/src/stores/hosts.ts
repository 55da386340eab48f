/**
 * Hosts: their status list and the latest snapshot of each, kept live from the `hosts` and `snapshot`
 * events. Components select one host's snapshot or one derived number, so a snapshot of one host
 * re-renders only what shows that host.
 */
import { create } from 'zustand';
import type { HostStatus, Snapshot } from '../../../shared/api.ts';
import { client, errorMessage } from '../api/index.ts';
import { onConnected } from './connection.ts';

interface HostsStore {
  hosts: HostStatus[];
  /** False until the first list arrived (the fleet view shows skeletons meanwhile). */
  loaded: boolean;
  /** Why loading failed, if it did. */
  error: string | null;
  /** The latest snapshot per host id. */
  latest: Record<string, Snapshot>;
}

export const useHosts = create<HostsStore>()(() => ({ hosts: [], loaded: false, error: null, latest: {} }));

function setSnapshot(snapshot: Snapshot): void {
  useHosts.setState((s) => {
    const prev = s.latest[snapshot.host];
    if (prev && prev.time > snapshot.time) return s;
    return { latest: { ...s.latest, [snapshot.host]: snapshot } };
  });
}

async function load(): Promise<void> {
  try {
    const [hosts, latest] = await Promise.all([client.request('hosts.list'), client.request('metrics.latest')]);
    useHosts.setState({ hosts, loaded: true, error: null });
    for (const snap of latest) setSnapshot(snap);
  } catch (err) {
    useHosts.setState({ error: errorMessage(err) });
  }
}

client.on('hosts', (hosts) => useHosts.setState({ hosts, loaded: true, error: null }));
client.on('snapshot', setSnapshot);
onConnected(() => void load());

/** One host's status, or undefined. */
export function useHost(id: string): HostStatus | undefined {
  return useHosts((s) => s.hosts.find((h) => h.id === id));
}

/** One host's latest snapshot, or undefined before the first. */
export function useLatest(id: string): Snapshot | undefined {
  return useHosts((s) => s.latest[id]);
}
