/** The poller: wall-clock aligned at its phase, evenly spaced, never twice for one time, never overlapping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phaseOffset, startPoller } from '../../electron/core/poller.ts';

test('ticks fall at the offset within each interval, each one interval after the last', async () => {
  const times: number[] = [];
  const poller = startPoller(50, async (now) => { times.push(now); }, (e) => { throw e; }, 17);
  await new Promise((r) => setTimeout(r, 620));
  poller.stop();
  assert.ok(times.length >= 10, `${times.length} ticks`);
  for (const t of times) assert.equal(t % 50, 17);
  for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 50);
});

test('a run that outlasts the interval is not overlapped: that tick is skipped', async () => {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const poller = startPoller(20, async (now) => {
    started.push(now);
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 50));
    running--;
  }, (e) => { throw e; });
  await new Promise((r) => setTimeout(r, 300));
  poller.stop();
  assert.equal(most, 1);
  assert.ok(started.length >= 3 && started.length <= 8, `${started.length} runs in 300 ms`);
});

test('phase offsets are stable per host, within the interval, and spread hosts apart', () => {
  assert.equal(phaseOffset('web-1', 5000), phaseOffset('web-1', 5000));
  const offsets = Array.from({ length: 100 }, (_, i) => phaseOffset(`host-${i}`, 5000));
  for (const o of offsets) assert.ok(o >= 0 && o < 5000 && Number.isInteger(o));
  // 100 hosts land in at least 8 of the 10 half-second slices of the interval.
  assert.ok(new Set(offsets.map((o) => Math.floor(o / 500))).size >= 8);
});
