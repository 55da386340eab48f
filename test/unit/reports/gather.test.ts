/** buildReport against a real SQLite file seeded through SampleStore, checked against brute force over what was appended. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AlertRepository } from '../../../electron/core/store/alerts.ts';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';
import { Report, type HostReport, type ResourceSummary } from '../../../shared/report.ts';
import fc from 'fast-check';
import { buildReport, gatherReport, upShare } from '../../../electron/core/reports/gather.ts';
import { chartPoints, linearFit, percentile, sumColumns, toColumns } from '../../../electron/core/reports/stats.ts';
import { NotFoundError } from '../../../electron/core/store/errors.ts';
import { Attr } from '../../../shared/metrics.ts';
import {
  DAY, FIRST_BOOT, FROM, GAP, GIB, HOSTILE_FORMULA, HOSTILE_HTML, HOUR, MINUTE, NOW, POLL, REBOOT, T0, TO,
  VAR_FREE_AT_END, VAR_SLOPE_PER_DAY, minuteBuckets, nearestRank, seed, series, type Appended,
} from './seed.ts';

function host(report: Report, name: string): HostReport {
  const h = report.hosts.find((x) => x.name === name);
  assert.ok(h, `host ${name} in the report`);
  return h;
}

function resource(h: HostReport, key: string): ResourceSummary {
  const r = h.resources.find((x) => x.key === key);
  assert.ok(r, `resource ${key} of ${h.name}`);
  return r;
}

/** Brute force over appended samples: 1-minute buckets, then min/avg/p95/max as the report defines them. */
function expected(samples: readonly { t: number; value: number }[]) {
  const buckets = minuteBuckets(samples.filter((s) => s.t >= FROM && s.t <= TO));
  const avgs = buckets.map((b) => b.avg);
  return {
    buckets,
    min: Math.min(...buckets.map((b) => b.min)),
    max: Math.max(...buckets.map((b) => b.max)),
    avg: avgs.reduce((s, v) => s + v, 0) / avgs.length,
    p95: nearestRank(avgs, 0.95),
  };
}

/** Sums of several series' values at the same time (devices of one direction). */
function summed(list: Appended[][]): { t: number; value: number }[] {
  const byTime = new Map<number, number>();
  for (const s of list) for (const a of s) byTime.set(a.t, (byTime.get(a.t) ?? 0) + a.value);
  return [...byTime].map(([t, value]) => ({ t, value }));
}

/** Close enough: the store keeps 4 significant digits of a rollup's average. */
function near(actual: number | null, want: number, relative = 1e-3, label = ''): void {
  assert.ok(actual !== null, `${label}: a figure, not null`);
  assert.ok(Math.abs(actual - want) <= relative * Math.max(Math.abs(want), 1e-9), `${label}: ${actual} ≈ ${want}`);
}

