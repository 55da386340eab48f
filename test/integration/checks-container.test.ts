/**
 * The container check against Debian's podman serving the Docker Engine API (test/support/podman.ts):
 * running, healthy, unhealthy, starting, exited with its code, paused, a restart loop, one that does not
 * exist, every container of the host at once, the listing discovery shows; an engine that is not there
 * or answers garbage; and the same checks through SSH streamlocal forwarding to the socket (a real sshd
 * on 127.0.0.1).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ContainerCheck } from '../../shared/checks/index.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import type { CheckContext } from '../../electron/core/checks/runner.ts';
import { discover } from '../../electron/core/checks/discovery.ts';
import { containerRunner, discoverContainers } from '../../electron/core/checks/runners/container.ts';
import type { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { onlineCollector, sshContext } from '../support/ssh-context.ts';
import { TEST_IMAGE, podmanSkipReason, startPodman, type Podman } from '../support/podman.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';

const skip = podmanSkipReason();
const noSshd = sshdSkipReason();
if ((skip ?? noSshd) !== null && process.env.CI) throw new Error(`the container check tests need podman and sshd under CI: ${skip ?? noSshd}`);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let podman: Podman;
const check = (container: string, more: Record<string, unknown> = {}) =>
  ContainerCheck.parse({ type: 'container', name: container, container, socket: podman.socket, ...more });

describe('container checks with podman', { skip: skip ?? false, timeout: 180_000 }, () => {
  before(async () => {
    podman = await startPodman();
    const run = (...args: string[]) => podman.run('run', '--detach', ...args);
    run('--name', 'web', TEST_IMAGE, 'sleep', '3600');
    run('--name', 'healthy', '--health-cmd', 'true', '--health-interval', '0', TEST_IMAGE, 'sleep', '3600');
    run('--name', 'sick', '--health-cmd', 'echo db unreachable; false', '--health-retries', '1', '--health-interval', '0', TEST_IMAGE, 'sleep', '3600');
    run('--name', 'booting', '--health-cmd', 'true', '--health-interval', '0', TEST_IMAGE, 'sleep', '3600');
    run('--name', 'done', TEST_IMAGE, 'sh', '-c', 'exit 3');
    run('--name', 'frozen', TEST_IMAGE, 'sleep', '3600');
    run('--name', 'looping', '--restart', 'always', TEST_IMAGE, 'sh', '-c', 'exit 1');
    // Health timers need systemd: the test runs the checks itself.
    podman.run('healthcheck', 'run', 'healthy');
    try {
      podman.run('healthcheck', 'run', 'sick');
    } catch {
      // It fails: that is the point.
    }
    podman.run('pause', 'frozen');
    podman.run('wait', 'done');
  });
  after(async () => {
    await podman?.close();
  });

  /** The checks, wherever the socket is reached from. */
  function behaves(where: string, context: () => CheckContext) {
    test(`${where}: running and healthy ones are up, with their facts and metrics`, async () => {
      const web = await containerRunner(check('web'), context());
      assert.deepEqual([web.status, web.reason], ['up', '']);
      const facts = Object.fromEntries(web.details.facts!.map((f) => [f.name, f.value]));
      assert.deepEqual([facts.Image, facts.State, facts.Health, facts.Restarts], [`${TEST_IMAGE}:latest`, 'running', 'no health check', '0']);
      assert.deepEqual(web.metrics.map((m) => [m.metric, m.attributes['container.name'], m.value]), [
        ['hostwatch.container.running', 'web', 1], ['hostwatch.container.restarts', 'web', 0], ['hostwatch.container.health.failing_streak', 'web', 0],
      ]);
      assert.equal((await containerRunner(check('healthy'), context())).status, 'up');
    });

    test(`${where}: unhealthy, starting, exited, paused, restarting, missing — each in words`, async () => {
      const sick = await containerRunner(check('sick'), context());
      assert.deepEqual([sick.status, sick.reason], ['down', 'unhealthy: failing streak 1, last output: db unreachable']);
      const booting = await containerRunner(check('booting'), context());
      assert.deepEqual([booting.status, booting.reason], ['degraded', 'starting: its health check has not passed yet']);
      const done = await containerRunner(check('done'), context());
      assert.equal(done.status, 'down');
      assert.match(done.reason, /^exited with code 3 at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      assert.deepEqual([(await containerRunner(check('frozen'), context())).reason], ['paused']);
      // Caught between restarts it is down; caught running, its restarts since the last run show.
      const memory = {};
      await containerRunner(check('looping'), { ...context(), memory });
      await pause(1500);
      const looping = await containerRunner(check('looping'), { ...context(), memory });
      assert.notEqual(looping.status, 'up');
      assert.match(looping.reason, /^exited with code 1 at .* \(restarted \d+ times\)$|^restarting|^restarted \d+ times? since the last run/);
      const missing = await containerRunner(check('nope'), context());
      assert.deepEqual([missing.status, missing.reason], ['down', 'no container named nope']);
    });

    test(`${where}: every container at once, each with its own state; the listing discovery shows`, async () => {
      const all = await containerRunner(check('*'), context());
      assert.equal(all.status, 'down');
      const deps = Object.fromEntries(all.details.dependencies!.map((d) => [d.name, d.status]));
      assert.deepEqual(deps, { booting: 'degraded', frozen: 'down', healthy: 'up', sick: 'down', web: 'up', ...(deps.looping ? { looping: deps.looping } : {}) });
      assert.match(all.reason, /containers not well: /);
      const withStopped = await containerRunner(check('*', { includeStopped: true }), context());
      assert.equal(withStopped.details.dependencies!.find((d) => d.name === 'done')?.status, 'down');
      const listed = await discoverContainers(context(), podman.socket);
      assert.deepEqual(listed.map((c) => c.name).sort(), ['booting', 'done', 'frozen', 'healthy', 'looping', 'sick', 'web']);
      assert.equal(listed.find((c) => c.name === 'sick')?.health, 'unhealthy');
      assert.equal(listed.find((c) => c.name === 'done')?.state, 'exited');
    });
  }

  behaves('here', () => localContext(10_000));

  test('discovery on a machine without systemd: its containers, and why there are no services', async () => {
    const found = await discover(localContext(10_000), podman.socket);
    assert.deepEqual(found.containers!.map((c) => c.name).sort(), ['booting', 'done', 'frozen', 'healthy', 'looping', 'sick', 'web']);
    assert.equal(found.units, null);
    assert.match(found.errors[0] ?? '', /^systemctl: System has not been booted with systemd/);
  });

  test('no engine at the socket, or one that answers garbage: down, in words', async () => {
    const none = await containerRunner(check('web', { socket: '/run/hwtest-none.sock' }), localContext(5000));
    assert.deepEqual([none.status, none.reason],
      ['down', 'no Docker Engine API at /run/hwtest-none.sock (no such socket): is docker or `podman system service` running?']);
    const dir = mkdtempSync(join(tmpdir(), 'hwtest-fake-engine-'));
    try {
      for (const [answer, reason] of [
        [`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[${'0,'.repeat(700_000)}0]`, /answered more than 1 MiB/],
        ['SSH-2.0-not-http\r\n', /did not answer in HTTP/],
        ['HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', /answered something else than JSON/],
      ] as const) {
        const path = join(dir, 'engine.sock');
        // The check hangs up on a flood: the server's write then fails, as it would on a real one.
        const server = net.createServer((s) => s.on('error', () => {}).once('data', () => s.end(answer)));
        await new Promise<void>((resolve) => server.listen(path, resolve));
        const outcome = await containerRunner(check('web', { socket: path }), localContext(5000));
        server.close();
        rmSync(path, { force: true });
        assert.equal(outcome.status, 'down');
        assert.match(outcome.reason, reason);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('through SSH streamlocal forwarding', { skip: noSshd ?? false }, () => {
    let sshd: Sshd;
    let collector: SshCollector;
    before(async () => {
      sshd = await startSshd();
      collector = await onlineCollector({ sshd });
      chmodSync(podman.socket, 0o666);
    });
    after(async () => {
      await collector?.close();
      await sshd?.close();
    });
    behaves('over SSH', () => sshContext(collector, 10_000));
  });
});
