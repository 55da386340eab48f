/**
 * The check form's model: what the user types (text, booleans, editor rows), built from the type's
 * form description (CHECK_FORMS); how it becomes a CheckSpec; and the validation messages per field,
 * from CheckSpec.safeParse (its zod issue paths mapped back to the form's fields and rows) plus the
 * conversions zod cannot see (numbers and durations typed as text, empty rows, repeated headers).
 *
 * Field keys are the spec's own (`url`, `intervalSeconds`); a row of an editor is `headers.2.name`,
 * `conditions.0.value`, `expect.1`.
 */
import type { ZodType } from 'zod';
import type { CheckSpec, CheckType, FieldMeta, HttpCondition } from '../../../../shared/checks/index.ts';
import {
  CHECK_FORMS, CHECK_SCHEMAS, CheckSpec as CheckSpecSchema,
} from '../../../../shared/checks/index.ts';
import { durationText, parseDuration } from '../../../../shared/duration.ts';

export interface HeaderRow { name: string; value: string }

export type ConditionKind = HttpCondition['kind'];

/** One condition as edited: every kind's inputs in one row (only the kind's are shown and used). */
export interface ConditionRow {
  kind: ConditionKind;
  /** The text to find (body_contains, body_not_contains) or the pattern (body_matches). */
  text: string;
  /** JSON path (json). */
  path: string;
  /** Header name (header). */
  name: string;
  op: string;
  /** The value compared with: JSON as typed (json), text (header). */
  value: string;
}

export type FieldValue = string | boolean | HeaderRow[] | ConditionRow[] | string[];

export interface CheckForm {
  type: CheckType;
  /** '' = the name suggested from the target (see suggestedName). */
  name: string;
  host: string;
  /** Seconds or a duration: "30", "30s", "5m". */
  intervalSeconds: string;
  timeoutSeconds: string;
  failureThreshold: string;
  successThreshold: string;
  /** '' = the interval. */
  retryIntervalSeconds: string;
  initialDelaySeconds: string;
  enabled: boolean;
  maintenance: boolean;
  /** The type's fields by FieldMeta key. */
  fields: Record<string, FieldValue>;
  /** The spec being edited (settings the form does not show are kept as they are), or null. */
  base: CheckSpec | null;
}

/** Messages by field key (see the module comment); '' for the form as a whole. */
export type CheckIssues = Record<string, string>;

export const COMMON_FIELDS = [
  'name', 'host', 'intervalSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold',
  'retryIntervalSeconds', 'initialDelaySeconds',
] as const;
export type CommonField = (typeof COMMON_FIELDS)[number];


/** Comparisons each condition kind offers. */
export const CONDITION_OPS: Record<'json' | 'header', readonly { value: string; label: string }[]> = {
  json: [
    { value: '==', label: 'equals' }, { value: '!=', label: 'does not equal' }, { value: '<', label: 'is below' },
    { value: '>', label: 'is above' }, { value: 'contains', label: 'contains' },
  ],
  header: [
    { value: '==', label: 'equals' }, { value: '!=', label: 'does not equal' }, { value: 'contains', label: 'contains' },
    { value: 'matches', label: 'matches' }, { value: 'present', label: 'is present' }, { value: 'absent', label: 'is absent' },
  ],
};

export const CONDITION_KINDS: readonly { value: ConditionKind; label: string }[] = [
  { value: 'body_contains', label: 'Body contains' },
  { value: 'body_not_contains', label: 'Body does not contain' },
  { value: 'body_matches', label: 'Body matches' },
  { value: 'json', label: 'JSON value' },
  { value: 'header', label: 'Header' },
];

/** Whether a header condition with this op compares with a value. */
export function headerOpTakesValue(op: string): boolean {
  return op !== 'present' && op !== 'absent';
}

export function emptyCondition(kind: ConditionKind = 'body_contains'): ConditionRow {
  return { kind, text: '', path: kind === 'json' ? '$.' : '', name: '', op: '==', value: '' };
}

function fieldSchema(type: CheckType, key: string): ZodType | undefined {
  return (CHECK_SCHEMAS[type].shape as Record<string, ZodType>)[key];
}

/** The schema's default for a field, or undefined when it has none (a required field). */
export function fieldDefault(type: CheckType, key: string): unknown {
  const parsed = fieldSchema(type, key)?.safeParse(undefined);
  return parsed?.success ? parsed.data : undefined;
}

/** Whether an empty field means null ("none", "never", "the system resolver"). */
export function isNullable(type: CheckType, key: string): boolean {
  return fieldSchema(type, key)?.safeParse(null).success === true;
}

