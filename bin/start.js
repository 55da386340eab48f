// `npm start`: runs the desktop app from this checkout with the Electron binary npm installed, or says
// in one line why it cannot and what to run instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const built = ['dist/electron/main/main.js', 'dist/renderer/index.html'];
if (!built.every((file) => existsSync(join(root, file)))) {
  console.error('Hostwatch: not built yet; run `npm run build` first.');
  process.exit(1);
}

/**
 * The Electron executable, or null when it was never downloaded. Loading the electron package's
 * index.js is what resolves the path, but when the binary is missing it tries to download it (which
 * fails noisily offline), so its path.txt and the file it names are checked first.
 */
function electronBinary() {
  const load = createRequire(import.meta.url);
  let packageDir;
  try {
    packageDir = dirname(load.resolve('electron/package.json'));
  } catch {
    return null;
  }
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile) || !existsSync(join(packageDir, 'dist', readFileSync(pathFile, 'utf8')))) return null;
  }
  try {
    const binary = load('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (!electron) {
  console.error('Hostwatch: the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD?). ' +
    'Run the same UI in your browser: npx hostwatch serve');
  process.exit(1);
}

const child = spawn(electron, [root], { stdio: 'inherit' });
child.on('error', (error) => {
  console.error(`Hostwatch: cannot start Electron (${electron}): ${error.message}`);
  process.exit(1);
});
// Ctrl-C in the terminal reaches Electron too; forwarding covers a `kill` of this process.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
