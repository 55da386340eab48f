/**
 * The scheduled-reports form's model: frequency, folder (as typed), format and hosts, checked by the
 * contract's ReportSchedule schema, whose messages show next to their fields; the engine's refusals
 * placed on the field they are about; and when the next report is written, in words.
 */
import type { ReportFormat, ReportSchedule } from '../../../../shared/report.ts';
import { ReportSchedule as ScheduleSchema } from '../../../../shared/report.ts';
import type { HostChoice } from '../reports/hostChoice.ts';
import { choiceFromHosts, hostsIssue, hostsParam } from '../reports/hostChoice.ts';

export type Frequency = ReportSchedule['frequency'];

export interface ScheduleForm {
  frequency: Frequency;
  folder: string;
  format: ReportFormat;
  hosts: HostChoice;
}

export type ScheduleField = 'frequency' | 'folder' | 'format' | 'hosts';
export type ScheduleIssues = Partial<Record<ScheduleField, string>>;

const FIELDS: readonly ScheduleField[] = ['frequency', 'folder', 'format', 'hosts'];

export function formFromSchedule(s: ReportSchedule): ScheduleForm {
  return { frequency: s.frequency, folder: s.folder ?? '', format: s.format, hosts: choiceFromHosts(s.hosts) };
}

/** The schedule to save, or the message to show next to each field that is wrong. */
export function validate(form: ScheduleForm): { schedule: ReportSchedule | null; issues: ScheduleIssues } {
  const issues: ScheduleIssues = {};
  const folder = form.folder.trim();
  const parsed = ScheduleSchema.safeParse({
    frequency: form.frequency, folder: folder === '' ? null : folder, format: form.format, hosts: hostsParam(form.hosts),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && (FIELDS as readonly string[]).includes(field)) issues[field as ScheduleField] ??= issue.message;
    }
  }
  // Only a schedule that writes something needs hosts; turning it off keeps the choice as it was.
  const hosts = form.frequency === 'off' ? undefined : hostsIssue(form.hosts);
  if (hosts) issues.hosts = hosts;
  const ok = parsed.success && Object.keys(issues).length === 0;
  return { schedule: ok ? parsed.data : null, issues };
}

/** Whether the form differs from the saved schedule (the order hosts were picked in does not count). */
export function isDirty(form: ScheduleForm, saved: ReportSchedule): boolean {
  const folder = form.folder.trim();
  const hosts = (list: readonly string[]) => [...list].sort().join('\n');
  return form.frequency !== saved.frequency || (folder === '' ? null : folder) !== saved.folder
    || form.format !== saved.format || hosts(hostsParam(form.hosts)) !== hosts(saved.hosts);
}

/**
 * Where an engine refusal of `reports.setSchedule` goes. Invalid params come as zod's pretty error
 * ("✖ message\n  → at folder"), each message to its field; any other refusal (bad_request) is the
 * folder check, the one thing the engine checks beyond the schema. Other errors stay general.
 */
export function saveIssues(code: string, message: string): { issues: ScheduleIssues; general: string | null } {
  if (code !== 'bad_request') return { issues: {}, general: message };
  const issues: ScheduleIssues = {};
  for (const m of message.matchAll(/✖ (.+)\n\s*→ at (\w+)/g)) {
    const field = m[2] as ScheduleField;
    if (FIELDS.includes(field)) issues[field] ??= m[1]!;
  }
  if (Object.keys(issues).length > 0) return { issues, general: null };
  return { issues: { folder: message }, general: null };
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const shortDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

function localMidnight(d: Date, plusDays = 0): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + plusDays);
}

/**
 * When the next report of `frequency` is written after `now` and what it covers, as the engine's
 * schedule does it (a day or a Monday-to-Monday week, reported after it ends); null when off. `zone`
 * names the time zone midnight is in.
 */
export function nextReportText(frequency: Frequency, now: Date, zone: string): string | null {
  if (frequency === 'off') return null;
  if (frequency === 'daily') {
    const next = localMidnight(now, 1);
    return `Daily after midnight: yesterday’s report. Next: ${dayFormat.format(next)} shortly after 00:00 (${zone}), covering ${dayFormat.format(localMidnight(now))}.`;
  }
  // getDay(): 0 is Sunday; the next Monday 00:00 strictly after now.
  const next = localMidnight(now, 7 - ((now.getDay() + 6) % 7));
  const start = localMidnight(next, -7);
  const last = localMidnight(next, -1);
  return `Weekly after Monday’s midnight: the week before’s report (Monday to Sunday). Next: ${dayFormat.format(next)} shortly after 00:00 (${zone}), covering ${shortDay.format(start)} – ${shortDay.format(last)}.`;
}
