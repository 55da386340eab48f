/**
 * Whether a host's latest snapshot is no longer "now": the engine is offline, or no snapshot came for
 * three poll intervals (at least 5 s). Returns the snapshot's time when stale, so the UI can say
 * "since when" instead of holding the last value silently; null when fresh or when there is none.
 */
import { useClock } from '../stores/clock.ts';
import { useConnection } from '../stores/connection.ts';
import { useHosts } from '../stores/hosts.ts';

export function useStaleSince(hostId: string): number | null {
  const time = useHosts((s) => s.latest[hostId]?.time);
  const interval = useHosts((s) => s.hosts.find((h) => h.id === hostId)?.intervalSeconds ?? 1);
  const offline = useConnection((s) => s.state !== 'open');
  const limit = Math.max(3 * interval * 1000, 5000);
  const late = useClock((s) => time !== undefined && s.now - time > limit);
  if (time === undefined) return null;
  return offline || late ? time : null;
}
