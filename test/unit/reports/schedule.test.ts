/** Which period a scheduled report covers, in local time, once each. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_REPORT_SCHEDULE, ReportSchedule } from '../../../shared/report.ts';
import { duePeriod, reportFileName } from '../../../electron/core/reports/schedule.ts';

const daily = ReportSchedule.parse({ frequency: 'daily', folder: '/tmp/reports', format: 'html' });
const weekly = ReportSchedule.parse({ frequency: 'weekly', folder: '/tmp/reports', format: 'pdf' });
const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min);

test('off by default, and nothing is due when off', () => {
  assert.equal(DEFAULT_REPORT_SCHEDULE.frequency, 'off');
  assert.equal(duePeriod(DEFAULT_REPORT_SCHEDULE, null, local(2026, 11, 22, 9)), null);
});

test('daily: yesterday from local midnight to midnight, once', () => {
  const period = duePeriod(daily, null, local(2026, 11, 22, 0, 5))!;
  assert.deepEqual(period, { from: local(2026, 11, 21).getTime(), to: local(2026, 11, 22).getTime() });
  assert.equal(duePeriod(daily, period.to, local(2026, 11, 22, 23, 59)), null);
  assert.deepEqual(duePeriod(daily, period.to, local(2026, 11, 23, 0, 1))?.from, local(2026, 11, 22).getTime());
  assert.equal(reportFileName(daily, period, 'html'), 'hostwatch-report-2026-11-21.html');
});

test('weekly: the last full Monday-to-Monday week, whatever the weekday now', () => {
  // 2026-11-22 is a Sunday: the last full week is Mon 9 – Mon 16 November.
  const period = duePeriod(weekly, null, local(2026, 11, 22, 12))!;
  assert.deepEqual(period, { from: local(2026, 11, 9).getTime(), to: local(2026, 11, 16).getTime() });
  assert.equal(duePeriod(weekly, period.to, local(2026, 11, 22, 23)), null);
  assert.equal(duePeriod(weekly, period.to, local(2026, 11, 23, 0, 1))?.to, local(2026, 11, 23).getTime());
  assert.equal(reportFileName(weekly, period, 'pdf'), 'hostwatch-report-week-2026-11-09.pdf');
});

test('a schedule needs a folder unless it is off', () => {
  assert.equal(ReportSchedule.safeParse({ frequency: 'daily', folder: null, format: 'html' }).success, false);
  assert.equal(ReportSchedule.safeParse({ frequency: 'off', folder: null, format: 'html' }).success, true);
});
