/** "◷ No new data since 14:02:11 (2 min)": shown where values are the last ones received. */
import { formatDuration } from '../../../shared/format.ts';
import { useClock } from '../stores/clock.ts';
import { useConnection } from '../stores/connection.ts';

export function StaleNote({ since }: { since: number }) {
  const age = useClock((s) => Math.floor((s.now - since) / 1000));
  const offline = useConnection((s) => s.state !== 'open');
  return (
    <p className="stale-note" role="status" data-testid="stale-note">
      <span aria-hidden="true">◷ </span>
      No new data since {new Date(since).toLocaleTimeString()} ({formatDuration(age)}){offline ? ' — the engine is offline' : ''}
    </p>
  );
}