/** A JSON condition's value as typed: numbers, true, false and null as such; "quoted" or bare words as text. */
export function parseJsonValue(text: string): string | number | boolean | null {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^".*"$/s.test(t)) {
    try { return JSON.parse(t) as string; } catch { return t.slice(1, -1); }
  }
  return text;
}

/** The text that parseJsonValue reads back as `value`. */
export function jsonValueText(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  return parseJsonValue(value) === value ? value : JSON.stringify(value);
}

function conditionRow(c: HttpCondition): ConditionRow {
  const row = emptyCondition(c.kind);
  switch (c.kind) {
    case 'body_contains':
    case 'body_not_contains':
      return { ...row, text: c.text };
    case 'body_matches':
      return { ...row, text: c.pattern };
    case 'json':
      return { ...row, path: c.path, op: c.op, value: jsonValueText(c.value) };
    case 'header':
      return { ...row, name: c.name, op: c.op, value: c.value };
  }
}

/** A spec value (or a field's default) as the form shows it. */
export function toFieldValue(meta: FieldMeta, value: unknown): FieldValue {
  switch (meta.kind) {
    case 'checkbox':
      return value === true;
    case 'headers':
      return Object.entries((value ?? {}) as Record<string, string>).map(([name, v]) => ({ name, value: v }));
    case 'conditions':
      return ((value ?? []) as HttpCondition[]).map(conditionRow);
    case 'list':
      return [...((value ?? []) as string[])];
    default:
      return value === null || value === undefined ? '' : String(value);
  }
}

/** Seconds as the form shows them: "30s", "5m", "1h30m", "0.5s". */
export function secondsText(seconds: number): string {
  return Number.isInteger(seconds) ? durationText(seconds) : `${seconds}s`;
}

/** Seconds typed as a number ("0.5", "30") or a duration ("30s", "5m", "1h30m"); null when neither. */
export function parseSeconds(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^\d+(\.\d+)?\s*s$/i.test(t)) return Number(t.replace(/\s*s$/i, ''));
  return parseDuration(t);
}

function typeFields(type: CheckType, overrides: Record<string, unknown> = {}): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const meta of CHECK_FORMS[type].fields) {
    fields[meta.key] = toFieldValue(meta, meta.key in overrides ? overrides[meta.key] : fieldDefault(type, meta.key));
  }
  return fields;
}

/** A new check of `type` on `host`: the schema's defaults, the timeout automatic. */
export function emptyForm(type: CheckType = 'http', host = 'local'): CheckForm {
  return {
    type, name: '', host,
    intervalSeconds: '1m', timeoutSeconds: '10s', failureThreshold: '3', successThreshold: '1',
    retryIntervalSeconds: '', initialDelaySeconds: '0s', enabled: true, maintenance: false,
    fields: typeFields(type), base: null,
  };
}

/** The form switched to another type: that type's defaults, the common settings kept. */
export function withType(form: CheckForm, type: CheckType, overrides: Record<string, unknown> = {}): CheckForm {
  return { ...form, type, fields: typeFields(type, overrides), base: form.base?.type === type ? form.base : null };
}

/** A stored check's settings in the form. */
export function formFromSpec(spec: CheckSpec): CheckForm {
  const overrides = spec as unknown as Record<string, unknown>;
  return {
    type: spec.type,
    name: spec.name,
    host: spec.host,
    intervalSeconds: secondsText(spec.intervalSeconds),
    timeoutSeconds: secondsText(spec.timeoutSeconds),
    failureThreshold: String(spec.failureThreshold),
    successThreshold: String(spec.successThreshold),
    retryIntervalSeconds: spec.retryIntervalSeconds === null ? '' : secondsText(spec.retryIntervalSeconds),
    initialDelaySeconds: secondsText(spec.initialDelaySeconds),
    enabled: spec.enabled,
    maintenance: spec.maintenance,
    fields: typeFields(spec.type, overrides),
    base: spec,
  };
}

/**
 * The name a check gets when the user gives none: from its URL ("example.com/health"), its target and
 * port ("db.example.com:5432"), its DNS name and record type, its pinged host; '' without a target.
 */
