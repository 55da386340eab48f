/** The engine in-process on this machine: per-host interval, applied at once and kept across restarts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEngine } from '../../electron/core/engine.ts';
import type { EventMessage, HostStatus, Snapshot } from '../../shared/api.ts';
import { tempDataDir } from '../support/serve.ts';

function snapshotsOf(events: EventMessage[]): Snapshot[] {
  return events.filter((e) => e.event === 'snapshot').map((e) => e.data as Snapshot);
}

test('a host polled every 2 s after hosts.update keeps that interval after a restart', async () => {
  const dataDir = tempDataDir();
  const engine = await startEngine({ dataDir, version: 'test' });
  const events: EventMessage[] = [];
  engine.onEvent((e) => events.push(e));
  assert.equal(engine.fleet.statuses()[0]!.intervalSeconds, 1);

  const status = engine.fleet.update('local', { intervalSeconds: 2 });
  assert.equal(status.intervalSeconds, 2);
  assert.ok(events.some((e) => e.event === 'hosts' && (e.data as HostStatus[])[0]!.intervalSeconds === 2));
  events.length = 0;
  await new Promise((r) => setTimeout(r, 6500));
  const times = snapshotsOf(events).map((s) => s.time);
  assert.ok(times.length >= 3 && times.length <= 4, `${times.length} snapshots in 6.5 s`);
  for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 2000);
  assert.throws(() => engine.fleet.update('nowhere', { intervalSeconds: 5 }), /No host nowhere/);
  await engine.stop();

  const again = await startEngine({ dataDir, version: 'test' });
  assert.equal(again.fleet.statuses()[0]!.intervalSeconds, 2);
  await again.stop();
  // An interval given for one run (serve --interval) wins over the saved one, without replacing it.
  const once = await startEngine({ dataDir, version: 'test', intervalMs: 5000 });
  assert.equal(once.fleet.statuses()[0]!.intervalSeconds, 5);
  await once.stop();
  const saved = await startEngine({ dataDir, version: 'test' });
  assert.equal(saved.fleet.statuses()[0]!.intervalSeconds, 2);
  await saved.stop();
});
