/**
 * Reports through the real built bin, over a data directory holding a day of this machine's history
 * (written by the store, shaped like a day of a real host: a CPU that follows the working day, a
 * filesystem that grows, a 10-minute outage and a reboot) with `hostwatch serve` polling the real
 * machine on top. `hostwatch report` writes every format while serve runs on the same file; the PDF goes
 * through headless Chromium and its pages through pdftoppm, and the HTML and the PDF pages are kept as
 * PNGs in test-results/screens/ (report-real-*.png) to look at. `GET /report` downloads the HTML while a
 * WebSocket client hears the report's progress.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { Report } from '../../shared/report.ts';
import { Attr } from '../../shared/metrics.ts';
import type { Sample } from '../../shared/api.ts';
import { DB_FILE } from '../../electron/core/engine.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { CheckRepository } from '../../electron/core/store/checks.ts';
import { SampleStore } from '../../electron/core/store/samples.ts';
import { CheckSpec } from '../../shared/checks/index.ts';
import { findChromium } from '../../electron/core/reports/pdf.ts';
import { SCREENS, chromiumSkipReason, launchChromium } from '../support/browser.ts';
import { hostwatch, serve, tempDataDir, type Served } from '../support/serve.ts';
import { connect, type TestClient } from '../support/ws-client.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const GIB = 1024 ** 3;
const POLL = 30_000;
/** The seeded day ends a minute ago; the outage and the reboot are at fixed places in it. */
const END = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
const START = END - DAY;
const OUTAGE = { from: START + 9 * HOUR, to: START + 9 * HOUR + 10 * MINUTE };
const BOOT = OUTAGE.to - 2 * MINUTE;
/** The shop's web site answered 503 for 20 minutes in the afternoon. */
const SHOP_DOWN = { from: START + 15 * HOUR, to: START + 15 * HOUR + 20 * MINUTE };

const noPdf = findChromium() ? null : 'no Chromium to print the PDF with (apt-get install chromium)';
const noPdftoppm = spawnSync('pdftoppm', ['-v']).error ? 'pdftoppm is not installed (apt-get install poppler-utils)' : null;
if (process.env.CI && (noPdf || noPdftoppm || chromiumSkipReason())) throw new Error(`the report test needs in CI: ${noPdf ?? noPdftoppm ?? chromiumSkipReason()}`);

let served: Served;
let client: TestClient;
let dir: string;
const out = tempDataDir('hostwatch-report-out-');

/** A day of the local host, as a real one looks: each poll's samples through the store, sealed. */
async function seedDay(dataDir: string): Promise<void> {
  const db = openDatabase(join(dataDir, DB_FILE));
  const store = new SampleStore(db);
  const firstBoot = START - 20 * DAY;
  for (let t = START, i = 0; t < END; t += POLL, i++) {
    if (t >= OUTAGE.from && t < OUTAGE.to) {
      store.append({ host: 'local', time: t, samples: [{ metric: 'up', attributes: {}, value: 0 }], errors: [] });
      continue;
    }
    const hourOfDay = ((t - START) / HOUR) % 24;
    const work = Math.max(0, Math.sin(((hourOfDay - 7) / 12) * Math.PI));
    const cpu = Math.min(1, 0.04 + 0.5 * work + 0.1 * Math.abs(Math.sin(i * 1.7)) + (i % 97 === 0 ? 0.4 : 0));
    const used = 30 * GIB + (t - START) * (3 * GIB / DAY);
    const limit = 60 * GIB;
    const burst = i % 40 < 3 ? 40e6 : 0;
    const samples: Sample[] = [
      { metric: 'up', attributes: {}, value: 1 },
      { metric: 'system.uptime', attributes: {}, value: (t - (t >= BOOT ? BOOT : firstBoot)) / 1000 },
      { metric: 'system.cpu.utilization', attributes: {}, value: cpu },
      { metric: 'system.memory.utilization', attributes: {}, value: 0.55 + 0.2 * work },
      { metric: 'system.paging.utilization', attributes: {}, value: 0.02 },
      { metric: 'system.filesystem.utilization', attributes: { [Attr.mountpoint]: '/' }, value: used / limit },
      { metric: 'system.filesystem.usage', attributes: { [Attr.mountpoint]: '/', [Attr.filesystemState]: 'used' }, value: used },
      { metric: 'system.filesystem.usage', attributes: { [Attr.mountpoint]: '/', [Attr.filesystemState]: 'free' }, value: limit - used },
      { metric: 'system.filesystem.limit', attributes: { [Attr.mountpoint]: '/' }, value: limit },
      { metric: 'system.network.io', attributes: { [Attr.device]: 'eth0', [Attr.networkDirection]: 'receive' }, value: 2e5 + 3e6 * work + burst },
      { metric: 'system.network.io', attributes: { [Attr.device]: 'eth0', [Attr.networkDirection]: 'transmit' }, value: 5e4 + 1e6 * work },
      { metric: 'system.disk.io', attributes: { [Attr.device]: 'sda', [Attr.diskDirection]: 'read' }, value: i % 13 === 0 ? 8e6 : 0 },
      { metric: 'system.disk.io', attributes: { [Attr.device]: 'sda', [Attr.diskDirection]: 'write' }, value: 4e5 + 2e6 * work },
    ];
    const shopUp = t >= SHOP_DOWN.from && t < SHOP_DOWN.to ? 0 : 1;
    samples.push(
      { metric: 'probe_success', attributes: { [Attr.check]: 'Shop front' }, value: shopUp },
      { metric: 'probe_duration_seconds', attributes: { [Attr.check]: 'Shop front' }, value: shopUp ? 0.12 + 0.08 * work : 10 },
    );
    store.append({ host: 'local', time: t, samples, errors: [] });
    if (i % 100 === 99) store.flush();
  }
  // Its state changes, as the engine keeps them; disabled, so the running serve leaves it alone.
  const checks = new CheckRepository(db);
  const shop = checks.insert(CheckSpec.parse({ type: 'http', name: 'Shop front', url: 'https://shop.example.com/', enabled: false }), START - DAY);
  checks.addEvent(shop.id, START - DAY, 'unknown', 'up', 'passed', null);
  checks.addEvent(shop.id, SHOP_DOWN.from + 2 * POLL, 'up', 'down', 'status 503 is not in 200-299', 'Service Unavailable');
  checks.addEvent(shop.id, SHOP_DOWN.to, 'down', 'up', 'passed', null);
  store.flush();
  await store.seal(END + 3 * MINUTE, async () => {});
  db.close();
}

