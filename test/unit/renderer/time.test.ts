/**
 * Times for people. Output words depend on the locale, so these tests check what is shown (seconds,
 * minutes, weekday, date) by whether two instants that differ only there format differently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

process.env.TZ = 'Asia/Tokyo'; // no DST; set before the module under test builds its formatters
const { formatDateTime, formatInstant, formatTick, localZone } = await import('../../../renderer/src/lib/time.ts');

const T0 = Date.UTC(2026, 10, 3, 5, 2, 0); // 14:02:00 in Tokyo, a Tuesday
const SEC = 1000;
const MIN = 60_000;
const HOUR = 3600_000;
const DAY = 86400_000;

/** Whether formatTick at `span` tells apart T0 and T0 + `delta`. */
const distinguishes = (span: number, delta: number) => formatTick(T0, span) !== formatTick(T0 + delta, span);

test('ticks of a chart spanning up to 3 minutes show seconds', () => {
  assert.ok(distinguishes(3 * MIN, 7 * SEC));
  assert.ok(distinguishes(30 * SEC, 1 * SEC));
});

test('ticks of a chart spanning up to 26 hours show hours and minutes, not seconds or the day', () => {
  for (const span of [3 * MIN + 1, HOUR, 26 * HOUR]) {
    assert.ok(!distinguishes(span, 7 * SEC), `no seconds at span ${span}`);
    assert.ok(distinguishes(span, MIN), `minutes at span ${span}`);
    assert.ok(!distinguishes(span, DAY), `no day at span ${span}`);
  }
});

test('ticks of a chart spanning up to 8 days show the weekday with the time', () => {
  for (const span of [26 * HOUR + 1, 7 * DAY, 8 * DAY]) {
    assert.ok(distinguishes(span, DAY), `weekday at span ${span}`);
    assert.ok(distinguishes(span, HOUR), `time at span ${span}`);
  }
});

test('ticks of a longer chart show the date only', () => {
  const span = 8 * DAY + 1;
  assert.ok(!distinguishes(span, HOUR));
  assert.ok(distinguishes(span, DAY));
  assert.ok(distinguishes(span, 7 * DAY), 'a week apart is a different date, not the same weekday');
});

test('the full date-time shows the year, the seconds and the zone', () => {
  const text = formatDateTime(T0);
  assert.match(text, /2026/);
  assert.notEqual(formatDateTime(T0 + SEC), text);
  assert.notEqual(formatDateTime(T0 + 365 * DAY), text);
  assert.match(text, /GMT\+9|JST|UTC\+9/);
});

test('the hovered instant is shown to the second', () => {
  assert.notEqual(formatInstant(T0), formatInstant(T0 + SEC));
  assert.notEqual(formatInstant(T0), formatInstant(T0 + DAY));
});

test('the local zone is named as IANA names it', () => {
  assert.equal(localZone(), 'Asia/Tokyo');
});