test('resource figures match brute force over the appended samples (1-minute buckets, sealed and head)', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  assert.equal(report.bucketSeconds, 60);
  const web = host(report, 'web-1');

  const checks: [string, { t: number; value: number }[]][] = [
    ['cpu', series(s.appended, web.id, 'system.cpu.utilization')],
    ['memory', series(s.appended, web.id, 'system.memory.utilization')],
    ['swap', series(s.appended, web.id, 'system.paging.utilization')],
    ['fs:/var', series(s.appended, web.id, 'system.filesystem.utilization', { [Attr.mountpoint]: '/var' })],
    ['disk:write', series(s.appended, web.id, 'system.disk.io', { [Attr.device]: 'sda', [Attr.diskDirection]: 'write' })],
  ];
  for (const [key, samples] of checks) {
    const r = resource(web, key);
    const want = expected(samples);
    // min and max are kept exactly; averages to the store's 4 significant digits.
    near(r.min, want.min, 1e-9, `${key} min`);
    near(r.max, want.max, 1e-9, `${key} max`);
    near(r.avg, want.avg, 1e-3, `${key} avg`);
    near(r.p95, want.p95, 1e-3, `${key} p95`);
    assert.ok(r.chart.length <= 120 && r.chart.length > 0, `${key} chart ≤ 120 points`);
  }
  // Network receive, summed over eth0 and eth1: bucket averages add up; a bucket's min and max are the
  // sums of the devices' (a bound of the sum's own: both devices need not peak at the same sample).
  const devices = ['eth0', 'eth1'].map((d) => minuteBuckets(
    series(s.appended, web.id, 'system.network.io', { [Attr.device]: d, [Attr.networkDirection]: 'receive' })));
  const sums = devices[0]!.map((b, i) => ({ avg: b.avg + devices[1]![i]!.avg, min: b.min + devices[1]![i]!.min, max: b.max + devices[1]![i]!.max }));
  const rx = resource(web, 'net:receive');
  assert.equal(rx.min, Math.min(...sums.map((b) => b.min)));
  assert.equal(rx.max, Math.max(...sums.map((b) => b.max)));
  near(rx.avg, sums.reduce((a, b) => a + b.avg, 0) / sums.length, 1e-3, 'net:receive avg');
  near(rx.p95, nearestRank(sums.map((b) => b.avg), 0.95), 1e-3, 'net:receive p95');
  near(rx.avg, expected(summed(['eth0', 'eth1'].map((d) =>
    series(s.appended, web.id, 'system.network.io', { [Attr.device]: d, [Attr.networkDirection]: 'receive' })))).avg, 1e-3, 'sum of averages');
  // The per-core series (always 100 %) is not the total.
  assert.ok(resource(web, 'cpu').max! < 0.9);
  // The LVM volume (dm-0) is left out of the sum: disk write is sda's alone, not twice it.
  const sdaWrite = series(s.appended, web.id, 'system.disk.io', { [Attr.device]: 'sda', [Attr.diskDirection]: 'write' });
  assert.equal(resource(web, 'disk:write').max, Math.max(...sdaWrite.map((a) => a.value)));
  assert.equal(resource(web, 'net:transmit').unit, 'By/s');
  assert.equal(resource(web, 'cpu').unit, '1');
});

test('gaps are gaps: no figure or chart point is made of the hour the host was unreachable', async (t) => {
  const s = await seed(t);
  const web = host(buildReport(s.sources, { from: FROM, to: TO }, NOW), 'web-1');
  const cpu = resource(web, 'cpu');
  const inGap = cpu.chart.filter((p) => p.t >= GAP.from + 5 * MINUTE && p.t < GAP.to - 5 * MINUTE);
  assert.deepEqual(inGap, [], 'no chart point inside the gap');
  assert.ok(cpu.min! > 0, 'the gap is not counted as zero');
});

test('unreachable time and availability match the failed polls; a short range inside the gap is all unreachable', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  const web = host(report, 'web-1');
  const up = series(s.appended, web.id, 'up');
  const failedSeconds = up.filter((a) => a.value === 0).length * POLL / 1000;
  assert.equal(failedSeconds, 3600 + 120);
  near(web.unreachableSeconds, failedSeconds, 1e-9, 'unreachable seconds');
  near(web.availability, 1 - failedSeconds / ((TO - FROM) / 1000), 1e-9, 'availability');

  const gap = host(buildReport(s.sources, { from: GAP.from + 10 * MINUTE, to: GAP.from + 30 * MINUTE }, NOW), 'web-1');
  assert.equal(gap.availability, 0);
  near(gap.unreachableSeconds, 20 * 60, 1e-9, 'unreachable over 20 minutes of the gap');
  assert.equal(resource(gap, 'cpu').avg, null, 'no CPU sample while unreachable');

  const healthy = host(report, 'this-pc');
  assert.equal(healthy.availability, 1);
  assert.equal(healthy.unreachableSeconds, 0);
});

test('a reboot is seen where uptime goes backwards, and uptime is the last sample', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  const web = host(report, 'web-1');
  assert.equal(web.reboots.length, 1);
  assert.ok(Math.abs(web.reboots[0]! - REBOOT.bootAt) <= MINUTE, `boot ${new Date(web.reboots[0]!).toISOString()}`);
  const lastUptime = series(s.appended, web.id, 'system.uptime').at(-1)!.value;
  assert.equal(web.uptimeSeconds, lastUptime);
  assert.deepEqual(host(report, 'this-pc').reboots, []);
  assert.equal(host(report, 'this-pc').uptimeSeconds, (TO - POLL - FIRST_BOOT) / 1000);
});