before(async () => {
  dir = tempDataDir();
  await seedDay(dir);
  served = await serve([], dir);
  client = await connect(served.origin, served.token);
  await client.waitFor((e) => e.event === 'snapshot', 20_000);
});

after(async () => {
  client?.close();
  await served?.stop();
  rmSync(out, { recursive: true, force: true });
});

function report(args: string[]): string {
  return hostwatch(['report', '--data-dir', dir, '--from', new Date(START).toISOString(), '--to', new Date(END).toISOString(), ...args]);
}

function get(url: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    }).on('error', reject).end();
  });
}

test('the JSON report of the day says what happened: the outage, the reboot, the growing filesystem', () => {
  const file = join(out, 'day.json');
  report(['--format', 'json', '--out', file]);
  const r = Report.parse(JSON.parse(readFileSync(file, 'utf8')));
  assert.equal(r.from, START);
  assert.equal(r.to, END);
  assert.equal(r.hosts.length, 1);
  const host = r.hosts[0]!;
  assert.equal(host.id, 'local');
  assert.ok(Math.abs(host.unreachableSeconds! - 600) <= 30, `unreachable ${host.unreachableSeconds} s, 600 s expected`);
  assert.equal(host.reboots.length, 1);
  assert.ok(Math.abs(host.reboots[0]! - BOOT) <= MINUTE, 'the reboot is placed within a minute');
  assert.equal(host.verdict.status, 'degraded');
  assert.ok(host.verdict.reasons.some((reason) => /^Unreachable 10 min/.test(reason)), host.verdict.reasons.join('; '));
  const root = host.resources.find((x) => x.key === 'fs:/')!;
  assert.ok(Math.abs(root.trend!.slopePerDay - 3 * GIB) / (3 * GIB) < 0.01, `grows ${root.trend!.slopePerDay} B/day`);
  const cpu = host.resources.find((x) => x.key === 'cpu')!;
  assert.ok(cpu.min! >= 0.04 && cpu.max! <= 1 && cpu.avg! > cpu.min! && cpu.p95! > cpu.avg!, JSON.stringify(cpu));
  assert.ok(cpu.chart.length > 50, 'the CPU chart has points');
  const [shop] = host.checks;
  assert.equal(shop?.name, 'Shop front');
  // 20 minutes of 1440 failed: 98.6 %; down from its third failed run to the first good one.
  assert.ok(Math.abs(shop!.availability! - (1 - 20 / 1440)) < 0.001, `availability ${shop!.availability}`);
  assert.equal(shop!.downSeconds, 20 * 60 - 2 * POLL / 1000);
  assert.ok(shop!.latencyP50Seconds! > 0.1 && shop!.latencyP50Seconds! < 0.25, `p50 ${shop!.latencyP50Seconds}`);
  assert.ok(shop!.latencyP95Seconds! > 0.19 && shop!.latencyP95Seconds! <= 0.2, `p95 ${shop!.latencyP95Seconds}`);
  assert.ok(host.verdict.reasons.includes('Check Shop front up 98.6% of the time (down 19 min, once)'), host.verdict.reasons.join('; '));
});

