/**
 * Reports end to end: Chromium (playwright-core) on a real `hostwatch serve`, over a data directory
 * seeded with a few sealed hours of this machine's history. The Export dialog downloads an HTML report
 * of the last 24 h (the file is checked: an HTML report naming the host) and, opened from the host's
 * view, a CSV of that host; the form refuses an empty host choice and a backwards custom range; an
 * engine refusal (the 503 of a PDF without Chromium, put between page and engine) shows in the dialog. In Settings a daily
 * schedule to a temporary folder is refused without a folder and for a folder that does not exist,
 * then saved, still there after a reload, and its first report appears in the folder. The desktop
 * app's way (the preload's exportReport, openReport, showReport) runs in the same Chromium with a
 * stand-in preload: the engine's MessagePort carried over a WebSocket, the save dialog answered by the
 * test. Screenshots (light and dark) of the dialog idle, busy (the report held back until they are
 * taken), done, saved (desktop) and failed, and of the Settings section go to test-results/screens/.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { SCREENS, chromiumSkipReason, launchChromium } from '../support/browser.ts';
import { serve, tempDataDir } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { HOUR_MS, STEP_MS, snapshotOf } from '../support/ingest-data.ts';
import { DB_FILE } from '../../electron/core/engine.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { SampleStore } from '../../electron/core/store/samples.ts';
import { NoChromiumError } from '../../electron/core/reports/pdf.ts';

const missing = chromiumSkipReason();
if (missing && process.env.CI) throw new Error(`the report UI test needs Chromium in CI: ${missing}`);
const skip = missing ?? false;

let served: Served;
let browser: Browser;

/** This machine's last `hours` whole hours before the current one, sealed. */
async function seededDataDir(hours = 3): Promise<string> {
  const dir = tempDataDir();
  const db = openDatabase(join(dir, DB_FILE));
  const store = new SampleStore(db);
  const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  for (let t = end - hours * HOUR_MS; t < end; t += STEP_MS) store.append({ ...snapshotOf(0, t), host: 'local' });
  store.flush();
  await store.seal();
  db.close();
  return dir;
}

before(async () => {
  if (skip) return;
  served = await serve([], await seededDataDir());
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await served?.stop();
});

async function shoot(page: Page, name: string, full = true) {
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: full });
}

/** Both themes of the same state; leaves the page light. */
async function shootThemes(page: Page, name: string, full = true) {
  await page.emulateMedia({ colorScheme: 'light' });
  await shoot(page, `${name}-light`, full);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, `${name}-dark`, full);
  await page.emulateMedia({ colorScheme: 'light' });
}

async function openFleet(page: Page): Promise<string> {
  await page.goto(served.url);
  const title = page.locator('[data-testid=host-card][data-host=local] .card-title');
  await title.waitFor({ timeout: 15_000 });
  return title.innerText();
}

test('the Export dialog downloads an HTML report of the last 24 h naming the host', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const hostName = await openFleet(page);
  await page.locator('[data-testid=report-export-open]').click();
  const dialog = page.locator('[data-testid=export-dialog]');
  await dialog.waitFor();
  assert.equal(await dialog.locator('[data-testid=export-range-24h]').getAttribute('aria-pressed'), 'true');
  assert.equal(await dialog.locator('[data-testid=report-hosts-all]').isChecked(), true);
  assert.equal(await dialog.locator('[data-testid=report-format-html]').isChecked(), true);
  assert.match(await dialog.innerText(), /One file, opens in any browser, prints well/);
  assert.match(await dialog.innerText(), /Every sample of the range, for spreadsheets/);
  await shootThemes(page, 'report-export-idle', false);

  // The report is held back until the busy state is photographed.
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  let asked: URL | undefined;
  await page.route('**/report?**', async (route: Route) => {
    asked = new URL(route.request().url());
    await held;
    await route.continue();
  });
  const download = page.waitForEvent('download', { timeout: 30_000 });
  const started = Date.now();
  await dialog.locator('[data-testid=export-start]').click();
  await dialog.locator('[data-testid=export-busy]').waitFor();
  await page.waitForTimeout(1200);
  assert.match(await dialog.locator('[data-testid=export-elapsed]').innerText(), /^[1-9]\d* s$/, 'the seconds count');
  assert.match(await dialog.innerText(), /Last 24 h · 1 host · HTML/);
  await shootThemes(page, 'report-export-busy', false);
  release();

  const file = await download;
  assert.ok(asked, 'the report was asked for');
  assert.equal(asked.searchParams.get('format'), 'html');
  assert.deepEqual(asked.searchParams.getAll('host'), [], 'all hosts: none named');
  const from = Number(asked.searchParams.get('from'));
  const to = Number(asked.searchParams.get('to'));
  assert.equal(to - from, 24 * HOUR_MS);
  assert.ok(Math.abs(to - started) < 60_000, 'the range ends now');

  assert.match(file.suggestedFilename(), /^hostwatch-report-\d{4}-\d{2}-\d{2}\.html$/);
  const html = readFileSync((await file.path())!, 'utf8');
  assert.match(html, /^<!doctype html>/i);
  assert.ok(html.includes(hostName), `the report names the host ${hostName}`);
  const done = dialog.locator('[data-testid=export-done]');
  await done.waitFor();
  assert.equal(await done.locator('[data-testid=export-file]').innerText(), file.suggestedFilename());
  assert.match(await done.innerText(), /Downloaded hostwatch-report-.*\.html \(\d+(\.\d)? (B|KiB|MiB)\)/);
  await shootThemes(page, 'report-export-done', false);

  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.close();
});