test('a filesystem growing linearly: slope, last values and when it is full', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  const web = host(report, 'web-1');
  const trend = resource(web, 'fs:/var').trend;
  assert.ok(trend);
  near(trend.slopePerDay, VAR_SLOPE_PER_DAY, 0.02, 'slope per day');
  near(trend.limitBytes, 100 * GIB, 1e-3, 'limit');
  near(trend.freeBytes, VAR_FREE_AT_END, 0.01, 'free at the end');
  assert.ok(trend.fullAt !== null);
  const fullIn = (trend.fullAt - TO) / DAY;
  assert.ok(Math.abs(fullIn - 5) < 0.1, `full in ${fullIn} days, about 5`);

  const steady = resource(web, 'fs:/').trend;
  assert.ok(steady);
  assert.equal(steady.slopePerDay, 0);
  assert.equal(steady.fullAt, null);

  // Under an hour of data: no trend.
  const short = host(buildReport(s.sources, { from: TO - 40 * MINUTE, to: TO }, NOW), 'web-1');
  assert.equal(resource(short, 'fs:/var').trend, null);
});

test('a host added mid-range and a host with no data are reported truthfully', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  Report.parse(report);

  const db = host(report, HOSTILE_HTML);
  assert.equal(db.dataFrom, T0 + 3 * HOUR);
  assert.equal(db.dataTo, TO);
  assert.equal(db.availability, 1);
  near(resource(db, 'memory').avg, 0.95, 1e-9, 'db memory');
  // It had no data before T0+3h: its figures are of the three hours it has.
  assert.ok(resource(db, 'cpu').chart[0]!.t >= T0 + 3 * HOUR);

  const idle = host(report, HOSTILE_FORMULA);
  assert.equal(idle.dataFrom, null);
  assert.equal(idle.dataTo, null);
  assert.equal(idle.availability, null);
  assert.equal(idle.unreachableSeconds, null);
  assert.equal(idle.uptimeSeconds, null);
  assert.deepEqual(idle.reboots, []);
  assert.deepEqual(idle.resources.map((r) => r.key), ['cpu', 'memory', 'swap', 'net:receive', 'net:transmit', 'disk:read', 'disk:write']);
  for (const r of idle.resources) {
    assert.deepEqual([r.min, r.avg, r.p95, r.max, r.trend], [null, null, null, null, null], r.key);
    assert.deepEqual(r.chart, []);
  }
  assert.deepEqual(idle.verdict, { status: 'degraded', reasons: ['No data in the range'] });
  assert.equal(idle.address, 'idle.example.net');
  assert.equal(host(report, 'this-pc').address, null);
});

test('a range without any data: every figure null, no alerts, and it still validates', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: T0 - 3 * DAY, to: T0 - 2 * DAY }, NOW);
  Report.parse(report);
  assert.equal(report.hosts.length, 4);
  for (const h of report.hosts) {
    assert.equal(h.dataFrom, null);
    assert.equal(h.availability, null);
    assert.ok(h.resources.every((r) => r.avg === null));
  }
  assert.deepEqual(report.alerts, { items: [], bySeverity: { info: 0, warning: 0, critical: 0 }, byRule: [] });
  assert.equal(report.verdict.status, 'degraded');
  assert.deepEqual(report.recommendations, []);
});