export function suggestedName(type: CheckType, fields: Record<string, FieldValue>): string {
  const text = (key: string) => (typeof fields[key] === 'string' ? (fields[key] as string).trim() : '');
  switch (type) {
    case 'http': {
      try {
        const url = new URL(text('url'));
        if (!/^https?:$/.test(url.protocol) || !url.hostname) return '';
        const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
        return `${url.host}${path}`.slice(0, 120);
      } catch {
        return '';
      }
    }
    case 'tcp':
      return text('target') && text('port') ? `${text('target')}:${text('port')}` : '';
    case 'dns':
      return text('query') ? `${text('query')} ${text('recordType')}`.trim() : '';
    case 'ping':
      return text('target') ? `Ping ${text('target')}` : '';
    case 'systemd':
      return text('unit');
    case 'process':
      return text('pattern') ? `Process ${text('pattern')}`.slice(0, 120) : '';
    case 'container':
      return text('container') === '*' ? 'All containers' : text('container') ? `Container ${text('container')}` : '';
    case 'command':
      return text('command');
    case 'log': {
      const where = fields.source === 'journal' ? `journal ${text('priority')}${text('unit') ? ` ${text('unit')}` : ''}` : text('path');
      return where ? `Log ${where}`.slice(0, 120) : '';
    }
  }
}

/** The field a check is named after when the user gives no name. */
const TARGET_FIELD: Record<CheckType, string> = {
  http: 'url', tcp: 'target', dns: 'query', ping: 'target',
  systemd: 'unit', process: 'pattern', container: 'container', command: 'command', log: 'path',
};

/** A zod issue as much of it as the mapping needs. */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  origin?: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  issues?: readonly Issue[];
}

/** zod's own messages ("Too small: expected string to have >=1 characters") in the user's words. */
export function friendlyMessage(issue: Issue): string {
  if (!/^(Too small|Too big|Invalid input|Invalid option|Invalid key)/.test(issue.message)) return issue.message;
  const { origin, minimum, maximum, inclusive } = issue;
  switch (issue.code) {
    case 'too_small':
      if (origin === 'string') return Number(minimum) <= 1 ? 'Fill this in' : `At least ${String(minimum)} characters`;
      if (origin === 'array') return `At least ${String(minimum)}`;
      return inclusive === false ? `Must be more than ${String(minimum)}` : `At least ${String(minimum)}`;
    case 'too_big':
      if (origin === 'string') return `At most ${String(maximum)} characters`;
      if (origin === 'array') return `At most ${String(maximum)} entries`;
      return inclusive === false ? `Must be less than ${String(maximum)}` : `At most ${String(maximum)}`;
    case 'invalid_type':
      return 'Fill this in';
    case 'invalid_value':
      return 'Pick one of the choices';
    case 'invalid_key':
      return issue.issues?.[0] ? friendlyMessage(issue.issues[0]) : 'Not a valid name';
    default:
      return issue.message;
  }
}

/** Where the spec's rows came from in the form: list row index per spec index, for non-empty rows only. */
type RowMaps = Record<string, number[]>;

/**
 * The field key of a zod issue: its first path element, or an editor row's key (`headers.<row>.name`
 * or `.value` for a header's name or value — a record's issue names the header, not a row;
 * `conditions.<i>.<input>`; `<list>.<row>`).
 */
export function issueKey(issue: Issue, form: CheckForm, rows: RowMaps = {}): string {
  const [head, second, third] = issue.path;
  if (head === undefined) return '';
  const key = String(head);
  const meta = CHECK_FORMS[form.type].fields.find((f) => f.key === key);
  if (meta?.kind === 'headers' && typeof second === 'string') {
    const list = (form.fields[key] ?? []) as HeaderRow[];
    const row = list.findIndex((r) => r.name.trim() === second);
    if (row < 0) return key;
    return `${key}.${row}.${issue.code === 'invalid_key' ? 'name' : 'value'}`;
  }
  if (meta?.kind === 'conditions' && typeof second === 'number') {
    const input = third === undefined || third === 'kind' ? 'kind' : third === 'pattern' ? 'text' : String(third);
    return `${key}.${second}.${input}`;
  }
  if (meta?.kind === 'list' && typeof second === 'number') {
    return `${key}.${rows[key]?.[second] ?? second}`;
  }
  return key;
}

