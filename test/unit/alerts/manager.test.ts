/** AlertManager with a real SQLite file and the real event bus: what it stores and what it publishes. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { EventData, Snapshot } from '../../../shared/api.ts';
import type { Rule } from '../../../shared/rules.ts';
import { AlertManager } from '../../../electron/core/alerts/manager.ts';
import { matchesAll } from '../../../shared/silences.ts';
import { EventBus } from '../../../electron/core/events.ts';
import { AlertRepository } from '../../../electron/core/store/alerts.ts';
import { openDatabase, type Database } from '../../../electron/core/store/database.ts';

const FS = 'system.filesystem.utilization';
const MOUNT = 'system.filesystem.mountpoint';

const rule: Rule = {
  id: 3, name: 'Filesystem almost full', metric: FS, matchers: { [MOUNT]: '*' }, op: '>', threshold: 0.9,
  for: 1, severity: 'critical', summary: '{{system.filesystem.mountpoint}} is {{value}} full', enabled: true,
};

function setup(t: TestContext) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-manager-'));
  const file = path.join(dir, 'hostwatch.db');
  const dbs: Database[] = [];
  t.after(() => {
    for (const db of dbs) if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  /** Starts an engine's worth of alerting on the file, as a (re)start does. */
  const start = () => {
    const db = openDatabase(file);
    dbs.push(db);
    const repository = new AlertRepository(db);
    const bus = new EventBus();
    const events: string[] = [];
    const alerts: EventData<'alert'>[] = [];
    const notifications: EventData<'notification'>[] = [];
    bus.subscribe((m) => {
      if (m.event === 'notification') notifications.push(m.data as EventData<'notification'>);
      if (m.event !== 'alert') return;
      const data = m.data as EventData<'alert'>;
      alerts.push(data);
      events.push(`${data.transition} ${data.alert.attributes[MOUNT]}`);
    });
    return { db, repository, manager: new AlertManager(repository, bus), events, alerts, notifications };
  };
  return { start };
}

function snap(second: number, values: Record<string, number>): Snapshot {
  return {
    host: 'local', time: second * 1000, errors: [],
    samples: Object.entries(values).map(([mount, value]) => ({ metric: FS, attributes: { [MOUNT]: mount }, value })),
  };
}

test('a firing alert is stored once and updated in place; every transition is published with its id', (t) => {
  const { repository, manager, events, alerts } = setup(t).start();
  manager.evaluate(snap(0, { '/': 0.95 }), [rule]);
  manager.evaluate(snap(1, { '/': 0.97 }), [rule]);
  manager.evaluate(snap(2, { '/': 0.5 }), [rule]);
  assert.deepEqual(events, ['pending /', 'firing /', 'resolved /']);
  const ids = new Set(alerts.map((a) => a.alert.id));
  assert.equal(ids.size, 1);
  const [stored] = repository.history();
  assert.deepEqual(stored, alerts[2]?.alert);
  assert.equal(stored?.state, 'resolved');
  assert.equal(stored?.firedAt, 1000);
  assert.equal(stored?.resolvedAt, 2000);
  assert.equal(stored?.summary, '/ is 97% full');
});

test('a dropped pending alert is deleted from the store', (t) => {
  const { repository, manager, events } = setup(t).start();
  manager.evaluate(snap(0, { '/': 0.95 }), [rule]);
  assert.equal(repository.active().length, 1);
  manager.evaluate(snap(1, { '/': 0.5 }), [rule]);
  assert.deepEqual(events, ['pending /', 'dropped /']);
  assert.deepEqual(repository.history(), []);
});

test('after a restart, firing alerts go on without a new event and pending ones start over', (t) => {
  const env = setup(t);
  const first = env.start();
  first.manager.evaluate(snap(0, { '/': 0.95 }), [rule]);
  first.manager.evaluate(snap(1, { '/': 0.95, '/home': 0.95 }), [rule]);
  assert.deepEqual(first.events, ['pending /', 'firing /', 'pending /home']);
  first.db.close();

  const second = env.start();
  assert.deepEqual(second.repository.active().map((a) => a.attributes[MOUNT]), ['/']);
  second.manager.evaluate(snap(60, { '/': 0.95, '/home': 0.95 }), [rule]);
  second.manager.evaluate(snap(61, { '/': 0.5, '/home': 0.95 }), [rule]);
  assert.deepEqual(second.events, ['pending /home', 'resolved /', 'firing /home']);
  assert.equal(second.repository.history().length, 2);
});