test('alerts of the range: fired ones only, as they stood at the end, with durations and counts', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  const { items, bySeverity, byRule } = report.alerts;
  const ids = new Set(items.map((a) => a.id));
  const st = s.stored;
  for (const name of ['hostDown', 'fsFiring', 'cpuBefore', 'memoryLate', 'info']) assert.ok(ids.has(st[name]!.id), `${name} is in`);
  for (const name of ['cpuLongBefore', 'pendingOnly', 'ghost', 'afterRange']) assert.ok(!ids.has(st[name]!.id), `${name} is out`);
  assert.equal(items.length, 5 + 12);
  assert.deepEqual(items.map((a) => a.startedAt), [...items.map((a) => a.startedAt)].sort((a, b) => a - b), 'in firing order');

  const byId = (name: string) => items.find((a) => a.id === st[name]!.id)!;
  assert.deepEqual(
    [byId('hostDown').durationSeconds, byId('hostDown').resolved, byId('hostDown').resolvedAt],
    [(GAP.to - GAP.from - MINUTE) / 1000, true, GAP.to]);
  assert.deepEqual([byId('fsFiring').durationSeconds, byId('fsFiring').resolved], [HOUR / 1000, false]);
  // Fired before the range: it counts, from when it fired.
  assert.deepEqual([byId('cpuBefore').startedAt, byId('cpuBefore').durationSeconds], [T0 - HOUR, 90 * 60]);
  // Resolved after the range: unresolved as of `to`, its duration up to `to`.
  assert.deepEqual([byId('memoryLate').resolved, byId('memoryLate').resolvedAt, byId('memoryLate').durationSeconds], [false, null, HOUR / 1000]);
  assert.equal(byId('memoryLate').hostName, HOSTILE_HTML);
  assert.equal(byId('fsFiring').unit, '1');

  assert.deepEqual(bySeverity, { critical: 2, warning: 2, info: 13 });
  assert.deepEqual(byRule, [
    { rule: 'Flappy', count: 12, hosts: 1 },
    { rule: 'Filesystem almost full', count: 1, hosts: 1 },
    { rule: 'High CPU usage', count: 1, hosts: 1 },
    { rule: 'High memory usage', count: 1, hosts: 1 },
    { rule: 'Host down', count: 1, hosts: 1 },
    { rule: 'Info rule', count: 1, hosts: 1 },
  ]);

  // Only the chosen hosts' alerts.
  const dbOnly = buildReport(s.sources, { from: FROM, to: TO, hosts: [host(report, HOSTILE_HTML).id] }, NOW);
  assert.deepEqual(dbOnly.alerts.items.map((a) => a.id), [st.memoryLate!.id]);
  assert.deepEqual(dbOnly.hosts.map((h) => h.name), [HOSTILE_HTML]);
});

test('verdicts: per host with the figures as reasons, the fleet the worst of them', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  const web = host(report, 'web-1');
  assert.equal(web.verdict.status, 'critical');
  const reasons = web.verdict.reasons.join('\n');
  assert.match(reasons, /^Critical alert still firing: Filesystem \/var is 91% full$/m);
  assert.match(reasons, /^Unreachable 1 h 2 min \(17% of the time polled\)$/m);
  assert.match(reasons, /^Filesystem \/var fills in ~5 days \(grows 2\.0 GiB\/day\)$/m);
  assert.match(reasons, /^3 alerts fired: /m);

  const db = host(report, HOSTILE_HTML);
  assert.equal(db.verdict.status, 'degraded');
  assert.deepEqual(db.verdict.reasons, ['1 alert fired: High memory usage', 'Memory high: average 95% (max 95%)']);

  // Info alerts (even many) do not make a host degraded.
  assert.deepEqual(host(report, 'this-pc').verdict, { status: 'healthy', reasons: [] });

  assert.equal(report.verdict.status, 'critical');
  assert.ok(report.verdict.reasons[0]!.startsWith('web-1: '));
  assert.ok(report.verdict.reasons.includes(`${HOSTILE_HTML}: Memory high: average 95% (max 95%)`));
  assert.ok(report.verdict.reasons.includes(`${HOSTILE_FORMULA}: No data in the range`));
  assert.ok(!report.verdict.reasons.some((r) => r.startsWith('this-pc')));
});

