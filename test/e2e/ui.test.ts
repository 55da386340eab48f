/**
 * The UI end to end, as a user sees it: `hostwatch serve` on a free port, Debian's Chromium driven by
 * playwright-core. Real gauges with values, a CPU chart that grows, a rule added through the form that
 * must fire, and the alert in the history. Screenshots of every view (light and dark) go to
 * test-results/screens/ for a person to look at.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SCREENS, chromiumSkipReason, launchChromium } from '../support/browser.ts';
import { serve } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';

const missing = chromiumSkipReason();
if (missing && process.env.CI) throw new Error(`the UI test needs Chromium in CI: ${missing}`);
const skip = missing ?? false;

let served: Served;
let browser: Browser;

before(async () => {
  if (skip) return;
  served = await serve();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await served?.stop();
});

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

/** The number of points a recharts line or area path draws (one command letter per point, roughly). */
async function curvePoints(page: Page, testId: string): Promise<number> {
  return page.locator(`[data-testid=${testId}] path.recharts-curve`).first()
    .evaluate((path) => (path.getAttribute('d') ?? '').split(/[MLC]/).length - 1);
}

test('the fleet overview shows this machine with real gauge values', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(served.url);
  const card = page.locator('[data-testid=host-card][data-host=local]');
  await card.waitFor({ timeout: 15_000 });
  for (const gauge of ['gauge-cpu', 'gauge-memory']) {
    const value = card.locator(`[data-testid=${gauge}] [data-testid=gauge-value]`);
    await assert.doesNotReject(value.filter({ hasText: /\d+(\.\d)?\s?%/ }).waitFor({ timeout: 10_000 }), gauge);
  }
  await shoot(page, 'fleet-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'fleet-dark');
  await page.close();
});

test('the host view charts CPU, and the chart grows with live data', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(served.url);
  await page.locator('[data-testid=host-card][data-host=local]').click();
  await page.locator('[data-testid=range-5m]').click();
  const chart = page.locator('[data-testid=chart-cpu] path.recharts-curve').first();
  await chart.waitFor({ timeout: 15_000 });
  const before = await curvePoints(page, 'chart-cpu');
  await page.waitForTimeout(4000);
  const after = await curvePoints(page, 'chart-cpu');
  assert.ok(after > before, `the CPU chart grew from ${before} to ${after} points`);
  for (const gauge of ['gauge-cpu', 'gauge-memory', 'gauge-swap', 'gauge-filesystem']) {
    assert.match(await page.locator(`[data-testid=${gauge}] [data-testid=gauge-value]`).innerText(), /\d|—/, gauge);
  }
  await shoot(page, 'host-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'host-dark');
  await page.close();
});

test('a rule added in the form fires and shows in the alert history', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(served.url);
  await page.locator('[data-testid=nav-rules]').click();
  await page.locator('[data-testid=rule-row]').first().waitFor({ timeout: 10_000 });
  await page.locator('[data-testid=rule-add]').click();
  await page.locator('[data-testid=rule-name]').fill('E2E CPU at least zero');
  await page.locator('[data-testid=rule-metric]').selectOption('system.cpu.utilization');
  await page.locator('[data-testid=rule-op]').selectOption('>=');
  await page.locator('[data-testid=rule-threshold]').fill('0');
  await page.locator('[data-testid=rule-for]').fill('2s');
  await page.locator('[data-testid=rule-severity]').selectOption('warning');
  await shoot(page, 'rule-form');
  await page.locator('[data-testid=rule-save]').click();
  await page.locator('[data-testid=rule-row]', { hasText: 'E2E CPU at least zero' }).waitFor({ timeout: 5000 });
  await shoot(page, 'rules-light');

  await page.locator('[data-testid=nav-alerts]').click();
  const row = page.locator('[data-testid=alert-row][data-rule="E2E CPU at least zero"][data-state=firing]');
  await row.first().waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=alerts-firing]', { hasText: 'E2E CPU at least zero' }).waitFor({ timeout: 5000 });
  // What ran when it fired: the processes polled every 5 s, kept with the alert.
  const processes = row.first().locator('[data-testid=alert-processes]');
  await processes.waitFor({ timeout: 5000 });
  await processes.locator('summary').click();
  const names = await processes.locator('tbody .process-name').allInnerTexts();
  assert.equal(names.length, 10, 'five by CPU, five by memory');
  assert.ok(names.every((n) => n.trim() !== ''), names.join(', '));
  // Silenced for 2 h in one click: said on the alert, listed, and ended again.
  const firingRow = page.locator('[data-testid=alert-active-row][data-rule="E2E CPU at least zero"]');
  await firingRow.locator('[data-testid=alert-silence-2h]').click();
  await firingRow.locator('[data-testid=alert-silence][data-silenced=true]').waitFor({ timeout: 5000 });
  assert.match(await firingRow.locator('[data-testid=alert-silence]').innerText(), /Silenced until/);
  assert.match(await page.locator('[data-testid=silence-row]').first().innerText(), /alertname="E2E CPU at least zero", host="local"/);
  await shoot(page, 'alerts-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'alerts-dark');
  await page.locator('[data-testid=silence-end]').first().click();
  await firingRow.locator('[data-testid=alert-silence][data-silenced=false]').waitFor({ timeout: 5000 });
  await page.close();
});
