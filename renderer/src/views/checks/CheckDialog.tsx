/**
 * Add or edit a check in a dialog: a template to start from (adding), the type and the host it belongs
 * to, the type's fields built from CHECK_FORMS (the advanced ones under "More settings" with the retry
 * interval and initial delay), when it runs and how many results in a row change its state. Validated
 * as the user types (CheckSpec.safeParse through checkForm.ts: messages show next to a field once it
 * was touched, all of them after a save or test attempt). "Test now" runs the settings once
 * (`checks.test`) and shows the raw result without saving anything.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { CheckResult, CheckSpec, CheckStatus, CheckType, FieldMeta } from '../../../../shared/checks/index.ts';
import { CHECK_FORMS, CHECK_TYPES, HOST_CHECK_TYPES } from '../../../../shared/checks/index.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FieldRow, invalidProps } from '../../components/FieldRow.tsx';
import { errorMessage } from '../../api/index.ts';
import { createCheck, testCheck, updateCheck, useChecks } from '../../stores/checks.ts';
import { useHosts } from '../../stores/hosts.ts';
import type { CheckForm, CommonField, FieldValue } from './checkForm.ts';
import {
  emptyForm, formFromSpec, suggestedName, validateCheckForm, withType,
} from './checkForm.ts';
import { TEMPLATES, applyTemplate } from './templates.ts';
import type { CheckTemplate } from './templates.ts';
import { TypeField, isWide } from './CheckFields.tsx';
import { ResultView } from './ResultView.tsx';

interface TestRun {
  running: boolean;
  spec: CheckSpec;
  result: CheckResult | null;
  error: string | null;
}

/** Where a field goes in its section: the target first, then the small fields, checkboxes, editors. */
function place(meta: FieldMeta): number {
  if (meta.kind === 'checkbox') return 2;
  if (isWide(meta)) return meta.kind === 'text' ? 0 : 3;
  return 1;
}

/**
 * The rows of a section: fields in place order (stable), consecutive ones that fit a grid cell three
 * to a row, the others a line each.
 */
function layout(fields: readonly FieldMeta[]): FieldMeta[][] {
  const out: FieldMeta[][] = [];
  const ordered = fields.map((f, i) => ({ f, i })).sort((a, b) => place(a.f) - place(b.f) || a.i - b.i).map((x) => x.f);
  for (const f of ordered) {
    const last = out[out.length - 1];
    if (!isWide(f) && last && !isWide(last[0]!) && last.length < 3) last.push(f);
    else out.push([f]);
  }
  return out;
}

function TemplatePicker({ chosen, onPick }: { chosen: string | null; onPick(t: CheckTemplate): void }) {
  return (
    <fieldset className="fieldset template-picker">
      <legend>Start from</legend>
      <div className="template-list" role="group">
        {TEMPLATES.map((t) => (
          <button key={t.id} type="button" className="template" aria-pressed={chosen === t.id} data-testid={`check-template-${t.id}`}
            onClick={() => onPick(t)}>
            <span className="template-label">{t.label}</span>
            <span className="template-text">{t.description}</span>
          </button>
        ))}
      </div>
    </fieldset>
  );
}