test('from a host’s view the dialog picks that host; a CSV of it downloads', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openFleet(page);
  await page.locator('[data-testid=host-card][data-host=local]').click();
  await page.locator('[data-testid=report-export-open]').click();
  const dialog = page.locator('[data-testid=export-dialog]');
  await dialog.waitFor();
  assert.equal(await dialog.locator('[data-testid=report-hosts-all]').isChecked(), false);
  assert.equal(await dialog.locator('[data-testid=report-host][data-host=local]').isChecked(), true);
  await dialog.locator('[data-testid=report-format-csv]').check();

  let asked: URL | undefined;
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/report') asked = new URL(r.url()); });
  const download = page.waitForEvent('download', { timeout: 30_000 });
  await dialog.locator('[data-testid=export-start]').click();
  const file = await download;
  assert.equal(asked?.searchParams.get('format'), 'csv');
  assert.deepEqual(asked?.searchParams.getAll('host'), ['local']);
  assert.match(file.suggestedFilename(), /^hostwatch-report-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await file.path())!, 'utf8').trim().split(/\r?\n/);
  assert.ok(lines.length > 100, `a row per sample: ${lines.length} lines`);
  assert.ok(lines[0]!.includes(','), 'a header row');
  assert.ok(lines.slice(1).some((l) => l.includes('local')), 'rows of the host');
  await dialog.locator('[data-testid=export-done]').waitFor();
  await page.close();
});

test('what to include: a Markdown report without alerts and recommendations, its progress heard', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openFleet(page);
  await page.locator('[data-testid=report-export-open]').click();
  const dialog = page.locator('[data-testid=export-dialog]');
  await dialog.waitFor();
  await dialog.locator('[data-testid=report-format-md]').check();
  assert.equal(await dialog.locator('[data-testid=report-section-charts]').isDisabled(), true, 'Markdown has no charts');
  await dialog.locator('[data-testid=report-section-alerts]').uncheck();
  await dialog.locator('[data-testid=report-section-recommendations]').uncheck();
  await shootThemes(page, 'report-export-include', false);
  await dialog.locator('[data-testid=report-format-csv]').check();
  assert.equal(await dialog.locator('[data-testid=report-sections]').count(), 0, 'a CSV holds samples: nothing to choose');
  await dialog.locator('[data-testid=report-format-md]').check();

  let asked: URL | undefined;
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/report') asked = new URL(r.url()); });
  const download = page.waitForEvent('download', { timeout: 30_000 });
  await dialog.locator('[data-testid=export-start]').click();
  const file = await download;
  assert.equal(asked?.searchParams.get('sections'), 'resources,charts,checks');
  assert.match(asked?.searchParams.get('progress') ?? '', /^[\w-]{1,64}$/, 'a progress token');
  const text = readFileSync((await file.path())!, 'utf8');
  assert.match(text, /\| Resource \| Min \|/);
  assert.ok(!text.includes('## Alerts') && !text.includes('## Recommendations'), 'the sections left out are out');
  assert.match(text, /Left out of this report on request: alerts, recommendations\./);
  await dialog.locator('[data-testid=export-done]').waitFor();
  await page.close();
});

