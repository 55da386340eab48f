/**
 * Where the shell finds the app's own files: under the app folder (`electron .` in a checkout) or the
 * app.asar of a packaged build alike.
 */
import { app } from 'electron';
import { join } from 'node:path';

/** A file of the app, from the folder holding package.json: `appFile('dist', 'renderer', 'index.html')`. */
export function appFile(...segments: string[]): string {
  return join(app.getAppPath(), ...segments);
}
