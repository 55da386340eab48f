/**
 * The SSH collector against a real OpenSSH sshd on 127.0.0.1 (test/support/sshd.ts): first snapshot in
 * time with the values /proc has, a stopped and restarted sshd, a banner-printing .bashrc, a key pinned to
 * the loop, and hosts that flood or hang. Also measures the remote CPU time one snapshot costs.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Sample } from '../../shared/api.ts';
import { seriesKey } from '../../shared/metrics.ts';
import { HostUnavailableError } from '../../electron/core/collectors/collector.ts';
import { SshCollector, type SshCollectorOptions, type SshCollectorStatus } from '../../electron/core/collectors/ssh/collector.ts';
import { restrictedKeyLine } from '../../electron/core/collectors/ssh/loop.ts';
import { connect, type ConnectOptions } from '../../electron/core/ssh/connect.ts';
import { parseKnownHosts, verifyHostKey } from '../../electron/core/ssh/known-hosts.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the SSH collector tests need sshd under CI: ${skip}`);

const INTERVAL_MS = 1000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function value(samples: readonly Sample[], metric: string): number | undefined {
  const key = seriesKey(metric, {});
  return samples.find((s) => seriesKey(s.metric, s.attributes) === key)?.value;
}

function meminfoKiB(field: string): number {
  const line = readFileSync('/proc/meminfo', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`))!;
  return Number(line.split(/\s+/)[1]);
}

describe('SshCollector with a real sshd', { skip: skip ?? false }, () => {
  let sshd: Sshd;
  const collectors: SshCollector[] = [];

  const options = (user: string): ConnectOptions => ({
    address: sshd.address,
    port: sshd.port,
    user,
    auth: { method: 'identity', identityFile: sshd.users[user]!.privateKeyPath },
    jump: [],
    verify: (address, port, key) => verifyHostKey(parseKnownHosts(sshd.knownHostsLine()), address, port, key),
    timeoutMs: 5000,
  });

  const collector = (user: string, extra: SshCollectorOptions = {}) => {
    const statuses: SshCollectorStatus[] = [];
    const c = new SshCollector(`ssh-${user}`, options(user), { onStatus: (s) => statuses.push(s), minBackoffMs: 250, ...extra });
    collectors.push(c);
    return { c, statuses };
  };

  /** Polls every INTERVAL_MS, as the engine does, until a snapshot comes; returns it and when. */
  async function firstSnapshot(c: SshCollector, startedAt: number, limitMs: number) {
    for (;;) {
      try {
        return { snapshot: await c.collect(Date.now()), ms: Date.now() - startedAt };
      } catch (error) {
        assert.ok(error instanceof HostUnavailableError, String(error));
        if (Date.now() - startedAt > limitMs) throw error;
      }
      await pause(INTERVAL_MS);
    }
  }

  before(async () => {
    sshd = await startSshd({
      users: [
        { name: 'hwtest-sh' },
        { name: 'hwtest-bashrc', shell: '/bin/bash', bashrc: 'echo "Welcome, $USER!"\necho "@@hostwatch ready soon"\nprintf "no newline"\n' },
        { name: 'hwtest-pinned' },
        { name: 'hwtest-flood' },
        { name: 'hwtest-hang' },
      ],
    });
    const pin = (user: string, command: string) => {
      const u = sshd.users[user]!;
      writeFileSync(u.authorizedKeysFile, `restrict,command="${command}" ${u.publicKey}\n`);
    };
    writeFileSync(sshd.users['hwtest-pinned']!.authorizedKeysFile, `${restrictedKeyLine(sshd.users['hwtest-pinned']!.publicKey)}\n`);
    pin('hwtest-flood', 'yes @@hostwatch ready');
    pin('hwtest-hang', 'sleep 600');
  });

  after(async () => {
    await Promise.all(collectors.map((c) => c.close()));
    await sshd?.close();
  });

  test('the first snapshot comes within 2 intervals, with the values /proc has, and rates on the next', async () => {
    const t0 = Date.now();
    const { c, statuses } = collector('hwtest-sh');
    const { snapshot, ms } = await firstSnapshot(c, t0, 2 * INTERVAL_MS);
    assert.ok(ms <= 2 * INTERVAL_MS, `${ms} ms`);
    assert.equal(snapshot.host, 'ssh-hwtest-sh');
    assert.deepEqual(snapshot.errors, []);
    assert.equal(value(snapshot.samples, 'system.memory.limit'), meminfoKiB('MemTotal') * 1024);
    const pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
    assert.ok(Math.abs(value(snapshot.samples, 'system.process.count')! - pids) <= 10);
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    assert.ok(Math.abs(value(snapshot.samples, 'system.uptime')! - uptime) < 2);
    await pause(INTERVAL_MS);
    const next = await c.collect(Date.now());
    const cpu = value(next.samples, 'system.cpu.utilization')!;
    assert.ok(cpu >= 0 && cpu <= 1);
    assert.equal(statuses.at(-1)?.state, 'online');
    const processes = await c.processes(Date.now());
    assert.ok(processes.processes.some((p) => p.user === 'root'));
    const inventory = await c.inventory();
    assert.equal(inventory.memoryTotal, meminfoKiB('MemTotal') * 1024);
  });

  test('sshd stopped: collect rejects as unreachable within 2 intervals; sshd back: the collector reconnects', async () => {
    const { c, statuses } = collector('hwtest-sh');
    await firstSnapshot(c, Date.now(), 5000);
    await sshd.stop();
    const stoppedAt = Date.now();
    let error: unknown;
    for (;;) {
      try {
        await c.collect(Date.now());
      } catch (e) {
        error = e;
        break;
      }
      assert.ok(Date.now() - stoppedAt < 2 * INTERVAL_MS, 'still collecting from a stopped sshd');
      await pause(INTERVAL_MS);
    }
    assert.ok(Date.now() - stoppedAt <= 2 * INTERVAL_MS);
    assert.ok(error instanceof HostUnavailableError);
    await pause(300);
    assert.equal(c.status.state, 'unreachable');
    await assert.rejects(c.collect(Date.now()), (e: unknown) => e instanceof HostUnavailableError && e.state === 'unreachable');
    await sshd.start();
    const { snapshot } = await firstSnapshot(c, Date.now(), 10_000);
    assert.deepEqual(snapshot.errors, []);
    assert.deepEqual(statuses.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]).slice(-3), ['online', 'unreachable', 'online']);
  });

  test('a user whose .bashrc prints a banner (and a fake ready line) is collected the same', async () => {
    const { c } = collector('hwtest-bashrc');
    const { snapshot } = await firstSnapshot(c, Date.now(), 5000);
    assert.deepEqual(snapshot.errors, []);
    assert.equal(value(snapshot.samples, 'system.memory.limit'), meminfoKiB('MemTotal') * 1024);
  });

  test('a key pinned with restrictedKeyLine reports, and cannot run a command', async () => {
    const { c } = collector('hwtest-pinned');
    const { snapshot } = await firstSnapshot(c, Date.now(), 5000);
    assert.deepEqual(snapshot.errors, []);
    const connection = await connect(options('hwtest-pinned'));
    try {
      const output = await new Promise<string>((resolve, reject) => {
        connection.client.exec('id', (err, channel) => {
          if (err) return reject(err);
          let text = '';
          channel.on('data', (d: Buffer) => { text += d.toString(); });
          channel.stderr.on('data', (d: Buffer) => { text += d.toString(); });
          channel.on('close', () => resolve(text));
          channel.end();
        });
      });
      assert.equal(output, '@@hostwatch ready\n');
    } finally {
      connection.close();
    }
  });

  test('a host that floods is cut off with an error, within the byte cap', async () => {
    const { c, statuses } = collector('hwtest-flood', { maxAnswerBytes: 256 * 1024 });
    const t0 = Date.now();
    while (!statuses.some((s) => s.state === 'error') && Date.now() - t0 < 5000) await pause(50);
    const error = statuses.find((s) => s.state === 'error');
    assert.ok(error, JSON.stringify(statuses));
    assert.match(error.lastError!, /more than 262144 bytes|refused/);
    await assert.rejects(c.collect(Date.now()), HostUnavailableError);
  });

  test('a host that hangs is cut off with an error after the timeout', async () => {
    const { c, statuses } = collector('hwtest-hang', { answerTimeoutMs: 1000 });
    const t0 = Date.now();
    while (!statuses.some((s) => s.state === 'error') && Date.now() - t0 < 5000) await pause(50);
    const error = statuses.find((s) => s.state === 'error');
    assert.ok(error, JSON.stringify(statuses));
    assert.match(error.lastError!, /did not start within 1 s/);
    assert.ok(Date.now() - t0 < 3000);
    await assert.rejects(c.collect(Date.now()), HostUnavailableError);
  });

  test('remote CPU per snapshot and latency over 200 snapshots (/bin/sh user)', async () => {
    const { c } = collector('hwtest-sh');
    await firstSnapshot(c, Date.now(), 5000);
    const sessionPids = servingProcesses('hwtest-sh');
    assert.ok(sessionPids.length >= 2, `serving processes: ${sessionPids}`);
    const before = cpuTicks(sessionPids);
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await c.collect(Date.now());
      latencies.push(performance.now() - t);
    }
    const ticks = cpuTicks(sessionPids) - before;
    latencies.sort((a, b) => a - b);
    const perSnapshotMs = (ticks * 10) / 200;
    console.log(`remote CPU per snapshot: ${perSnapshotMs.toFixed(2)} ms (${ticks} ticks / 200); latency p50 ${latencies[100]!.toFixed(1)} ms, p95 ${latencies[190]!.toFixed(1)} ms`);
    assert.ok(perSnapshotMs < 20);
  });
});

/** The loop's sh of `user` and the sshd processes above it (the session's privileged and user sshd). */
function servingProcesses(user: string): number[] {
  const uid = Number(readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))!.split(':')[2]);
  const parent = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  const shells = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).filter((pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return /^Name:\s+(sh|dash)$/m.test(status) && new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status);
    } catch {
      return false;
    }
  });
  // The newest session: the one just opened.
  const sh = Math.max(...shells);
  const userSshd = parent(sh);
  return [sh, userSshd, parent(userSshd)];
}

/** utime + stime + cutime + cstime of these processes, clock ticks (proc(5)). */
function cpuTicks(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // Fields from state (3): utime 14, stime 15, cutime 16, cstime 17.
    total += Number(f[14 - 3]) + Number(f[15 - 3]) + Number(f[16 - 3]) + Number(f[17 - 3]);
  }
  return total;
}
