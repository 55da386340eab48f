/**
 * The inputs of a check type's fields, one per FieldMeta kind: text, number (with its unit), select,
 * checkbox, textarea, and the row editors — request headers, conditions on the response, a list of
 * expected answers. Each shows its validation message (and each row its own).
 */
import type { ReactNode } from 'react';
import type { CheckType, FieldMeta } from '../../../../shared/checks/index.ts';
import { FieldRow, invalidProps } from '../../components/FieldRow.tsx';
import type { ConditionKind, ConditionRow, FieldValue, HeaderRow } from './checkForm.ts';
import {
  CONDITION_KINDS, CONDITION_OPS, emptyCondition, fieldDefault, headerOpTakesValue, isNullable,
} from './checkForm.ts';

export interface FieldProps {
  meta: FieldMeta;
  type: CheckType;
  value: FieldValue | undefined;
  /** The id of the field's first input (its label points there). */
  id: string;
  /** The message shown for a key (`url`, `headers.1.name`), if any. */
  error(key: string): string | undefined;
  onChange(value: FieldValue): void;
  onBlur(): void;
}

const MAX_ROWS = 20;

function RowError({ id, messages }: { id: string; messages: (string | undefined)[] }) {
  const shown = [...new Set(messages.filter((m): m is string => m !== undefined))];
  if (shown.length === 0) return null;
  return <p className="field-error" id={`${id}-error`} role="alert"><span aria-hidden="true">✖ </span>{shown.join(' · ')}</p>;
}

function Rows({ label, id, hint, error, children, onAdd, addLabel, full, testId }: {
  label: string; id: string; hint?: ReactNode; error?: string | undefined; children: ReactNode; onAdd(): void;
  addLabel: string; full: boolean; testId: string;
}) {
  return (
    <fieldset className="fieldset rows-editor" data-testid={testId}>
      <legend id={id}>{label}</legend>
      {children}
      {error && <p className="field-error" role="alert"><span aria-hidden="true">✖ </span>{error}</p>}
      <div className="rows-foot">
        <button type="button" className="button button-small" onClick={onAdd} disabled={full} data-testid={`${testId}-add`}>{addLabel}</button>
        {hint && <span className="hint">{hint}</span>}
      </div>
    </fieldset>
  );
}