test('alerts of a rule that no longer exists resolve at the next snapshot of their host', (t) => {
  const { repository, manager, events } = setup(t).start();
  manager.evaluate(snap(0, { '/': 0.95 }), [rule]);
  manager.evaluate(snap(1, { '/': 0.95 }), [rule]);
  manager.evaluate(snap(2, { '/': 0.95 }), []);
  assert.deepEqual(events, ['pending /', 'firing /', 'resolved /']);
  assert.deepEqual(repository.active(), []);
});

test('active() lists pending and firing alerts, newest first, with the latest value', (t) => {
  const { manager } = setup(t).start();
  manager.evaluate(snap(0, { '/': 0.95 }), [rule]);
  manager.evaluate(snap(1, { '/': 0.97, '/home': 0.92 }), [rule]);
  manager.evaluate(snap(2, { '/': 0.99, '/home': 0.93 }), [rule]);
  assert.deepEqual(manager.active().map((a) => [a.attributes[MOUNT], a.state, a.value]), [
    ['/home', 'firing', 0.93],
    ['/', 'firing', 0.99],
  ]);
  manager.evaluate(snap(3, { '/': 0.5, '/home': 0.5 }), [rule]);
  assert.deepEqual(manager.active(), []);
});

test('the user is notified when an alert fires and when it resolves, not while it is pending', (t) => {
  const { manager, notifications } = setup(t).start();
  manager.evaluate(snap(0, { '/': 0.95 }), [rule]);
  assert.equal(notifications.length, 0, 'pending: nothing yet');
  manager.evaluate(snap(1, { '/': 0.96 }), [rule]);
  manager.evaluate(snap(2, { '/': 0.97 }), [rule]);
  manager.evaluate(snap(3, { '/': 0.2 }), [rule]);
  assert.deepEqual(notifications.map((n) => [n.title, n.severity, n.host]), [
    ['Critical: Filesystem almost full', 'critical', 'local'],
    ['Resolved: Filesystem almost full', 'info', 'local'],
  ]);
  assert.equal(notifications[0]!.body, '/ is 96% full');
  assert.ok(notifications[0]!.alertId! > 0);
  assert.equal(notifications[0]!.hostName, 'local', 'without a name for it, the host is named by its id');
});

test('a firing alert keeps the busiest processes of its host at that moment, in the store too, until it resolves', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-manager-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const repository = new AlertRepository(db);
  let top: { time: number; name: string } | null = { time: 500, name: 'postgres' };
  const list = (name: string, time: number) => ({
    host: 'local', time,
    processes: Array.from({ length: 25 }, (_, i) => ({ pid: 100 + i, name, command: `${name} ${'x'.repeat(400)}`, user: 'pg', cpu: 0.5 - i / 100, memory: 1e8 })),
  });
  const manager = new AlertManager(repository, new EventBus(), { processes: () => (top ? list(top.name, top.time) : null) });

  manager.evaluate(snap(0, { '/': 0.95 }), [rule]);
  assert.equal(manager.active()[0]!.processes, undefined, 'pending: nothing kept yet');
  top = { time: 1500, name: 'backup' };
  manager.evaluate(snap(2, { '/': 0.96 }), [rule]);
  const [firing] = manager.active();
  assert.equal(firing!.state, 'firing');
  assert.equal(firing!.processes?.time, 1500, 'the processes of the moment it fired');
  assert.equal(firing!.processes?.processes.length, 20, 'at most 20 kept');
  assert.equal(firing!.processes?.processes[0]!.command.length, 300, 'command lines cut');
  assert.deepEqual(repository.active()[0]!.processes, firing!.processes, 'stored with it');

  top = { time: 2500, name: 'later' };
  manager.evaluate(snap(3, { '/': 0.5 }), [rule]);
  const [resolved] = repository.history({ state: 'resolved' });
  assert.equal(resolved!.processes?.time, 1500, 'kept as it was when it fired');

  top = null;
  manager.evaluate(snap(10, { '/': 0.99 }), [rule]);
  manager.evaluate(snap(12, { '/': 0.99 }), [rule]);
  assert.equal(manager.active()[0]!.processes, undefined, 'none known: none kept');
});

