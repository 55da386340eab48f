/**
 * Silences, as Alertmanager has them: label matchers and a time range; while a silence is active, the
 * alerts it matches notify nobody (they are still evaluated, stored and shown). An alert's labels are
 * its rule's name (`alertname`), its host's id (`host`) and name (`hostname`), its severity, and the
 * attributes of its series (`system.filesystem.mountpoint`, `hostwatch.check`, …).
 */
import { z } from 'zod';

/** `=` equal, `!=` not equal, `=~` matches the regular expression (anchored at both ends), `!~` does not. */
export const MatchOp = z.enum(['=', '!=', '=~', '!~']);
export type MatchOp = z.infer<typeof MatchOp>;

/** One label matcher. A label an alert does not have is the empty string, as in Alertmanager. */
export const Matcher = z.object({
  name: z.string().trim().min(1, 'Name the label').max(200).regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'A label name has letters, digits, _ and .'),
  op: MatchOp,
  value: z.string().max(1000),
}).refine((m) => (m.op !== '=~' && m.op !== '!~') || isPattern(m.value), { message: 'Not a valid regular expression', path: ['value'] });
export type Matcher = z.infer<typeof Matcher>;

function isPattern(value: string): boolean {
  try {
    new RegExp(`^(?:${value})$`, 'u');
    return true;
  } catch {
    return false;
  }
}

/** What the user gives: matchers (all must match), when it starts and ends (ms since epoch), who and why. */
export const SilenceSpec = z.object({
  matchers: z.array(Matcher).min(1, 'A silence needs at least one matcher').max(20),
  startsAt: z.number().int().nonnegative(),
  endsAt: z.number().int().nonnegative(),
  createdBy: z.string().trim().min(1, 'Say who silences').max(100),
  comment: z.string().trim().max(1000).default(''),
}).refine((s) => s.endsAt > s.startsAt, { message: 'It must end after it starts', path: ['endsAt'] });
export type SilenceSpec = z.infer<typeof SilenceSpec>;

/** A stored silence. `state` as of when it was read. */
export const Silence = z.object({
  id: z.number().int(),
  matchers: z.array(Matcher),
  startsAt: z.number(),
  endsAt: z.number(),
  createdBy: z.string(),
  comment: z.string(),
  createdAt: z.number(),
  state: z.enum(['pending', 'active', 'expired']),
});
export type Silence = z.infer<typeof Silence>;

/** Where a silence stands at `now`: not started yet, in force, or over. */
export function silenceState(s: { startsAt: number; endsAt: number }, now: number): Silence['state'] {
  return now < s.startsAt ? 'pending' : now < s.endsAt ? 'active' : 'expired';
}

/** Whether every matcher matches `labels` (Alertmanager's semantics; regular expressions anchored). */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => {
    const value = labels[m.name] ?? '';
    switch (m.op) {
      case '=': return value === m.value;
      case '!=': return value !== m.value;
      case '=~': return new RegExp(`^(?:${m.value})$`, 'u').test(value);
      case '!~': return !new RegExp(`^(?:${m.value})$`, 'u').test(value);
    }
  });
}

/** The labels of an alert (see the module's comment). */
export function alertLabels(alert: { ruleName: string; host: string; severity: string; attributes: Readonly<Record<string, string>> }, hostName: string): Record<string, string> {
  return { ...alert.attributes, alertname: alert.ruleName, host: alert.host, hostname: hostName, severity: alert.severity };
}

/** How long the tray mutes notifications: an hour, four hours, or until 08:00 tomorrow (local time). */
export type MuteFor = 'hour' | 'four-hours' | 'tomorrow';

/** The silence that mutes every alert from `now` for `period`, made by the tray. */
export function muteSpec(period: MuteFor, now: number): SilenceSpec {
  let endsAt = now + (period === 'hour' ? 1 : 4) * 3_600_000;
  if (period === 'tomorrow') {
    const morning = new Date(now);
    morning.setDate(morning.getDate() + 1);
    morning.setHours(8, 0, 0, 0);
    endsAt = morning.getTime();
  }
  return {
    matchers: [{ name: 'alertname', op: '=~', value: '.+' }], startsAt: now, endsAt,
    createdBy: 'Tray', comment: 'Desktop notifications muted from the tray',
  };
}

/** Matchers as text, Alertmanager style: `{alertname="Host down", host=~"web.*"}`. */
export function matchersText(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(', ')}}`;
}

/**
 * Reads one matcher as the command line writes it: `name=value`, `name!=value`, `name=~regex`,
 * `name!~regex` (the value may be quoted). Null when it is not one.
 */
export function parseMatcher(text: string): Matcher | null {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/.exec(text);
  if (!m) return null;
  let value = m[3]!;
  if (/^".*"$/.test(value)) {
    try {
      value = JSON.parse(value) as string;
    } catch {
      return null;
    }
  }
  const parsed = Matcher.safeParse({ name: m[1], op: m[2], value });
  return parsed.success ? parsed.data : null;
}
