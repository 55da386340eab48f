/**
 * Why a host is not online, at the top of its page: what is going on since when, the last error, what
 * to check, and the one action that helps — trust an unknown key, accept a changed one (after a
 * confirmation step), resume a paused host, or open the settings.
 */
import { useState } from 'react';
import type { HostStatus } from '../../../../shared/api.ts';
import { acceptHostKey, updateHost } from '../../stores/hosts.ts';
import { useClock } from '../../stores/clock.ts';
import { explainState, hostActionError } from '../../lib/hostText.ts';
import { hostLook } from '../../lib/status.ts';
import { hostHref } from '../../lib/router.ts';

function KeyDecision({ host }: { host: HostStatus }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = host.offeredKey;
  if (!key) return <p className="hint">Waiting for the host to offer its key again…</p>;
  const changed = host.state === 'host_key_changed';
  const accept = () => {
    setBusy(true);
    setError(null);
    acceptHostKey(host.id, key.fingerprint)
      .then(() => setConfirming(false), (err: unknown) => setError(hostActionError(err, 'trust the key')))
      .finally(() => setBusy(false));
  };
  return (
    <div className="banner-key">
      <p className="key-line">
        {changed ? 'Key offered now: ' : 'Key offered: '}
        <span className="muted">{key.type}</span>{' '}
        <code className="fingerprint" data-testid="host-key-fingerprint">{key.fingerprint}</code>
      </p>
      {!confirming ? (
        <div className="banner-actions">
          <button type="button" className={`button ${changed ? 'button-danger' : 'button-primary'}`} data-testid="host-key-accept"
            onClick={() => setConfirming(true)}>
            {changed ? 'Accept new key…' : 'Trust this key…'}
          </button>
        </div>
      ) : (
        <div className="confirm-step" role="group" aria-label="Confirm the host key"
          onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); setConfirming(false); } }}>
          <p>
            {changed
              ? <>Replace the trusted key of <strong>{host.name}</strong> with <code>{key.fingerprint}</code>? Only do this if you know the server was reinstalled or its keys were regenerated.</>
              : <>Trust <code>{key.fingerprint}</code> as the key of <strong>{host.name}</strong>? Only if it matches what the server shows.</>}
          </p>
          <div className="banner-actions">
            <button type="button" className="button" onClick={() => setConfirming(false)} autoFocus>Cancel</button>
            <button type="button" className={`button ${changed ? 'button-danger' : 'button-primary'}`} disabled={busy}
              data-testid="host-key-accept-confirm" onClick={accept}>
              {busy ? 'Trusting…' : changed ? 'Yes, accept the new key' : 'Yes, trust it'}
            </button>
          </div>
        </div>
      )}
      {error && <p className="error-box" role="alert">{error}</p>}
    </div>
  );
}

function Resume({ host }: { host: HostStatus }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="banner-actions">
      <button type="button" className="button button-primary" disabled={busy} data-testid="host-resume"
        onClick={() => {
          setBusy(true);
          setError(null);
          updateHost(host.id, { enabled: true })
            .catch((err: unknown) => setError(hostActionError(err, 'resume the host')))
            .finally(() => setBusy(false));
        }}>
        Resume
      </button>
      {error && <p className="error-box" role="alert">{error}</p>}
    </div>
  );
}

export function StateBanner({ host, onSettings }: { host: HostStatus; onSettings: boolean }) {
  const now = useClock((s) => Math.floor(s.now / 15_000) * 15_000);
  const text = explainState(host, Math.max(now, host.since));
  if (!text) return null;
  const look = hostLook(host.state);
  const fixInSettings = host.kind === 'ssh' && !onSettings && (host.state === 'auth_failed' || host.state === 'unreachable' || host.state === 'error');
  return (
    <section className={`state-banner tone-${look.tone}`} data-testid="host-state-banner" data-state={host.state}
      role={look.tone === 'critical' ? 'alert' : 'status'}>
      <span className="state-banner-icon" aria-hidden="true">{look.icon}</span>
      <div className="state-banner-body">
        <p className="state-banner-title"><strong>{look.word}:</strong> {text.title}</p>
        {host.lastError && <p className="state-banner-error" data-testid="host-last-error">{host.lastError}</p>}
        {text.advice && <p className="state-banner-advice">{text.advice}</p>}
        {(host.state === 'host_key_unknown' || host.state === 'host_key_changed') && <KeyDecision host={host} />}
        {host.state === 'paused' && <Resume host={host} />}
        {fixInSettings && <p><a href={hostHref(host.id, 'settings')}>Check the connection settings</a></p>}
      </div>
    </section>
  );
}