test('while the host cannot be reached its metric alerts neither fire nor resolve; its "up" rule goes on', (t) => {
  const { repository, manager, events } = setup(t).start();
  const up: Rule = { ...rule, id: 4, name: 'Host down', metric: 'up', matchers: {}, op: '<', threshold: 1, for: 0, summary: 'down' };
  const failed = (second: number): Snapshot => ({ host: 'local', time: second * 1000, errors: [], samples: [{ metric: 'up', attributes: {}, value: 0 }] });
  manager.evaluate(snap(0, { '/': 0.95 }), [rule, up]);
  manager.evaluate(snap(2, { '/': 0.96 }), [rule, up]);
  assert.deepEqual(events, ['pending /', 'firing /']);
  const before = events.length;

  manager.evaluate(failed(3), [rule, up]);
  manager.evaluate(failed(60), [rule, up]);
  assert.deepEqual(manager.active().filter((a) => a.metric === FS).map((a) => [a.attributes[MOUNT], a.state]), [['/', 'firing']],
    'the filesystem alert stays firing: nothing was said about it');
  assert.equal(events.slice(before).filter((e) => e.endsWith('/')).length, 0);
  assert.ok(manager.active().some((a) => a.metric === 'up' && a.state === 'firing'), 'the host down alert fires');

  const answered = snap(61, { '/': 0.5 });
  manager.evaluate({ ...answered, samples: [...answered.samples, { metric: 'up', attributes: {}, value: 1 }] }, [rule, up]);
  assert.ok(repository.history({ state: 'resolved' }).some((a) => a.metric === FS && a.attributes[MOUNT] === '/'), 'it resolves once the host answers');
  assert.ok(!manager.active().some((a) => a.metric === 'up'), 'and the host is up again');
});

test('a silenced alert is stored and published, and notifies nobody; the others still do', (t) => {
  const { manager, alerts, notifications } = setup(t).start();
  // As the engine does: the labels of the alert against the active silences.
  const silence = [{ name: 'system.filesystem.mountpoint', op: '=~' as const, value: '/var.*' }];
  const bus = new EventBus();
  const told: string[] = [];
  bus.subscribe((m) => { if (m.event === 'notification') told.push((m.data as EventData<'notification'>).body); });
  const quiet = new AlertManager(new AlertRepository(setupDb(t)), bus, { silenced: (labels) => matchesAll(silence, labels) });
  quiet.evaluate(snap(0, { '/': 0.95, '/var/lib': 0.95 }), [rule]);
  quiet.evaluate(snap(2, { '/': 0.95, '/var/lib': 0.95 }), [rule]);
  assert.deepEqual(quiet.active().map((a) => [a.attributes[MOUNT], a.state]).sort(), [['/', 'firing'], ['/var/lib', 'firing']], 'both fire');
  assert.equal(told.length, 1);
  assert.match(told[0]!, /^\/ is /, 'only the unsilenced one is told');
  quiet.evaluate(snap(3, { '/': 0.5, '/var/lib': 0.5 }), [rule]);
  assert.equal(told.length, 2, 'its resolving is told too; the silenced one stays quiet');

  // The default manager silences nothing.
  manager.evaluate(snap(0, { '/var/lib': 0.95 }), [rule]);
  manager.evaluate(snap(2, { '/var/lib': 0.95 }), [rule]);
  assert.equal(notifications.length, 1);
  assert.equal(alerts.length, 2);
});

/** A database of its own, closed and removed after the test. */
function setupDb(t: TestContext): Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostwatch-manager-'));
  const db = openDatabase(path.join(dir, 'hostwatch.db'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return db;
}
