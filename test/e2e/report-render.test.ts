/**
 * The fixture report's HTML (test/support/report-fixture.ts) in Chromium: its parser keeps every
 * element as written (nothing to repair), hostile names stay text, the page asks for nothing, the
 * themes and the print style apply. Screenshots go to test-results/screens/: report-light.png,
 * report-dark.png, report-no-data.png (a host without data, no alerts), and the printed PDF (report.pdf) as report-print-N.png, one per page, through
 * poppler's pdftoppm when it is installed (CI installs it).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../electron/core/reports/html.ts';
import { SCREENS, chromiumSkipReason, launchChromium } from '../support/browser.ts';
import { HOSTILE, emptyReportFixture, noDataHost, reportFixture } from '../support/report-fixture.ts';

const missing = chromiumSkipReason();
if (missing && process.env.CI) throw new Error(`the report rendering test needs Chromium in CI: ${missing}`);
const skip = missing ?? false;

const report = reportFixture();
const html = renderHtml(report);

let browser: Browser;

before(async () => {
  if (!skip) browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

/** A page showing the report, with every request it makes collected in `requests`. */
/** The computed value of a CSS property of the first element `selector` matches. */
function computed(page: Page, selector: string, property: string): Promise<string> {
  return page.locator(selector).first().evaluate((el, p) => el.ownerDocument.defaultView!.getComputedStyle(el).getPropertyValue(p), property);
}

async function open(colorScheme: 'light' | 'dark', media: 'screen' | 'print' = 'screen', width = 1200, content = html): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.emulateMedia({ colorScheme, media });
  await page.setContent(content, { waitUntil: 'load' });
  return { page, requests };
}

function pdftoppm(): string | null {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return 'pdftoppm';
  } catch {
    return null;
  }
}

test('Chromium parses the report as written: no repair, no script, hostile names as text, no request', { skip }, async () => {
  const { page, requests } = await open('light');
  const elements = await page.locator('*').count();
  assert.equal(elements, html.match(/<[a-z][a-z0-9]*/gi)!.length, 'as many elements as start tags: the parser added or moved none');
  assert.equal(await page.locator('script, img, iframe, object, embed, link, base, form, style + style').count(), 0);
  const handlers = await page.locator('*').evaluateAll((els) => els.flatMap((el) => el.getAttributeNames())
    .filter((n) => n.startsWith('on')));
  assert.deepEqual(handlers, []);
  assert.equal(await page.locator('#host-1-name').textContent(), HOSTILE.hostName);
  assert.ok((await page.locator('#host-1 tbody th').allTextContents()).includes(`Filesystem ${HOSTILE.mount}`));
  assert.deepEqual(requests, [], 'the page requests nothing');
  assert.equal(await page.title(), 'Hostwatch health report, 2026-03-02 00:00 UTC – 2026-03-09 00:00 UTC');
  await page.screenshot({ path: join(SCREENS, 'report-light.png'), fullPage: true });
  await page.close();
});

test('dark theme on screen, light in print, a page per host', { skip }, async () => {
  const dark = await open('dark');
  assert.equal(await computed(dark.page, 'body', 'background-color'), 'rgb(14, 17, 22)');
  await dark.page.screenshot({ path: join(SCREENS, 'report-dark.png'), fullPage: true });
  await dark.page.close();

  // As wide as an A4 page's content: 210 mm less the 2 × 12 mm margins, at 96 px per inch.
  const { page } = await open('dark', 'print', Math.floor(((210 - 24) / 25.4) * 96));
  assert.equal(await computed(page, 'body', 'background-color'), 'rgb(255, 255, 255)', 'no dark background on paper');
  const breaks = await page.locator('section.host').evaluateAll((els) => els.map((el) => el.ownerDocument.defaultView!.getComputedStyle(el).breakBefore));
  assert.deepEqual(breaks, ['page', 'page', 'page']);
  const clipped = await page.locator('.table-wrap').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).length);
  assert.equal(clipped, 0, 'no table is wider than its box');
  await page.close();
});

test('a report without data says so', { skip }, async () => {
  const quiet = renderHtml({ ...emptyReportFixture(), verdict: { status: 'degraded', reasons: ['new-1: No data in the range'] }, hosts: [noDataHost()] });
  const { page } = await open('light', 'screen', 900, quiet);
  assert.equal(await page.locator('#host-1 .note').textContent(), 'No data in this range.');
  assert.equal(await page.locator('#alerts + p').textContent(), 'No alerts in this range.');
  await page.screenshot({ path: join(SCREENS, 'report-no-data.png'), fullPage: true });
  await page.close();
});

test('the printed PDF has the report over several pages; pdftoppm renders them', { skip }, async (t) => {
  const { page } = await open('light', 'print');
  const pdf = join(SCREENS, 'report.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.close();
  const render = pdftoppm();
  if (!render) {
    if (process.env.CI) throw new Error('pdftoppm (poppler-utils) is needed in CI to render the PDF');
    t.diagnostic('pdftoppm is not installed (apt-get install poppler-utils): the PDF was written but not rendered');
    return;
  }
  const printed = () => readdirSync(SCREENS).filter((f) => /^report-print-\d+\.png$/.test(f));
  for (const old of printed()) rmSync(join(SCREENS, old));
  execFileSync(render, ['-png', '-r', '60', pdf, join(SCREENS, 'report-print')]);
  const pages = printed();
  assert.ok(pages.length >= 1 + report.hosts.length + 1, `summary, a page per host, alerts: ${pages.length} pages`);
});
