/**
 * The JSON path subset HTTP check conditions use (shared/checks/http.ts JsonPath): `$`, then `.name`,
 * `['name']` or `[index]` steps, as in `$.checks.db.healthy` or `$.items[0]['state']`. No wildcards,
 * filters or recursive descent: a path names at most one value.
 */

/** One step: a property name (string) or an array index (number). */
export type JsonPathStep = string | number;

const STEP = /^(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\['([^']*)'\])/;

/** The steps of `path`, or null when it is not in the subset. */
export function parseJsonPath(path: string): JsonPathStep[] | null {
  const text = path.trim();
  if (!text.startsWith('$')) return null;
  const steps: JsonPathStep[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return null;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(m[3] ?? '');
    rest = rest.slice(m[0].length);
  }
  return steps;
}

/**
 * The value at `steps` in `root`: `{ found: true, value }`, or `{ found: false }` when a step is
 * missing (no such own property, index out of range, or a step into something that is not an object or
 * array). An index only reads arrays, a name only objects.
 */
export function resolveJsonPath(root: unknown, steps: readonly JsonPathStep[]): { found: true; value: unknown } | { found: false } {
  let value: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(value) || step >= value.length) return { found: false };
      value = value[step];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, step)) return { found: false };
      value = (value as Record<string, unknown>)[step];
    }
  }
  return { found: true, value };
}
