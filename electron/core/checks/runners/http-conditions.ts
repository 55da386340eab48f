/**
 * HTTP check conditions (shared/checks/http.ts HttpCondition), judged on a response as read: in order,
 * the first that fails gives the reason, in words ("body does not contain \"ok\"",
 * "$.status is \"fail\", expected == \"ok\"", "header content-type is missing"). When the body was cut
 * at the read cap, a body condition that fails says so.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpCondition } from '../../../../shared/checks/index.ts';
import { parseJsonPath, resolveJsonPath } from './json-path.ts';

/** A response as the conditions see it. */
export interface ResponseView {
  readonly headers: IncomingHttpHeaders;
  /** The body as text (decoded per its charset), as far as it was read. */
  readonly text: string;
  /** The body went on past what was read. */
  readonly truncated: boolean;
  /** Said after a failed body condition when `truncated` (" (only the first 1 MiB was read)"). */
  readonly cutNote: string;
  /** Why the body could not be decoded, or null (it is then judged as far as it was decoded). */
  readonly decodeError: string | null;
}

/** `value` for a reason: JSON, at most 100 characters. */
export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  return text.length <= 100 ? text : `${text.slice(0, 100)}…`;
}

/** A number, or a string that is one (so "5" from a form compares as 5); else null. */
function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/**
 * Whether a JSON value equals what a condition names: numbers as numbers (1 == 1.0, and a numeric
 * string against a number), booleans against "true"/"false", null against "null"; else strictly.
 */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = asNumber(actual);
    const e = asNumber(expected);
    return a !== null && e !== null && a === e;
  }
  if (typeof actual === 'boolean' && typeof expected === 'string') return String(actual) === expected.trim();
  if (actual === null && typeof expected === 'string') return expected.trim() === 'null';
  return false;
}

type JsonBody = { ok: true; value: unknown } | { ok: false };

/** Judges `conditions` in order on `response`; the first failure's reason, or null when all hold. */
export function failedCondition(conditions: readonly HttpCondition[], response: ResponseView): string | null {
  let json: JsonBody | null = null;
  const parsed = (): JsonBody => {
    if (json === null) {
      try { json = { ok: true, value: JSON.parse(response.text) as unknown }; } catch { json = { ok: false }; }
    }
    return json;
  };
  const cut = (reason: string) => (response.truncated ? `${reason}${response.cutNote}` : reason);
  for (const condition of conditions) {
    const reason = judge(condition, response, parsed, cut);
    if (reason !== null) return reason;
  }
  return null;
}

function judge(condition: HttpCondition, response: ResponseView, parsed: () => JsonBody, cut: (r: string) => string): string | null {
  const decodeNote = response.decodeError === null ? '' : ` (the body could not be decoded: ${response.decodeError})`;
  switch (condition.kind) {
    case 'body_contains':
      return response.text.includes(condition.text) ? null : cut(`body does not contain ${show(condition.text)}${decodeNote}`);
    case 'body_not_contains':
      return response.text.includes(condition.text) ? `body contains ${show(condition.text)}` : null;
    case 'body_matches':
      return new RegExp(condition.pattern, 'u').test(response.text) ? null : cut(`body does not match /${condition.pattern}/${decodeNote}`);
    case 'json': {
      const body = parsed();
      if (!body.ok) return cut(`body is not JSON${decodeNote}`);
      const steps = parseJsonPath(condition.path);
      if (steps === null) return `${condition.path} is not a JSON path Hostwatch can read`;
      const found = resolveJsonPath(body.value, steps);
      const expected = `expected ${condition.op} ${show(condition.value)}`;
      if (!found.found) return condition.op === '!=' ? null : `${condition.path} is missing, ${expected}`;
      const actual = found.value;
      const said = `${condition.path} is ${show(actual)}, ${expected}`;
      switch (condition.op) {
        case '==': return sameValue(actual, condition.value) ? null : said;
        case '!=': return sameValue(actual, condition.value) ? said : null;
        case '<':
        case '>': {
          const a = asNumber(actual);
          const e = asNumber(condition.value);
          if (a === null) return `${condition.path} is ${show(actual)}, not a number (${expected})`;
          if (e === null) return `${show(condition.value)} is not a number to compare ${condition.path} with`;
          return (condition.op === '<' ? a < e : a > e) ? null : said;
        }
        case 'contains':
          if (typeof actual === 'string') return actual.includes(String(condition.value)) ? null : said;
          if (Array.isArray(actual)) return actual.some((item) => sameValue(item, condition.value)) ? null : said;
          return `${condition.path} is ${show(actual)}, neither text nor a list (${expected})`;
      }
      return null;
    }
    case 'header': {
      const raw = response.headers[condition.name.toLowerCase()];
      const value = raw === undefined ? undefined : Array.isArray(raw) ? raw.join(', ') : String(raw);
      const name = `header ${condition.name}`;
      if (condition.op === 'absent') return value === undefined ? null : `${name} is present`;
      if (value === undefined) return condition.op === '!=' ? null : `${name} is missing`;
      const said = `${name} is ${show(value)}, expected ${condition.op} ${show(condition.value)}`;
      switch (condition.op) {
        case 'present': return null;
        case '==': return value === condition.value ? null : said;
        case '!=': return value === condition.value ? said : null;
        case 'contains': return value.includes(condition.value) ? null : said;
        case 'matches': {
          let pattern: RegExp;
          try { pattern = new RegExp(condition.value, 'u'); } catch { return `${name}: /${condition.value}/ is not a valid regular expression`; }
          return pattern.test(value) ? null : `${name} is ${show(value)}, expected to match /${condition.value}/`;
        }
      }
      return null;
    }
  }
}
