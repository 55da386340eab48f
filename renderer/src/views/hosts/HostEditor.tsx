/**
 * The connection form of a remote host, for adding one (in a dialog) and editing one (on its settings
 * page): validated as the user types (HostSpec.safeParse through hostForm.ts; messages show next to a
 * field once it was touched, all of them after a save or test attempt), "Test connection" with each
 * stage's outcome, the host key prompt, and Save (hosts.add / hosts.edit).
 */
import { useId, useMemo, useState } from 'react';
import type { ClipboardEvent } from 'react';
import type { HostStatus } from '../../../../shared/api.ts';
import type { AuthMethod } from '../../../../shared/hosts.ts';
import { FieldRow, invalidProps } from '../../components/FieldRow.tsx';
import { addHost, editHost, testHost } from '../../stores/hosts.ts';
import { hostActionError } from '../../lib/hostText.ts';
import type { CommandRow, HostField, HostForm } from './hostForm.ts';
import {
  AUTH_METHODS, sameConnection, secretKind, secretParam, splitAddress, validateHostForm,
} from './hostForm.ts';
import { KeyPrompt, TestStages } from './TestStages.tsx';
import type { TestOutcome } from './TestStages.tsx';

const MAX_JUMPS = 8;

interface TestRun {
  running: boolean;
  spec: ReturnType<typeof validateHostForm>['spec'];
  result: TestOutcome | null;
  error: string | null;
}

export interface HostEditorProps {
  /** The host being edited; null to add one. */
  hostId: string | null;
  initial: HostForm;
  /** Editing: whether a password or passphrase is stored. */
  hasSecret: boolean;
  /** Editing: whether the host is watched now (pause and resume live outside the form). */
  enabled?: boolean;
  onSaved(status: HostStatus): void;
  onCancel?: () => void;
}

