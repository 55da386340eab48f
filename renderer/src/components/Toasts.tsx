/** The toast stack (bottom right): engine notifications and failed actions. */
import { dismissToast, useToasts } from '../stores/toasts.ts';
import { severityLook } from '../lib/status.ts';
import { hostHref } from '../lib/router.ts';

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => {
        const look = severityLook(t.severity);
        return (
          <div key={t.id} className={`toast tone-${look.tone}`} data-testid="toast">
            <span className="toast-icon" aria-label={look.word}>{look.icon}</span>
            <div className="toast-text">
              <strong>{t.title}</strong>
              {t.body && <p>{t.body}</p>}
              {t.host && (
                <p className="muted"><a href={hostHref(t.host)}>{t.hostName ?? t.host}</a></p>
              )}
            </div>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>✕</button>
          </div>
        );
      })}
    </div>
  );
}
