/**
 * Where Hostwatch's files are: the package root (source checkout, dist/ build or packaged app alike),
 * the built UI, and the default data directory that the app, `hostwatch serve` and the CLI share, so
 * that `hostwatch status` reads the database the running app writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The folder holding Hostwatch's package.json (found by walking up from this module). */
export function packageRoot(): string {
  if (root) return root;
  let dir = import.meta.dirname;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'hostwatch') {
      return (root = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`hostwatch: cannot find its package.json above ${import.meta.dirname}`);
    dir = parent;
  }
}

/** Hostwatch's version, from package.json. */
export function packageVersion(): string {
  return String(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version);
}

/** The built renderer (index.html and assets/). */
export function rendererDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}

/**
 * The default data directory: `$XDG_DATA_HOME/hostwatch` (else `~/.local/share/hostwatch`) on Linux
 * and BSDs, `~/Library/Application Support/Hostwatch` on macOS, `%APPDATA%\Hostwatch` on Windows.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Hostwatch');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Hostwatch');
  const xdg = env.XDG_DATA_HOME;
  // The XDG spec says a relative path is invalid and must be ignored.
  const base = xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.local', 'share');
  return join(base, 'hostwatch');
}
