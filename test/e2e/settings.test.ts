/**
 * Settings end to end: Chromium (playwright-core) on a real `hostwatch serve`, over a data directory
 * seeded with a few sealed hours of history (a host's share counts sealed blocks only, and the first
 * hour of a fresh engine ends too late for a test). The database's size and this machine's share show;
 * a retention typed into the form is validated, saved and still there after a reload. A full disk cannot
 * be made here, so the second test has the page's WebSocket say so (the `storage` event and the answers
 * to `storage.status`), and checks the banner on every view and the state in Settings. Screenshots
 * (light and dark) go to test-results/screens/.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import type { StorageStatus } from '../../shared/api.ts';
import { SCREENS, chromiumSkipReason, launchChromium } from '../support/browser.ts';
import { serve, tempDataDir } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { connect } from '../support/ws-client.ts';
import { HOUR_MS, STEP_MS, snapshotOf } from '../support/ingest-data.ts';
import { DB_FILE } from '../../electron/core/engine.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { SampleStore } from '../../electron/core/store/samples.ts';

const missing = chromiumSkipReason();
if (missing && process.env.CI) throw new Error(`the Settings UI test needs Chromium in CI: ${missing}`);
const skip = missing ?? false;

let served: Served;
let browser: Browser;

/** The last `hours` whole hours before the current one: this machine, and in the last hour a host no longer watched. */
async function seededDataDir(hours = 3): Promise<string> {
  const dir = tempDataDir();
  const db = openDatabase(join(dir, DB_FILE));
  const store = new SampleStore(db);
  const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  for (let t = end - hours * HOUR_MS; t < end; t += STEP_MS) {
    store.append({ ...snapshotOf(0, t), host: 'local' });
    if (t >= end - HOUR_MS) store.append({ ...snapshotOf(1, t), host: 'old-server' });
  }
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

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

/** The value of each retention input. */
async function retentionShown(page: Page): Promise<string[]> {
  return Promise.all(['raw', 'minute', 'hour'].map((t) => page.locator(`[data-testid=retention-${t}]`).inputValue()));
}

test('Settings shows the database size and this machine’s share, and keeps a new retention', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(served.url);
  await page.locator('[data-testid=nav-settings]').click();
  await page.locator('[data-testid=storage-state][data-state=ok]').waitFor({ timeout: 10_000 });
  assert.equal(await page.title(), 'Settings — Hostwatch');
  assert.match(await page.locator('[data-testid=storage-size]').innerText(), /^\d+(\.\d)? (B|KiB|MiB|GiB)$/);
  assert.match(await page.locator('[data-testid=storage-file]').innerText(), /hostwatch\.db$/);

  const local = page.locator('[data-testid=storage-host][data-host=local]');
  assert.match(await local.locator('[data-testid=storage-host-bytes]').innerText(), /^\d+(\.\d)? (B|KiB|MiB|GiB)$/);
  assert.match(await local.locator('[data-testid=storage-host-share]').innerText(), /^\d+(\.\d)?%$/);
  assert.deepEqual(await page.locator('[data-testid=storage-host]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-host'))),
    ['local', 'old-server'], 'biggest first');

  assert.deepEqual(await retentionShown(page), ['14', '90', '730'], 'the defaults');
  await page.locator('[data-testid=retention-raw]').fill('0');
  await page.getByText('Keep raw samples at least a day').waitFor();
  await page.locator('[data-testid=retention-hour]').fill('40000');
  await page.getByText('At most 36600 days').waitFor();
  await shoot(page, 'settings-invalid');

  await page.locator('[data-testid=retention-raw]').fill('30');
  await page.locator('[data-testid=retention-minute]').fill('120');
  await page.locator('[data-testid=retention-hour]').fill('1000');
  await page.locator('[data-testid=retention-save]').click();
  await page.locator('[data-testid=toast]', { hasText: 'Retention saved' }).waitFor({ timeout: 10_000 });
  await page.reload();
  await page.locator('[data-testid=storage-state]').waitFor({ timeout: 10_000 });
  assert.deepEqual(await retentionShown(page), ['30', '120', '1000'], 'the saved retention after a reload');
  assert.equal(await page.locator('[data-testid=retention-save]').isDisabled(), true, 'nothing left to save');

  await shoot(page, 'settings-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'settings-dark');
  await page.close();
});

test('a full disk shows a banner on every view, linking to Settings, which says what waits', { skip }, async () => {
  const api = await connect(served.origin, served.token);
  const real = await api.request('storage.status');
  api.close();
  const full: Pick<StorageStatus, 'state' | 'since' | 'message' | 'pendingSnapshots'> = {
    state: 'full', since: Date.now() - 90_000, pendingSnapshots: 42,
    message: `The disk holding ${real.file} is full: writing history is paused until space is freed.`,
  };

  // Between the page and the engine: while `diskFull`, every storage status the page gets says full.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  let diskFull = false;
  let toPage: WebSocketRoute | undefined;
  await page.routeWebSocket(/\/api/, (ws) => {
    const server = ws.connectToServer();
    const statusRequests = new Set<number>();
    ws.onMessage((message) => {
      const m = JSON.parse(String(message)) as { id: number; method: string };
      if (m.method === 'storage.status') statusRequests.add(m.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const m = JSON.parse(String(message)) as { id?: number; result?: StorageStatus };
      if (diskFull && m.result && statusRequests.has(m.id!)) m.result = { ...m.result, ...full };
      ws.send(JSON.stringify(m));
    });
    toPage = ws;
  });
  const storageEvent = (data: StorageStatus) => toPage!.send(JSON.stringify({ event: 'storage', data }));

  await page.goto(served.url);
  await page.locator('[data-testid=connection-state][data-state=open]').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid=storage-banner]').count(), 0, 'no banner while writing');
  diskFull = true;
  storageEvent({ ...real, ...full });

  const banner = page.locator('[data-testid=storage-banner][data-state=full]');
  await banner.waitFor({ timeout: 5000 });
  assert.match(await banner.innerText(), /Storage full — writing is paused; 42 snapshots waiting/);
  await page.locator('[data-testid=nav-rules]').click();
  await banner.waitFor();
  await banner.getByRole('link', { name: 'Storage settings' }).click();
  const state = page.locator('[data-testid=storage-state][data-state=full]');
  await state.waitFor({ timeout: 5000 });
  assert.match(await state.innerText(), /42 snapshots waiting[\s\S]*is full: writing history is paused/);
  assert.equal(await banner.getByRole('link').count(), 0, 'no link to the page it is on');
  await shoot(page, 'settings-full-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'settings-full-dark');

  diskFull = false;
  storageEvent({ ...real, since: Date.now() });
  await banner.waitFor({ state: 'detached', timeout: 5000 });
  await page.locator('[data-testid=storage-state][data-state=ok]').waitFor();
  await page.close();
});