function HeadersEditor({ meta, id, value, error, onChange, onBlur }: FieldProps) {
  const rows = (value ?? []) as HeaderRow[];
  const set = (i: number, patch: Partial<HeaderRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Rows label={meta.label} id={id} error={error(meta.key)} full={rows.length >= MAX_ROWS} testId={`check-field-${meta.key}`}
      addLabel="+ Add header" onAdd={() => onChange([...rows, { name: '', value: '' }])}
      hint={rows.length === 0 ? 'None: only what every request sends.' : undefined}>
      {rows.map((row, i) => {
        const rowId = `${id}-${i}`;
        const nameError = error(`${meta.key}.${i}.name`);
        const valueError = error(`${meta.key}.${i}.value`);
        return (
          <div key={i} className={`row-editor${nameError || valueError ? ' field-invalid' : ''}`}>
            <div className="row-inputs row-inputs-header">
              <input type="text" value={row.name} placeholder="Authorization" aria-label={`Header ${i + 1} name`} spellCheck={false}
                autoComplete="off" data-testid="check-header-name" onChange={(e) => set(i, { name: e.target.value })} onBlur={onBlur}
                {...invalidProps(rowId, nameError)} />
              <input type="text" value={row.value} placeholder="value" aria-label={`Header ${i + 1} value`} spellCheck={false}
                autoComplete="off" data-testid="check-header-value" onChange={(e) => set(i, { value: e.target.value })} onBlur={onBlur}
                {...invalidProps(rowId, valueError)} />
              <button type="button" className="button button-small" aria-label={`Remove header ${i + 1}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove</button>
            </div>
            <RowError id={rowId} messages={[nameError, valueError]} />
          </div>
        );
      })}
    </Rows>
  );
}

function ConditionInputs({ row, i, rowId, set, error, onBlur }: {
  row: ConditionRow; i: number; rowId: string; set(patch: Partial<ConditionRow>): void;
  error(sub: string): string | undefined; onBlur(): void;
}) {
  const n = i + 1;
  const text = (sub: 'text' | 'path' | 'name' | 'value', label: string, placeholder: string, className?: string) => (
    <input type="text" value={row[sub]} placeholder={placeholder} aria-label={`Condition ${n} ${label}`} spellCheck={false}
      autoComplete="off" className={className} data-testid={`check-condition-${sub}`}
      onChange={(e) => set({ [sub]: e.target.value })} onBlur={onBlur} {...invalidProps(rowId, error(sub))} />
  );
  const op = (kind: 'json' | 'header') => (
    <select value={row.op} aria-label={`Condition ${n} comparison`} data-testid="check-condition-op" onChange={(e) => set({ op: e.target.value })}>
      {CONDITION_OPS[kind].map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
    </select>
  );
  switch (row.kind) {
    case 'body_contains':
    case 'body_not_contains':
      return text('text', 'text', 'ok');
    case 'body_matches':
      return text('text', 'pattern', '"status":\\s*"up"', 'mono');
    case 'json':
      return <>{text('path', 'JSON path', '$.status', 'mono')}{op('json')}{text('value', 'value', '"ok", 200, true')}</>;
    case 'header':
      return <>{text('name', 'header name', 'Content-Type', 'mono')}{op('header')}{headerOpTakesValue(row.op) ? text('value', 'value', 'application/json') : <span />}</>;
  }
}

function ConditionsEditor({ meta, id, value, error, onChange, onBlur }: FieldProps) {
  const rows = (value ?? []) as ConditionRow[];
  const set = (i: number, patch: Partial<ConditionRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const hasJson = rows.some((r) => r.kind === 'json');
  return (
    <Rows label={meta.label} id={id} error={error(meta.key)} full={rows.length >= MAX_ROWS} testId={`check-field-${meta.key}`}
      addLabel="+ Add condition" onAdd={() => onChange([...rows, emptyCondition()])}
      hint={rows.length === 0 ? 'None: the status code decides.'
        : hasJson ? <>JSON values: numbers, <code>true</code>, <code>false</code> and <code>null</code> as such; quote a number to compare text (<code>"200"</code>).</> : 'Every condition must hold.'}>
      {rows.map((row, i) => {
        const rowId = `${id}-${i}`;
        const sub = (s: string) => error(`${meta.key}.${i}.${s}`);
        const messages = ['kind', 'text', 'path', 'name', 'op', 'value'].map(sub);
        return (
          <div key={i} className={`row-editor${messages.some(Boolean) ? ' field-invalid' : ''}`} data-testid="check-condition">
            <div className={`row-inputs row-inputs-${row.kind === 'json' || row.kind === 'header' ? 'compare' : 'text'}`}>
              <select value={row.kind} aria-label={`Condition ${i + 1} kind`} data-testid="check-condition-kind"
                onChange={(e) => {
                  const kind = e.target.value as ConditionKind;
                  set(i, { ...emptyCondition(kind), text: row.text, value: row.value, kind });
                }}>
                {CONDITION_KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
              </select>
              <ConditionInputs row={row} i={i} rowId={rowId} set={(p) => set(i, p)} error={sub} onBlur={onBlur} />
              <button type="button" className="button button-small" aria-label={`Remove condition ${i + 1}`} data-testid="check-condition-remove"
                onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove</button>
            </div>
            <RowError id={rowId} messages={messages} />
          </div>
        );
      })}
    </Rows>
  );
}

function ListEditor({ meta, id, value, error, onChange, onBlur }: FieldProps) {
  const rows = (value ?? []) as string[];
  return (
    <Rows label={meta.label} id={id} error={error(meta.key)} full={rows.length >= MAX_ROWS} testId={`check-field-${meta.key}`}
      addLabel="+ Add" onAdd={() => onChange([...rows, ''])}
      hint={meta.hint ?? (rows.length === 0 ? 'None: any answer will do.' : 'Each must be among the answers.')}>
      {rows.map((row, i) => {
        const rowId = `${id}-${i}`;
        const message = error(`${meta.key}.${i}`);
        return (
          <div key={i} className={`row-editor${message ? ' field-invalid' : ''}`}>
            <div className="row-inputs row-inputs-list">
              <input type="text" value={row} aria-label={`${meta.label} ${i + 1}`} spellCheck={false} autoComplete="off"
                placeholder="192.0.2.10" onChange={(e) => onChange(rows.map((r, j) => (j === i ? e.target.value : r)))} onBlur={onBlur}
                {...invalidProps(rowId, message)} />
              <button type="button" className="button button-small" aria-label={`Remove ${meta.label.toLowerCase()} ${i + 1}`}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove</button>
            </div>
            <RowError id={rowId} messages={[message]} />
          </div>
        );
      })}
    </Rows>
  );
}

/** A number field's placeholder: the default, or what leaving it empty means. */
function numberPlaceholder(meta: FieldMeta, type: CheckType): string | undefined {
  if (meta.placeholder) return meta.placeholder;
  if (isNullable(type, meta.key)) return 'never';
  const d = fieldDefault(type, meta.key);
  return typeof d === 'number' ? String(d) : undefined;
}

export function TypeField(props: FieldProps) {
  const { meta, type, value, id, error, onChange, onBlur } = props;
  const message = error(meta.key);
  const testId = `check-field-${meta.key}`;
  switch (meta.kind) {
    case 'headers':
      return <HeadersEditor {...props} />;
    case 'conditions':
      return <ConditionsEditor {...props} />;
    case 'list':
      return <ListEditor {...props} />;
    case 'checkbox':
      return (
        <div className="field field-check">
          <label className="check">
            <input id={id} type="checkbox" checked={value === true} data-testid={testId} onChange={(e) => onChange(e.target.checked)} />
            {meta.label}
          </label>
          {meta.hint && <p className="hint check-hint">{meta.hint}</p>}
        </div>
      );
    case 'select':
      return (
        <FieldRow label={meta.label} htmlFor={id} error={message} hint={meta.hint}>
          <select id={id} value={typeof value === 'string' ? value : ''} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
            {(meta.options ?? []).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </FieldRow>
      );
    case 'textarea':
      return (
        <FieldRow label={meta.label} htmlFor={id} error={message} hint={meta.hint}>
          <textarea id={id} value={typeof value === 'string' ? value : ''} rows={4} className="mono" spellCheck={false}
            placeholder={meta.placeholder ?? (isNullable(type, meta.key) ? 'None' : undefined)} data-testid={testId}
            onChange={(e) => onChange(e.target.value)} onBlur={onBlur} {...invalidProps(id, message)} />
        </FieldRow>
      );
    case 'number':
      return (
        <FieldRow label={meta.label} htmlFor={id} error={message} hint={meta.hint}>
          <div className="input-suffix">
            <input id={id} type="text" inputMode="decimal" className="num" value={typeof value === 'string' ? value : ''}
              placeholder={numberPlaceholder(meta, type)} data-testid={testId}
              onChange={(e) => onChange(e.target.value)} onBlur={onBlur} {...invalidProps(id, message)} />
            {meta.unit && <span className="unit">{meta.unit}</span>}
          </div>
        </FieldRow>
      );
    case 'text':
      return (
        <FieldRow label={meta.label} htmlFor={id} error={message} hint={meta.hint}>
          <input id={id} type="text" value={typeof value === 'string' ? value : ''} spellCheck={false} autoComplete="off"
            placeholder={meta.placeholder ?? (isNullable(type, meta.key) ? 'None' : undefined)} data-testid={testId}
            onChange={(e) => onChange(e.target.value)} onBlur={onBlur} {...invalidProps(id, message)} />
        </FieldRow>
      );
  }
}

/** Whether a field takes a whole line of the form (editors, long text) or fits in a grid cell. */
export function isWide(meta: FieldMeta): boolean {
  return meta.kind === 'headers' || meta.kind === 'conditions' || meta.kind === 'list' || meta.kind === 'textarea'
    || meta.kind === 'checkbox' || (meta.kind === 'text' && ['url', 'query', 'body'].includes(meta.key));
}
