/** openDatabase against real files: pragmas, migrations, files that are not ours. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import Sqlite from 'better-sqlite3';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { SCHEMA_VERSION } from '../../../electron/core/store/migrations.ts';
import { RuleRepository } from '../../../electron/core/store/rules.ts';
import { SampleStore } from '../../../electron/core/store/samples.ts';
import { AlertRepository } from '../../../electron/core/store/alerts.ts';
import { DEFAULT_RULES } from '../../../shared/rules.ts';

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-db-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('opens a new file in a missing directory, in WAL mode with foreign keys and a busy timeout', (t) => {
  const file = path.join(tempDir(t), 'nested', 'dir', 'hostwatch.db');
  const db = openDatabase(file);
  t.after(() => db.close());
  assert.ok(fs.existsSync(file));
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.ok((db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
});

test('a second connection reads while the first holds an open write transaction', (t) => {
  const file = path.join(tempDir(t), 'hostwatch.db');
  const writer = openDatabase(file);
  const reader = openDatabase(file);
  t.after(() => { writer.close(); reader.close(); });
  writer.exec('BEGIN IMMEDIATE');
  writer.prepare('DELETE FROM rules').run();
  assert.equal(reader.prepare('SELECT count(*) FROM rules').pluck().get(), DEFAULT_RULES.length);
  writer.exec('COMMIT');
  assert.equal(reader.prepare('SELECT count(*) FROM rules').pluck().get(), 0);
});

test('a file that is not a SQLite database is refused with its name and left as it was', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'hostwatch.db');
  const content = Buffer.from('this is a text file that someone named hostwatch.db\n'.repeat(200));
  fs.writeFileSync(file, content);
  assert.throws(() => openDatabase(file), (error: Error) => {
    assert.match(error.message, /is not a SQLite database/);
    assert.ok(error.message.includes(file), error.message);
    return true;
  });
  assert.deepEqual(fs.readFileSync(file), content);
  assert.deepEqual(fs.readdirSync(dir), ['hostwatch.db']); // no -wal or -shm left behind
});

test('another application\'s SQLite database is refused and left untouched', (t) => {
  const file = path.join(tempDir(t), 'other.db');
  const other = new Sqlite(file);
  other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
  other.close();
  const before = fs.readFileSync(file);
  assert.throws(() => openDatabase(file), /another application/);
  assert.deepEqual(fs.readFileSync(file), before);
});

test('an empty file (schema version 0) is migrated to the current version with the default rules', (t) => {
  const file = path.join(tempDir(t), 'hostwatch.db');
  fs.writeFileSync(file, '');
  const db = openDatabase(file);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(new RuleRepository(db).list().length, DEFAULT_RULES.length);
});

test('reopening a migrated database keeps its data, its version, and seeds no second set of rules', (t) => {
  const file = path.join(tempDir(t), 'hostwatch.db');
  let db = openDatabase(file);
  const samples = new SampleStore(db);
  samples.append({ host: 'local', time: 1_000, errors: [],
    samples: [{ metric: 'system.memory.utilization', attributes: {}, value: 0.5 }] });
  samples.flush();
  const rule = new RuleRepository(db).create({
    name: 'Hot', metric: 'hw.temperature', matchers: { 'hw.id': '*' }, op: '>', threshold: 90, for: 60,
    severity: 'critical', summary: '{{hw.id}} at {{value}}', enabled: true,
  });
  const alert = new AlertRepository(db).insert({
    ruleId: rule.id, ruleName: rule.name, host: 'local', metric: rule.metric, attributes: { 'hw.id': 'cpu' },
    severity: 'critical', state: 'firing', value: 95, threshold: 90, summary: 'cpu at 95 °C',
    activeAt: 1_000, firedAt: 61_000, resolvedAt: null,
  });
  db.close();

  db = openDatabase(file);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(new RuleRepository(db).list().length, DEFAULT_RULES.length + 1);
  assert.deepEqual(new RuleRepository(db).get(rule.id), rule);
  assert.deepEqual(new AlertRepository(db).active(), [alert]);
  const result = new SampleStore(db).query({
    host: 'local', metric: 'system.memory.utilization', from: 0, to: 10_000, maxPoints: 10,
  });
  assert.deepEqual(result.series[0]?.points, [{ t: 0, avg: 0.5, min: 0.5, max: 0.5 }]);
});

test('a database with a newer schema than this build is refused and not changed', (t) => {
  const file = path.join(tempDir(t), 'hostwatch.db');
  const db = openDatabase(file);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => openDatabase(file), /newer/);
  const check = new Sqlite(file, { readonly: true });
  t.after(() => check.close());
  assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
});
