/**
 * Adding a server from the UI, as a user does: Chromium (playwright-core) on `hostwatch serve`, a real
 * sshd on 127.0.0.1. Type the address, test the connection, compare and trust the host key, save, and
 * watch the card come online with real gauges; then look at the host's settings and remove it.
 * Screenshots go to test-results/screens/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { SCREENS, chromiumSkipReason, launchChromium } from '../support/browser.ts';
import { serve } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { sshdSkipReason, startSshd } from '../support/sshd.ts';
import type { Sshd } from '../support/sshd.ts';

const missing = chromiumSkipReason() ?? sshdSkipReason();
if (missing && process.env.CI) throw new Error(`the hosts UI test needs Chromium and sshd in CI: ${missing}`);

let served: Served;
let browser: Browser;
let sshd: Sshd;

before(async () => {
  if (missing) return;
  sshd = await startSshd({ users: [{ name: 'hwtest-sh', shell: '/bin/sh', password: 'pw-Hostwatch-1' }] });
  served = await serve();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await served?.stop();
  await sshd?.close();
});

test('a server added in the form, after testing and trusting its key, comes online on the fleet', { skip: missing ?? false }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(served.url);
  const user = sshd.users['hwtest-sh']!;
  await page.locator('[data-testid=host-add]').click();
  await page.locator('[data-testid=host-address]').fill(`${user.name}@${sshd.address}:${sshd.port}`);
  await page.locator('[data-testid=host-name]').fill('lab-server');
  await page.locator('[data-testid=host-address]').blur();
  assert.equal(await page.locator('[data-testid=host-port]').inputValue(), String(sshd.port), 'user@host:port was split');
  assert.equal(await page.locator('[data-testid=host-user]').inputValue(), user.name);
  await page.locator('[data-testid=host-auth]').selectOption('identity');
  await page.locator('[data-testid=host-identity]').fill(user.privateKeyPath);
  await page.locator('[data-testid=host-interval]').fill('1');
  // A command for its command checks, named wrong first.
  await page.locator('[data-testid=host-commands] > summary').click();
  await page.locator('[data-testid=host-command-add]').click();
  await page.locator('[data-testid=host-command-name-0]').fill('bad name');
  await page.locator('[data-testid=host-command-0]').fill('echo "OK - fine"; exit 0');
  await page.locator('[data-testid=host-command-0]').blur();
  await page.locator('[data-testid=host-commands] .field-error').filter({ hasText: /only letters, digits/ }).waitFor();
  await page.locator('[data-testid=host-command-name-0]').fill('check_ok');
  await page.locator('[data-testid=host-commands] .field-error').waitFor({ state: 'detached' });
  await page.locator('[data-testid=host-commands]').screenshot({ path: join(SCREENS, 'host-add-commands.png') });
  await page.locator('[data-testid=host-test]').click();

  const fingerprint = page.locator('[data-testid=host-key-fingerprint]');
  await fingerprint.waitFor({ timeout: 15_000 });
  const shown = (await fingerprint.innerText()).trim();
  assert.ok(sshd.hostKeys.some((k) => k.fingerprint === shown), `${shown} is one of the server's keys`);
  const keyStage = page.locator('[data-testid=host-test-stage][data-stage=host_key]');
  assert.equal(await keyStage.getAttribute('data-ok'), 'false');
  await page.screenshot({ path: join(SCREENS, 'host-add-key.png') });
  await page.locator('[data-testid=host-key-accept]').check();
  await page.locator('[data-testid=host-save]').click();

  const card = page.locator('[data-testid=host-card][data-host=lab-server]');
  await card.waitFor({ timeout: 15_000 });
  await page.locator('[data-testid=host-card][data-host=lab-server][data-state=online]').waitFor({ timeout: 20_000 });
  await card.locator('[data-testid=gauge-memory] [data-testid=gauge-value]').filter({ hasText: /\d+(\.\d)?\s?%/ }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(SCREENS, 'fleet-with-remote.png') });

  // Its own page and settings; then remove it with its history.
  await card.click();
  await page.locator('[data-testid=gauge-cpu] [data-testid=gauge-value]').filter({ hasText: /\d/ }).waitFor({ timeout: 15_000 });
  await page.locator('[data-testid=host-settings]').click();
  await page.locator('[data-testid=host-settings-panel]').waitFor();
  assert.match(await page.locator('[data-testid=host-commands] > summary').innerText(), /\(1\)/, 'the command was saved');
  assert.equal(await page.locator('[data-testid=host-command-name-0]').inputValue(), 'check_ok');
  await page.screenshot({ path: join(SCREENS, 'host-settings.png'), fullPage: true });
  await page.locator('[data-testid=host-remove]').click();
  await page.locator('[data-testid=host-remove-confirm]').click();
  await page.locator('[data-testid=host-card][data-host=lab-server]').waitFor({ state: 'detached', timeout: 10_000 });
  await page.close();
});
