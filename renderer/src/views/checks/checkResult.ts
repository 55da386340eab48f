/** A run's result in words: a certificate's days to expiry, ping answers and loss, the excerpt as text. */
import type { CheckCertificate, CheckResult } from '../../../../shared/checks/index.ts';
import type { Tone } from '../../lib/status.ts';

const DAY_MS = 86_400_000;

/** Whole days from `now` to `expiry` (ms), rounded down; negative once expired. */
export function daysLeft(expiry: number, now: number): number {
  return Math.floor((expiry - now) / DAY_MS);
}

/**
 * "expires in 42 days", "expires today", "expired 3 days ago", with a tone: critical when expired or
 * within `criticalDays`, warning within `warningDays` (the check's thresholds, when known).
 */
export function expiryText(cert: Pick<CheckCertificate, 'earliestExpiry'>, now: number, thresholds?: { warningDays: number; criticalDays: number }): { text: string; days: number; tone: Tone } {
  const days = daysLeft(cert.earliestExpiry, now);
  const text = cert.earliestExpiry <= now
    ? `expired ${Math.max(1, -days)} ${-days <= 1 ? 'day' : 'days'} ago`
    : days === 0 ? 'expires today' : `expires in ${days} ${days === 1 ? 'day' : 'days'}`;
  let tone: Tone = 'ok';
  if (cert.earliestExpiry <= now || (thresholds && days < thresholds.criticalDays)) tone = 'critical';
  else if (thresholds && days < thresholds.warningDays) tone = 'warning';
  return { text, days, tone };
}

/** "3 of 3 answered", "1 of 3 answered — 67% lost"; null when the result has no ping figures. */
export function pingText(details: CheckResult['details']): string | null {
  const { received, sent } = details;
  if (received === undefined || sent === undefined) return null;
  const lost = sent > 0 ? Math.round(((sent - received) / sent) * 100) : 0;
  return `${received} of ${sent} answered${lost > 0 ? ` — ${lost}% lost` : ''}`;
}

/** An excerpt to show as text: JSON indented when it is whole JSON, anything else as it came. */
export function excerptText(excerpt: string): string {
  const t = excerpt.trim();
  if (!/^[[{]/.test(t)) return excerpt;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return excerpt;
  }
}
