#!/usr/bin/env node
// The `hostwatch` command: runs the compiled command line from dist/ (built by `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/electron/core/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('hostwatch: not built yet; run `npm run build` in the Hostwatch folder first.');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
