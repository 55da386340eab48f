/**
 * Loads the Linux text fixtures of test/fixtures/linux (real outputs of /proc, /sys and df from several
 * kinds of systems) for the collector tests.
 */
import { readFileSync } from 'node:fs';

/** The text of test/fixtures/linux/`name`. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/linux/${name}`, import.meta.url), 'utf8');
}
