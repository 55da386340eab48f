/**
 * Remote hosts through the whole engine, as the UI drives it: `hostwatch serve` (the built bin) and the
 * WebSocket API, a real OpenSSH sshd on 127.0.0.1. Test a host's settings, accept its key, see it online
 * with the numbers /proc has; a changed host key is refused and raises the "Host key changed" alert; a
 * stopped sshd makes the host unreachable with `up` = 0, and it comes back; a password survives a restart
 * sealed under the key file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Alert, HostStatus, Snapshot } from '../../shared/api.ts';
import { serve, tempDataDir } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { connect } from '../support/ws-client.ts';
import type { TestClient } from '../support/ws-client.ts';
import { sshdSkipReason, startSshd } from '../support/sshd.ts';
import type { Sshd } from '../support/sshd.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`remote host tests need sshd under CI: ${skip}`);

let sshd: Sshd;
const running: Served[] = [];

before(async () => {
  if (skip) return;
  sshd = await startSshd({ users: [{ name: 'hwtest-sh', shell: '/bin/sh', password: 'pw-Hostwatch-1' }] });
});
after(async () => {
  for (const s of running) await s.stop();
  await sshd?.close();
});

async function started(dataDir = tempDataDir(), args: string[] = []): Promise<{ served: Served; client: TestClient }> {
  const served = await serve(args, dataDir);
  running.push(served);
  return { served, client: await connect(served.origin, served.token) };
}

const stateOf = (client: TestClient, id: string, state: HostStatus['state'], ms = 15_000) =>
  client.waitFor((e) => e.event === 'hosts' && (e.data as HostStatus[]).some((h) => h.id === id && h.state === state), ms);

function memTotalOf(snapshot: Snapshot): number | undefined {
  return snapshot.samples.find((s) => s.metric === 'system.memory.limit')?.value;
}

test('a host is tested stage by stage, added with its accepted key, and reports this machine\'s numbers', { skip: skip ?? false }, async () => {
  const { client } = await started();
  const user = sshd.users['hwtest-sh']!;
  const spec = { name: 'loopback', address: sshd.address, port: sshd.port, user: user.name, auth: 'identity' as const,
    identityFile: user.privateKeyPath, intervalSeconds: 1 };

  const first = await client.request('hosts.test', { spec });
  assert.deepEqual(first.stages.map((s) => [s.stage, s.ok]), [['resolve', true], ['connect', true], ['host_key', false]]);
  assert.equal(first.offeredKey?.fingerprint, sshd.hostKeys.find((k) => k.type === first.offeredKey?.type)?.fingerprint);

  const status = await client.request('hosts.add', { spec, acceptKey: first.offeredKey!.fingerprint });
  assert.equal(status.id, 'loopback');
  const t0 = Date.now();
  await stateOf(client, 'loopback', 'online');
  const snap = (await client.waitFor((e) => e.event === 'snapshot' && (e.data as Snapshot).host === 'loopback'
    && memTotalOf(e.data as Snapshot) !== undefined)).data as Snapshot;
  assert.ok(Date.now() - t0 < 2 * 1000 + 3000, 'first poll within 2 intervals of connecting');
  const local = (await client.waitFor((e) => e.event === 'snapshot' && (e.data as Snapshot).host === 'local')).data as Snapshot;
  assert.equal(memTotalOf(snap), memTotalOf(local), 'the same machine: the same MemTotal');
  assert.equal(snap.samples.find((s) => s.metric === 'up')?.value, 1);

  // Now trusted: a second test passes every stage.
  const again = await client.request('hosts.test', { spec });
  assert.deepEqual(again.stages.map((s) => [s.stage, s.ok]), [
    ['resolve', true], ['connect', true], ['host_key', true], ['auth', true], ['first_poll', true]]);

  // Secrets never come back.
  const settings = await client.request('hosts.get', { id: 'loopback' });
  assert.equal(settings.hasSecret, false);
  assert.equal(settings.spec?.identityFile, user.privateKeyPath);

  // A changed host key (the server was reinstalled) is refused and raises the critical alert.
  await sshd.stop();
  await stateOf(client, 'loopback', 'unreachable');
  const down = (await client.waitFor((e) => e.event === 'snapshot' && (e.data as Snapshot).host === 'loopback'
    && (e.data as Snapshot).samples.some((s) => s.metric === 'up' && s.value === 0))).data as Snapshot;
  assert.equal(down.samples.length, 2, 'only up and host_key_changed: every other value is unknown');
  await sshd.start({ newHostKeys: true });
  await stateOf(client, 'loopback', 'host_key_changed', 20_000);
  const hosts = await client.request('hosts.list');
  const changed = hosts.find((h) => h.id === 'loopback')!;
  assert.ok(changed.offeredKey && sshd.hostKeys.some((k) => k.fingerprint === changed.offeredKey!.fingerprint));
  const alert = await client.waitFor((e) => e.event === 'alert' && (e.data as { alert: Alert }).alert.ruleName === 'Host key changed'
    && (e.data as { transition: string }).transition === 'firing');
  assert.equal((alert.data as { alert: Alert }).alert.severity, 'critical');

  // The user compares the fingerprint and accepts it: online again, and the alert resolves.
  await client.request('hosts.acceptKey', { id: 'loopback', fingerprint: changed.offeredKey!.fingerprint });
  await stateOf(client, 'loopback', 'online', 20_000);
  await client.waitFor((e) => e.event === 'alert' && (e.data as { alert: Alert }).alert.ruleName === 'Host key changed'
    && (e.data as { transition: string }).transition === 'resolved', 10_000);

  // Removing it with its history.
  assert.deepEqual(await client.request('hosts.remove', { id: 'loopback', deleteHistory: true }), { removed: true });
  const after = await client.request('metrics.query', { host: 'local', metric: 'up', from: t0, to: Date.now() });
  assert.ok(after.series.length === 1);
  await assert.rejects(client.request('metrics.query', { host: 'loopback', metric: 'up', from: t0, to: Date.now() }), /No host/);
  client.close();
});

test('a password login is stored sealed under the key file and works after a restart', { skip: skip ?? false }, async () => {
  const dataDir = tempDataDir();
  const keyFile = join(dataDir, 'secret.key');
  const { served, client } = await started(dataDir, ['--secret-key-file', keyFile]);
  const user = sshd.users['hwtest-sh']!;
  const spec = { name: 'by-password', address: sshd.address, port: sshd.port, user: user.name, auth: 'password' as const, intervalSeconds: 1 };
  const wrong = await client.request('hosts.test', { spec, secret: 'not-the-password', });
  const key = wrong.offeredKey!.fingerprint;
  await client.request('hosts.add', { spec, secret: user.password, acceptKey: key });
  await stateOf(client, 'by-password', 'online', 20_000);
  assert.equal((await client.request('hosts.get', { id: 'by-password' })).hasSecret, true);
  client.close();
  await served.stop();

  const restarted = await started(dataDir, ['--secret-key-file', keyFile]);
  await stateOf(restarted.client, 'by-password', 'online', 20_000);
  restarted.client.close();
});
