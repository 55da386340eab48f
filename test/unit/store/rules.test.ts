/** RuleRepository against a real SQLite file. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { DEFAULT_RULES, type RuleSpec } from '../../../shared/rules.ts';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { NotFoundError } from '../../../electron/core/store/errors.ts';
import { RuleRepository } from '../../../electron/core/store/rules.ts';

function open(t: TestContext): RuleRepository {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-rules-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return new RuleRepository(db);
}

const diskSpec: RuleSpec = {
  name: 'Disk busy', metric: 'system.disk.io', matchers: { 'system.device': 'sda', 'disk.io.direction': '*' },
  op: '>=', threshold: 100 * 1024 ** 2, for: 30, severity: 'info', summary: '{{system.device}}: {{value}}',
  enabled: false,
};

test('a new database lists the default rules, in order, with ids', (t) => {
  const rules = open(t);
  const list = rules.list();
  assert.deepEqual(list.map(({ id: _, ...spec }) => spec), DEFAULT_RULES);
  assert.ok(list.every((r) => Number.isInteger(r.id) && r.id > 0));
});

test('create stores every field and get returns the same rule', (t) => {
  const rules = open(t);
  const created = rules.create(diskSpec);
  assert.deepEqual(created, { id: created.id, ...diskSpec });
  assert.deepEqual(rules.get(created.id), created);
  assert.deepEqual(rules.list().at(-1), created);
});

test('update replaces the spec and keeps the id', (t) => {
  const rules = open(t);
  const [first] = rules.list();
  const updated = rules.update(first!.id, { ...diskSpec, enabled: true });
  assert.deepEqual(updated, { id: first!.id, ...diskSpec, enabled: true });
  assert.deepEqual(rules.get(first!.id), updated);
});

test('updating a rule that does not exist throws NotFoundError', (t) => {
  const rules = open(t);
  assert.throws(() => rules.update(9999, diskSpec), NotFoundError);
});

test('delete removes the rule once, and its id is never given again', (t) => {
  const rules = open(t);
  const created = rules.create(diskSpec);
  assert.equal(rules.delete(created.id), true);
  assert.equal(rules.delete(created.id), false);
  assert.equal(rules.get(created.id), undefined);
  assert.ok(rules.create(diskSpec).id > created.id);
});
