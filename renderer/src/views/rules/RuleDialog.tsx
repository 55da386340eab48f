/**
 * Add or edit a rule in a dialog, validated as the user types (RuleSpec.safeParse; the zod messages
 * show next to their fields once a field was touched, all of them after a save attempt).
 */
import { useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Snapshot } from '../../../../shared/api.ts';
import type { Comparison, Rule, Severity } from '../../../../shared/rules.ts';
import { ANY } from '../../../../shared/rules.ts';
import { METRICS, metricDefinition } from '../../../../shared/metrics.ts';
import { formatValue } from '../../../../shared/format.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { errorMessage } from '../../api/index.ts';
import { useHosts } from '../../stores/hosts.ts';
import { createRule, updateRule } from '../../stores/rules.ts';
import type { Field, RuleForm } from './ruleForm.ts';
import { ruleExpression } from '../../../../shared/rules.ts';
import { defaultMatchers, emptyForm, formFromRule, isRatio, validate } from './ruleForm.ts';

const UNIT_WORDS: Record<string, string> = {
  '1': '%', By: 'bytes', 'By/s': 'bytes/s', s: 'seconds', Cel: '°C', '{count}': 'count',
  '{operation}/s': 'operations/s', '{thread}': 'threads',
};

/** Values of `attribute` seen in the latest snapshots, for the matcher pickers. */
function knownValues(latest: Record<string, Snapshot>, metric: string, attribute: string): string[] {
  const seen = new Set<string>();
  for (const snap of Object.values(latest)) {
    for (const s of snap.samples) {
      const v = s.attributes[attribute];
      if (s.metric === metric && v !== undefined) seen.add(v);
    }
  }
  return [...seen].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

function FieldRow({ label, htmlFor, error, hint, children }: {
  label: string; htmlFor: string; error?: string | undefined; hint?: ReactNode; children: ReactNode;
}) {
  const errId = `${htmlFor}-error`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <p className="hint">{hint}</p>}
      {error && <p className="field-error" id={errId} role="alert"><span aria-hidden="true">✖ </span>{error}</p>}
    </div>
  );
}

function MatcherPicker({ metric, attribute, value, error, onChange }: {
  metric: string; attribute: string; value: string; error?: string | undefined; onChange(v: string): void;
}) {
  const id = useId();
  const known = useHosts(useShallow((s) => knownValues(s.latest, metric, attribute)));
  const options = value !== '' && value !== ANY && !known.includes(value) ? [value, ...known] : known;
  return (
    <FieldRow label={attribute} htmlFor={id} error={error}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={`rule-matcher-${attribute}`}>
        <option value={ANY}>any (*) — one alert per series</option>
        <option value="">not used — only series without it</option>
        {options.map((v) => <option key={v} value={v}>{v}</option>)}
      </select>
    </FieldRow>
  );
}

