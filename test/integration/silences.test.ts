/**
 * Silences through the built bin and a running `hostwatch serve` on the same database: one added from
 * the command line keeps a firing alert from notifying anyone while the alert is still stored and
 * published; expired, the next alert notifies again; `silences list` shows each one's state. A
 * maintenance window does the same while it is on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { EventData } from '../../shared/api.ts';
import { BIN, hostwatch, serve, tempDataDir } from '../support/serve.ts';
import { connect } from '../support/ws-client.ts';

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    return { code: 0, stdout: execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a silence from the CLI quiets a firing alert in a running serve; expired, alerts notify again', async () => {
  const dir = tempDataDir();
  const served = await serve([], dir);
  const client = await connect(served.origin, served.token);
  try {
    const added = JSON.parse(hostwatch(['silences', 'add', 'alertname=Always busy', 'host=~loc.*', '--duration', '1h',
      '--comment', 'maintenance of the test', '--author', 'ops', '--json', '--data-dir', dir]));
    assert.deepEqual(added.matchers, [{ name: 'alertname', op: '=', value: 'Always busy' }, { name: 'host', op: '=~', value: 'loc.*' }]);
    assert.equal(added.state, 'active');

    const rule = { metric: 'system.cpu.utilization', op: '>=', threshold: 0, for: 0, severity: 'warning', summary: 'busy {{value}}' } as const;
    await client.request('rules.create', { name: 'Always busy', ...rule });
    await client.waitFor((e) => e.event === 'alert' && (e.data as EventData<'alert'>).alert.ruleName === 'Always busy'
      && (e.data as EventData<'alert'>).transition === 'firing', 15_000);
    await pause(1500);
    const told = () => client.events.filter((e) => e.event === 'notification').map((e) => (e.data as EventData<'notification'>).title);
    assert.deepEqual(told().filter((t) => t.includes('Always busy')), [], 'silenced: nobody is told');
    assert.ok((await client.request('alerts.active')).some((a) => a.ruleName === 'Always busy' && a.state === 'firing'), 'but it fires and shows');

    assert.match(hostwatch(['silences', 'list', '--data-dir', dir]), new RegExp(`${added.id} +active +\\{alertname="Always busy", host=~"loc\\.\\*"\\}.* ops +maintenance of the test`));
    assert.match(hostwatch(['silences', 'expire', String(added.id), '--data-dir', dir]), /is over/);
    const listed = JSON.parse(hostwatch(['silences', 'list', '--json', '--data-dir', dir]));
    assert.equal(listed[0].state, 'expired');

    await client.request('rules.create', { name: 'Always busy too', ...rule });
    await client.waitFor((e) => e.event === 'notification' && (e.data as EventData<'notification'>).title.includes('Always busy too'), 15_000);

    assert.equal(run(['silences', 'add', 'host', '--data-dir', dir]).code, 2);
    assert.match(run(['silences', 'add', 'host=web1', '--duration', 'soon', '--data-dir', dir]).stderr, /--duration takes a duration/);
    assert.match(run(['silences', 'expire', '999', '--data-dir', dir]).stderr, /No silence 999/);
  } finally {
    client.close();
    await served.stop();
  }
});

test('the API lists, adds and expires silences', async () => {
  const served = await serve([], tempDataDir());
  const client = await connect(served.origin, served.token);
  try {
    const now = Date.now();
    const s = await client.request('silences.create', {
      matchers: [{ name: 'host', op: '=', value: 'local' }], startsAt: now + 60_000, endsAt: now + 3_600_000, createdBy: 'ui', comment: '',
    });
    assert.equal(s.state, 'pending');
    assert.deepEqual((await client.request('silences.list')).map((x) => x.id), [s.id]);
    assert.equal((await client.request('silences.expire', { id: s.id })).state, 'expired', 'a pending silence never starts');
    await assert.rejects(client.request('silences.create', { matchers: [], startsAt: now, endsAt: now + 1, createdBy: 'ui', comment: '' }),
      /at least one matcher/);
  } finally {
    client.close();
    await served.stop();
  }
});

test('a maintenance window from the CLI quiets the host while it is on; weekly ones are listed with their zone', async () => {
  const dir = tempDataDir();
  const served = await serve([], dir);
  const client = await connect(served.origin, served.token);
  try {
    const now = Date.now();
    const added = JSON.parse(hostwatch(['maintenance', 'add', 'Upgrade', 'host=local', '--from', new Date(now - 60_000).toISOString(),
      '--to', new Date(now + 3_600_000).toISOString(), '--json', '--data-dir', dir]));
    assert.equal(added.schedule.kind, 'once');
    hostwatch(['maintenance', 'add', 'Nightly backup', 'hostname=~"db.*"', '--weekly', 'mon,tue,wed,thu,fri', '--start', '02:00', '--end', '04:00',
      '--tz', 'Europe/Berlin', '--data-dir', dir]);
    assert.match(hostwatch(['maintenance', 'list', '--data-dir', dir]),
      /Upgrade +\{host="local"\} .* on\n.*Nightly backup +\{hostname=~"db\.\*"\} +Mon, Tue, Wed, Thu, Fri 02:00–04:00 Europe\/Berlin +(on|off)/);

    await client.request('rules.create', { name: 'Busy in maintenance', metric: 'system.cpu.utilization', op: '>=', threshold: 0, for: 0, severity: 'warning', summary: 'busy' });
    await client.waitFor((e) => e.event === 'alert' && (e.data as EventData<'alert'>).alert.ruleName === 'Busy in maintenance'
      && (e.data as EventData<'alert'>).transition === 'firing', 15_000);
    await pause(1500);
    assert.ok(!client.events.some((e) => e.event === 'notification' && (e.data as EventData<'notification'>).title.includes('Busy in maintenance')));
    assert.deepEqual((await client.request('maintenance.list')).map((w) => w.name), ['Upgrade', 'Nightly backup']);

    assert.match(hostwatch(['maintenance', 'remove', String(added.id), '--data-dir', dir]), /Removed/);
    const bad = run(['maintenance', 'add', 'x', 'host=a', '--weekly', 'mon', '--start', '02:00', '--end', '04:00', '--tz', 'Mars/Olympus', '--data-dir', dir]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /schedule\.timeZone: Not a time zone/);
    assert.equal(run(['maintenance', 'add', 'x', 'host=a', '--weekly', 'someday', '--data-dir', dir]).code, 2);
  } finally {
    client.close();
    await served.stop();
  }
});
