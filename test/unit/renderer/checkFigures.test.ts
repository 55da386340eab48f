/** A check's figures: availability from probe_success buckets, uptime and run times in words, the sparkline, certificate and ping text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Point, SeriesData } from '../../../shared/api.ts';
import { availability, latencyText, uptimeText, uptimeTone } from '../../../renderer/src/views/checks/checkFigures.ts';
import { excerptText, expiryText, pingText } from '../../../renderer/src/views/checks/checkResult.ts';
import { sparkline } from '../../../renderer/src/lib/sparkline.ts';

const series = (avgs: (number | null)[], step = 60_000): SeriesData[] => [{
  metric: 'probe_success', attributes: { 'hostwatch.check': 'x' },
  points: avgs.flatMap((avg, i) => (avg === null ? [] : [{ t: i * step, avg, min: avg, max: avg }])),
}];

test('availability is the mean of the buckets that have runs: each stretch of time counts once, gaps are not downtime', () => {
  assert.equal(availability(series([1, 1, 1, 1])), 1);
  assert.equal(availability(series([1, 0, 1, 0])), 0.5);
  assert.equal(availability(series([1, null, null, 0.5])), 0.75, 'buckets without runs left out');
  assert.equal(availability(series([])), null, 'no runs: unknown, not 0');
  assert.equal(availability([]), null);
  // A bucket where a failing check retried often weighs no more than a calm one.
  assert.equal(availability(series([1, 0.2])), 0.6);
});

test('availability weighs a bucket by the part of the range it covers: the newest, ending now, weighs less', () => {
  const step = 60_000;
  // Buckets at 0, 1 and 2 min; the range ends 6 s into the last one, which only failed so far.
  const range = { from: 0, to: 2 * step + 6000, step };
  assert.ok(Math.abs(availability(series([1, 1, 0]), range)! - 2 / 2.1) < 1e-9);
  // A bucket starting before the range counts for its part inside it.
  assert.ok(Math.abs(availability(series([0, 1]), { from: step / 2, to: 2 * step, step })! - 1 / 1.5) < 1e-9);
  assert.equal(availability(series([1, 0]), { from: 0, to: step, step }), 1, 'a bucket wholly after the range does not count');
});

test('availability stays within 0–1', () => {
  fc.assert(fc.property(fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null })), (avgs) => {
    const a = availability(series(avgs));
    if (avgs.every((v) => v === null)) assert.equal(a, null);
    else assert.ok(a !== null && a >= 0 && a <= 1);
  }));
});

test('uptime text: 100% only when nothing failed, rounded down, two decimals from 99%, "—" without data', () => {
  assert.equal(uptimeText(1), '100%');
  assert.equal(uptimeText(0.99999), '99.99%');
  assert.equal(uptimeText(0.9995), '99.95%');
  assert.equal(uptimeText(0.99), '99.00%');
  assert.equal(uptimeText(0.9876), '98.7%');
  assert.equal(uptimeText(0.5), '50.0%');
  assert.equal(uptimeText(0), '0.0%');
  assert.equal(uptimeText(null), '—');
  assert.equal(uptimeTone(0.999), null);
  assert.equal(uptimeTone(0.98), 'warning');
  assert.equal(uptimeTone(0.9), 'critical');
  assert.equal(uptimeTone(null), null);
});

test('run times: ms below a second, seconds above', () => {
  assert.equal(latencyText(0.0004), '0.4 ms');
  assert.equal(latencyText(0.0123), '12 ms');
  assert.equal(latencyText(0.999), '999 ms');
  assert.equal(latencyText(1.234), '1.23 s');
  assert.equal(latencyText(12.34), '12.3 s');
});

test('the sparkline: one subpath per run of buckets, gaps kept, a lone bucket a dot, within its box', () => {
  const step = 60_000;
  const pts = (ts: number[], v = 0.1): Point[] => ts.map((t) => ({ t: t * step, avg: v, min: v, max: v }));
  assert.equal(sparkline([], 0, 10 * step, step, 100, 20), null);
  const joined = sparkline(pts([0, 1, 2, 3]), 0, 10 * step, step, 100, 20)!;
  assert.equal(joined.path.match(/M/g)?.length, 1);
  assert.deepEqual(joined.dots, []);
  const gapped = sparkline(pts([0, 1, 5, 6, 9]), 0, 10 * step, step, 100, 20)!;
  assert.equal(gapped.path.match(/M/g)?.length, 2, 'two gaps: two lines…');
  assert.equal(gapped.dots.length, 1, '…and the lone last bucket a dot');
  assert.equal(gapped.dots[0]!.x, 95);
  const numbers = gapped.path.match(/-?\d+(\.\d+)?/g)!.map(Number);
  assert.ok(numbers.every((n) => n >= 0 && n <= 100));
  const varied = sparkline([{ t: 0, avg: 0.1, min: 0, max: 0 }, { t: step, avg: 0.3, min: 0, max: 0 }], 0, 2 * step, step, 100, 20)!;
  assert.equal(varied.max, 0.3);
  assert.equal(varied.min, 0.1);
  assert.equal(varied.last, 0.3);
  const [, y1, , y2] = varied.path.match(/-?\d+(\.\d+)?/g)!.map(Number);
  assert.ok(y2! < y1!, 'a slower run is drawn higher');
});

test('certificate expiry in days, toned by the check\'s thresholds', () => {
  const now = Date.UTC(2026, 0, 1);
  const day = 86_400_000;
  const t = { warningDays: 14, criticalDays: 7 };
  assert.deepEqual(expiryText({ earliestExpiry: now + 42 * day + 5 }, now, t), { text: 'expires in 42 days', days: 42, tone: 'ok' });
  assert.equal(expiryText({ earliestExpiry: now + 10 * day }, now, t).tone, 'warning');
  assert.equal(expiryText({ earliestExpiry: now + 3 * day }, now, t).tone, 'critical');
  assert.equal(expiryText({ earliestExpiry: now + 3600_000 }, now, t).text, 'expires today');
  assert.equal(expiryText({ earliestExpiry: now + 1 * day }, now).text, 'expires in 1 day');
  const expired = expiryText({ earliestExpiry: now - 3 * day }, now, t);
  assert.equal(expired.text, 'expired 3 days ago');
  assert.equal(expired.tone, 'critical');
  assert.equal(expiryText({ earliestExpiry: now - 1000 }, now).text, 'expired 1 day ago');
});

test('ping figures: answered of sent, and the loss when there is some', () => {
  assert.equal(pingText({ received: 3, sent: 3 }), '3 of 3 answered');
  assert.equal(pingText({ received: 1, sent: 3 }), '1 of 3 answered — 67% lost');
  assert.equal(pingText({}), null);
});

test('excerpts: whole JSON indented, cut JSON and other text as they came', () => {
  assert.equal(excerptText('{"status":"ok","checks":{"db":{"healthy":true}}}'), '{\n  "status": "ok",\n  "checks": {\n    "db": {\n      "healthy": true\n    }\n  }\n}');
  assert.equal(excerptText('{"status":"ok","checks":{"db"…'), '{"status":"ok","checks":{"db"…', 'cut at 1 KiB: not JSON any more');
  assert.equal(excerptText('<b>maintenance</b>'), '<b>maintenance</b>');
  assert.equal(excerptText('[1,2]'), '[\n  1,\n  2\n]');
});