export function HostEditor({ hostId, initial, hasSecret, enabled, onSaved, onCancel }: HostEditorProps) {
  const editing = hostId !== null;
  const [form, setForm] = useState<HostForm>(initial);
  const [touched, setTouched] = useState<Partial<Record<HostField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [test, setTest] = useState<TestRun | null>(null);
  const [trustKey, setTrustKey] = useState(false);
  const [focusJump, setFocusJump] = useState<number | null>(null);
  const [commandsTouched, setCommandsTouched] = useState(false);
  const ctx = { editing, hasSecret };
  const { spec, issues } = useMemo(() => validateHostForm(form, ctx), [form, editing, hasSecret]);
  const base = useId();
  const ids = {
    name: `${base}name`, address: `${base}address`, port: `${base}port`, user: `${base}user`, auth: `${base}auth`,
    identity: `${base}identity`, secret: `${base}secret`, interval: `${base}interval`,
  };

  const show = (f: HostField) => (submitted || touched[f] ? issues[f] : undefined);
  const set = <K extends keyof HostForm>(key: K, value: HostForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched((t) => ({ ...t, [key]: true }));
  };
  const touch = (f: HostField) => () => setTouched((t) => ({ ...t, [f]: true }));

  /** `user@host:port` pasted or typed in the address field fills address, port and user. */
  const applySplit = (text: string): boolean => {
    const split = splitAddress(text);
    if (!split) return false;
    setForm((f) => ({
      ...f,
      address: split.address,
      port: split.port !== undefined ? String(split.port) : f.port,
      user: split.user ?? f.user,
    }));
    setTouched((t) => ({ ...t, address: true, ...(split.port !== undefined ? { port: true } : {}), ...(split.user ? { user: true } : {}) }));
    return true;
  };
  const onPasteAddress = (e: ClipboardEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    // Only a paste that replaces the whole field is split; a paste into the middle of a name is text.
    if (input.value !== '' && !(input.selectionStart === 0 && input.selectionEnd === input.value.length)) return;
    if (applySplit(e.clipboardData.getData('text'))) e.preventDefault();
  };

  // A test result holds while the connection settings are the ones tested.
  const current = test && sameConnection(test.spec, spec) ? test : null;
  const offered = current?.result?.offeredKey ?? null;
  const keyChanged = current?.result?.keyVerdict === 'changed';

  const runTest = async () => {
    setSubmitted(true);
    if (!spec) return;
    const secret = secretParam(form, ctx);
    setTest({ running: true, spec, result: null, error: null });
    setTrustKey(false);
    try {
      const result = await testHost(spec, typeof secret === 'string' ? secret : undefined);
      setTest({ running: false, spec, result, error: null });
    } catch (err) {
      setTest({ running: false, spec, result: null, error: hostActionError(err, 'test the connection') });
    }
  };

  const save = async () => {
    setSubmitted(true);
    if (!spec) return;
    setSaving(true);
    setSaveError(null);
    try {
      const secret = secretParam(form, ctx);
      const status = hostId === null
        ? await addHost(spec, secret ?? undefined, trustKey && offered ? offered.fingerprint : undefined)
        : await editHost(hostId, { ...spec, enabled: enabled ?? spec.enabled }, secret);
      onSaved(status);
    } catch (err) {
      setSaveError(hostActionError(err, editing ? 'save the changes' : 'add the host'));
      setSaving(false);
    }
  };

  const kind = secretKind(form);
  const storedSecret = editing && hasSecret;
  const authHint = AUTH_METHODS.find((a) => a.value === form.auth)?.hint;
  const jumpRows = submitted || touched.jump ? issues.jumpRows ?? {} : {};
  const commandRows = submitted || commandsTouched ? issues.commandRows ?? {} : {};
  const setCommand = (i: number, key: keyof CommandRow, value: string) =>
    set('commands', form.commands.map((r, j) => (j === i ? { ...r, [key]: value } : r)));

  return (
    <form className="form host-form" noValidate data-testid="host-form" data-mode={editing ? 'edit' : 'add'}
      onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <div className="field-grid">
        <FieldRow label="Address" htmlFor={ids.address} error={show('address')}
          hint={<>Host name or IP address; pasting <code>user@host:port</code> fills the fields.</>}>
          <input id={ids.address} type="text" value={form.address} data-autofocus={editing ? undefined : true} data-testid="host-address"
            placeholder="web1.example.com" spellCheck={false} autoCapitalize="off" autoComplete="off"
            onChange={(e) => set('address', e.target.value)} onPaste={onPasteAddress}
            onBlur={(e) => { applySplit(e.target.value); touch('address')(); }} {...invalidProps(ids.address, show('address'))} />
        </FieldRow>
        <FieldRow label="Port" htmlFor={ids.port} error={show('port')}>
          <input id={ids.port} type="text" inputMode="numeric" className="num" value={form.port} data-testid="host-port"
            placeholder="22" onChange={(e) => set('port', e.target.value)} onBlur={touch('port')} {...invalidProps(ids.port, show('port'))} />
        </FieldRow>
        <FieldRow label="User" htmlFor={ids.user} error={show('user')}>
          <input id={ids.user} type="text" value={form.user} data-testid="host-user" placeholder="root"
            spellCheck={false} autoCapitalize="off" autoComplete="off"
            onChange={(e) => set('user', e.target.value)} onBlur={touch('user')} {...invalidProps(ids.user, show('user'))} />
        </FieldRow>
      </div>

      <div className="field-grid field-grid-name">
        <FieldRow label="Name" htmlFor={ids.name} error={show('name')} hint="As the fleet shows it; the address when left empty.">
          <input id={ids.name} type="text" value={form.name} data-testid="host-name" placeholder={form.address.trim() || 'web1'}
            onChange={(e) => set('name', e.target.value)} onBlur={touch('name')} {...invalidProps(ids.name, show('name'))} />
        </FieldRow>
        <FieldRow label="Poll every" htmlFor={ids.interval} error={show('interval')} hint="Seconds, or 30s, 1m, 5m.">
          <input id={ids.interval} type="text" className="num" value={form.interval} data-testid="host-interval"
            onChange={(e) => set('interval', e.target.value)} onBlur={touch('interval')} {...invalidProps(ids.interval, show('interval'))} />
        </FieldRow>
      </div>

      <div className="field-grid field-grid-2">
        <FieldRow label="Authentication" htmlFor={ids.auth} error={show('auth')} hint={authHint}>
          <select id={ids.auth} value={form.auth} data-testid="host-auth"
            onChange={(e) => set('auth', e.target.value as AuthMethod)}>
            {AUTH_METHODS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
          </select>
        </FieldRow>
        {(form.auth === 'identity' || form.auth === 'auto') && (
          <FieldRow label={form.auth === 'auto' ? 'Identity file (optional)' : 'Identity file'} htmlFor={ids.identity}
            error={show('identityFile')} hint="Path of the private key on this computer; ~ is your home folder.">
            <input id={ids.identity} type="text" value={form.identityFile} data-testid="host-identity"
              placeholder="~/.ssh/id_ed25519" spellCheck={false} autoComplete="off"
              onChange={(e) => set('identityFile', e.target.value)} onBlur={touch('identityFile')}
              {...invalidProps(ids.identity, show('identityFile'))} />
          </FieldRow>
        )}
        {kind !== null && (
          <FieldRow label={kind === 'password' ? 'Password' : 'Key passphrase (if the key has one)'} htmlFor={ids.secret}
            error={show('secret')}
            hint={form.forgetSecret ? undefined : storedSecret
              ? 'Stored encrypted on this computer; type a new one to replace it.'
              : 'Stored encrypted on this computer and never shown again.'}>
            <div className="input-suffix">
              <input id={ids.secret} type="password" value={form.secret} data-testid="host-secret"
                autoComplete="new-password" disabled={form.forgetSecret}
                placeholder={form.forgetSecret ? 'will be forgotten' : storedSecret ? 'stored — leave empty to keep it' : ''}
                onChange={(e) => set('secret', e.target.value)} onBlur={touch('secret')} {...invalidProps(ids.secret, show('secret'))} />
              {storedSecret && (form.forgetSecret ? (
                <button type="button" className="button button-small" data-testid="host-secret-keep"
                  onClick={() => set('forgetSecret', false)}>Keep it</button>
              ) : (
                <button type="button" className="button button-small button-danger-quiet" data-testid="host-secret-forget"
                  onClick={() => setForm((f) => ({ ...f, forgetSecret: true, secret: '' }))}>Forget</button>
              ))}
            </div>
          </FieldRow>
        )}
      </div>

      {kind === null && storedSecret && (
        <p className="hint">
          {form.forgetSecret ? 'The stored secret will be forgotten when you save. ' : 'A password or passphrase is stored for this host. '}
          <button type="button" className="link-button" data-testid={form.forgetSecret ? 'host-secret-keep' : 'host-secret-forget'}
            onClick={() => set('forgetSecret', !form.forgetSecret)}>{form.forgetSecret ? 'Keep it' : 'Forget it'}</button>
        </p>
      )}

      <fieldset className="fieldset">
        <legend>Jump hosts (ProxyJump)</legend>
        {form.jump.length === 0 && <p className="hint">None: Hostwatch connects to the host directly.</p>}
        {form.jump.map((row, i) => {
          const error = jumpRows[i];
          const id = `${base}jump${i}`;
          return (
            <div key={i} className={`field${error ? ' field-invalid' : ''}`}>
              <div className="input-suffix">
                <span className="jump-order num muted" aria-hidden="true">{i + 1}.</span>
                <input id={id} type="text" value={row} data-testid={`host-jump-${i}`} aria-label={`Jump host ${i + 1}`}
                  placeholder="admin@bastion.example.com:22" spellCheck={false} autoComplete="off" autoFocus={focusJump === i}
                  onChange={(e) => set('jump', form.jump.map((r, j) => (j === i ? e.target.value : r)))}
                  onBlur={touch('jump')} {...invalidProps(id, error)} />
                <button type="button" className="button button-small" data-testid={`host-jump-remove-${i}`}
                  aria-label={`Remove jump host ${i + 1}`}
                  onClick={() => { setFocusJump(null); set('jump', form.jump.filter((_, j) => j !== i)); }}>Remove</button>
              </div>
              {error && <p className="field-error" id={`${id}-error`} role="alert"><span aria-hidden="true">✖ </span>{error}</p>}
            </div>
          );
        })}
        {show('jump') && <p className="field-error" role="alert"><span aria-hidden="true">✖ </span>{show('jump')}</p>}
        <div>
          <button type="button" className="button button-small" data-testid="host-jump-add" disabled={form.jump.length >= MAX_JUMPS}
            onClick={() => { setFocusJump(form.jump.length); setForm((f) => ({ ...f, jump: [...f.jump, ''] })); }}>
            + Add a jump host
          </button>
          {form.jump.length > 0 && <span className="hint"> Hostwatch goes through them in order, first hop first.</span>}
        </div>
      </fieldset>

      <details className="fieldset host-commands" open={form.commands.length > 0 ? true : undefined} data-testid="host-commands">
        <summary>Commands for command checks{form.commands.length > 0 ? ` (${form.commands.length})` : ''}</summary>
        <p className="hint">
          Only these commands ever run on this host, for its command checks, judged like Nagios plugins: exit 0 OK, 1 warning,
          2 critical, 3 unknown. They run with <code>sh</code> as {form.user.trim() || 'the user'}.
        </p>
        {form.commands.map((row, i) => {
          const error = commandRows[i];
          const id = `${base}command${i}`;
          return (
            <div key={i} className={`command-row${error ? ' field-invalid' : ''}`}>
              <input id={`${id}-name`} type="text" value={row.name} data-testid={`host-command-name-${i}`} aria-label={`Name of command ${i + 1}`}
                placeholder="check_disk" spellCheck={false} autoComplete="off" className="command-name"
                onChange={(e) => setCommand(i, 'name', e.target.value)} onBlur={() => setCommandsTouched(true)}
                {...invalidProps(`${id}-name`, error?.name)} />
              <input id={`${id}-command`} type="text" value={row.command} data-testid={`host-command-${i}`} aria-label={`Command ${i + 1}`}
                placeholder="/usr/lib/nagios/plugins/check_disk -w 20% -c 10% -p /" spellCheck={false} autoComplete="off"
                className="command-text mono" onChange={(e) => setCommand(i, 'command', e.target.value)} onBlur={() => setCommandsTouched(true)}
                {...invalidProps(`${id}-command`, error?.command)} />
              <button type="button" className="button button-small" data-testid={`host-command-remove-${i}`}
                aria-label={`Remove command ${i + 1}`} onClick={() => set('commands', form.commands.filter((_, j) => j !== i))}>Remove</button>
              {error && (
                <p className="field-error" role="alert"><span aria-hidden="true">✖ </span>{error.name ?? error.command}</p>
              )}
            </div>
          );
        })}
        <div>
          <button type="button" className="button button-small" data-testid="host-command-add"
            onClick={() => setForm((f) => ({ ...f, commands: [...f.commands, { name: '', command: '' }] }))}>
            + Add a command
          </button>
        </div>
      </details>

      {!editing && (
        <div className="field-check">
          <label className="check">
            <input type="checkbox" checked={form.enabled} data-testid="host-enabled" onChange={(e) => set('enabled', e.target.checked)} />
            Start watching at once
          </label>
        </div>
      )}

      <section className="test-box" aria-label="Connection test">
        <div className="test-head">
          <button type="button" className="button" data-testid="host-test" disabled={test?.running === true} onClick={() => void runTest()}>
            {test?.running ? 'Testing…' : 'Test connection'}
          </button>
          <span className="hint">
            Tries these settings without saving them.
            {storedSecret && kind !== null && form.secret === '' && !form.forgetSecret
              ? ` The stored ${kind} is not sent with a test: type it to test logging in.` : ''}
          </span>
        </div>
        <div aria-live="polite">
          {current && <TestStages running={current.running} result={current.result} />}
          {current?.error && <p className="error-box" role="alert">{current.error}</p>}
          {current?.result && current.result.stages.length > 0 && current.result.stages.every((s) => s.ok) && (
            <p className="calm" data-testid="host-test-ok"><span aria-hidden="true">✓ </span>Everything works. Save to start watching.</p>
          )}
          {test && !current && !test.running && <p className="hint">Settings changed since the last test.</p>}
        </div>
        {offered && (
          <KeyPrompt keyType={offered.type} fingerprint={offered.fingerprint} changed={keyChanged}
            checked={trustKey} onCheck={setTrustKey} canAccept={!editing} />
        )}
      </section>

      {saveError && <p className="error-box" role="alert">{saveError}</p>}

      <div className="dialog-actions">
        {onCancel && <button type="button" className="button" onClick={onCancel}>Cancel</button>}
        <button type="submit" className="button button-primary" disabled={saving || (submitted && !spec)} data-testid="host-save">
          {saving ? 'Saving…' : editing ? 'Save changes' : 'Add host'}
        </button>
      </div>
    </form>
  );
}
