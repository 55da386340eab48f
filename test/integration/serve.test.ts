/**
 * `hostwatch serve` end to end below the UI: the real built bin, the real machine, a real SQLite file,
 * the WebSocket API as the browser uses it, and the command line reading the same database meanwhile.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { serve, hostwatch } from '../support/serve.ts';
import type { Served } from '../support/serve.ts';
import { connect } from '../support/ws-client.ts';
import type { Alert, Snapshot } from '../../shared/api.ts';

const running: Served[] = [];
after(async () => { for (const s of running) await s.stop(); });

async function started(dataDir?: string): Promise<Served> {
  const s = await serve([], dataDir);
  running.push(s);
  return s;
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    }).on('error', reject).end();
  });
}

test('serve refuses requests without the token and serves the UI with it', async () => {
  const s = await started();
  assert.equal((await get(`${s.origin}/`)).status, 401);
  assert.equal((await get(`${s.origin}/?token=wrong-token`)).status, 401);
  const page = await get(s.url);
  assert.equal(page.status, 200);
  assert.match(page.body, /<div id="root">/);
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  assert.match(String(page.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  // A page on another name for this address (DNS rebinding) is refused even with the token.
  assert.equal((await get(s.url, { Host: `evil.example:${new URL(s.url).port}` })).status, 421);
  await assert.rejects(connect(s.origin, undefined), /403/);
  await assert.rejects(connect(s.origin, 'wrong'), /403/);
});

test('the API streams real snapshots, validates requests, fires a rule, and history survives a restart', async () => {
  const s = await started();
  const client = await connect(s.origin, s.token);

  const hosts = await client.request('hosts.list');
  assert.equal(hosts.length, 1);
  assert.equal(hosts[0]!.id, 'local');

  const first = await client.waitFor((e) => e.event === 'snapshot');
  const snapshot = first.data as Snapshot;
  assert.equal(snapshot.host, 'local');
  assert.ok(snapshot.samples.some((x) => x.metric === 'system.memory.limit' && x.value > 0));

  // Bad requests get a clear error and change nothing.
  const before = await client.request('rules.list');
  await assert.rejects(
    client.request('rules.create', { name: 'x', metric: 'no.such.metric', op: '>', threshold: 1 }),
    /Unknown metric/,
  );
  await assert.rejects(client.request('rules.create', { name: '', metric: 'system.cpu.utilization', op: '>', threshold: 1 }), /name/);
  await assert.rejects(client.request('no.such.method' as 'rules.list'), /Unknown method/);
  await assert.rejects(client.request('hosts.update', { id: 'local', intervalSeconds: 0.1 }), /at most once a second/);
  await assert.rejects(client.request('hosts.update', { id: 'elsewhere', intervalSeconds: 5 }), /No host elsewhere/);
  assert.match(JSON.stringify(await client.raw({ method: 'rules.delete', params: { id: 'one' } })), /bad_request/);
  assert.deepEqual(await client.request('rules.list'), before);

  // A rule that must fire at once: CPU utilization is always ≥ 0.
  const rule = await client.request('rules.create', {
    name: 'Always', metric: 'system.cpu.utilization', op: '>=', threshold: 0, for: 0, severity: 'critical',
    summary: 'CPU at {{value}}',
  });
  const fired = await client.waitFor((e) => e.event === 'alert' && (e.data as { transition: string }).transition === 'firing');
  const alert = (fired.data as { alert: Alert }).alert;
  assert.equal(alert.ruleId, rule.id);
  assert.match(alert.summary, /^CPU at \d+(\.\d)?%$/);
  const note = await client.waitFor((e) => e.event === 'notification' && (e.data as { alertId: number }).alertId === alert.id);
  assert.equal((note.data as { hostName: string }).hostName, hosts[0]!.name, 'notifications name the host as the user knows it');

  // The command line reads the same database while serve writes it.
  const listed = JSON.parse(hostwatch(['alerts', 'list', '--json', '--data-dir', s.dataDir])) as Alert[];
  assert.ok(listed.some((a) => a.id === alert.id && a.state === 'firing'));
  // CPU comes with the second poll, and reaches the file at the next flush (each second).
  let status = JSON.parse(hostwatch(['status', '--json', '--data-dir', s.dataDir]));
  for (let tries = 0; status.hosts[0].values.cpu === undefined && tries < 30; tries++) {
    await new Promise((r) => setTimeout(r, 100));
    status = JSON.parse(hostwatch(['status', '--json', '--data-dir', s.dataDir]));
  }
  assert.equal(status.hosts[0].id, 'local');
  assert.ok(status.hosts[0].values.cpu >= 0 && status.hosts[0].values.cpu <= 1);
  assert.ok(status.alerts.some((a: Alert) => a.id === alert.id));

  // Let a few seconds of history accumulate, then restart on the same data directory.
  await new Promise((r) => setTimeout(r, 3000));
  const stoppedAt = Date.now();
  client.close();
  assert.equal(await s.stop(), 0);

  const again = await started(s.dataDir);
  const client2 = await connect(again.origin, again.token);
  const history = await client2.request('metrics.query', {
    host: 'local', metric: 'system.cpu.utilization', from: stoppedAt - 60_000, to: Date.now(), maxPoints: 100,
  });
  const total = history.series.find((x) => Object.keys(x.attributes).length === 0);
  assert.ok(total, 'the all-CPU series is there');
  const earlier = total.points.filter((p) => p.t < stoppedAt);
  assert.ok(earlier.length >= 3, `history from before the restart is kept (${earlier.length} points)`);
  // The firing alert was restored, not fired a second time.
  const active = await client2.request('alerts.active');
  assert.ok(active.some((a) => a.id === alert.id && a.state === 'firing'));
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok(!client2.events.some((e) => e.event === 'alert' && (e.data as { alert: Alert }).alert.id === alert.id &&
    (e.data as { transition: string }).transition === 'firing'));
  client2.close();
});
