/**
 * The service checks of a report, from a real SQLite file: availability and run-time percentiles
 * against brute force over the probe samples stored, time down from the state changes (a down spell
 * that began before the range, one inside it, one still going at its end), a check added after the
 * range left out, the verdicts and recommendations they lead to, and the section left out on request.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { CheckSpec } from '../../../shared/checks/index.ts';
import { Attr } from '../../../shared/metrics.ts';
import { Report } from '../../../shared/report.ts';
import { reportCsvChunks } from '../../../electron/core/reports/csv.ts';
import { buildReport } from '../../../electron/core/reports/gather.ts';
import { renderHtml } from '../../../electron/core/reports/html.ts';
import { renderMarkdown } from '../../../electron/core/reports/markdown.ts';
import { AlertRepository } from '../../../electron/core/store/alerts.ts';
import { CheckRepository } from '../../../electron/core/store/checks.ts';
import { precisionOf, quantize } from '../../../electron/core/store/codec.ts';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { HostRepository } from '../../../electron/core/store/hosts.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';
import { HOUR, MINUTE, minuteBuckets, nearestRank } from './seed.ts';

const T0 = Date.UTC(2026, 1, 2, 0);
const FROM = T0;
const TO = T0 + 6 * HOUR;
const NOW = TO + MINUTE;
const RUN = 20_000;

/** Shop front: down 40 min from T0+1h, and down before the range until T0+10min. */
const SHOP_DOWN = [{ from: T0 - 30 * MINUTE, to: T0 + 10 * MINUTE }, { from: T0 + HOUR, to: T0 + HOUR + 40 * MINUTE }];
/** Database port: fine until T0+5h30, then down to the end. */
const DB_DOWN_FROM = T0 + 5.5 * HOUR;

function setUp(t: TestContext) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-report-checks-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const samples = new SampleStore(db);
  const hosts = new HostRepository(db);
  const checks = new CheckRepository(db);
  hosts.upsert('local', 'this-pc', 'local', T0 - 86_400_000);
  const spec = (s: Record<string, unknown>) => CheckSpec.parse({ host: 'local', ...s });
  const shop = checks.insert(spec({ type: 'http', name: 'Shop front', url: 'https://shop.example.com/' }), T0 - HOUR);
  const dbPort = checks.insert(spec({ type: 'tcp', name: 'Database port', target: 'db', port: 5432 }), T0 - HOUR);
  checks.insert(spec({ type: 'ping', name: 'Added later', target: 'router' }), TO + HOUR);

  const inShopDown = (t: number) => SHOP_DOWN.some((d) => t >= d.from && t < d.to);
  const probes: Record<string, { t: number; success: number; duration: number }[]> = { 'Shop front': [], 'Database port': [] };
  for (let i = 0, time = T0 - HOUR; time < TO + 10 * MINUTE; i++, time += RUN) {
    const shopOk = inShopDown(time) ? 0 : 1;
    const dbOk = time >= DB_DOWN_FROM ? 0 : 1;
    const shopTook = shopOk ? 0.1 + ((i * 37) % 50) / 1000 : 10;
    const dbTook = dbOk ? 0.001 + ((i * 13) % 7) / 10_000 : 0.0005;
    for (const [name, success, duration] of [['Shop front', shopOk, shopTook], ['Database port', dbOk, dbTook]] as const) {
      const attributes = { [Attr.check]: name };
      samples.append({ host: 'local', time, errors: [], samples: [
        { metric: 'probe_success', attributes, value: success },
        { metric: 'probe_duration_seconds', attributes, value: duration },
      ] });
      probes[name]!.push({ t: time, success, duration: quantize(duration, precisionOf('probe_duration_seconds')) });
    }
  }
  for (const d of SHOP_DOWN) {
    checks.addEvent(shop.id, d.from, 'up', 'down', 'status 503 is not in 200-299', null);
    checks.addEvent(shop.id, d.to, 'down', 'up', 'passed', null);
  }
  checks.addEvent(dbPort.id, T0 - HOUR, 'unknown', 'up', 'passed', null);
  checks.addEvent(dbPort.id, DB_DOWN_FROM, 'up', 'down', 'connection refused', null);
  const sources = { samples, alerts: new AlertRepository(db), hosts, checks, version: 'test' };
  return { sources, probes };
}

