/** AlertRepository against a real SQLite file. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Alert } from '../../../shared/api.ts';
import { AlertRepository } from '../../../electron/core/store/alerts.ts';
import { openDatabase } from '../../../electron/core/store/database.ts';
import { NotFoundError } from '../../../electron/core/store/errors.ts';

function open(t: TestContext): AlertRepository {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-alerts-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return new AlertRepository(db);
}

const MIN = 60_000;

function alert(fields: Partial<Omit<Alert, 'id'>>): Omit<Alert, 'id'> {
  return {
    ruleId: 3, ruleName: 'Filesystem almost full', host: 'local', metric: 'system.filesystem.utilization',
    attributes: { 'system.filesystem.mountpoint': '/' }, severity: 'critical', state: 'firing', value: 0.95,
    threshold: 0.9, summary: 'Filesystem / is 95% full', activeAt: 0, firedAt: 0, resolvedAt: null,
    ...fields,
  };
}

test('insert returns the alert with an id, and update overwrites it', (t) => {
  const alerts = open(t);
  const stored = alerts.insert(alert({ state: 'pending', firedAt: null }));
  assert.deepEqual(stored, { ...alert({ state: 'pending', firedAt: null }), id: stored.id });
  const fired = { ...stored, state: 'firing' as const, firedAt: 5 * MIN, value: 0.97 };
  alerts.update(fired);
  assert.deepEqual(alerts.active(), [fired]);
});

test('updating an alert that does not exist throws NotFoundError', (t) => {
  const alerts = open(t);
  assert.throws(() => alerts.update({ ...alert({}), id: 42 }), NotFoundError);
});

test('active lists pending and firing alerts, not resolved ones', (t) => {
  const alerts = open(t);
  const pending = alerts.insert(alert({ state: 'pending', firedAt: null, activeAt: 1 * MIN }));
  const firing = alerts.insert(alert({ state: 'firing', activeAt: 2 * MIN }));
  alerts.insert(alert({ state: 'resolved', activeAt: 3 * MIN, resolvedAt: 4 * MIN }));
  assert.deepEqual(alerts.active(), [firing, pending]);
});

test('delete removes a dropped pending alert', (t) => {
  const alerts = open(t);
  const pending = alerts.insert(alert({ state: 'pending', firedAt: null }));
  assert.equal(alerts.delete(pending.id), true);
  assert.equal(alerts.delete(pending.id), false);
  assert.deepEqual(alerts.history(), []);
});

test('history is newest first and filters by host, severity, state, time range and limit', (t) => {
  const alerts = open(t);
  // Timeline (minutes): a [0, 10], b [20, 30], c [40, open), d on web-1 [50, open) warning.
  const a = alerts.insert(alert({ state: 'resolved', activeAt: 0, firedAt: 0, resolvedAt: 10 * MIN }));
  const b = alerts.insert(alert({ state: 'resolved', activeAt: 20 * MIN, firedAt: 20 * MIN, resolvedAt: 30 * MIN }));
  const c = alerts.insert(alert({ state: 'firing', activeAt: 40 * MIN, firedAt: 40 * MIN }));
  const d = alerts.insert(alert({ host: 'web-1', severity: 'warning', state: 'pending', activeAt: 50 * MIN, firedAt: null }));

  const ids = (list: Alert[]) => list.map((x) => x.id);
  assert.deepEqual(ids(alerts.history()), ids([d, c, b, a]));
  assert.deepEqual(ids(alerts.history({ host: 'local' })), ids([c, b, a]));
  assert.deepEqual(ids(alerts.history({ severity: 'warning' })), ids([d]));
  assert.deepEqual(ids(alerts.history({ state: 'resolved' })), ids([b, a]));
  assert.deepEqual(ids(alerts.history({ limit: 2 })), ids([d, c]));
  // Active at some time in [from, to]: b overlaps [25, 45] by its end, c by its start; a is over, d later.
  assert.deepEqual(ids(alerts.history({ from: 25 * MIN, to: 45 * MIN })), ids([c, b]));
  // An alert still open overlaps every range after its start.
  assert.deepEqual(ids(alerts.history({ from: 100 * MIN })), ids([d, c]));
  assert.deepEqual(ids(alerts.history({ to: 5 * MIN })), ids([a]));
});
