/**
 * Keeps the rooms of DESIGN.md apart by reading every source file's imports:
 * renderer → shared ← electron/core ← electron/main. 'electron' only in electron/main and
 * electron/preload; no Node APIs in renderer/ or shared/. A source file in no known room fails too,
 * so a new folder cannot slip past the rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE = /\.(ts|tsx|cts|mts|js|mjs|cjs)$/;

type Room = 'main' | 'preload' | 'core' | 'renderer' | 'shared' | 'test' | 'bin' | 'assets';
const ROOMS: [string, Room][] = [
  ['electron/main/', 'main'],
  ['electron/preload/', 'preload'],
  ['electron/core/', 'core'],
  ['renderer/', 'renderer'],
  ['shared/', 'shared'],
  ['test/', 'test'],
  ['bin/', 'bin'],
  ['assets/', 'assets'],
];

/** Which rooms each room may import from (relative imports). */
const MAY_IMPORT: Record<Room, readonly Room[]> = {
  main: ['main', 'core', 'shared'],
  preload: ['preload'],
  core: ['core', 'shared'],
  renderer: ['renderer', 'shared'],
  shared: ['shared'],
  test: ['core', 'shared', 'test', 'renderer', 'main'],
  bin: ['bin'],
  assets: ['assets'],
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function roomOf(path: string): Room | undefined {
  const rel = relative(ROOT, path).split(sep).join('/');
  return ROOMS.find(([prefix]) => rel.startsWith(prefix))?.[1];
}

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers a file imports (static, dynamic, side-effect and require). */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!).filter(Boolean);
}

const files = ['electron', 'renderer', 'shared', 'test', 'bin', 'assets']
  .flatMap((d) => { try { return [...sources(join(ROOT, d))]; } catch { return []; } })
  .filter((f) => !relative(ROOT, f).startsWith('renderer/vite.config'));

test('the import scanner sees every form of import', () => {
  const found = importsOf(`import a from 'a';\nimport { b } from "b";\nexport * from './c.ts';\n` +
    `import 'd';\nconst e = await import('e');\nconst f = require('f');\nimport type { G } from 'g';`);
  assert.deepEqual(found, ['a', 'b', './c.ts', 'd', 'e', 'f', 'g']);
});

test('every source file lives in a known room', () => {
  assert.ok(files.length > 10, 'sources were found');
  const homeless = files.filter((f) => roomOf(f) === undefined).map((f) => relative(ROOT, f));
  assert.deepEqual(homeless, []);
});

test('electron is imported only in electron/main and electron/preload', () => {
  const offenders = files
    .filter((f) => !['main', 'preload'].includes(roomOf(f)!))
    .filter((f) => importsOf(readFileSync(f, 'utf8')).some((s) => s === 'electron' || s.startsWith('electron/')))
    .map((f) => relative(ROOT, f));
  assert.deepEqual(offenders, []);
});

test('renderer/ and shared/ use no Node APIs', () => {
  const offenders = files
    .filter((f) => ['renderer', 'shared'].includes(roomOf(f)!))
    .flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const bad = importsOf(text).filter((s) => NODE_BUILTINS.has(s));
      if (/\bprocess\.(env|versions|platform|argv|cwd)\b|\b__dirname\b|\bBuffer\.from\b/.test(text)) bad.push('node globals');
      return bad.map((s) => `${relative(ROOT, f)}: ${s}`);
    });
  assert.deepEqual(offenders, []);
});

test('relative imports point only the allowed way between rooms', () => {
  const offenders: string[] = [];
  for (const file of files) {
    const room = roomOf(file)!;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = roomOf(resolve(dirname(file), spec));
      if (target && !MAY_IMPORT[room].includes(target)) {
        offenders.push(`${relative(ROOT, file)} (${room}) imports ${spec} (${target})`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});
