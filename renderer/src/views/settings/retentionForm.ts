/**
 * The retention form's model: three day counts as typed (strings), checked by the contract's Retention
 * schema. Its own messages show as they are; where it has none (too many days, a fraction), ours say
 * the same in the user's words.
 */
import type { Retention } from '../../../../shared/api.ts';
import { Retention as RetentionSchema } from '../../../../shared/api.ts';

export type Tier = keyof Retention;
export type RetentionForm = Record<Tier, string>;
export type Issues = Partial<Record<Tier, string>>;

export const TIERS: readonly Tier[] = ['rawDays', 'minuteDays', 'hourDays'];

export function formFromRetention(r: Retention): RetentionForm {
  return { rawDays: String(r.rawDays), minuteDays: String(r.minuteDays), hourDays: String(r.hourDays) };
}

/** The form as a Retention, or the message to show next to each field that is wrong. */
export function validate(form: RetentionForm): { retention: Retention | null; issues: Issues } {
  const issues: Issues = {};
  const candidate: Record<string, number> = {};
  for (const tier of TIERS) {
    const text = form[tier].trim();
    const days = text === '' ? Number.NaN : Number(text);
    if (Number.isFinite(days)) candidate[tier] = days;
    else issues[tier] = 'Enter a number of days';
  }
  const parsed = RetentionSchema.safeParse(candidate, {
    error: (issue) => {
      if (issue.code === 'too_big') return `At most ${String(issue.maximum)} days`;
      if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Enter whole days';
      return undefined;
    },
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const tier = issue.path[0] as Tier;
      issues[tier] ??= issue.message;
    }
  }
  return { retention: parsed.success ? parsed.data : null, issues };
}
