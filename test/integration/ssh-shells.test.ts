/**
 * Whatever the user's login shell, the loop runs: the session's command is just `sh`, and the loop goes
 * in on stdin. Users with dash, bash (with a .bashrc that prints a banner), fish and tcsh as login shells
 * each give a full snapshot over a real sshd.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { parseKnownHosts, verifyHostKey } from '../../electron/core/ssh/known-hosts.ts';
import { installedShell, sshdSkipReason, startSshd } from '../support/sshd.ts';
import type { Sshd, TestUserSpec } from '../support/sshd.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`login shell tests need sshd under CI: ${skip}`);

/** user name → login shell; fish and tcsh come from Debian's packages (.ci/run installs them). */
const SHELLS: Record<string, string | null> = {
  'hwtest-dash': '/bin/sh',
  'hwtest-bash': '/bin/bash',
  'hwtest-fish': installedShell('fish'),
  'hwtest-tcsh': installedShell('tcsh'),
};

let sshd: Sshd;
before(async () => {
  if (skip) return;
  const users: TestUserSpec[] = Object.entries(SHELLS).flatMap(([name, shell]) => shell ? [{
    name, shell, ...(name === 'hwtest-bash' ? { bashrc: 'echo "Welcome to $(hostname)!"\nprintf "no newline at the end"\n' } : {}),
  }] : []);
  sshd = await startSshd({ users });
});
after(async () => { await sshd?.close(); });

for (const [user, shell] of Object.entries(SHELLS)) {
  const missing = skip ?? (shell === null ? `${user.slice(7)} is not installed (apt-get install ${user.slice(7)})` : null);
  if (missing && process.env.CI) throw new Error(`the ${user} test needs ${missing}`);
  test(`a user whose login shell is ${user.slice(7)} gets a full snapshot`, { skip: missing ?? false }, async () => {
    const collector = new SshCollector(user, {
      address: sshd.address, port: sshd.port, user,
      auth: { method: 'identity', identityFile: sshd.users[user]!.privateKeyPath },
      jump: [],
      verify: (address, port, key) => verifyHostKey(parseKnownHosts(sshd.knownHostsLine()), address, port, key),
      timeoutMs: 5000,
    }, { minBackoffMs: 200 });
    try {
      let snapshot;
      for (let i = 0; i < 50 && !snapshot; i++) {
        try {
          snapshot = await collector.collect(Date.now());
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      assert.ok(snapshot, `${user} answered`);
      assert.deepEqual(snapshot.errors, []);
      for (const metric of ['system.memory.limit', 'system.uptime', 'system.process.count', 'system.filesystem.utilization']) {
        assert.ok(snapshot.samples.some((s) => s.metric === metric), `${metric} from ${user}`);
      }
    } finally {
      await collector.close();
    }
  });
}
