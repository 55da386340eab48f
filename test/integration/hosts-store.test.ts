/**
 * Remote hosts in the engine without touching the network: settings kept in the real database,
 * secrets sealed at rest, removal with and without history. (Connecting is tested against sshd in
 * ssh-*.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startEngine } from '../../electron/core/engine.ts';
import { newSecretKey } from '../../electron/core/secrets.ts';
import { HostSpec } from '../../shared/hosts.ts';
import { tempDataDir } from '../support/serve.ts';

const spec = HostSpec.parse({ name: 'Web 1', address: '127.0.0.1', port: 9, user: 'ops', auth: 'password', enabled: false });

test('a host password is stored sealed, opens after a restart with the key, and not without it', async (t) => {
  const dataDir = tempDataDir();
  const key = newSecretKey();
  const engine = await startEngine({ dataDir, version: 't', secretKey: key });
  t.after(() => engine.stop());
  const status = engine.addHost(spec, 'hunter2-very-secret', undefined);
  assert.equal(status.id, 'web-1');
  assert.equal(status.state, 'paused');
  assert.equal(status.address, 'ops@127.0.0.1:9');
  assert.deepEqual(engine.fleet.settings('web-1'), { spec, hasSecret: true });
  assert.throws(() => engine.addHost({ ...spec, name: 'web 1' }, undefined, undefined), /exists already/);
  await engine.stop();

  const file = join(dataDir, 'hostwatch.db');
  assert.ok(!readFileSync(file).includes('hunter2'), 'no clear text in the database file');
  const raw = new Database(file, { readonly: true });
  const sealed = raw.prepare("SELECT secret FROM hosts WHERE id = 'web-1'").pluck().get() as Buffer;
  raw.close();
  assert.ok(sealed.length > 16 && !sealed.includes('hunter2'));

  const again = await startEngine({ dataDir, version: 't', secretKey: key });
  assert.equal(again.fleet.status('web-1').name, 'Web 1');
  assert.equal(again.fleet.settings('web-1').hasSecret, true);
  await again.stop();

  // Enabled, but started without the key: the host says why it cannot connect.
  const keyless = await startEngine({ dataDir, version: 't' });
  const resumed = keyless.fleet.update('web-1', { enabled: true });
  assert.equal(resumed.state, 'error');
  assert.match(resumed.lastError ?? '', /no key to open it/);
  await keyless.stop();
});

test('a removed host is gone from the fleet and the table; this machine cannot be removed', async () => {
  const dataDir = tempDataDir();
  const engine = await startEngine({ dataDir, version: 't' });
  const a = engine.addHost({ ...spec, name: 'a' }, undefined, undefined);
  assert.equal(engine.removeHost(a.id, true), true);
  assert.throws(() => engine.fleet.status(a.id), /No host a/);
  assert.throws(() => engine.removeHost('local', true), /cannot be removed/);
  await engine.stop();
  const raw = new Database(join(dataDir, 'hostwatch.db'), { readonly: true });
  assert.equal(raw.prepare("SELECT count(*) FROM hosts WHERE id = 'a'").pluck().get(), 0);
  raw.close();
});