test('availability and run-time percentiles are those of the stored probes, bucket by bucket', (t) => {
  const { sources, probes } = setUp(t);
  const report = Report.parse(buildReport(sources, { from: FROM, to: TO }, NOW));
  const checks = report.hosts[0]!.checks;
  assert.deepEqual(checks.map((c) => c.name), ['Database port', 'Shop front'], 'by name; the check added after the range is left out');
  for (const c of checks) {
    const inRange = probes[c.name]!.filter((p) => p.t >= FROM && p.t <= TO);
    const success = minuteBuckets(inRange.map((p) => ({ t: p.t, value: p.success })));
    const took = minuteBuckets(inRange.map((p) => ({ t: p.t, value: p.duration }))).map((b) => b.avg);
    const availability = success.reduce((s, b) => s + b.avg, 0) / success.length;
    assert.ok(Math.abs(c.availability! - availability) < 1e-9, `${c.name}: availability ${c.availability} vs ${availability}`);
    assert.ok(Math.abs(c.latencyP50Seconds! - nearestRank(took, 0.5)) < 1e-9, `${c.name}: p50`);
    assert.ok(Math.abs(c.latencyP95Seconds! - nearestRank(took, 0.95)) < 1e-9, `${c.name}: p95`);
  }
  const shop = checks.find((c) => c.name === 'Shop front')!;
  assert.equal(shop.typeLabel, 'HTTP(S)');
  assert.equal(shop.target, 'https://shop.example.com/');
  // 40 min inside, and the 10 min of a spell that began before the range; it went down once in the range.
  assert.deepEqual([shop.downSeconds, shop.downCount, shop.state], [50 * 60, 1, 'up']);
  const dbPort = checks.find((c) => c.name === 'Database port')!;
  assert.deepEqual([dbPort.target, dbPort.downSeconds, dbPort.downCount, dbPort.state], ['db:5432', 30 * 60, 1, 'down']);
});

test('a check down at the end makes its host critical; one below 99 % degraded and recommended', (t) => {
  const { sources } = setUp(t);
  const report = buildReport(sources, { from: FROM, to: TO }, NOW);
  const verdict = report.hosts[0]!.verdict;
  assert.equal(verdict.status, 'critical');
  assert.ok(verdict.reasons.includes('Check Database port was down at the end of the range'), verdict.reasons.join('\n'));
  const shopReason = verdict.reasons.find((r) => r.startsWith('Check Shop front up '));
  assert.match(shopReason ?? '', /^Check Shop front up 8\d\.\d% of the time \(down 50 min, once\)$/);
  const recs = report.recommendations.filter((r) => r.kind === 'check_unavailable');
  assert.deepEqual(recs.map((r) => [r.figures.check, r.severity]), [['Database port', 'critical'], ['Shop front', 'warning']]);
  assert.equal(recs[1]!.figures.downSeconds, 3000);

  // Before the database went down, over the first 5 hours: only the shop's spell, and it came back.
  const early = buildReport(sources, { from: FROM, to: T0 + 5 * HOUR }, NOW);
  assert.equal(early.hosts[0]!.verdict.status, 'degraded');
});

test('the documents show each check; left out on request, the verdict still counts them', (t) => {
  const { sources } = setUp(t);
  const report = buildReport(sources, { from: FROM, to: TO }, NOW);
  const page = renderHtml(report);
  assert.match(page, /<h3>Service checks<\/h3>/);
  assert.match(page, /Shop front<br><span class="muted small">HTTP\(S\) · <code>https:\/\/shop\.example\.com\/<\/code>/);
  assert.match(page, /50 min \(once\)/);
  const md = renderMarkdown(report);
  assert.match(md, /\| Database port \| TCP port \| db:5432 \| 9\d\.\d% \| \d\.\d ms \| \d\.\d ms \| 30 min \(once\) \| ✖ Down \|/);

  const lean = buildReport(sources, { from: FROM, to: TO, sections: ['resources'] }, NOW);
  assert.deepEqual(lean.hosts[0]!.checks, []);
  assert.equal(lean.hosts[0]!.verdict.status, 'critical');
  assert.ok(!renderHtml(lean).includes('Service checks'));
  assert.match(renderMarkdown(lean), /Left out of this report on request: charts, service checks, alerts, recommendations\./);
});

test('the CSV holds the success and run time of each check, a row per bucket', (t) => {
  const { sources, probes } = setUp(t);
  const report = buildReport(sources, { from: FROM, to: TO }, NOW);
  const rows = [...reportCsvChunks(report, sources.samples)].join('').split('\r\n').map((l) => l.split(','));
  const shop = rows.filter((r) => r[3] === 'probe_success' && r[4] === 'hostwatch.check=Shop front');
  const expected = minuteBuckets(probes['Shop front']!.filter((p) => p.t >= FROM && p.t <= TO).map((p) => ({ t: p.t, value: p.success })));
  assert.equal(shop.length, expected.length);
  assert.deepEqual(shop.map((r) => [Date.parse(r[0]!), Number(r[6])]), expected.map((b) => [b.t, b.avg]));
  assert.ok(rows.some((r) => r[3] === 'probe_duration_seconds' && r[4] === 'hostwatch.check=Database port' && r[5] === 's'));
});
