/**
 * Debian's Chromium, driven by playwright-core, for the end-to-end tests: where it is, why a test
 * cannot run without it, and a launch with the flags this closed network needs. Screenshots go to
 * test-results/screens/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { ROOT } from './serve.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENS = join(ROOT, 'test-results', 'screens');

/** Why Chromium cannot be used here, or null. */
export function chromiumSkipReason(): string | null {
  return existsSync(CHROMIUM) ? null : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
}

/**
 * Launches headless Chromium. Background networking is off: this machine's network is closed, and
 * Chromium's own connections would only be refused.
 */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
