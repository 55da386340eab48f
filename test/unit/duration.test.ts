/** Durations as typed in the rule form's `for` field. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { durationText, parseDuration } from '../../shared/duration.ts';

test('durations people type parse to seconds', () => {
  const cases: [string, number][] = [
    ['5m', 300], ['1h30m', 5400], ['90s', 90], ['2d', 172800], ['1w', 604800], ['30', 30], ['0', 0],
    ['1h 30m', 5400], ['5 m', 300], ['  10s ', 10], ['1H30M', 5400], ['1.5h', 5400],
  ];
  for (const [text, seconds] of cases) assert.equal(parseDuration(text), seconds, JSON.stringify(text));
});

test('text that is not a duration is rejected with null', () => {
  for (const text of ['', '   ', 'abc', '5x', '-5m', 'm', '5mm', '1h30', 'h1', '5m and more', '1.5', '5 minutes']) {
    assert.equal(parseDuration(text), null, JSON.stringify(text));
  }
});

test('durationText writes the shortest form: 300 → "5m", 5400 → "1h30m", 0 → "0s"', () => {
  assert.equal(durationText(0), '0s');
  assert.equal(durationText(300), '5m');
  assert.equal(durationText(5400), '1h30m');
  assert.equal(durationText(90), '1m30s');
  assert.equal(durationText(86400 + 61), '1d1m1s');
  assert.equal(durationText(604800), '7d');
});

test('every whole number of seconds up to 7 days reads back unchanged (property)', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 7 * 86400 }), (seconds) => {
    assert.equal(parseDuration(durationText(seconds)), seconds);
  }));
});
