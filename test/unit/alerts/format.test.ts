/** shared/format.ts: values in their unit, as alert summaries and the UI show them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatBytes, formatDuration, formatPercent, formatRate, formatValue,
} from '../../../shared/format.ts';

test('formatBytes uses IEC units, one decimal below 100, whole bytes below 1 KiB', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1024), '1.0 KiB');
  assert.equal(formatBytes(1.2 * 1024 ** 3), '1.2 GiB');
  assert.equal(formatBytes(340 * 1024 ** 2), '340 MiB');
  assert.equal(formatBytes(3 * 1024 ** 4), '3.0 TiB');
});

test('formatBytes moves to the next unit rather than show 1024 of one', () => {
  assert.equal(formatBytes(1023.7), '1.0 KiB');
  assert.equal(formatBytes(1024 ** 2 - 1), '1.0 MiB');
});

test('formatRate is bytes per second', () => {
  assert.equal(formatRate(12.4 * 1024 ** 2), '12.4 MiB/s');
  assert.equal(formatRate(800), '800 B/s');
});

test('formatPercent shows a ratio as a whole percentage, with a decimal below 10%', () => {
  assert.equal(formatPercent(0.87), '87%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(0.042), '4.2%');
  assert.equal(formatPercent(0.0004), '0.0%');
  assert.equal(formatPercent(0.0996), '10%');
});

test('formatDuration gives the two largest units, rounded down, and drops a zero second unit', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(0.4), '0 s');
  assert.equal(formatDuration(45), '45 s');
  assert.equal(formatDuration(720), '12 min');
  assert.equal(formatDuration(725), '12 min 5 s');
  assert.equal(formatDuration(7200), '2 h');
  assert.equal(formatDuration(3 * 86400 + 4 * 3600 + 59 * 60), '3 d 4 h');
  assert.equal(formatDuration(-90), '-1 min 30 s');
});

test('formatValue dispatches on the metric unit', () => {
  assert.equal(formatValue(0.87, '1'), '87%');
  assert.equal(formatValue(1.2 * 1024 ** 3, 'By'), '1.2 GiB');
  assert.equal(formatValue(12.4 * 1024 ** 2, 'By/s'), '12.4 MiB/s');
  assert.equal(formatValue(93784, 's'), '1 d 2 h');
  assert.equal(formatValue(54.4, 'Cel'), '54 °C');
  assert.equal(formatValue(311.6, '{count}'), '312');
  assert.equal(formatValue(12.5, '{operation}/s'), '12.5 ops/s');
  assert.equal(formatValue(1.254, '{thread}'), '1.25');
  assert.equal(formatValue(Number.NaN, '1'), 'NaN');
});