test('the form wants a host and a range that goes forward; the engine’s refusal shows in the dialog', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openFleet(page);
  await page.locator('[data-testid=report-export-open]').click();
  const dialog = page.locator('[data-testid=export-dialog]');
  await dialog.waitFor();

  await dialog.locator('[data-testid=report-hosts-all]').uncheck();
  await dialog.getByText('Choose at least one host').waitFor();
  await dialog.locator('[data-testid=export-start]').click();
  assert.equal(await dialog.locator('[data-testid=export-start]').isDisabled(), true);
  await dialog.locator('[data-testid=report-host][data-host=local]').check();
  assert.equal(await dialog.locator('[data-testid=report-hosts-all]').isChecked(), true, 'every host ticked is all of them');

  await dialog.locator('[data-testid=export-range-custom]').click();
  await dialog.locator('[data-testid=export-from]').fill('2026-01-02T10:00');
  await dialog.locator('[data-testid=export-to]').fill('2026-01-01T10:00');
  await dialog.getByText('The end must be after the start').waitFor();
  await shootThemes(page, 'report-export-invalid', false);
  await dialog.locator('[data-testid=export-to]').fill('2026-01-03T10:00');
  assert.equal(await dialog.getByText('The end must be after the start').count(), 0);

  // What `hostwatch serve` answers (503) for a PDF on a machine without Chromium.
  const refusal = new NoChromiumError().message;
  await page.route('**/report?**', (route: Route) => route.fulfill({ status: 503, contentType: 'text/plain', body: `${refusal}\n` }));
  await dialog.locator('[data-testid=report-format-pdf]').check();
  await dialog.locator('[data-testid=export-start]').click();
  const error = dialog.locator('[data-testid=export-error]');
  await error.waitFor({ timeout: 10_000 });
  assert.equal(await error.innerText(), `The report could not be made: ${refusal}`);
  assert.equal(await dialog.locator('[data-testid=report-format-pdf]').isChecked(), true, 'the form as it was, to try again');
  await shootThemes(page, 'report-export-error', false);

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.close();
});

/**
 * Stands in for the desktop preload (page-side JavaScript, run before the app's): `window.hostwatch`
 * with the export calls recorded in `bridgeCalls` and answered from `bridgeAnswer` ('save' | 'cancel' |
 * an error text), and the engine's MessagePort, asked for as the real transport does, relayed to the
 * server's WebSocket.
 */
const FAKE_DESKTOP = `(() => {
  const calls = [];
  window.bridgeCalls = calls;
  window.bridgeAnswer = 'save';
  window.hostwatch = {
    desktop: true,
    platform: 'linux',
    onNavigate() {},
    exportReport(params) {
      calls.push(['exportReport', params]);
      return new Promise((resolve, reject) => setTimeout(() => {
        if (window.bridgeAnswer === 'save') resolve({ path: '/home/ada/Reports/hostwatch-report-2026-11-22.' + params.format });
        else if (window.bridgeAnswer === 'cancel') resolve(null);
        else reject(new Error("Error invoking remote method 'hostwatch:export-report': Error: " + window.bridgeAnswer));
      }, 300));
    },
    openReport(path) { calls.push(['openReport', path]); return Promise.resolve(true); },
    showReport(path) { calls.push(['showReport', path]); return Promise.resolve(false); },
  };
  window.addEventListener('message', (ev) => {
    if (ev.source !== window || ev.data?.type !== 'hostwatch:port-request') return;
    const channel = new MessageChannel();
    const ws = new WebSocket('ws://' + location.host + '/api');
    ws.onmessage = (m) => channel.port1.postMessage(JSON.parse(String(m.data)));
    channel.port1.onmessage = (m) => ws.send(JSON.stringify(m.data));
    ws.onopen = () => window.postMessage({ type: 'hostwatch:port' }, '*', [channel.port2]);
  });
})();`;

interface FakeBridge { bridgeCalls: unknown[][]; bridgeAnswer: string }

