/** Maintenance windows: once, weekly in a time zone across daylight saving, past midnight; their validation. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MaintenanceSpec, inMaintenance, scheduleText, wallClock, type MaintenanceSchedule } from '../../shared/maintenance.ts';

const weekly = (days: number[], start: string, end: string, timeZone: string): MaintenanceSchedule =>
  ({ kind: 'weekly', days, start, end, timeZone });

test('the wall clock of an instant in a zone, summer and winter', () => {
  assert.deepEqual(wallClock(Date.UTC(2026, 0, 5, 1, 30), 'Europe/Berlin'), { day: 1, minutes: 150 }, 'Mon 02:30 CET');
  assert.deepEqual(wallClock(Date.UTC(2026, 6, 6, 0, 30), 'Europe/Berlin'), { day: 1, minutes: 150 }, 'Mon 02:30 CEST');
  assert.deepEqual(wallClock(Date.UTC(2026, 6, 6, 0, 30), 'America/New_York'), { day: 0, minutes: 20 * 60 + 30 }, 'Sun 20:30 EDT');
});

test('weekdays 02:00–04:00 Berlin: in winter and in summer at the same local hours, not on the weekend', () => {
  const nightly = weekly([1, 2, 3, 4, 5], '02:00', '04:00', 'Europe/Berlin');
  assert.equal(inMaintenance(nightly, Date.UTC(2026, 0, 5, 1, 0)), true, 'Mon 02:00 CET');
  assert.equal(inMaintenance(nightly, Date.UTC(2026, 0, 5, 2, 59)), true, 'Mon 03:59 CET');
  assert.equal(inMaintenance(nightly, Date.UTC(2026, 0, 5, 3, 0)), false, 'Mon 04:00 CET: over');
  assert.equal(inMaintenance(nightly, Date.UTC(2026, 6, 6, 0, 0)), true, 'Mon 02:00 CEST');
  assert.equal(inMaintenance(nightly, Date.UTC(2026, 6, 6, 2, 0)), false, 'Mon 04:00 CEST');
  assert.equal(inMaintenance(nightly, Date.UTC(2026, 0, 4, 1, 30)), false, 'Sunday');
  // The night the clocks go forward (Sun 29 Mar 2026, 02:00 → 03:00): a Sunday, and the hour is short.
  const sundays = weekly([0], '02:00', '04:00', 'Europe/Berlin');
  assert.equal(inMaintenance(sundays, Date.UTC(2026, 2, 29, 0, 59)), false, '01:59 CET');
  assert.equal(inMaintenance(sundays, Date.UTC(2026, 2, 29, 1, 0)), true, '03:00 CEST, the hour after the skipped one');
  assert.equal(inMaintenance(sundays, Date.UTC(2026, 2, 29, 2, 0)), false, '04:00 CEST');
});

test('a window past midnight runs into the next day; once is a plain range', () => {
  const fridayNight = weekly([5], '22:00', '06:00', 'UTC');
  assert.equal(inMaintenance(fridayNight, Date.UTC(2026, 0, 9, 23, 0)), true, 'Fri 23:00');
  assert.equal(inMaintenance(fridayNight, Date.UTC(2026, 0, 10, 5, 59)), true, 'Sat 05:59');
  assert.equal(inMaintenance(fridayNight, Date.UTC(2026, 0, 10, 6, 0)), false, 'Sat 06:00');
  assert.equal(inMaintenance(fridayNight, Date.UTC(2026, 0, 10, 23, 0)), false, 'Sat 23:00');
  assert.equal(inMaintenance(fridayNight, Date.UTC(2026, 0, 9, 3, 0)), false, 'Fri 03:00: the night before was Thursday\'s');
  const once: MaintenanceSchedule = { kind: 'once', startsAt: 1000, endsAt: 2000 };
  assert.deepEqual([999, 1000, 1999, 2000].map((t) => inMaintenance(once, t)), [false, true, true, false]);
  assert.equal(scheduleText(weekly([5, 1, 0], '22:00', '06:00', 'UTC')), 'Mon, Fri, Sun 22:00–06:00 UTC');
});

test('a window needs matchers, a real zone, HH:MM times that differ, an end after its start', () => {
  const spec = (schedule: unknown, matchers: unknown = [{ name: 'host', op: '=', value: 'db1' }]) =>
    MaintenanceSpec.safeParse({ name: 'Backup', matchers, schedule }).success;
  assert.equal(spec(weekly([1], '02:00', '04:00', 'Europe/Berlin')), true);
  assert.equal(spec(weekly([1], '02:00', '04:00', 'Mars/Olympus')), false);
  assert.equal(spec(weekly([1], '2:00', '04:00', 'UTC')), false);
  assert.equal(spec(weekly([1], '02:00', '02:00', 'UTC')), false);
  assert.equal(spec(weekly([], '02:00', '04:00', 'UTC')), false);
  assert.equal(spec({ kind: 'once', startsAt: 5, endsAt: 5 }), false);
  assert.equal(spec(weekly([1], '02:00', '04:00', 'UTC'), []), false);
});
