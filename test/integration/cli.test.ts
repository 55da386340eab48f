/** The `hostwatch` command line as a user runs it: the built bin, a real database in a temp folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, hostwatch, tempDataDir } from '../support/serve.ts';

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    return { code: 0, stdout: execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: 'pipe' }), stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

test('rules export then import into another database gives the same rules, twice over', () => {
  const a = tempDataDir();
  const b = tempDataDir();
  const file = join(a, 'rules.yaml');
  writeFileSync(file, hostwatch(['rules', 'export', '--data-dir', a]));
  assert.match(readFileSync(file, 'utf8'), /for: 5m/);
  assert.match(hostwatch(['rules', 'import', file, '--data-dir', b]), /0 added, 6 replaced/);
  assert.match(hostwatch(['rules', 'import', file, '--data-dir', b]), /0 added, 6 replaced/);
  const strip = (dir: string) => JSON.parse(hostwatch(['rules', 'list', '--json', '--data-dir', dir]))
    .map(({ id: _id, ...rest }: { id: number }) => rest);
  assert.deepEqual(strip(b), strip(a));
});

test('an import with one bad rule writes nothing and says which rule and why', () => {
  const dir = tempDataDir();
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, `rules:
  - { name: Load, metric: system.cpu.load_average.1m, op: ">", threshold: 4, for: 10m }
  - { name: Typo, metric: system.cpu.utilisation, op: ">", threshold: 0.5 }
`);
  const before = hostwatch(['rules', 'list', '--json', '--data-dir', dir]);
  const result = run(['rules', 'import', file, '--data-dir', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /nothing imported, 1 invalid rule/);
  assert.match(result.stderr, /rule 2 \(Typo\)/);
  assert.match(result.stderr, /Unknown metric/);
  assert.equal(hostwatch(['rules', 'list', '--json', '--data-dir', dir]), before);
});

test('a Prometheus duration in an import becomes seconds', () => {
  const dir = tempDataDir();
  const file = join(dir, 'load.yaml');
  writeFileSync(file, '- { name: Load, metric: system.cpu.load_average.1m, op: ">", threshold: 4, for: 1h30m, severity: info }\n');
  assert.match(hostwatch(['rules', 'import', file, '--data-dir', dir]), /1 added/);
  const load = JSON.parse(hostwatch(['rules', 'list', '--json', '--data-dir', dir])).find((r: { name: string }) => r.name === 'Load');
  assert.equal(load.for, 5400);
  assert.equal(load.severity, 'info');
});

test('read-only commands on a folder without a database say so instead of creating one', () => {
  const dir = tempDataDir();
  const result = run(['status', '--data-dir', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no Hostwatch database in/);
});

test('wrong words get the usage and exit code 2', () => {
  assert.equal(run(['frobnicate']).code, 2);
  const bad = run(['alerts', 'list', '--state', 'burning', '--data-dir', tempDataDir()]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--state is pending, firing or resolved/);
  assert.equal(run(['serve', '--port', '99999']).code, 2);
});

test('a file that is not a Hostwatch database is refused and left as it was', () => {
  const dir = tempDataDir();
  const file = join(dir, 'hostwatch.db');
  writeFileSync(file, 'my notes, not a database\n');
  const result = run(['rules', 'list', '--data-dir', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /not a SQLite database/);
  assert.equal(readFileSync(file, 'utf8'), 'my notes, not a database\n');
});

test('cleanup deletes nothing from a fresh database and says what it did', () => {
  const dir = tempDataDir();
  hostwatch(['rules', 'list', '--data-dir', dir]);
  assert.match(hostwatch(['cleanup', '--days', '7', '--data-dir', dir]), /Deleted 0 samples older than 7 days/);
  const json = JSON.parse(hostwatch(['cleanup', '--json', '--data-dir', dir]));
  assert.equal(json.days, 14);
  assert.equal(run(['cleanup', '--days', '0', '--data-dir', dir]).code, 2);
});