test('in the desktop app the bridge saves the file, then opens it or shows it in its folder', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // The cookie first: the stand-in's WebSocket is authenticated by it.
  await page.goto(served.url);
  await page.addInitScript({ content: FAKE_DESKTOP });
  await page.goto(served.origin);
  await page.locator('[data-testid=host-card][data-host=local]').waitFor({ timeout: 15_000 });
  const calls = () => page.evaluate(() => (globalThis as unknown as FakeBridge).bridgeCalls);
  const answer = (a: string) => page.evaluate((x) => { (globalThis as unknown as FakeBridge).bridgeAnswer = x; }, a);

  await page.locator('[data-testid=report-export-open]').click();
  const dialog = page.locator('[data-testid=export-dialog]');
  await dialog.locator('[data-testid=export-range-7d]').click();
  await dialog.locator('[data-testid=report-format-md]').check();
  await answer('cancel');
  await dialog.locator('[data-testid=export-start]').click();
  await page.waitForFunction(() => (globalThis as unknown as FakeBridge).bridgeCalls.length === 1);
  await dialog.locator('[data-testid=export-start]').waitFor();
  assert.equal(await dialog.locator('[data-testid=export-error]').count(), 0, 'a cancelled save dialog is no error');

  await answer('EACCES: permission denied, open \'/root/report.md\'');
  await dialog.locator('[data-testid=export-start]').click();
  assert.equal(await dialog.locator('[data-testid=export-error]').innerText(),
    'The report could not be made: EACCES: permission denied, open \'/root/report.md\'');

  await answer('save');
  await dialog.locator('[data-testid=export-start]').click();
  const done = dialog.locator('[data-testid=export-done]');
  await done.waitFor();
  assert.equal(await done.locator('[data-testid=export-path]').innerText(), '/home/ada/Reports/hostwatch-report-2026-11-22.md');
  const [, params] = (await calls())[2] as [string, { request: { from: number; to: number; hosts: string[] }; format: string }];
  assert.equal(params.format, 'md');
  assert.equal(params.request.to - params.request.from, 7 * 24 * HOUR_MS);
  assert.deepEqual(params.request.hosts, []);
  await shootThemes(page, 'report-export-saved', false);

  await done.getByRole('button', { name: 'Open file' }).click();
  await done.getByRole('button', { name: 'Show in folder' }).click();
  await done.getByText('The folder could not be shown — it may have been moved or deleted since.').waitFor();
  assert.deepEqual((await calls()).slice(3), [
    ['openReport', '/home/ada/Reports/hostwatch-report-2026-11-22.md'],
    ['showReport', '/home/ada/Reports/hostwatch-report-2026-11-22.md'],
  ]);
  await page.close();
});

test('a daily schedule to a folder is checked, saved, kept after a reload, and writes its first report', { skip }, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'hostwatch-reports-'));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(served.url);
  await page.locator('[data-testid=nav-settings]').click();
  const section = page.locator('[data-testid=report-schedule]');
  await section.locator('[data-testid=schedule-frequency-off][aria-pressed=true]').waitFor({ timeout: 10_000 });
  assert.match(await section.innerText(), /Off: no report is written on its own/);
  assert.equal(await section.locator('[data-testid=schedule-folder]').isDisabled(), true);

  await section.locator('[data-testid=schedule-frequency-daily]').click();
  assert.match(await section.locator('[data-testid=schedule-next]').innerText(),
    /^Daily after midnight: yesterday’s report\. Next: .+ shortly after 00:00 \(.+\), covering .+\.$/);
  await section.locator('[data-testid=schedule-save]').click();
  await section.getByText('Choose the folder scheduled reports go to').waitFor();

  const nowhere = join(folder, 'does-not-exist');
  await section.locator('[data-testid=schedule-folder]').fill(nowhere);
  await section.locator('[data-testid=schedule-save]').click();
  await section.getByText(`Reports cannot be written to ${nowhere}: no such folder`).waitFor({ timeout: 10_000 });
  await section.screenshot({ path: join(SCREENS, 'settings-schedule-refused-light.png') });

  await section.locator('[data-testid=schedule-folder]').fill(folder);
  await section.locator('[data-testid=schedule-save]').click();
  await page.locator('[data-testid=toast]', { hasText: 'Report schedule saved' }).waitFor({ timeout: 10_000 });
  await page.reload();
  await section.locator('[data-testid=schedule-frequency-daily][aria-pressed=true]').waitFor({ timeout: 10_000 });
  assert.equal(await section.locator('[data-testid=schedule-folder]').inputValue(), folder);
  assert.equal(await section.locator('[data-testid=report-format-html]').isChecked(), true);
  assert.equal(await section.locator('[data-testid=report-hosts-all]').isChecked(), true);
  assert.equal(await section.locator('[data-testid=schedule-save]').isDisabled(), true, 'nothing left to save');

  // Yesterday's report is written on saving, on the engine's machine (here the same one).
  const deadline = Date.now() + 20_000;
  let written: string[] = [];
  while (Date.now() < deadline && written.length === 0) {
    written = readdirSync(folder).filter((f) => /^hostwatch-report-\d{4}-\d{2}-\d{2}\.html$/.test(f));
    if (written.length === 0) await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(written.length, 1, `yesterday's report in ${folder}: ${readdirSync(folder).join(', ')}`);

  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(SCREENS, 'settings-schedule-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await section.screenshot({ path: join(SCREENS, 'settings-schedule-dark.png') });
  await page.close();
});
