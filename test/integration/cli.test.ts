/** The `hostwatch` command line as a user runs it: the built bin, a real database in a temp folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../electron/core/store/database.ts';
import { SampleStore } from '../../electron/core/store/samples.ts';
import { BIN, hostwatch, tempDataDir } from '../support/serve.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

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
  assert.match(hostwatch(['rules', 'import', file, '--data-dir', b]), /0 added, 9 replaced/);
  assert.match(hostwatch(['rules', 'import', file, '--data-dir', b]), /0 added, 9 replaced/);
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
  assert.match(result.stderr, /nothing imported, 1 problem/);
  assert.match(result.stderr, /bad\.yaml:3:27: rule 2 \(Typo\): metric: Unknown metric/);
  assert.equal(hostwatch(['rules', 'list', '--json', '--data-dir', dir]), before);

  // `rules test` says the same without a database, and exits 0 once the file is right.
  const tested = run(['rules', 'test', file]);
  assert.deepEqual([tested.code, tested.stdout.trim()], [1, `${file}:3:27: rule 2 (Typo): metric: Unknown metric: pick one from the catalog`]);
  writeFileSync(file, readFileSync(file, 'utf8').replace('utilisation', 'utilization'));
  const fixed = run(['rules', 'test', file, '--json']);
  assert.equal(fixed.code, 0);
  assert.deepEqual(JSON.parse(fixed.stdout), { file, valid: true, rules: 2, problems: [] });
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

test('cleanup deletes history past each tier\'s retention, and storage shows and sets it', async () => {
  const dir = tempDataDir();
  hostwatch(['rules', 'list', '--data-dir', dir]);
  // Two days of a host's history, 20 days ago, sealed into blocks: raw past 7 days, rollups within 90.
  const db = openDatabase(join(dir, 'hostwatch.db'));
  const store = new SampleStore(db);
  const start = Math.floor((Date.now() - 20 * DAY) / HOUR) * HOUR;
  for (let t = start; t < start + 2 * DAY; t += 60_000) {
    store.append({ host: 'web', time: t, errors: [], samples: [{ metric: 'system.cpu.utilization', attributes: {}, value: (t % 7) / 10 }] });
  }
  store.flush();
  await store.seal(start + 3 * DAY, async () => {});
  db.close();

  const storage = JSON.parse(hostwatch(['storage', '--json', '--data-dir', dir]));
  assert.deepEqual(storage.retention, { rawDays: 14, minuteDays: 90, hourDays: 730 });
  assert.equal(storage.hosts.length, 1);
  assert.equal(storage.hosts[0].host, 'web');
  assert.equal(storage.hosts[0].share, 1);
  assert.ok(storage.hosts[0].bytes > 0 && storage.bytes > storage.hosts[0].bytes);

  const cleaned = JSON.parse(hostwatch(['cleanup', '--days', '7', '--json', '--data-dir', dir]));
  // 48 raw blocks and their 48 times blocks; the rollups stay.
  assert.equal(cleaned.blocks, 96);
  assert.equal(cleaned.series, 0);
  assert.match(hostwatch(['cleanup', '--data-dir', dir]), /Kept 14 days of raw samples, 90 of 1-minute and 730 of 1-hour rollups: deleted 0 blocks/);

  assert.match(hostwatch(['storage', '--raw', '30', '--minute', '120', '--hour', '1000', '--data-dir', dir]),
    /raw samples 30 days, 1-minute rollups 120 days, 1-hour rollups 1000 days/);
  assert.deepEqual(JSON.parse(hostwatch(['storage', '--json', '--data-dir', dir])).retention,
    { rawDays: 30, minuteDays: 120, hourDays: 1000 });
  assert.equal(run(['cleanup', '--days', '0', '--data-dir', dir]).code, 2);
  assert.equal(run(['storage', '--raw', '0', '--data-dir', dir]).code, 2);
});
