/**
 * "Import from ~/.ssh/config": the hosts of the engine user's ssh client config (hosts.sshConfig), each
 * with a checkbox (hosts watched already are shown, disabled), what could not be imported with why, and
 * "Add selected": each chosen host is tested (hosts.test), then added (hosts.add). A host whose key is
 * not known yet shows its fingerprint to check and trust, as the add form does; it is added on the next
 * "Add selected" once trusted.
 */
import { useEffect, useState } from 'react';
import type { Result } from '../../../../shared/api.ts';
import type { HostKey, HostSpec } from '../../../../shared/hosts.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { hostActionError, TEST_STAGES } from '../../lib/hostText.ts';
import { addHost, sshConfigHosts, testHost } from '../../stores/hosts.ts';
import { showToast } from '../../stores/toasts.ts';
import { jumpText } from './hostForm.ts';
import { KeyPrompt } from './TestStages.tsx';

type Found = Result<'hosts.sshConfig'>;

/** Where a chosen host is in "Add selected". */
type RowState =
  | { phase: 'idle' }
  | { phase: 'testing' }
  | { phase: 'key'; key: HostKey; trust: boolean }
  | { phase: 'adding' }
  | { phase: 'added' }
  | { phase: 'failed'; message: string };

function addressText(spec: HostSpec): string {
  const address = spec.address.includes(':') ? `[${spec.address}]` : spec.address;
  return `${spec.user}@${address}${spec.port !== 22 ? `:${spec.port}` : ''}`;
}

function stageLabel(stage: string): string {
  return TEST_STAGES.find((s) => s.stage === stage)?.label ?? stage;
}

export function ImportSshConfigDialog({ onClose }: { onClose(): void }) {
  const [found, setFound] = useState<Found | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const [rows, setRows] = useState<Record<string, RowState>>({});
  const [running, setRunning] = useState(false);

  useEffect(() => {
    let live = true;
    sshConfigHosts().then((result) => {
      if (!live) return;
      setFound(result);
      setSelected(Object.fromEntries(result.candidates.filter((c) => !c.exists).map((c) => [c.spec.name, true])));
    }, (err) => { if (live) setLoadError(hostActionError(err, 'read the ssh config')); });
    return () => { live = false; };
  }, []);

  const setRow = (name: string, state: RowState) => setRows((r) => ({ ...r, [name]: state }));

  const addOne = async (spec: HostSpec, state: RowState): Promise<boolean> => {
    const name = spec.name;
    try {
      let acceptKey: string | undefined;
      if (state.phase === 'key') {
        if (!state.trust) return false;
        acceptKey = state.key.fingerprint;
      } else {
        setRow(name, { phase: 'testing' });
        const test = await testHost(spec);
        const failed = test.stages.find((s) => !s.ok);
        if (test.offeredKey && test.keyVerdict === 'unknown') {
          setRow(name, { phase: 'key', key: test.offeredKey, trust: false });
          return false;
        }
        if (failed || test.keyVerdict === 'changed' || test.keyVerdict === 'revoked') {
          setRow(name, { phase: 'failed', message: failed ? `${stageLabel(failed.stage)}: ${failed.message}` : 'the host key is not trusted' });
          return false;
        }
      }
      setRow(name, { phase: 'adding' });
      await addHost(spec, undefined, acceptKey);
      setRow(name, { phase: 'added' });
      return true;
    } catch (err) {
      setRow(name, { phase: 'failed', message: hostActionError(err, 'add the host') });
      return false;
    }
  };

  const addSelected = async () => {
    if (!found) return;
    setRunning(true);
    let added = 0;
    for (const { spec, exists } of found.candidates) {
      const state = rows[spec.name] ?? { phase: 'idle' };
      if (exists || !selected[spec.name] || state.phase === 'added') continue;
      if (await addOne(spec, state)) added++;
    }
    setRunning(false);
    if (added > 0) {
      showToast({ title: `${added} ${added === 1 ? 'host' : 'hosts'} added`, body: 'Connecting — their values appear within a few seconds.', severity: 'info', host: null });
    }
  };

  const pending = found?.candidates.filter((c) => !c.exists && selected[c.spec.name] && rows[c.spec.name]?.phase !== 'added') ?? [];
  const waitingTrust = pending.some((c) => { const r = rows[c.spec.name]; return r?.phase === 'key' && !r.trust; });

  return (
    <Dialog title="Import from ~/.ssh/config" onClose={onClose} testId="host-import" wide>
      {loadError && <p className="error-box" role="alert">{loadError}</p>}
      {!found && !loadError && <p className="muted" aria-busy="true">Reading the ssh config…</p>}
      {found && (
        <div className="import">
          <p className="dialog-intro muted">
            Hosts of <code>{found.path}</code>. Each one you choose is tested (host key, login, first poll), then added.
          </p>
          {found.candidates.length === 0 && found.skipped.length === 0 && (
            <p className="hint" data-testid="import-empty">No hosts there — the file is missing or names no <code>Host</code>.</p>
          )}
          {found.candidates.length > 0 && (
            <ul className="import-list" aria-label="Hosts to import">
              {found.candidates.map(({ spec, exists }) => {
                const state = rows[spec.name] ?? { phase: 'idle' };
                const done = exists || state.phase === 'added';
                return (
                  <li key={spec.name} className="import-row" data-testid="import-row" data-name={spec.name}
                    data-state={exists ? 'exists' : state.phase}>
                    <label className="check">
                      <input type="checkbox" checked={done || !!selected[spec.name]} disabled={done || running}
                        onChange={(e) => setSelected((s) => ({ ...s, [spec.name]: e.target.checked }))} />
                      <span className="import-name">{spec.name}</span>
                    </label>
                    <span className="import-detail muted">
                      {addressText(spec)}
                      {spec.jump.length > 0 && <> via {spec.jump.map(jumpText).join(', ')}</>}
                      {spec.identityFile && <> · key {spec.identityFile}</>}
                    </span>
                    <span className="import-status">
                      {exists && <span className="muted">already watched</span>}
                      {state.phase === 'testing' && <span className="muted">testing…</span>}
                      {state.phase === 'adding' && <span className="muted">adding…</span>}
                      {state.phase === 'added' && <span className="calm">✓ added</span>}
                      {state.phase === 'failed' && <span className="tone-critical" role="alert">✗ {state.message}</span>}
                    </span>
                    {state.phase === 'key' && (
                      <div className="import-key">
                        <KeyPrompt keyType={state.key.type} fingerprint={state.key.fingerprint} changed={false}
                          checked={state.trust} canAccept
                          onCheck={(trust) => setRow(spec.name, { ...state, trust })} />
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {found.skipped.length > 0 && (
            <details className="import-skipped" open={found.candidates.length === 0}>
              <summary>{found.skipped.length} not imported</summary>
              <ul>
                {found.skipped.map((s) => (
                  <li key={s.pattern} data-testid="import-skipped" data-name={s.pattern}>
                    <code>{s.pattern}</code> <span className="muted">— {s.reason}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
      <div className="dialog-actions">
        {waitingTrust && <span className="hint push-right">Check and trust the host keys shown, then add again.</span>}
        <button type="button" className="button" onClick={onClose}>Close</button>
        <button type="button" className="button button-primary" data-testid="import-add"
          disabled={running || pending.length === 0} onClick={() => void addSelected()}>
          {running ? 'Adding…' : `Add selected${pending.length ? ` (${pending.length})` : ''}`}
        </button>
      </div>
    </Dialog>
  );
}
