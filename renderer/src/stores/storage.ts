/**
 * The history store's status (`storage.status`): its state, size, each host's share and the retention.
 * The engine pushes a `storage` event when the state changes; sizes change all the time without one,
 * so the Settings view reloads on opening.
 */
import { create } from 'zustand';
import type { Retention, StorageStatus } from '../../../shared/api.ts';
import { client, errorMessage } from '../api/index.ts';
import { onConnected } from './connection.ts';

interface StorageStore {
  /** Null until the first status arrived. */
  status: StorageStatus | null;
  /** Why loading failed, if it did. */
  error: string | null;
}

export const useStorage = create<StorageStore>()(() => ({ status: null, error: null }));

/** (Re)loads the status. Answers and events come in the engine's order, so the last one is the newest. */
export async function loadStorage(): Promise<void> {
  try {
    const status = await client.request('storage.status');
    useStorage.setState({ status, error: null });
  } catch (err) {
    useStorage.setState({ error: errorMessage(err) });
  }
}

client.on('storage', (status) => useStorage.setState({ status, error: null }));
onConnected(() => void loadStorage());

/** Sets the retention per tier (the engine starts a cleanup pass); rejects with the engine's message. */
export async function saveRetention(retention: Retention): Promise<StorageStatus> {
  const status = await client.request('storage.setRetention', retention);
  useStorage.setState({ status, error: null });
  return status;
}

/** What is wrong with the store in one line, for the banner and Settings; null when it is writing. */
export function storageProblem(status: Pick<StorageStatus, 'state' | 'message' | 'pendingSnapshots'>): string | null {
  switch (status.state) {
    case 'ok':
      return null;
    case 'full': {
      const n = status.pendingSnapshots;
      return `Storage full — writing is paused; ${n} ${n === 1 ? 'snapshot' : 'snapshots'} waiting`;
    }
    case 'error':
      return `History cannot be written${status.message ? `: ${status.message}` : ''}`;
  }
}