test('recommendations carry the figures that triggered them', async (t) => {
  const s = await seed(t);
  const report = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  const web = host(report, 'web-1');
  const db = host(report, HOSTILE_HTML);
  const kinds = report.recommendations.map((r) => `${r.kind}@${r.host}`).sort();
  assert.deepEqual(kinds, [
    `filesystem_filling@${web.id}`, `host_unreachable@${web.id}`, `memory_high@${db.id}`, 'noisy_rule@null', `swap_high@${db.id}`,
  ].sort());
  const rec = (kind: string) => report.recommendations.find((r) => r.kind === kind)!;
  const fs = rec('filesystem_filling');
  assert.equal(fs.severity, 'critical');
  assert.equal(fs.figures.mountpoint, '/var');
  assert.ok(Math.abs((fs.figures.fullInDays as number) - 5) < 0.15);
  near(fs.figures.growthBytesPerDay as number, VAR_SLOPE_PER_DAY, 0.02, 'growth');
  const down = rec('host_unreachable');
  assert.equal(down.severity, 'critical');
  near(down.figures.unreachableSeconds as number, 3720, 1e-9, 'unreachable');
  near(down.figures.unreachableRatio as number, 3720 / 21600, 1e-9, 'share');
  near(rec('memory_high').figures.averageRatio as number, 0.95, 1e-9, 'memory');
  near(rec('swap_high').figures.averageRatio as number, 0.6, 1e-9, 'swap');
  assert.deepEqual(rec('noisy_rule').figures, { rule: 'Flappy', firings: 12, firingsPerDay: 12, hosts: 1 });
});

test('request checks: unknown host ids and empty ranges are refused', async (t) => {
  const s = await seed(t);
  assert.throws(() => buildReport(s.sources, { from: FROM, to: TO, hosts: ['nope'] }, NOW), NotFoundError);
  assert.throws(() => buildReport(s.sources, { from: TO, to: TO }, NOW), RangeError);
  // A host list instead of the repository.
  const report = buildReport({ ...s.sources, hosts: [{ id: 'local', name: 'mine', kind: 'local' }] }, { from: FROM, to: TO }, NOW);
  assert.deepEqual(report.hosts.map((h) => [h.name, h.availability]), [['mine', 1]]);
  assert.equal(report.hostwatchVersion, '9.9.9-test');
  assert.equal(report.generatedAt, NOW);
});

test('gatherReport: the same report, host by host, with progress and pauses between hosts', async (t) => {
  const s = await seed(t);
  const progress: string[] = [];
  let pauses = 0;
  const report = await gatherReport(s.sources, { from: FROM, to: TO }, NOW, {
    onProgress: (done, total) => progress.push(`${done}/${total}`),
    pause: async () => {
      pauses++;
    },
  });
  assert.deepEqual(report, buildReport(s.sources, { from: FROM, to: TO }, NOW));
  assert.deepEqual(progress, ['1/4', '2/4', '3/4', '4/4']);
  assert.equal(pauses, 4);
  await assert.rejects(gatherReport(s.sources, { from: TO, to: FROM }, NOW), RangeError);
});

test('upShare: a rounded average of a mixed `up` bucket counts as the middle of what rounds to it', () => {
  assert.equal(upShare(1, 1, 1), 1);
  assert.equal(upShare(0, 0, 0), 0);
  assert.equal(upShare(0.5, 0, 1), 0.5, 'an exact average is kept');
  assert.equal(upShare(1, 0, 1), 0.75);
  assert.equal(upShare(0, 0, 1), 0.25);
});

test('a partly failed minute, once sealed, still counts as partly unreachable', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-report-up-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const samples = new SampleStore(db);
  // 2 of the 6 polls of 00:30 fail: 20 s unreachable, kept by the sealed rollup's average (4 of 6).
  for (let time = T0; time < T0 + HOUR; time += POLL) {
    const failed = time >= T0 + 30 * MINUTE && time < T0 + 30 * MINUTE + 2 * POLL;
    samples.append({ host: 'h', time, samples: [{ metric: 'up', attributes: {}, value: failed ? 0 : 1 }], errors: [] });
  }
  samples.flush();
  await samples.seal(T0 + 2 * HOUR, async () => {});
  const sources = { samples, alerts: new AlertRepository(db), hosts: [{ id: 'h', name: 'h', kind: 'ssh' as const }], version: 'test' };
  const h = buildReport(sources, { from: T0, to: T0 + HOUR }, T0 + 2 * HOUR).hosts[0]!;
  near(h.unreachableSeconds, 20, 0.01, 'unreachable seconds from the sealed minute');
  assert.ok(h.availability! < 1);
});