export function RuleDialog({ rule, onClose }: { rule: Rule | null; onClose(): void }) {
  const [form, setForm] = useState<RuleForm>(() => (rule ? formFromRule(rule) : emptyForm()));
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const { spec, issues } = useMemo(() => validate(form), [form]);
  const def = metricDefinition(form.metric);
  const ratio = isRatio(def);
  const ids = { name: useId(), metric: useId(), op: useId(), threshold: useId(), for: useId(), severity: useId(), summary: useId() };

  const show = (f: Field) => (submitted || touched[f] ? issues[f] : undefined);
  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched((t) => ({ ...t, [key]: true }));
  };
  const touch = (f: Field) => () => setTouched((t) => ({ ...t, [f]: true }));

  const save = async () => {
    setSubmitted(true);
    if (!spec) return;
    setSaving(true);
    setSaveError(null);
    try {
      if (rule) await updateRule(rule.id, spec);
      else await createRule(spec);
      onClose();
    } catch (err) {
      setSaveError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  const thresholdNumber = Number(form.threshold);
  const preview = def && !ratio && form.threshold.trim() !== '' && Number.isFinite(thresholdNumber) && def.unit !== '{count}' && def.unit !== '{thread}'
    ? `= ${formatValue(thresholdNumber, def.unit)}` : undefined;

  return (
    <Dialog title={rule ? `Edit rule “${rule.name}”` : 'Add a rule'} onClose={onClose} testId="rule-dialog" wide>
      <form
        className="form"
        noValidate
        onSubmit={(e) => { e.preventDefault(); void save(); }}
      >
        <FieldRow label="Name" htmlFor={ids.name} error={show('name')}>
          <input id={ids.name} type="text" value={form.name} autoFocus data-testid="rule-name"
            onChange={(e) => set('name', e.target.value)} onBlur={touch('name')} placeholder="High CPU usage"
            aria-invalid={show('name') ? true : undefined} aria-describedby={show('name') ? `${ids.name}-error` : undefined} />
        </FieldRow>

        <FieldRow label="Metric" htmlFor={ids.metric} error={show('metric')} hint={def?.description}>
          <select id={ids.metric} value={form.metric} data-testid="rule-metric"
            onChange={(e) => {
              const metric = e.target.value;
              const wasRatio = ratio;
              const nowRatio = isRatio(metricDefinition(metric));
              setForm((f) => ({
                ...f, metric, matchers: defaultMatchers(metric),
                threshold: wasRatio === nowRatio ? f.threshold : '',
              }));
              setTouched((t) => ({ ...t, metric: true }));
            }}>
            {METRICS.map((m) => <option key={m.name} value={m.name}>{m.name}</option>)}
          </select>
        </FieldRow>

        <div className="field-group">
          <FieldRow label="Condition" htmlFor={ids.op} error={show('op')}>
            <select id={ids.op} value={form.op} data-testid="rule-op" onChange={(e) => set('op', e.target.value as Comparison)}>
              <option value=">">&gt; above</option>
              <option value=">=">≥ at or above</option>
              <option value="<">&lt; below</option>
              <option value="<=">≤ at or below</option>
            </select>
          </FieldRow>
          <FieldRow label={`Threshold (${UNIT_WORDS[def?.unit ?? ''] ?? def?.unit ?? ''})`} htmlFor={ids.threshold} error={show('threshold')} hint={preview}>
            <div className="input-suffix">
              <input id={ids.threshold} type="number" inputMode="decimal" step={ratio ? 1 : 'any'} min={ratio ? 0 : undefined} max={ratio ? 100 : undefined}
                value={form.threshold} data-testid="rule-threshold" className="num"
                onChange={(e) => set('threshold', e.target.value)} onBlur={touch('threshold')}
                aria-invalid={show('threshold') ? true : undefined} aria-describedby={show('threshold') ? `${ids.threshold}-error` : undefined} />
              {ratio && <span aria-hidden="true">%</span>}
            </div>
          </FieldRow>
          <FieldRow label="For" htmlFor={ids.for} error={show('for')} hint="How long it must hold: 30s, 5m, 1h; 0 fires at once">
            <input id={ids.for} type="text" value={form.for} data-testid="rule-for" className="num"
              onChange={(e) => set('for', e.target.value)} onBlur={touch('for')}
              aria-invalid={show('for') ? true : undefined} aria-describedby={show('for') ? `${ids.for}-error` : undefined} />
          </FieldRow>
          <FieldRow label="Severity" htmlFor={ids.severity} error={show('severity')}>
            <select id={ids.severity} value={form.severity} data-testid="rule-severity" onChange={(e) => set('severity', e.target.value as Severity)}>
              <option value="info">Info</option>
              <option value="warning">Warning</option>
              <option value="critical">Critical</option>
            </select>
          </FieldRow>
        </div>

        {def && def.attributes.length > 0 && (
          <fieldset className="fieldset">
            <legend>Which series</legend>
            {def.attributes.map((a) => (
              <MatcherPicker key={`${form.metric}:${a}`} metric={form.metric} attribute={a} value={form.matchers[a] ?? ''}
                error={issues.matcher?.[a]}
                onChange={(v) => setForm((f) => ({ ...f, matchers: { ...f.matchers, [a]: v } }))} />
            ))}
          </fieldset>
        )}

        <FieldRow label="Summary (optional)" htmlFor={ids.summary} error={show('summary')}
          hint={<>Message of the notification; <code>{'{{value}}'}</code>, <code>{'{{threshold}}'}</code>, <code>{'{{host}}'}</code> and attribute names are replaced.</>}>
          <input id={ids.summary} type="text" value={form.summary} placeholder="{{value}}" data-testid="rule-summary"
            onChange={(e) => set('summary', e.target.value)} onBlur={touch('summary')} />
        </FieldRow>

        <label className="check">
          <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="rule-enabled" />
          Enabled
        </label>

        <p className="expression-preview" aria-live="polite">
          {spec ? <code>{ruleExpression(spec)}</code> : <span className="muted">Complete the form to see the rule.</span>}
        </p>

        {saveError && <p className="error-box" role="alert">Could not save: {saveError}</p>}

        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="button button-primary" disabled={saving || (submitted && !spec)} data-testid="rule-save">
            {saving ? 'Saving…' : rule ? 'Save changes' : 'Add rule'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
