/** Discovery's rows (failed first, watched ones marked) and the checks added for what was ticked. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckSpec, type CheckStatus, type Discovery } from '../../../shared/checks/index.ts';
import { choicesOf, specsFor } from '../../../renderer/src/views/checks/discoveryChoices.ts';

const found: Discovery = {
  units: [
    { unit: 'cron.service', description: 'Regular background program processing daemon', loadState: 'loaded', activeState: 'active', subState: 'running' },
    { unit: 'nginx.service', description: 'A high performance web server', loadState: 'loaded', activeState: 'failed', subState: 'failed' },
    { unit: 'ssh.service', description: 'OpenBSD Secure Shell server', loadState: 'loaded', activeState: 'active', subState: 'running' },
  ],
  containers: [
    { id: 'a1', name: 'web', image: 'nginx:1.27', state: 'running', status: 'Up 3 hours', health: 'healthy' },
    { id: 'b2', name: 'db', image: 'postgres:16', state: 'running', status: 'Up 3 hours', health: 'unhealthy' },
  ],
  errors: [],
};

function status(spec: Record<string, unknown>): CheckStatus {
  return { id: 1, spec: CheckSpec.parse(spec), state: 'up', since: 0, consecutiveFailures: 0, consecutiveSuccesses: 1, last: null };
}

test('failed and unhealthy first; a unit or container already checked on this host is marked', () => {
  const checks = [status({ type: 'systemd', name: 'ssh', host: 'web1', unit: 'ssh' }), status({ type: 'systemd', name: 'cron', host: 'other', unit: 'cron.service' })];
  const rows = choicesOf(found, 'web1', checks);
  assert.deepEqual(rows.map((r) => [r.name, r.state, r.bad, r.watched]), [
    ['nginx.service', 'failed/failed', true, false],
    ['cron.service', 'active/running', false, false],
    ['ssh.service', 'active/running', false, true],
    ['db', 'running (unhealthy)', true, false],
    ['web', 'running (healthy)', false, false],
  ]);
  const allContainers = [status({ type: 'container', name: 'all', host: 'web1', container: '*' })];
  assert.ok(choicesOf(found, 'web1', allContainers).filter((r) => r.kind === 'container').every((r) => r.watched), 'an all-containers check watches each');
});

test('ticked rows become checks on the host; watched ones are not added twice', () => {
  const rows = choicesOf(found, 'web1', [status({ type: 'systemd', name: 'ssh', host: 'web1', unit: 'ssh.service' })]);
  const specs = specsFor(rows, new Set(['unit:nginx.service', 'unit:ssh.service', 'container:db']), 'web1', '/run/podman/podman.sock');
  assert.deepEqual(specs.map((s) => [s.type, s.name, s.host]), [['systemd', 'nginx.service', 'web1'], ['container', 'Container db', 'web1']]);
  assert.equal(specs[1]!.type === 'container' && specs[1]!.socket, '/run/podman/podman.sock');
  assert.equal(specs[0]!.intervalSeconds, 60, 'the defaults filled in');
});