export function CheckDialog({ check, host, onClose, onSaved }: {
  /** The check to edit; null to add one. */
  check: CheckStatus | null;
  /** Adding: the host the new check belongs to at first. */
  host?: string;
  onClose(): void;
  onSaved?: (status: CheckStatus) => void;
}) {
  const editing = check !== null;
  const hosts = useHosts((s) => s.hosts);
  const checks = useChecks((s) => s.checks);
  const [form, setForm] = useState<CheckForm>(() => (check ? formFromSpec(check.spec) : applyTemplate(TEMPLATES[0]!, emptyForm('http', host ?? 'local'))));
  const [template, setTemplate] = useState<string | null>(editing ? null : TEMPLATES[0]!.id);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [test, setTest] = useState<TestRun | null>(null);
  const [moreOpen, setMoreOpen] = useState(false);
  const [focusKey, setFocusKey] = useState<string | null>(editing ? null : TEMPLATES[0]!.focus);
  const base = useId();
  const idOf = (key: string) => `${base}-${key}`;

  const taken = useMemo(() => new Set(checks.filter((c) => c.spec.host === form.host && c.id !== check?.id).map((c) => c.spec.name)), [checks, form.host, check?.id]);
  const { spec, issues } = useMemo(() => validateCheckForm(form, taken), [form, taken]);
  const show = (key: string) => (submitted || touched[key.split('.')[0]!] ? issues[key] : undefined);

  const setCommon = <K extends CommonField | 'enabled'>(key: K, value: CheckForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched((t) => ({ ...t, [key]: true }));
  };
  const touch = (key: string) => () => setTouched((t) => ({ ...t, [key]: true }));
  const setField = (key: string, value: FieldValue) => {
    setForm((f) => ({ ...f, fields: { ...f.fields, [key]: value } }));
    // Editors are touched by editing them (a new empty row is not an error until left).
    if (typeof value === 'string' || typeof value === 'boolean') setTouched((t) => ({ ...t, [key]: true }));
  };

  // The cursor goes where a template or a type wants the target typed.
  useEffect(() => {
    if (!focusKey) return;
    const el = document.getElementById(idOf(focusKey));
    if (el instanceof HTMLInputElement) {
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
    setFocusKey(null);
  }, [focusKey]);

  const fields = CHECK_FORMS[form.type].fields.filter((f) => !f.showWhen || String(form.fields[f.showWhen.key]) === f.showWhen.value);
  const onHost = HOST_CHECK_TYPES.includes(form.type);
  const basic = fields.filter((f) => !f.advanced);
  const advanced = fields.filter((f) => f.advanced);
  const advancedIssue = submitted && (advanced.some((f) => Object.keys(issues).some((k) => k.split('.')[0] === f.key))
    || 'retryIntervalSeconds' in issues || 'initialDelaySeconds' in issues);
  const suggestion = suggestedName(form.type, form.fields);

  const pickTemplate = (t: CheckTemplate) => {
    setForm((f) => applyTemplate(t, f));
    setTemplate(t.id);
    setFocusKey(t.focus);
    setTouched((tt) => ({ name: tt.name ?? false, host: tt.host ?? false }));
  };
  const pickType = (type: CheckType) => {
    setForm((f) => withType(f, type));
    setTemplate(null);
    setFocusKey(CHECK_FORMS[type].fields[0]?.key ?? null);
  };

  const runTest = async () => {
    setSubmitted(true);
    if (!spec) return;
    setTest({ running: true, spec, result: null, error: null });
    try {
      const result = await testCheck(spec);
      setTest({ running: false, spec, result, error: null });
    } catch (err) {
      setTest({ running: false, spec, result: null, error: errorMessage(err) });
    }
  };

  const save = async () => {
    setSubmitted(true);
    if (!spec) return;
    setSaving(true);
    setSaveError(null);
    try {
      const status = check ? await updateCheck(check.id, spec) : await createCheck(spec);
      onSaved?.(status);
      onClose();
    } catch (err) {
      setSaveError(errorMessage(err));
      setSaving(false);
    }
  };

  // A test result holds while the settings are the ones tested.
  const current = test && spec && JSON.stringify(test.spec) === JSON.stringify(spec) ? test : null;
  const hostChoices = hosts.some((h) => h.id === form.host) ? hosts : [...hosts, { id: form.host, name: form.host }];

  const typeField = (meta: FieldMeta) => (
    <TypeField key={`${form.type}:${meta.key}`} meta={meta} type={form.type} value={form.fields[meta.key]} id={idOf(meta.key)}
      error={show} onChange={(v) => setField(meta.key, v)} onBlur={touch(meta.key)} />
  );
  const fieldRows = (metas: readonly FieldMeta[]) => layout(metas).map((row) => (row.length === 1 && isWide(row[0]!)
    ? typeField(row[0]!)
    : <div key={row.map((m) => m.key).join()} className="field-grid field-grid-3">{row.map(typeField)}</div>));

  return (
    <Dialog title={check ? `Edit check “${check.spec.name}”` : 'Add a check'} onClose={onClose} testId="check-dialog" wide className="check-dialog">
      <form className="form check-form" noValidate data-mode={editing ? 'edit' : 'add'} onSubmit={(e) => { e.preventDefault(); void save(); }}>
        {!editing && <TemplatePicker chosen={template} onPick={pickTemplate} />}

        <div className="field-grid check-head-grid">
          <FieldRow label="Type" htmlFor={idOf('type')} hint={CHECK_FORMS[form.type].description}>
            <select id={idOf('type')} value={form.type} data-testid="check-type" onChange={(e) => pickType(e.target.value as CheckType)}>
              {CHECK_TYPES.map((t) => <option key={t} value={t}>{CHECK_FORMS[t].label}</option>)}
            </select>
          </FieldRow>
          <FieldRow label={onHost ? 'Runs on' : 'Belongs to'} htmlFor={idOf('host')} error={show('host')}
            hint={onHost ? 'The host it looks at, over its SSH connection' : 'The host it is listed under'}>
            <select id={idOf('host')} value={form.host} data-testid="check-host" onChange={(e) => setCommon('host', e.target.value)}>
              {hostChoices.map((h) => <option key={h.id} value={h.id}>{h.name}</option>)}
            </select>
          </FieldRow>
          <FieldRow label="Name" htmlFor={idOf('name')} error={show('name')}
            hint={form.name.trim() !== '' ? 'Unique on its host' : suggestion ? <>Will be “{suggestion}”</> : 'Empty: named after the target'}>
            <input id={idOf('name')} type="text" value={form.name} data-testid="check-name" placeholder={suggestion || 'Named after the target'}
              autoComplete="off" onChange={(e) => setCommon('name', e.target.value)} onBlur={touch('name')} {...invalidProps(idOf('name'), show('name'))} />
          </FieldRow>
        </div>

        {fieldRows(basic)}

        <div className="field-group">
          <FieldRow label="Check every" htmlFor={idOf('intervalSeconds')} error={show('intervalSeconds')} hint="30s, 5m, 1h">
            <input id={idOf('intervalSeconds')} type="text" className="num" value={form.intervalSeconds} data-testid="check-interval"
              onChange={(e) => setCommon('intervalSeconds', e.target.value)} onBlur={touch('intervalSeconds')}
              {...invalidProps(idOf('intervalSeconds'), show('intervalSeconds'))} />
          </FieldRow>
          <FieldRow label="Timeout" htmlFor={idOf('timeoutSeconds')} error={show('timeoutSeconds')}
            hint="Slower runs fail">
            <input id={idOf('timeoutSeconds')} type="text" className="num" value={form.timeoutSeconds} data-testid="check-timeout"
              onChange={(e) => setCommon('timeoutSeconds', e.target.value)} onBlur={touch('timeoutSeconds')}
              {...invalidProps(idOf('timeoutSeconds'), show('timeoutSeconds'))} />
          </FieldRow>
          <FieldRow label="Down after" htmlFor={idOf('failureThreshold')} error={show('failureThreshold')} hint="failures in a row">
            <input id={idOf('failureThreshold')} type="text" inputMode="numeric" className="num" value={form.failureThreshold}
              data-testid="check-failure-threshold" onChange={(e) => setCommon('failureThreshold', e.target.value)}
              onBlur={touch('failureThreshold')} {...invalidProps(idOf('failureThreshold'), show('failureThreshold'))} />
          </FieldRow>
          <FieldRow label="Up again after" htmlFor={idOf('successThreshold')} error={show('successThreshold')} hint="good runs in a row">
            <input id={idOf('successThreshold')} type="text" inputMode="numeric" className="num" value={form.successThreshold}
              data-testid="check-success-threshold" onChange={(e) => setCommon('successThreshold', e.target.value)}
              onBlur={touch('successThreshold')} {...invalidProps(idOf('successThreshold'), show('successThreshold'))} />
          </FieldRow>
        </div>

        <details className="more-settings" open={moreOpen || advancedIssue}
          onToggle={(e) => setMoreOpen((e.currentTarget as HTMLDetailsElement).open)}>
          <summary data-testid="check-more">More settings</summary>
          <div className="more-settings-body">
            {fieldRows(advanced)}
            <div className="field-grid field-grid-3">
              <FieldRow label="While failing, check every" htmlFor={idOf('retryIntervalSeconds')} error={show('retryIntervalSeconds')}
                hint="Empty: the interval">
                <input id={idOf('retryIntervalSeconds')} type="text" className="num" value={form.retryIntervalSeconds}
                  placeholder={form.intervalSeconds} data-testid="check-retry-interval"
                  onChange={(e) => setCommon('retryIntervalSeconds', e.target.value)} onBlur={touch('retryIntervalSeconds')}
                  {...invalidProps(idOf('retryIntervalSeconds'), show('retryIntervalSeconds'))} />
              </FieldRow>
              <FieldRow label="First run after" htmlFor={idOf('initialDelaySeconds')} error={show('initialDelaySeconds')}
                hint="When added or Hostwatch starts">
                <input id={idOf('initialDelaySeconds')} type="text" className="num" value={form.initialDelaySeconds}
                  data-testid="check-initial-delay" onChange={(e) => setCommon('initialDelaySeconds', e.target.value)}
                  onBlur={touch('initialDelaySeconds')} {...invalidProps(idOf('initialDelaySeconds'), show('initialDelaySeconds'))} />
              </FieldRow>
            </div>
          </div>
        </details>

        <div className="field-check">
          <label className="check">
            <input type="checkbox" checked={form.enabled} data-testid="check-enabled" onChange={(e) => setCommon('enabled', e.target.checked)} />
            {editing ? 'Enabled (unchecked: paused, not run)' : 'Start checking at once'}
          </label>
        </div>

        {show('') && <p className="error-box" role="alert">{show('')}</p>}

        <section className="test-box" aria-label="Test">
          <div className="test-head">
            <button type="button" className="button" data-testid="check-test" disabled={test?.running === true} onClick={() => void runTest()}>
              {test?.running ? 'Testing…' : 'Test now'}
            </button>
            <span className="hint">Runs these settings once and shows what it found; nothing is saved.</span>
          </div>
          <div aria-live="polite">
            {current?.running && <p className="hint" data-testid="check-test-running">Running…</p>}
            {current?.result && <ResultView result={current.result} spec={current.spec} now={Date.now()} showTime={false} testId="check-test-result" />}
            {current?.error && <p className="error-box" role="alert" data-testid="check-test-error">The test could not run: {current.error}</p>}
            {test && !current && !test.running && <p className="hint">Settings changed since the last test.</p>}
          </div>
        </section>

        {saveError && <p className="error-box" role="alert" data-testid="check-save-error">Could not save: {saveError}</p>}

        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="button button-primary" disabled={saving || (submitted && !spec)} data-testid="check-save">
            {saving ? 'Saving…' : editing ? 'Save changes' : 'Add check'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