test('percentile is the nearest rank of the sorted values', () => {
  fc.assert(fc.property(
    fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 300 }),
    fc.double({ min: 0.001, max: 1, noNaN: true }),
    (values, p) => {
      const sorted = [...values].sort((a, b) => a - b);
      // === rather than Object.is: 0 and -0 are the same figure.
      assert.ok(percentile(values, p) === sorted[Math.ceil(p * values.length) - 1]);
    }), { numRuns: 3000 });
  assert.ok(Number.isNaN(percentile([], 0.95)));
  assert.equal(percentile([5, 1, 4, 2, 3], 0.95), 5);
  assert.equal(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95), 95);
});

test('chart: at most 120 points whatever the range, gaps kept; sums add up by bucket; a line is fitted exactly', () => {
  const step = MINUTE;
  const origin = T0;
  const to = T0 + 30 * DAY;
  const points = [];
  for (let t = origin; t <= to; t += step) if (t < T0 + 10 * DAY || t >= T0 + 12 * DAY) points.push({ t, avg: 1, min: 1, max: 1 });
  const chart = chartPoints(toColumns(points), origin, step, to, 120);
  assert.ok(chart.length <= 120 && chart.length >= 110, `${chart.length} points`);
  assert.ok(!chart.some((p) => p.t > T0 + 10 * DAY + 6 * HOUR && p.t < T0 + 12 * DAY - 6 * HOUR), 'the two days without data stay empty');

  const a = toColumns([{ t: 0, avg: 1, min: 0, max: 2 }, { t: 120, avg: 1, min: 1, max: 1 }]);
  const b = toColumns([{ t: 60, avg: 5, min: 5, max: 5 }, { t: 120, avg: 2, min: 1, max: 3 }]);
  const sum = sumColumns([a, b], 60);
  assert.deepEqual([...sum.t], [0, 60, 120]);
  assert.deepEqual([...sum.avg], [1, 5, 3]);
  assert.deepEqual([...sum.min], [0, 5, 2]);
  assert.deepEqual([...sum.max], [2, 5, 4]);

  const x = Array.from({ length: 50 }, (_, i) => T0 + i * HOUR);
  const fit = linearFit(x, x.map((t) => 5e10 + 3 * (t - T0)));
  assert.ok(fit && Math.abs(fit.slope - 3) < 1e-9);
  assert.equal(linearFit([T0, T0], [1, 2]), null);
});

test('sections left out are empty in the document; the verdicts still count everything', async (t) => {
  const s = await seed(t);
  const full = buildReport(s.sources, { from: FROM, to: TO }, NOW);
  const lean = buildReport(s.sources, { from: FROM, to: TO, sections: ['resources'] }, NOW);
  assert.deepEqual(lean.sections, ['resources']);
  assert.ok(lean.hosts.every((h) => h.resources.length > 0 && h.resources.every((r) => r.chart.length === 0)), 'no charts');
  assert.deepEqual(lean.alerts, { items: [], bySeverity: { info: 0, warning: 0, critical: 0 }, byRule: [] });
  assert.deepEqual(lean.recommendations, []);
  assert.deepEqual(lean.hosts.map((h) => h.verdict), full.hosts.map((h) => h.verdict));
  assert.deepEqual(lean.verdict, full.verdict);
  assert.ok(full.alerts.items.length > 0 && full.recommendations.length > 0, 'the full report has both');

  const alertsOnly = buildReport(s.sources, { from: FROM, to: TO, sections: ['alerts', 'charts'] }, NOW);
  assert.deepEqual(alertsOnly.sections, ['charts', 'alerts']);
  assert.ok(alertsOnly.hosts.every((h) => h.resources.length === 0));
  assert.deepEqual(alertsOnly.alerts, full.alerts);
  assert.doesNotThrow(() => Report.parse(alertsOnly));
});
