/**
 * "Import from ~/.ssh/config" as a user does: Chromium on `hostwatch serve` whose user's home (HOME) is a
 * temp folder with a .ssh/config pointing at a real sshd. The host is listed, tested, its key shown and
 * trusted, added and online; the ProxyCommand entry is listed as not imported; Escape closes the dialog.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { SCREENS, chromiumSkipReason, launchChromium } from '../support/browser.ts';
import { serve } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { sshdSkipReason, startSshd } from '../support/sshd.ts';
import type { Sshd } from '../support/sshd.ts';

const missing = chromiumSkipReason() ?? sshdSkipReason();
if (missing && process.env.CI) throw new Error(`the import UI test needs Chromium and sshd in CI: ${missing}`);

let served: Served;
let browser: Browser;
let sshd: Sshd;
let home: string;
const realHome = process.env.HOME;

before(async () => {
  if (missing) return;
  sshd = await startSshd({ users: [{ name: 'hwtest-sh', shell: '/bin/sh' }] });
  const user = sshd.users['hwtest-sh']!;
  home = mkdtempSync(join(tmpdir(), 'hostwatch-home-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'config'), `Host lab
  HostName ${sshd.address}

Host legacy
  ProxyCommand nc %h %p

Host *
  User ${user.name}
  Port ${sshd.port}
  IdentityFile ${user.privateKeyPath}
`);
  process.env.HOME = home; // serve (and its ~/.ssh) run with this home
  try {
    served = await serve();
  } finally {
    process.env.HOME = realHome;
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await served?.stop();
  await sshd?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

test('hosts imported from ~/.ssh/config are tested, their key trusted, added and online', { skip: missing ?? false }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(served.url);
  await page.locator('[data-testid=host-import-open]').click();
  const dialog = page.locator('[data-testid=host-import]');
  const row = dialog.locator('[data-testid=import-row][data-name=lab]');
  await row.waitFor();
  assert.equal(await row.locator('input[type=checkbox]').isChecked(), true);
  await dialog.locator('[data-testid=import-skipped][data-name=legacy]').filter({ hasText: 'ProxyCommand is not supported' }).waitFor({ state: 'attached' });

  await dialog.locator('[data-testid=import-add]').click();
  const fingerprint = row.locator('[data-testid=host-key-fingerprint]');
  await fingerprint.waitFor({ timeout: 15_000 });
  const shown = (await fingerprint.innerText()).trim();
  assert.ok(sshd.hostKeys.some((k) => k.fingerprint === shown), `${shown} is one of the server's keys`);
  await page.screenshot({ path: join(SCREENS, 'host-import-key.png') });
  await row.locator('[data-testid=host-key-accept]').check();
  await dialog.locator('[data-testid=import-add]').click();
  await dialog.locator('[data-testid=import-row][data-name=lab][data-state=added]').waitFor({ timeout: 15_000 });

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.locator('[data-testid=host-card][data-host=lab][data-state=online]').waitFor({ timeout: 20_000 });

  // Opened again, lab is watched already.
  await page.locator('[data-testid=host-import-open]').click();
  const again = page.locator('[data-testid=import-row][data-name=lab][data-state=exists]');
  await again.waitFor();
  assert.equal(await again.locator('input[type=checkbox]').isDisabled(), true);
  await again.filter({ hasText: 'already watched' }).waitFor();
  await page.close();
});
