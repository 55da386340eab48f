/**
 * Service checks through the whole engine, as the UI drives it: the built `hostwatch serve`, its
 * WebSocket API, real HTTP servers on 127.0.0.1 and a real OpenSSH sshd. A check goes up; a failing one
 * goes pending, then down at its failure threshold, with its reason in the event history, its
 * probe_* metrics in history, and the default "Check down" alert firing and resolving; a check run
 * through a host's SSH connection (direct-tcpip) reaches what only the host can reach, and becomes
 * unknown, never down, while the host is unreachable; the state survives a restart.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert, HostStatus } from '../../shared/api.ts';
import type { CheckStatus } from '../../shared/checks/index.ts';
import { serve, tempDataDir, type Served } from '../support/serve.ts';
import { connect, type TestClient } from '../support/ws-client.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';

const noSshd = sshdSkipReason();
if (noSshd !== null && process.env.CI) throw new Error(`the SSH check test needs sshd under CI: ${noSshd}`);

let web: Server;
let port: number;
/** What /flaky answers now. */
let flakyStatus = 503;
const running: Served[] = [];

before(async () => {
  web = createServer((req, res) => {
    if (req.url === '/ok') return void res.end('all good');
    if (req.url === '/flaky') {
      res.statusCode = flakyStatus;
      return void res.end(flakyStatus === 200 ? 'back' : 'maintenance in progress');
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  port = (web.address() as AddressInfo).port;
});

after(async () => {
  for (const s of running) await s.stop();
  web.close();
});

async function started(dataDir = tempDataDir()): Promise<{ served: Served; client: TestClient }> {
  const served = await serve([], dataDir);
  running.push(served);
  return { served, client: await connect(served.origin, served.token) };
}

const checkEvent = (client: TestClient, id: number, state: CheckStatus['state'], ms = 20_000) =>
  client.waitFor((e) => e.event === 'check' && (e.data as CheckStatus).id === id && (e.data as CheckStatus).state === state, ms)
    .then((e) => e.data as CheckStatus);

test('a check goes up; a failing one goes pending, then down with its reason, alerts, and comes back', async () => {
  const { served, client } = await started();
  const ok = await client.request('checks.create', { type: 'http', name: 'Web site', url: `http://127.0.0.1:${port}/ok`, intervalSeconds: 1 });
  assert.equal(ok.state, 'unknown', 'not run yet');
  const up = await checkEvent(client, ok.id, 'up');
  assert.equal(up.last?.details.statusCode, 200);

  const flaky = await client.request('checks.create', {
    type: 'http', name: 'Shop', url: `http://127.0.0.1:${port}/flaky`, intervalSeconds: 1, failureThreshold: 2,
  });
  const pending = await checkEvent(client, flaky.id, 'pending');
  assert.equal(pending.last?.reason, 'status 503 is not in 200-299');
  await checkEvent(client, flaky.id, 'down');
  const fired = await client.waitFor((e) => e.event === 'alert' && (e.data as { transition: string }).transition === 'firing'
    && (e.data as { alert: Alert }).alert.ruleName === 'Check down');
  const alert = (fired.data as { alert: Alert }).alert;
  assert.equal(alert.summary, 'Shop is down');
  assert.deepEqual(alert.attributes, { 'hostwatch.check': 'Shop' });

  const events = await client.request('checks.events', { id: flaky.id });
  assert.deepEqual(events.map((e) => [e.from, e.to]).reverse(), [['unknown', 'pending'], ['pending', 'down']]);
  assert.equal(events[0]!.reason, 'status 503 is not in 200-299');
  assert.equal(events[0]!.excerpt, 'maintenance in progress');

  flakyStatus = 200;
  client.events.length = 0;
  await checkEvent(client, flaky.id, 'up');
  await client.waitFor((e) => e.event === 'alert' && (e.data as { transition: string }).transition === 'resolved'
    && (e.data as { alert: Alert }).alert.id === alert.id);
  flakyStatus = 503;
  client.events.length = 0;
  await checkEvent(client, flaky.id, 'down');

  // Every run is history on the host: probe_success is 1 or 0, its average the availability.
  await new Promise((r) => setTimeout(r, 1500));
  const to = Date.now();
  const history = await client.request('metrics.query', {
    host: 'local', metric: 'probe_success', matchers: { 'hostwatch.check': 'Web site' }, from: to - 60_000, to, maxPoints: 60,
  });
  assert.equal(history.series.length, 1);
  assert.ok(history.series[0]!.points.length >= 2 && history.series[0]!.points.every((p) => p.avg === 1));

  // Bad requests are refused in words and change nothing.
  await assert.rejects(client.request('checks.create', { type: 'http', name: 'Web site', url: `http://127.0.0.1:${port}/ok` }), /already has a check named/);
  await assert.rejects(client.request('checks.create', { type: 'http', name: 'x', url: 'ftp://example.com' }), /http:\/\/ or https:\/\//);
  await assert.rejects(client.request('checks.create', { type: 'tcp', name: 'y', target: 'db', port: 5432, host: 'nowhere' }), /No host nowhere/);

  // "Test now" runs without storing anything.
  const tested = await client.request('checks.test', { type: 'tcp', name: 'closed', target: '127.0.0.1', port: 1 });
  assert.equal(tested.status, 'down');
  assert.equal((await client.request('checks.list')).length, 2);

  // A restart keeps each check's state from its last change (a down check stays down on one more failure).
  client.close();
  await served.stop();
  const again = await started(served.dataDir);
  const list = await again.client.request('checks.list');
  assert.deepEqual(list.map((c) => [c.spec.name, c.state]), [['Shop', 'down'], ['Web site', 'up']]);
  assert.equal(await again.client.request('checks.delete', { id: flaky.id }).then((r) => r.deleted), true);
  assert.deepEqual((await again.client.request('checks.list')).map((c) => c.spec.name), ['Web site']);
});

test('a check through a host’s SSH connection reaches what the host reaches, and is unknown while the host is down', { skip: noSshd ?? false }, async () => {
  let sshd: Sshd | null = null;
  try {
    sshd = await startSshd({ users: [{ name: 'hwtest-sh', shell: '/bin/sh' }] });
    const { client } = await started();
    const user = sshd.users['hwtest-sh']!;
    const spec = { name: 'loopback', address: sshd.address, port: sshd.port, user: user.name, auth: 'identity' as const,
      identityFile: user.privateKeyPath, intervalSeconds: 1 };
    const offered = await client.request('hosts.test', { spec });
    await client.request('hosts.add', { spec, acceptKey: offered.offeredKey!.fingerprint });
    await client.waitFor((e) => e.event === 'hosts' && (e.data as HostStatus[]).some((h) => h.id === 'loopback' && h.state === 'online'), 15_000);

    const check = await client.request('checks.create', {
      type: 'http', name: 'Internal API', host: 'loopback', from: 'host', url: `http://127.0.0.1:${port}/ok`, intervalSeconds: 1,
    });
    const up = await checkEvent(client, check.id, 'up');
    assert.equal(up.last?.details.statusCode, 200);

    // Without its SSH connection the check cannot run: unknown, not down.
    await sshd.stop();
    const unknown = await checkEvent(client, check.id, 'unknown');
    assert.notEqual(unknown.state, 'down');
    await sshd.start();
    client.events.length = 0;
    await checkEvent(client, check.id, 'up', 30_000);
  } finally {
    await sshd?.close();
  }
});
