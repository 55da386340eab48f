/**
 * The scheduled-reports form's model: the schedule ↔ the form, the schema's messages per field, the
 * engine's refusals placed on their field, and the next report in words.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { DEFAULT_REPORT_SCHEDULE, ReportSchedule } from '../../../shared/report.ts';
import {
  formFromSchedule, isDirty, nextReportText, saveIssues, validate,
} from '../../../renderer/src/views/settings/scheduleForm.ts';
import { toggleAll } from '../../../renderer/src/views/reports/hostChoice.ts';

const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const short = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

test('the default (off) round-trips through the form and is not a change', () => {
  const form = formFromSchedule(DEFAULT_REPORT_SCHEDULE);
  assert.deepEqual(form, { frequency: 'off', folder: '', format: 'html', hosts: { all: true, picked: [] } });
  assert.deepEqual(validate(form), { schedule: DEFAULT_REPORT_SCHEDULE, issues: {} });
  assert.equal(isDirty(form, DEFAULT_REPORT_SCHEDULE), false);
});

test('a daily schedule needs a folder: the schema’s message shows on the folder', () => {
  const form = { ...formFromSchedule(DEFAULT_REPORT_SCHEDULE), frequency: 'daily' as const };
  assert.deepEqual(validate(form), { schedule: null, issues: { folder: 'Choose the folder scheduled reports go to' } });
  assert.deepEqual(validate({ ...form, folder: '   ' }).issues, { folder: 'Choose the folder scheduled reports go to' });
  assert.deepEqual(validate({ ...form, folder: ' /srv/reports ', format: 'pdf' }).schedule,
    { frequency: 'daily', folder: '/srv/reports', format: 'pdf', hosts: [] });
  assert.deepEqual(validate({ ...form, folder: '/srv/reports', hosts: { all: false, picked: ['web1'] } }).schedule?.hosts, ['web1']);
  assert.equal(isDirty({ ...form, folder: '/srv/reports' }, DEFAULT_REPORT_SCHEDULE), true);
});

test('hosts: at least one when it writes reports; the choice does not matter when off', () => {
  const form = { frequency: 'weekly' as const, folder: '/srv', format: 'html' as const, hosts: toggleAll(false) };
  assert.deepEqual(validate(form).issues, { hosts: 'Choose at least one host' });
  assert.deepEqual(validate({ ...form, frequency: 'off' }).issues, {});
});

test('the order hosts were picked in is no change', () => {
  const saved = { frequency: 'daily' as const, folder: '/srv', format: 'csv' as const, hosts: ['a', 'b'] };
  assert.equal(isDirty({ ...formFromSchedule(saved), hosts: { all: false, picked: ['b', 'a'] } }, saved), false);
  assert.equal(isDirty({ ...formFromSchedule(saved), folder: '/srv ' }, saved), false);
  assert.equal(isDirty({ ...formFromSchedule(saved), format: 'md' }, saved), true);
});

test('the engine’s refusals go to their field: zod’s pretty error, or the folder check', () => {
  // As the engine's server words invalid params.
  const invalid = ReportSchedule.safeParse({ frequency: 'daily', folder: null, format: 'html' });
  assert.equal(invalid.success, false);
  assert.deepEqual(saveIssues('bad_request', `Invalid params for reports.setSchedule: ${z.prettifyError(invalid.error!)}`),
    { issues: { folder: 'Choose the folder scheduled reports go to' }, general: null });
  assert.deepEqual(saveIssues('bad_request', '✖ Invalid option: expected one of "html"|"pdf"\n  → at format\n✖ Too big\n  → at folder'),
    { issues: { format: 'Invalid option: expected one of "html"|"pdf"', folder: 'Too big' }, general: null });
  assert.deepEqual(saveIssues('bad_request', 'Reports cannot be written to /nope: no such folder'),
    { issues: { folder: 'Reports cannot be written to /nope: no such folder' }, general: null });
  assert.deepEqual(saveIssues('disconnected', 'Engine connection lost'), { issues: {}, general: 'Engine connection lost' });
});

test('the next report: daily after the coming midnight for today, weekly after next Monday’s for the week', () => {
  assert.equal(nextReportText('off', new Date(), 'UTC'), null);
  const saturday = new Date(2026, 10, 21, 15, 0); // Sat 21 Nov 2026
  assert.equal(nextReportText('daily', saturday, 'Europe/Berlin'),
    `Daily after midnight: yesterday’s report. Next: ${day.format(new Date(2026, 10, 22))} shortly after 00:00 (Europe/Berlin), covering ${day.format(new Date(2026, 10, 21))}.`);
  const weekly = `Weekly after Monday’s midnight: the week before’s report (Monday to Sunday). Next: ${day.format(new Date(2026, 10, 23))} shortly after 00:00 (Europe/Berlin), covering ${short.format(new Date(2026, 10, 16))} – ${short.format(new Date(2026, 10, 22))}.`;
  assert.equal(nextReportText('weekly', saturday, 'Europe/Berlin'), weekly);
  // On a Monday after midnight, this week's report is a week away.
  assert.equal(nextReportText('weekly', new Date(2026, 10, 16, 0, 5), 'Europe/Berlin'), weekly);
  assert.equal(nextReportText('weekly', new Date(2026, 10, 23, 0, 5), 'Europe/Berlin')!.endsWith(
    `${day.format(new Date(2026, 10, 30))} shortly after 00:00 (Europe/Berlin), covering ${short.format(new Date(2026, 10, 23))} – ${short.format(new Date(2026, 10, 29))}.`), true);
});
