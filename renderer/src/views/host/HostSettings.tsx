/**
 * A host's settings tab: for a remote host the connection form (hosts.get → hosts.edit), pause /
 * resume, and "Remove host…" with a confirmation that says what is lost; for this machine only the
 * polling interval and pause (it has no connection and cannot be removed).
 */
import { useCallback, useEffect, useState } from 'react';
import type { HostStatus, Result } from '../../../../shared/api.ts';
import { formatDuration } from '../../../../shared/format.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { getHostSettings, removeHost, updateHost } from '../../stores/hosts.ts';
import { onConnected } from '../../stores/connection.ts';
import { showToast } from '../../stores/toasts.ts';
import { hostActionError } from '../../lib/hostText.ts';
import { navigate } from '../../lib/router.ts';
import { HostEditor } from '../hosts/HostEditor.tsx';
import { formFromSpec } from '../hosts/hostForm.ts';

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: Result<'hosts.get'>; version: number };

function PauseButton({ host }: { host: HostStatus }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const paused = !host.enabled;
  return (
    <div className="settings-row">
      <div>
        <h3>{paused ? 'Paused' : 'Watching'}</h3>
        <p className="hint">
          {paused
            ? `Hostwatch does not poll ${host.name}; its charts show a gap for the paused time.`
            : `Pausing stops polling ${host.name}${host.kind === 'ssh' ? ' and closes the SSH connection' : ''}; settings and history are kept.`}
        </p>
        {error && <p className="error-box" role="alert">{error}</p>}
      </div>
      <button type="button" className="button" disabled={busy} data-testid="host-pause" data-enabled={String(host.enabled)}
        onClick={() => {
          setBusy(true);
          setError(null);
          updateHost(host.id, { enabled: paused })
            .catch((err: unknown) => setError(hostActionError(err, paused ? 'resume the host' : 'pause the host')))
            .finally(() => setBusy(false));
        }}>
        {paused ? '▶ Resume' : '❚❚ Pause'}
      </button>
    </div>
  );
}

const INTERVALS = [1, 2, 5, 10, 30, 60] as const;

function LocalInterval({ host }: { host: HostStatus }) {
  const [error, setError] = useState<string | null>(null);
  const seconds = host.intervalSeconds;
  const choices = INTERVALS.includes(seconds as (typeof INTERVALS)[number]) ? INTERVALS : [...INTERVALS, seconds].sort((a, b) => a - b);
  return (
    <div className="settings-row">
      <div>
        <h3><label htmlFor="local-interval">Poll every</label></h3>
        <p className="hint">Applied at once. A shorter interval gives finer charts and costs a little more CPU.</p>
        {error && <p className="error-box" role="alert">{error}</p>}
      </div>
      <select id="local-interval" value={seconds} data-testid="host-interval" onChange={(e) => {
        setError(null);
        updateHost(host.id, { intervalSeconds: Number(e.target.value) })
          .catch((err: unknown) => setError(hostActionError(err, 'change the interval')));
      }}>
        {choices.map((s) => <option key={s} value={s}>{formatDuration(s)}</option>)}
      </select>
    </div>
  );
}

function RemoveDialog({ host, onClose }: { host: HostStatus; onClose(): void }) {
  const [deleteHistory, setDeleteHistory] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={`Remove ${host.name}?`} onClose={onClose} testId="host-remove-dialog">
      <p>
        Hostwatch stops watching <strong>{host.name}</strong>{host.address ? <> (<code>{host.address}</code>)</> : null} and
        forgets its connection settings and any stored password or passphrase. Nothing on the server changes.
      </p>
      <label className="check remove-history">
        <input type="checkbox" checked={deleteHistory} onChange={(e) => setDeleteHistory(e.target.checked)} data-testid="host-remove-history" />
        Also delete its history and alerts
      </label>
      <p className="hint remove-hint">
        {deleteHistory
          ? 'Its charts’ data and its alert history are deleted too. This cannot be undone.'
          : 'Its recorded history and alerts stay in the database.'}
      </p>
      {error && <p className="error-box" role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} data-autofocus>Keep it</button>
        <button type="button" className="button button-danger" disabled={busy} data-testid="host-remove-confirm"
          onClick={() => {
            setBusy(true);
            setError(null);
            removeHost(host.id, deleteHistory).then(() => {
              showToast({
                title: `${host.name} removed`,
                body: deleteHistory ? 'Its history and alerts were deleted.' : 'Its history was kept.',
                severity: 'info',
                host: null,
              });
              onClose();
              navigate('/');
            }, (err: unknown) => { setError(hostActionError(err, 'remove the host')); setBusy(false); });
          }}>
          {busy ? 'Removing…' : deleteHistory ? 'Remove host and history' : 'Remove host'}
        </button>
      </div>
    </Dialog>
  );
}

function ConnectionSettings({ host }: { host: HostStatus }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const load = useCallback(() => {
    getHostSettings(host.id).then(
      (data) => setLoaded((l) => ({ state: 'ok', data, version: l.state === 'ok' ? l.version + 1 : 0 })),
      (err: unknown) => setLoaded({ state: 'error', message: hostActionError(err, 'load the settings') }),
    );
  }, [host.id]);
  useEffect(() => onConnected(load), [load]);

  if (loaded.state === 'loading') {
    return <div className="panel" aria-busy="true" aria-label="Loading the settings"><div className="sk sk-line" /><div className="sk sk-line" /></div>;
  }
  if (loaded.state === 'error') {
    return (
      <div className="panel">
        <p className="error-box" role="alert">{loaded.message}</p>
        <button type="button" className="button" onClick={() => { setLoaded({ state: 'loading' }); load(); }}>Try again</button>
      </div>
    );
  }
  const { spec, hasSecret } = loaded.data;
  if (!spec) return <p className="muted">This host has no connection settings.</p>;
  return (
    <div className="panel">
      <h2 className="panel-title">Connection</h2>
      <HostEditor key={loaded.version} hostId={host.id} initial={formFromSpec(spec)} hasSecret={hasSecret} enabled={host.enabled}
        onSaved={(status) => {
          showToast({ title: `${status.name} saved`, body: status.enabled ? 'Reconnecting with the new settings.' : '', severity: 'info', host: null });
          load();
        }} />
    </div>
  );
}

export function HostSettings({ host }: { host: HostStatus }) {
  const [removing, setRemoving] = useState(false);
  const remote = host.kind === 'ssh';
  return (
    <section className="host-settings" aria-label="Settings" data-testid="host-settings-panel">
      {remote ? <ConnectionSettings host={host} /> : (
        <div className="panel">
          <h2 className="panel-title">This machine</h2>
          <p className="hint">Read directly, without a connection. It is always part of the fleet and cannot be removed.</p>
          <LocalInterval host={host} />
        </div>
      )}
      <div className="panel">
        <PauseButton host={host} />
      </div>
      {remote && (
        <div className="panel panel-danger">
          <div className="settings-row">
            <div>
              <h3>Remove this host</h3>
              <p className="hint">Stops watching it and forgets its settings; you choose whether its history goes too.</p>
            </div>
            <button type="button" className="button button-danger-quiet" data-testid="host-remove" onClick={() => setRemoving(true)}>
              Remove host…
            </button>
          </div>
        </div>
      )}
      {removing && <RemoveDialog host={host} onClose={() => setRemoving(false)} />}
    </section>
  );
}