/** The form as the object CheckSpec parses, with the issues found on the way (numbers, rows). */
export function candidateOf(form: CheckForm): { candidate: Record<string, unknown>; issues: CheckIssues; rows: RowMaps } {
  const issues: CheckIssues = {};
  const rows: RowMaps = {};
  const out: Record<string, unknown> = form.base?.type === form.type ? { ...form.base } : {};
  out.type = form.type;
  out.name = form.name.trim() || suggestedName(form.type, form.fields);
  out.host = form.host;

  const seconds = (key: CommonField, text: string, empty: number | null | 'required'): number | null => {
    if (text.trim() === '') {
      if (empty === 'required') issues[key] = 'Enter a number of seconds, or 30s, 5m, 1h';
      return empty === 'required' ? null : empty;
    }
    const n = parseSeconds(text);
    if (n === null) issues[key] = 'Write it as seconds, or like 30s, 5m, 1h';
    return n;
  };
  const whole = (key: CommonField, text: string): number | null => {
    if (!/^\s*\d+\s*$/.test(text)) {
      issues[key] = 'Enter a whole number';
      return null;
    }
    return Number(text);
  };
  const interval = seconds('intervalSeconds', form.intervalSeconds, 'required');
  out.intervalSeconds = interval ?? 60;
  out.timeoutSeconds = seconds('timeoutSeconds', form.timeoutSeconds, 'required') ?? 10;
  out.failureThreshold = whole('failureThreshold', form.failureThreshold) ?? 3;
  out.successThreshold = whole('successThreshold', form.successThreshold) ?? 1;
  out.retryIntervalSeconds = seconds('retryIntervalSeconds', form.retryIntervalSeconds, null);
  out.initialDelaySeconds = seconds('initialDelaySeconds', form.initialDelaySeconds, 0) ?? 0;
  out.enabled = form.enabled;
  out.maintenance = form.maintenance;

  for (const meta of CHECK_FORMS[form.type].fields) {
    const key = meta.key;
    const value = form.fields[key];
    switch (meta.kind) {
      case 'checkbox':
        out[key] = value === true;
        break;
      case 'select':
        out[key] = typeof value === 'string' ? value : '';
        break;
      case 'text':
      case 'textarea': {
        const text = typeof value === 'string' ? value : '';
        out[key] = text.trim() === '' && isNullable(form.type, key) ? null : text;
        break;
      }
      case 'number': {
        const text = typeof value === 'string' ? value.trim() : '';
        if (text === '') {
          if (isNullable(form.type, key)) out[key] = null;
          else {
            issues[key] = 'Enter a number';
            delete out[key];
          }
        } else if (!/^-?\d+(\.\d+)?$/.test(text)) {
          issues[key] = 'Enter a number';
          delete out[key];
        } else {
          out[key] = Number(text);
        }
        break;
      }
      case 'headers': {
        const headers: Record<string, string> = {};
        const seen = new Map<string, number>();
        ((value ?? []) as HeaderRow[]).forEach((row, i) => {
          const name = row.name.trim();
          if (name === '' && row.value.trim() === '') return;
          if (name === '') {
            issues[`${key}.${i}.name`] = 'Give the header a name';
            return;
          }
          const lower = name.toLowerCase();
          if (seen.has(lower)) {
            issues[`${key}.${i}.name`] = `${name} is set above already`;
            return;
          }
          seen.set(lower, i);
          headers[name] = row.value;
        });
        out[key] = headers;
        break;
      }
      case 'conditions':
        out[key] = ((value ?? []) as ConditionRow[]).map((row) => conditionOf(row));
        break;
      case 'list': {
        const list: string[] = [];
        const map: number[] = [];
        ((value ?? []) as string[]).forEach((row, i) => {
          if (row.trim() === '') return;
          list.push(row);
          map.push(i);
        });
        rows[key] = map;
        out[key] = list;
        break;
      }
    }
  }
  return { candidate: out, issues, rows };
}

function conditionOf(row: ConditionRow): Record<string, unknown> {
  switch (row.kind) {
    case 'body_contains':
    case 'body_not_contains':
      return { kind: row.kind, text: row.text };
    case 'body_matches':
      return { kind: row.kind, pattern: row.text };
    case 'json':
      return { kind: row.kind, path: row.path, op: row.op, value: parseJsonValue(row.value) };
    case 'header':
      return { kind: row.kind, name: row.name, op: row.op, value: headerOpTakesValue(row.op) ? row.value : '' };
  }
}

/**
 * The form as a CheckSpec, or null with the messages to show by field key. `takenNames`: the names
 * of the other checks on the chosen host (a name is unique per host).
 */
export function validateCheckForm(form: CheckForm, takenNames: ReadonlySet<string> = new Set()): { spec: CheckSpec | null; issues: CheckIssues } {
  const { candidate, issues, rows } = candidateOf(form);
  const parsed = CheckSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues as unknown as Issue[]) {
      const key = issueKey(issue, form, rows);
      // The name may be the suggested one: its problems show on the name field all the same.
      if (!(key in issues)) issues[key] = friendlyMessage(issue);
    }
  }
  // An empty name is named after the target: while the target is wrong, its own message says what to fix.
  if (form.name.trim() === '' && TARGET_FIELD[form.type] in issues) delete issues.name;
  const name = typeof candidate.name === 'string' ? candidate.name : '';
  if (!('name' in issues) && name !== '' && takenNames.has(name)) {
    issues.name = form.name.trim() ? 'Another check on this host has this name' : `Another check on this host is called “${name}”: give this one a name`;
  }
  const ok = parsed.success && Object.keys(issues).length === 0;
  return { spec: ok ? parsed.data : null, issues };
}