test('Markdown and CSV of the same day, the CSV one row per bucket and series with its unit', () => {
  const md = join(out, 'day.md');
  report(['--format', 'md', '--out', md]);
  const text = readFileSync(md, 'utf8');
  assert.match(text, /^# /);
  assert.match(text, /Unreachable 10 min/);

  const csvFile = join(out, 'day.csv');
  report(['--format', 'csv', '--out', csvFile]);
  const lines = readFileSync(csvFile, 'utf8').trimEnd().split('\r\n');
  assert.equal(lines[0], 'time,host,host_name,metric,attributes,unit,avg,min,max');
  const cpuRows = lines.filter((l) => /,system\.cpu\.utilization,,1,/.test(l));
  // One row a minute with data: the day less the outage (the minutes it cut short keep their rows).
  assert.ok(cpuRows.length >= 1440 - 10 && cpuRows.length <= 1440, `${cpuRows.length} CPU rows`);
});

test('the PDF prints through headless Chromium and pdftoppm renders its pages; the HTML is kept as a picture', { skip: noPdf ?? noPdftoppm ?? chromiumSkipReason() ?? false }, async () => {
  const pdf = join(out, 'day.pdf');
  report(['--format', 'pdf', '--out', pdf]);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  mkdirSync(SCREENS, { recursive: true });
  for (const old of readdirSync(SCREENS)) if (old.startsWith('report-real-page')) rmSync(join(SCREENS, old));
  execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(SCREENS, 'report-real-page')]);
  const pages = readdirSync(SCREENS).filter((f) => f.startsWith('report-real-page'));
  assert.ok(pages.length >= 1, 'at least one page rendered');

  const html = join(out, 'day.html');
  report(['--format', 'html', '--out', html]);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const asked: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) asked.push(r.url()); });
    await page.goto(`file://${html}`);
    assert.deepEqual(asked, [], 'the report asks for nothing');
    await page.screenshot({ path: join(SCREENS, 'report-real-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(SCREENS, 'report-real-dark.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('GET /report downloads the HTML while the engine reports progress to the token it was given', async () => {
  const token = 'progress-test-1';
  const url = `${served.origin}/report?from=${START}&to=${END}&format=html&progress=${token}&token=${served.token}`;
  const response = await get(url);
  assert.equal(response.status, 200);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(String(response.headers['content-disposition']), /^attachment; filename="hostwatch-report-\d{4}-\d\d-\d\d\.html"$/);
  assert.match(response.body, /^<!doctype html>/i);
  const done = await client.waitFor((e) => e.event === 'reportProgress' && (e.data as { progress: string }).progress === token);
  assert.deepEqual(done.data, { progress: token, done: 1, total: 1 });

  const lean = await get(`${served.origin}/report?from=${START}&to=${END}&format=json&sections=alerts&token=${served.token}`);
  const leanReport = Report.parse(JSON.parse(lean.body));
  assert.deepEqual(leanReport.sections, ['alerts']);
  assert.deepEqual(leanReport.hosts[0]!.resources, [], 'resources left out');
  assert.equal(leanReport.hosts[0]!.verdict.status, 'degraded', 'the verdict still counts them');
  const wrongSection = await get(`${served.origin}/report?from=${START}&to=${END}&format=json&sections=gossip&token=${served.token}`);
  assert.equal(wrongSection.status, 400);

  const bad = await get(`${served.origin}/report?from=${END}&to=${START}&format=html&token=${served.token}`);
  assert.equal(bad.status, 400);
  assert.match(bad.body, /`from` must be before `to`/);
  const badToken = await get(`${served.origin}/report?from=${START}&to=${END}&format=html&progress=${encodeURIComponent('<x>')}&token=${served.token}`);
  assert.equal(badToken.status, 400);
  const unknownHost = await get(`${served.origin}/report?from=${START}&to=${END}&format=json&host=nope&token=${served.token}`);
  assert.notEqual(unknownHost.status, 200, 'a host that does not exist is not a report');
});
