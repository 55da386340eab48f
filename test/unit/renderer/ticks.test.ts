/** Axis ticks on round local times and round IEC sizes. Europe/Berlin: a zone with DST and an offset. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

process.env.TZ = 'Europe/Berlin'; // before the module under test is loaded
const { byteTicks, plainTicks, timeTicks } = await import('../../../renderer/src/lib/ticks.ts');

const MIN = 60_000;
const HOUR = 3600_000;
const DAY = 86400_000;
const local = (ms: number) => {
  const d = new Date(ms);
  return { h: d.getHours(), m: d.getMinutes(), s: d.getSeconds(), ms: d.getMilliseconds() };
};

test('time ticks lie within the range, ascending, about the target count', () => {
  fc.assert(fc.property(
    fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
    fc.integer({ min: 10_000, max: 7 * DAY }),
    (from, span) => {
      const to = from + span;
      const ticks = timeTicks(from, to);
      assert.ok(ticks.length >= 1 && ticks.length <= 7, `${ticks.length} ticks for span ${span}`);
      for (let i = 0; i < ticks.length; i++) {
        assert.ok(ticks[i]! >= from && ticks[i]! <= to);
        if (i > 0) assert.ok(ticks[i]! > ticks[i - 1]!);
      }
    },
  ));
});

test('an empty or reversed range has no time ticks', () => {
  assert.deepEqual(timeTicks(1000, 1000), []);
  assert.deepEqual(timeTicks(2000, 1000), []);
});

test('a 5-minute chart has ticks on whole minutes', () => {
  const from = Date.UTC(2026, 5, 1, 10, 0, 17, 250);
  const ticks = timeTicks(from, from + 5 * MIN);
  assert.ok(ticks.length >= 4);
  for (const t of ticks) assert.deepEqual({ s: local(t).s, ms: local(t).ms }, { s: 0, ms: 0 });
  assert.equal(ticks[1]! - ticks[0]!, MIN);
});

test('a 24-hour chart has ticks on round local hours (not UTC hours)', () => {
  const from = Date.UTC(2026, 5, 1, 9, 41, 3); // 11:41 CEST
  const ticks = timeTicks(from, from + DAY);
  assert.ok(ticks.length >= 4);
  for (const t of ticks) {
    const l = local(t);
    assert.equal(l.m, 0);
    assert.equal(l.h % 6, 0, `local hour ${l.h}`);
  }
});

test('hour ticks stay on round local hours across the autumn DST change', () => {
  const from = Date.UTC(2026, 9, 24, 12, 0); // Sat 14:00 CEST; clocks go back on Sun 25 Oct
  const ticks = timeTicks(from, from + DAY);
  assert.deepEqual(ticks.map((t) => local(t).h), [18, 0, 6, 12]);
  for (const t of ticks) assert.equal(local(t).m, 0);
});

test('day ticks stay on local midnight across the spring DST change', () => {
  const from = Date.UTC(2026, 2, 26, 12, 0); // clocks go forward on Sun 29 Mar
  const ticks = timeTicks(from, from + 7 * DAY);
  assert.ok(ticks.length >= 3);
  for (const t of ticks) assert.deepEqual([local(t).h, local(t).m], [0, 0], new Date(t).toString());
});

test('hour ticks across the spring DST change do not repeat an instant', () => {
  const from = Date.UTC(2026, 2, 28, 20, 0);
  const ticks = timeTicks(from, from + 6 * HOUR);
  assert.equal(new Set(ticks).size, ticks.length);
  for (const t of ticks) assert.equal(local(t).m, 0);
});

test('byte ticks are round numbers of one IEC unit, from 0 to at least the maximum', () => {
  const MiB = 1024 ** 2;
  assert.deepEqual(byteTicks(80 * MiB), [0, 20 * MiB, 40 * MiB, 60 * MiB, 80 * MiB]);
  assert.deepEqual(byteTicks(300 * 1024), [0, 100 * 1024, 200 * 1024, 300 * 1024]);
  assert.deepEqual(byteTicks(1000), [0, 250, 500, 750, 1000]);
});

test('byte ticks cover the maximum with a few evenly spaced steps (property)', () => {
  fc.assert(fc.property(fc.double({ min: 1, max: 1e13, noNaN: true }), (max) => {
    const ticks = byteTicks(max);
    assert.equal(ticks[0], 0);
    assert.ok(ticks.at(-1)! >= max * (1 - 1e-9), `top ${ticks.at(-1)} < ${max}`);
    assert.ok(ticks.length >= 2 && ticks.length <= 6, `${ticks.length} ticks`);
    const step = ticks[1]!;
    for (let i = 1; i < ticks.length; i++) assert.ok(Math.abs(ticks[i]! - ticks[i - 1]! - step) <= step * 1e-9);
  }));
});

test('no data still gives a byte axis and a plain axis', () => {
  assert.deepEqual(byteTicks(0), [0, 1024]);
  assert.deepEqual(byteTicks(Number.NaN), [0, 1024]);
  assert.deepEqual(plainTicks(0), [0, 1]);
});

test('plain ticks are round and free of float noise', () => {
  assert.deepEqual(plainTicks(3.7), [0, 1, 2, 3, 4]);
  assert.deepEqual(plainTicks(0.07), [0, 0.02, 0.04, 0.06, 0.08]);
  assert.deepEqual(plainTicks(0.3), [0, 0.1, 0.2, 0.3]);
});

test('byte ticks reach a maximum just above a round step (found by the property above)', () => {
  const ticks = byteTicks(1048576001.0485761);
  assert.ok(ticks.at(-1)! >= 1048576001.0485761, `top ${ticks.at(-1)}`);
});
