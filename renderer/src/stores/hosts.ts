/**
 * Hosts: their status list and the latest snapshot of each, kept live from the `hosts` and `snapshot`
 * events. Components select one host's snapshot or one derived number, so a snapshot of one host
 * re-renders only what shows that host. The actions on remote hosts (add, edit, test, remove, accept a
 * key, pause) reject with the engine's ApiError; each puts the host's new status in the list at once.
 */
import { create } from 'zustand';
import type { HostStatus, Result, Snapshot } from '../../../shared/api.ts';
import type { HostSpec } from '../../../shared/hosts.ts';
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

/** Puts a host's new status in the list (before the engine's `hosts` event repeats it). */
function upsert(status: HostStatus): void {
  useHosts.setState((s) => {
    const i = s.hosts.findIndex((h) => h.id === status.id);
    return { hosts: i >= 0 ? s.hosts.map((h) => (h.id === status.id ? status : h)) : [...s.hosts, status] };
  });
}

/** A remote host's settings and whether a secret is stored (never the secret itself). */
export function getHostSettings(id: string): Promise<Result<'hosts.get'>> {
  return client.request('hosts.get', { id });
}

/** Tries settings without saving them; stops at the first stage that fails. */
export function testHost(spec: HostSpec, secret?: string): Promise<Result<'hosts.test'>> {
  return client.request('hosts.test', { spec, ...(secret !== undefined ? { secret } : {}) });
}

/** The hosts of an ssh client config (default ~/.ssh/config of the engine's user), to pick from and add. */
export function sshConfigHosts(path?: string): Promise<Result<'hosts.sshConfig'>> {
  return client.request('hosts.sshConfig', path !== undefined ? { path } : {});
}

/** Adds a remote host; `acceptKey` trusts the host key with that fingerprint (checked by the user). */
export async function addHost(spec: HostSpec, secret?: string, acceptKey?: string): Promise<HostStatus> {
  const status = await client.request('hosts.add', {
    spec, ...(secret !== undefined ? { secret } : {}), ...(acceptKey !== undefined ? { acceptKey } : {}),
  });
  upsert(status);
  return status;
}

/** Replaces a remote host's settings; `secret`: a new one, null to forget it, undefined to keep it. */
export async function editHost(id: string, spec: HostSpec, secret: string | null | undefined): Promise<HostStatus> {
  const status = await client.request('hosts.edit', { id, spec, ...(secret !== undefined ? { secret } : {}) });
  upsert(status);
  return status;
}

/** Changes a host's interval or pauses / resumes it. */
export async function updateHost(id: string, change: { intervalSeconds?: number; enabled?: boolean }): Promise<HostStatus> {
  const status = await client.request('hosts.update', { id, ...change });
  upsert(status);
  return status;
}

/** Trusts the key the host offered (the fingerprint the user saw) and reconnects. */
export async function acceptHostKey(id: string, fingerprint: string): Promise<HostStatus> {
  const status = await client.request('hosts.acceptKey', { id, fingerprint });
  upsert(status);
  return status;
}

/** Removes a remote host, with its history and alerts when `deleteHistory`. */
export async function removeHost(id: string, deleteHistory: boolean): Promise<boolean> {
  const { removed } = await client.request('hosts.remove', { id, deleteHistory });
  useHosts.setState((s) => {
    const { [id]: _gone, ...latest } = s.latest;
    return { hosts: s.hosts.filter((h) => h.id !== id), latest };
  });
  return removed;
}
