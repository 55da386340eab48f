/**
 * Command checks with Nagios semantics against a real sshd on 127.0.0.1 (test/support/sshd.ts): the
 * exit codes 0–3 and others, the first line and its performance data, a command that hangs past the
 * timeout (killed on the host, nothing left running), one that floods; and through the whole engine
 * (`hostwatch serve`, its WebSocket API): commands in a host's settings, a check naming one goes down
 * with the command's words, one naming a command the host lacks is refused.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { HostStatus } from '../../shared/api.ts';
import { CommandCheck, type CheckStatus } from '../../shared/checks/index.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import { CheckUnavailableError, type CheckContext } from '../../electron/core/checks/runner.ts';
import { commandRunner, parsePluginLine } from '../../electron/core/checks/runners/command.ts';
import type { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { onlineCollector, sshContext } from '../support/ssh-context.ts';
import { serve, tempDataDir, type Served } from '../support/serve.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';
import { connect } from '../support/ws-client.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the command check tests need sshd under CI: ${skip}`);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MARK = `hwcmd${process.pid}`;

/** Pids of processes whose command line holds `text`. */
function running(text: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)) out.push(Number(pid));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

test('a plugin line: status text before |, performance data after it', () => {
  assert.deepEqual(parsePluginLine("DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968 'data dir'=12.5% load=U"), {
    text: 'DISK OK - free space: / 3326 MB (56%);',
    perfdata: [{ label: '/', value: '2643', unit: 'MB' }, { label: 'data dir', value: '12.5', unit: '%' }, { label: 'load', value: 'U', unit: '' }],
  });
  assert.deepEqual(parsePluginLine('PING OK'), { text: 'PING OK', perfdata: [] });
});

describe('command checks over SSH', { skip: skip ?? false }, () => {
  let sshd: Sshd;
  let collector: SshCollector;
  const commands: Record<string, string> = {
    ok: 'echo "OK - all fine | users=3;5;10;0"',
    warning: 'echo "WARNING - 2 of 3 workers"; exit 1',
    critical: 'echo "CRITICAL - queue is 1200 deep" >&2; exit 2',
    unknown: 'echo "UNKNOWN - cannot reach the socket"; exit 3',
    missing: 'hwtest-no-such-plugin --check',
    odd: 'exit 42',
    hang: `sleep 30 # ${MARK}`,
    flood: 'yes flood',
  };
  const context = (timeoutMs = 5000): CheckContext => ({ ...sshContext(collector, timeoutMs), hostCommand: (name) => commands[name] ?? null });
  const run = (command: string, timeoutMs?: number) =>
    commandRunner(CommandCheck.parse({ type: 'command', name: command, command }), context(timeoutMs));

  before(async () => {
    sshd = await startSshd();
    collector = await onlineCollector({ sshd });
  });
  after(async () => {
    await collector?.close();
    await sshd?.close();
  });

  test('exit codes 0, 1, 2 are up, degraded, down with the first line; 3 is unknown', async () => {
    const ok = await run('ok');
    assert.deepEqual([ok.status, ok.reason], ['up', '']);
    assert.deepEqual(ok.details.facts, [{ name: 'Exit code', value: '0' }, { name: 'users', value: '3' }]);
    assert.deepEqual(ok.metrics, [{ metric: 'hostwatch.check.command.exit_code', attributes: {}, value: 0 }]);
    const warning = await run('warning');
    assert.deepEqual([warning.status, warning.reason], ['degraded', 'WARNING - 2 of 3 workers']);
    const critical = await run('critical');
    assert.deepEqual([critical.status, critical.reason], ['down', 'CRITICAL - queue is 1200 deep'], 'stderr when stdout is empty');
    await assert.rejects(run('unknown'), (e: unknown) => e instanceof CheckUnavailableError && e.message === 'UNKNOWN - cannot reach the socket');
  });

  test('other codes, a command not found, one the host does not have', async () => {
    const missing = await run('missing');
    assert.equal(missing.status, 'down');
    assert.match(missing.reason, /^command not found: .*hwtest-no-such-plugin/);
    assert.deepEqual([(await run('odd')).reason], ['exit code 42']);
    const none = await run('nothing');
    assert.deepEqual([none.status, none.reason], ['down', 'the host has no command named nothing in its settings']);
  });

  test('a command past the timeout is down and killed on the host; a flood is cut', async () => {
    const hang = await run('hang', 1500);
    assert.deepEqual([hang.status, hang.reason], ['down', 'timed out after 1.5 s']);
    for (let i = 0; i < 40 && running(MARK).length > 0; i++) await pause(100);
    assert.deepEqual(running(MARK), [], 'the host killed it');
    const flood = await run('flood');
    assert.equal(flood.status, 'down');
    assert.match(flood.reason, /^the command printed more than 1 MiB: flood$/);
    assert.ok(flood.excerpt!.length <= 1025);
  });
});

describe('command checks through the engine', { skip: skip ?? false }, () => {
  let sshd: Sshd;
  let served: Served;
  before(async () => {
    sshd = await startSshd();
    served = await serve([], tempDataDir());
  });
  after(async () => {
    await served?.stop();
    await sshd?.close();
  });

  test('commands live in the host\'s settings; a check runs one; a check naming another is refused', async () => {
    const client = await connect(served.origin, served.token);
    try {
      const user = sshd.users['hwtest-sh']!;
      const spec = {
        name: 'box', address: sshd.address, port: sshd.port, user: user.name, auth: 'identity' as const,
        identityFile: user.privateKeyPath, intervalSeconds: 1,
        commands: [{ name: 'check_queue', command: 'echo "CRITICAL - queue is 1200 deep | depth=1200"; exit 2' }],
      };
      const offered = await client.request('hosts.test', { spec });
      await client.request('hosts.add', { spec, acceptKey: offered.offeredKey!.fingerprint });
      await client.waitFor((e) => e.event === 'hosts' && (e.data as HostStatus[]).some((h) => h.id === 'box' && h.state === 'online'), 15_000);

      await assert.rejects(client.request('checks.create', { type: 'command', name: 'x', host: 'box', command: 'rm_everything' }),
        /The host has no command named rm_everything/);
      await assert.rejects(client.request('checks.create', { type: 'command', name: 'y', command: 'check_queue' }),
        /this machine has none/);
      const check = await client.request('checks.create', {
        type: 'command', name: 'Queue', host: 'box', command: 'check_queue', intervalSeconds: 1, failureThreshold: 1,
      });
      const down = await client.waitFor((e) => e.event === 'check' && (e.data as CheckStatus).id === check.id
        && (e.data as CheckStatus).state === 'down', 20_000).then((e) => e.data as CheckStatus);
      assert.equal(down.last?.reason, 'CRITICAL - queue is 1200 deep');
      assert.deepEqual(down.last?.details.facts, [{ name: 'Exit code', value: '2' }, { name: 'depth', value: '1200' }]);
      const events = await client.request('checks.events', { id: check.id });
      assert.equal(events[0]?.reason, 'CRITICAL - queue is 1200 deep');
    } finally {
      client.close();
    }
  });
});

test('this machine has no host commands', () => {
  assert.equal(localContext(1000).hostCommand('anything'), null);
});
