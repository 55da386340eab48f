/**
 * The checks as lists show them: the state a person should see (a paused check is "Paused", not its
 * last state), worst first, filtered by state, host and text; what each check looks at, in one line;
 * and which of them fail (down or pending), per host and in all.
 */
import type { CheckSpec, CheckStatus, CheckType } from '../../../shared/checks/index.ts';
import { CHECK_FORMS, checkTarget } from '../../../shared/checks/index.ts';
import type { CheckDisplayState } from './status.ts';

type StateOf = Pick<CheckStatus, 'state'> & { spec: Pick<CheckSpec, 'enabled' | 'maintenance'> };

/**
 * The state to show: `paused` while disabled (the engine keeps the last state but does not run it),
 * `maintenance` as soon as the user set it (the engine says so from the next run on), and `unknown`
 * for a check taken out of maintenance that has not run since.
 */
export function displayState(check: StateOf): CheckDisplayState {
  if (!check.spec.enabled) return 'paused';
  if (check.spec.maintenance) return 'maintenance';
  if (check.state === 'maintenance') return 'unknown';
  return check.state;
}

/** Worst first: what needs a look, then what cannot be told, then what is fine. */
export const STATE_ORDER: readonly CheckDisplayState[] = ['down', 'pending', 'degraded', 'unknown', 'maintenance', 'paused', 'up'];

const RANK = new Map(STATE_ORDER.map((s, i) => [s, i]));

/** Whether the check fails now: down, or failing below its threshold (pending). Paused checks do not. */
export function isFailing(check: StateOf): boolean {
  const s = displayState(check);
  return s === 'down' || s === 'pending';
}

const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

/** A copy sorted worst state first, then by host name, then by check name. */
export function sortChecks<T extends StateOf & { spec: { name: string; host: string } }>(
  checks: readonly T[], hostName: (id: string) => string = (id) => id,
): T[] {
  return [...checks].sort((a, b) => (RANK.get(displayState(a))! - RANK.get(displayState(b))!)
    || byName(hostName(a.spec.host), hostName(b.spec.host))
    || byName(a.spec.name, b.spec.name));
}

/** '' every state, `failing` down or pending, or one state. */
export type StateFilter = '' | 'failing' | CheckDisplayState;

export interface CheckFilter {
  state: StateFilter;
  /** A host id, or '' for every host. */
  host: string;
  /** Words to find in the name, target, type or last reason. */
  text: string;
}

export const NO_FILTER: CheckFilter = { state: '', host: '', text: '' };

export function filterChecks<T extends CheckStatus>(checks: readonly T[], filter: CheckFilter): T[] {
  const words = filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return checks.filter((c) => {
    if (filter.host && c.spec.host !== filter.host) return false;
    if (filter.state === 'failing' ? !isFailing(c) : filter.state && displayState(c) !== filter.state) return false;
    if (words.length === 0) return true;
    const hay = `${c.spec.name} ${targetText(c.spec)} ${typeLabel(c.spec.type)} ${c.last?.reason ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** How many checks fail, per host id (hosts without failing checks are absent). */
export function failingByHost(checks: readonly CheckStatus[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of checks) if (isFailing(c)) out.set(c.spec.host, (out.get(c.spec.host) ?? 0) + 1);
  return out;
}

/** "HTTP(S)", "TCP port", "DNS", "Ping". */
export function typeLabel(type: CheckType): string {
  return CHECK_FORMS[type].label;
}

/** What the check looks at, in one line (shared/checks/target.ts). */
export const targetText = checkTarget;

/** "1 failing check", "3 failing checks". */
export function failingText(n: number): string {
  return `${n} failing ${n === 1 ? 'check' : 'checks'}`;
}
