/**
 * The systemd unit check against a real systemd, booted in a container (test/support/nspawn.ts) and
 * reached over SSH as root: an active unit, a failed one with its result and exit status, one that does
 * not exist, a restart loop after `kill -9`, a oneshot that stopped cleanly, errors counted in its
 * journal (the log pattern check); and a host without systemd
 * (this machine, where PID 1 is not systemd) said in words.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LogCheck, SystemdCheck } from '../../shared/checks/index.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import type { CheckContext } from '../../electron/core/checks/runner.ts';
import { discover } from '../../electron/core/checks/discovery.ts';
import { logRunner } from '../../electron/core/checks/runners/log.ts';
import { systemdRunner } from '../../electron/core/checks/runners/systemd.ts';
import type { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { onlineCollector, sshContext } from '../support/ssh-context.ts';
import { bootMachine, nspawnSkipReason, type Machine } from '../support/nspawn.ts';

const skip = nspawnSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the systemd check tests need systemd-nspawn under CI: ${skip}`);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const spec = (unit: string, more: Record<string, unknown> = {}) => SystemdCheck.parse({ type: 'systemd', name: unit, unit, ...more });
const unit = (body: string) => `[Unit]\nDescription=Hostwatch test unit\n\n[Service]\n${body}\n`;

describe('systemd unit checks in a booted container', { skip: skip ?? false, timeout: 300_000 }, () => {
  let machine: Machine;
  let collector: SshCollector;
  /** A context on the container, with `memory` kept by the caller. */
  const context = (memory: Record<string, unknown> = {}): CheckContext => sshContext(collector, 15_000, memory);
  const sh = async (script: string) => {
    const r = await collector.runScript(script, AbortSignal.timeout(30_000), 30_000);
    assert.equal(r.exitCode, 0, `${script}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    machine = await bootMachine({
      '/etc/systemd/system/hwtest-active.service': unit('ExecStart=/bin/sleep infinity'),
      '/etc/systemd/system/hwtest-failing.service': unit('ExecStart=/bin/sh -c "exit 3"'),
      '/etc/systemd/system/hwtest-loop.service': unit('ExecStart=/bin/sleep infinity\nRestart=always\nRestartSec=2'),
      '/etc/systemd/system/hwtest-oneshot.service': unit('Type=oneshot\nExecStart=/bin/true'),
    });
    collector = await onlineCollector({ port: machine.port, user: 'root', keyPath: machine.keyPath, knownHostsLine: machine.knownHostsLine });
    // Starting a failing unit fails: that is the point.
    await sh('systemctl start hwtest-active hwtest-loop hwtest-oneshot; systemctl start hwtest-failing; true');
  });

  after(async () => {
    await collector?.close();
    await machine?.stop();
  });

  test('an active unit is up, with its properties', async () => {
    const outcome = await systemdRunner(spec('hwtest-active.service'), context());
    assert.deepEqual([outcome.status, outcome.reason], ['up', '']);
    const facts = Object.fromEntries(outcome.details.facts!.map((f) => [f.name, f.value]));
    assert.equal(facts.Id, 'hwtest-active.service');
    assert.deepEqual([facts.LoadState, facts.ActiveState, facts.SubState], ['loaded', 'active', 'running']);
    assert.ok(Number(facts.MainPID) > 1);
    assert.deepEqual(outcome.metrics.map((m) => [m.metric, m.value]), [['hostwatch.systemd.unit.restarts', 0], ['hostwatch.systemd.unit.active', 1]]);
    // A bare name means .service.
    assert.equal((await systemdRunner(spec('hwtest-active'), context())).status, 'up');
  });

  test('a failed unit is down with its result and exit status; a missing one is not found', async () => {
    const failed = await systemdRunner(spec('hwtest-failing.service'), context());
    assert.deepEqual([failed.status, failed.reason], ['down', 'failed (exit-code, status 3)']);
    const missing = await systemdRunner(spec('hwtest-missing.service'), context());
    assert.deepEqual([missing.status, missing.reason], ['down', 'unit hwtest-missing.service not found']);
    assert.throws(() => spec("x';touch /tmp/owned;'"), /A unit name has only/);
    // What the schema lets through goes to systemctl as one word: a backslash stays a backslash.
    const escaped = await systemdRunner(spec('hwtest\\x2dmissing.service'), context());
    assert.deepEqual([escaped.status, escaped.reason], ['down', 'unit hwtest\\x2dmissing.service not found']);
  });

  test('a unit killed with -9 restarts: down while restarting, its restarts counted, degraded after', async () => {
    const memory = {};
    assert.equal((await systemdRunner(spec('hwtest-loop.service'), context(memory))).status, 'up');
    await sh('kill -9 "$(systemctl show -p MainPID --value hwtest-loop.service)"');
    await pause(300);
    const restarting = await systemdRunner(spec('hwtest-loop.service'), context({ ...memory }));
    assert.equal(restarting.status, 'down');
    assert.match(restarting.reason, /^restarting after signal/);
    for (let i = 0; i < 50; i++) {
      if ((await sh('systemctl is-active hwtest-loop.service || true')).trim() === 'active') break;
      await pause(200);
    }
    const back = await systemdRunner(spec('hwtest-loop.service'), context(memory));
    assert.deepEqual([back.status, back.reason], ['degraded', 'restarted 1 time since the last run (1 in all)']);
    assert.equal(back.metrics.find((m) => m.metric === 'hostwatch.systemd.unit.restarts')!.value, 1);
    assert.equal((await systemdRunner(spec('hwtest-loop.service'), context(memory))).status, 'up', 'no new restart since');
  });

  test('errors in the journal are counted from the first run on, each once, over the window', async () => {
    const spec = LogCheck.parse({ type: 'log', name: 'journal', source: 'journal', priority: 'err', pattern: 'hwtest', windowSeconds: 60, criticalCount: 1 });
    const memory = {};
    const first = await logRunner(spec, context(memory));
    assert.deepEqual([first.status, first.metrics[0]!.value], ['up', 0]);
    await sh('logger -p user.err "hwtest boom 1"; logger -p user.err "hwtest boom 2"; logger -p user.info "hwtest fine"; logger -p user.err "other"');
    let second = await logRunner(spec, context(memory));
    for (let i = 0; i < 20 && second.metrics[0]!.value < 2; i++) {
      await pause(250);
      second = await logRunner(spec, context(memory));
    }
    assert.deepEqual([second.status, second.reason], ['down', '2 lines matched /hwtest/ in the last 1 min, more than 1']);
    assert.match(second.excerpt ?? '', /hwtest boom 1\n.*hwtest boom 2$/);
    const third = await logRunner(spec, context(memory));
    assert.equal(third.metrics[0]!.value, 2, 'the same entries are not counted again; the window still holds them');
  });

  test('discovery lists the running and failed services; no container engine is said, not fatal', async () => {
    const found = await discover(context(), '/run/hwtest-no-docker.sock');
    const byUnit = Object.fromEntries(found.units!.map((u) => [u.unit, `${u.activeState}/${u.subState}`]));
    assert.equal(byUnit['hwtest-active.service'], 'active/running');
    assert.equal(byUnit['hwtest-failing.service'], 'failed/failed');
    assert.equal(byUnit['ssh.service'], 'active/running');
    assert.ok(!('hwtest-oneshot.service' in byUnit), 'neither running nor failed');
    assert.equal(found.units!.find((u) => u.unit === 'hwtest-active.service')?.description, 'Hostwatch test unit');
    assert.equal(found.containers, null);
    assert.deepEqual(found.errors, ['no Docker Engine API at /run/hwtest-no-docker.sock (no such socket, or the host does not allow ' +
      'forwarding to it): is docker or `podman system service` running?']);
  });

  test('a oneshot that ran is inactive: down, unless stopped cleanly is fine', async () => {
    const strict = await systemdRunner(spec('hwtest-oneshot.service'), context());
    assert.deepEqual([strict.status, strict.reason], ['down', 'inactive (dead)']);
    assert.equal((await systemdRunner(spec('hwtest-oneshot.service', { inactiveIsUp: true }), context())).status, 'up');
  });
});

test('a host without systemd: down, in systemctl\'s words', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, async (t) => {
  const outcome = await systemdRunner(spec('nginx.service'), localContext(10_000));
  if (outcome.status !== 'down') return t.skip('this machine runs systemd');
  assert.match(outcome.reason, /^systemctl(: | is not installed)/);
});
