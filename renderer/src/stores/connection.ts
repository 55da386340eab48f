/** Connection to the engine, as the client reports it: drives the header badge and offline banner. */
import { create } from 'zustand';
import { client } from '../api/index.ts';
import type { ConnectionState } from '../api/index.ts';

interface ConnectionStore {
  state: ConnectionState;
  /** Why the link closed, for the tooltip; null while open. */
  reason: string | null;
  /** When the state last changed (ms). */
  since: number;
  /** Whether the link has ever been open (first connect vs reconnect). */
  everOpen: boolean;
}

export const useConnection = create<ConnectionStore>()(() => ({
  state: client.state,
  reason: client.reason,
  since: Date.now(),
  everOpen: client.state === 'open',
}));

client.onState((state, reason) => {
  useConnection.setState((s) => ({
    state, reason, since: Date.now(), everOpen: s.everOpen || state === 'open',
  }));
});

/**
 * Runs `load` now if the engine is connected and again every time the link (re)opens, so a store
 * refills itself after an engine restart. Returns the unsubscribe function.
 */
export function onConnected(load: () => void): () => void {
  if (client.state === 'open') load();
  return client.onState((state) => { if (state === 'open') load(); });
}
