/**
 * Scripts run on a host (electron/core/scripts.ts) here and over SSH against a real sshd, with login
 * shells that are not sh: exit codes and output, the output cap against a flooding script, a timeout that
 * kills the whole script; and a Unix socket on the host reached through streamlocal forwarding.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HostUnavailableError } from '../../electron/core/collectors/collector.ts';
import { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { SCRIPT_OUTPUT_CAP_BYTES, runScriptHere, type ScriptRunner } from '../../electron/core/scripts.ts';
import { parseKnownHosts, verifyHostKey } from '../../electron/core/ssh/known-hosts.ts';
import { installedShell, sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the script tests need sshd under CI: ${skip}`);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether process `pid` still runs. */
function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readStatus(pid));
}
function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 'State: Z';
  }
}

/** The same behaviour wherever a script runs. */
function behaves(name: string, runner: () => ScriptRunner) {
  test(`${name}: exit code, stdout and stderr, C locale`, async () => {
    const result = await runner()('echo "out $LC_ALL"; echo err >&2; exit 3', AbortSignal.timeout(10_000), 10_000);
    assert.deepEqual(result, { exitCode: 3, signal: null, stdout: 'out C\n', stderr: 'err\n', truncated: false });
  });

  test(`${name}: a flood is cut at the cap and the script killed`, async () => {
    const result = await runner()('yes hostwatch', AbortSignal.timeout(10_000), 10_000);
    assert.equal(result.truncated, true);
    assert.equal(Buffer.byteLength(result.stdout), SCRIPT_OUTPUT_CAP_BYTES);
  });

  test(`${name}: a script past its time is killed with what it started`, async () => {
    const started = Date.now();
    const signal = AbortSignal.timeout(500);
    const pidFile = join(tmpdir(), `hwtest-script-${process.pid}-${name.replace(/\W/g, '')}`);
    await assert.rejects(runner()(`sleep 30 & echo $! > ${pidFile}; chmod 666 ${pidFile}; wait`, signal, 500), { name: 'TimeoutError' });
    assert.ok(Date.now() - started < 3000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    rmSync(pidFile, { force: true });
    for (let i = 0; i < 50 && alive(pid); i++) await pause(100);
    assert.equal(alive(pid), false, `sleep ${pid} still runs`);
  });
}

describe('scripts on this machine', () => {
  behaves('here', () => runScriptHere);
});

describe('scripts and Unix sockets over SSH', { skip: skip ?? false }, () => {
  let sshd: Sshd;
  const collectors: SshCollector[] = [];
  const fish = installedShell('fish');
  const users = [{ name: 'hwtest-sh' }, ...(fish ? [{ name: 'hwtest-fish', shell: fish }] : [])];

  const online = async (user: string) => {
    const c = new SshCollector(`ssh-${user}`, {
      address: sshd.address, port: sshd.port, user,
      auth: { method: 'identity', identityFile: sshd.users[user]!.privateKeyPath },
      jump: [],
      verify: (address, port, key) => verifyHostKey(parseKnownHosts(sshd.knownHostsLine()), address, port, key),
      timeoutMs: 5000,
    }, { minBackoffMs: 250 });
    collectors.push(c);
    for (let i = 0; i < 100 && c.status.state !== 'online'; i++) await pause(100);
    assert.equal(c.status.state, 'online', c.status.lastError ?? '');
    return c;
  };

  before(async () => {
    sshd = await startSshd({ users });
  });
  after(async () => {
    await Promise.all(collectors.map((c) => c.close()));
    await sshd?.close();
  });

  for (const { name } of users) {
    let collector: SshCollector;
    test(`${name} connects`, async () => {
      collector = await online(name);
    });
    behaves(name, () => (script, signal, limitMs) => collector.runScript(script, signal, limitMs));
  }

  test('a Unix socket on the host answers through streamlocal forwarding', async () => {
    const collector = await online('hwtest-sh');
    const dir = mkdtempSync(join(tmpdir(), 'hwtest-sock-'));
    chmodSync(dir, 0o755);
    const path = join(dir, 'echo.sock');
    const server = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    chmodSync(path, 0o777);
    try {
      const stream = await collector.forwardOutStreamLocal(path);
      const answer = new Promise<string>((resolve) => stream.once('data', (d: Buffer) => resolve(d.toString())));
      stream.write('ping through ssh');
      assert.equal(await answer, 'ping through ssh');
      stream.destroy();
      await assert.rejects(collector.forwardOutStreamLocal(join(dir, 'none.sock')), /could not connect to .*none\.sock/);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a host that is not connected: HostUnavailableError, for scripts and sockets', async () => {
    const collector = await online('hwtest-sh');
    await collector.close();
    await assert.rejects(collector.runScript('true', AbortSignal.timeout(1000), 1000), HostUnavailableError);
    await assert.rejects(collector.forwardOutStreamLocal('/run/none.sock'), HostUnavailableError);
  });
});
