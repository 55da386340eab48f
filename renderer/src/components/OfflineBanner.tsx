/** While the engine is away: a banner saying so; it disappears by itself once the link is back. */
import { useConnection } from '../stores/connection.ts';

export function OfflineBanner() {
  const state = useConnection((s) => s.state);
  const everOpen = useConnection((s) => s.everOpen);
  const reason = useConnection((s) => s.reason);
  if (state === 'open') return null;
  if (state === 'connecting' && !everOpen) {
    return <div className="banner tone-info" role="status"><span aria-hidden="true">↻ </span>Connecting to the engine…</div>;
  }
  return (
    <div className="banner tone-warning" role="alert" title={reason ?? undefined} data-testid="offline-banner">
      <span aria-hidden="true">↻ </span>Engine restarting — reconnecting…
    </div>
  );
}
