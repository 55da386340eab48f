/**
 * "Find on this host": lists the host's running and failed services and its containers (checks.discover)
 * for the user to tick, failed ones first, those already watched marked; "Add N checks" adds a check
 * for each. What could not be read is said (no systemd, no container engine at the socket).
 */
import { useEffect, useMemo, useState } from 'react';
import { DOCKER_SOCKET, type Discovery } from '../../../../shared/checks/index.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { createCheck, discoverOnHost, useChecks } from '../../stores/checks.ts';
import { choicesOf, specsFor, type Choice } from './discoveryChoices.ts';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function DiscoverDialog({ host, hostName, onClose }: { host: string; hostName: string; onClose(): void }) {
  const checks = useChecks((s) => s.checks);
  const [socket, setSocket] = useState(DOCKER_SOCKET);
  const [asked, setAsked] = useState(DOCKER_SOCKET);
  const [found, setFound] = useState<Discovery | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    let live = true;
    setFound(null);
    setError(null);
    discoverOnHost(host, asked).then((d) => live && setFound(d), (err: unknown) => live && setError(errorText(err)));
    return () => { live = false; };
  }, [host, asked]);

  const choices = useMemo(() => (found ? choicesOf(found, host, checks) : []), [found, host, checks]);
  const toAdd = specsFor(choices, ticked, host, asked);
  const toggle = (key: string, on: boolean) => setTicked((t) => {
    const next = new Set(t);
    if (on) next.add(key);
    else next.delete(key);
    return next;
  });

  const add = async () => {
    setAdding(true);
    setError(null);
    try {
      for (const spec of toAdd) await createCheck(spec);
      onClose();
    } catch (err) {
      setError(`Could not add every check: ${errorText(err)}`);
      setAdding(false);
    }
  };

  const section = (kind: Choice['kind'], title: string, none: string) => {
    const rows = choices.filter((c) => c.kind === kind);
    const part = kind === 'unit' ? found?.units : found?.containers;
    if (part === null) return null;
    return (
      <fieldset className="fieldset discover-list" data-testid={`discover-${kind}s`}>
        <legend>{title}</legend>
        {rows.length === 0 ? <p className="hint">{none}</p> : rows.map((c) => (
          <label key={c.key} className={`discover-row${c.watched ? ' muted' : ''}`} data-testid="discover-choice" data-key={c.key}>
            <input type="checkbox" disabled={c.watched} checked={c.watched || ticked.has(c.key)} onChange={(e) => toggle(c.key, e.target.checked)} />
            <span className="discover-name">{c.name}</span>
            <span className={`badge tone-${c.bad ? 'critical' : 'ok'}`}>
              <span className="badge-icon" aria-hidden="true">{c.bad ? '✖' : '✓'}</span>{c.state}
            </span>
            <span className="muted small discover-detail" title={c.detail}>{c.watched ? 'checked already' : c.detail}</span>
          </label>
        ))}
      </fieldset>
    );
  };

  return (
    <Dialog title={`Find on ${hostName}`} onClose={onClose} testId="discover-dialog" wide>
      <form className="form" noValidate onSubmit={(e) => { e.preventDefault(); setAsked(socket.trim() || DOCKER_SOCKET); }}>
        <div className="discover-socket">
          <label htmlFor="discover-socket">Container engine socket</label>
          <input id="discover-socket" type="text" className="mono" value={socket} spellCheck={false} data-testid="discover-socket"
            onChange={(e) => setSocket(e.target.value)} />
          <button type="submit" className="button button-small">Look again</button>
          <span className="hint">Docker’s; for Podman, /run/podman/podman.sock with <code>podman system service</code> running.</span>
        </div>
      </form>
      {!found && !error && <p className="muted" aria-live="polite">Looking at {hostName}…</p>}
      {found && found.errors.length > 0 && (
        <ul className="note-list" data-testid="discover-errors">{found.errors.map((e) => <li key={e} className="muted">{e}</li>)}</ul>
      )}
      {found && section('unit', 'Services (running or failed)', 'No running or failed services.')}
      {found && section('container', 'Containers', 'No containers.')}
      {error && <p className="error-box" role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>Cancel</button>
        <button type="button" className="button button-primary" disabled={toAdd.length === 0 || adding} data-testid="discover-add" onClick={() => void add()}>
          {adding ? 'Adding…' : toAdd.length === 0 ? 'Tick what to check' : `Add ${toAdd.length} ${toAdd.length === 1 ? 'check' : 'checks'}`}
        </button>
      </div>
    </Dialog>
  );
}
