/**
 * `hostwatch hosts import-ssh-config` against a real sshd: a config file written in a temp folder, with
 * defaults under `Host *`, a host that works, one that cannot connect, a ProxyCommand and a pattern; the
 * working host is verified (host key with --accept-new, login, first poll) and saved, the others reported.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, tempDataDir } from '../support/serve.ts';
import { sshdSkipReason, startSshd } from '../support/sshd.ts';
import type { Sshd } from '../support/sshd.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`hosts import-ssh-config tests need sshd under CI: ${skip}`);

let sshd: Sshd;
before(async () => {
  if (!skip) sshd = await startSshd({ users: [{ name: 'hwtest-sh', shell: '/bin/sh' }] });
});
after(async () => { await sshd?.close(); });

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: 'pipe', input: '' });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

test('hosts import-ssh-config adds the hosts that work and says why the others were not', { skip: skip ?? false }, () => {
  const dataDir = tempDataDir();
  try {
    const user = sshd.users['hwtest-sh']!;
    const config = join(dataDir, 'ssh_config');
    writeFileSync(config, `# written by the test
Host lab
  HostName ${sshd.address}

Host closed
  HostName ${sshd.address}
  Port 1

Host legacy
  HostName ${sshd.address}
  ProxyCommand nc %h %p

Host *.lab
  User nobody

Host *
  User ${user.name}
  Port ${sshd.port}
  IdentityFile ${user.privateKeyPath}
`);
    const list = () => JSON.parse(run(['hosts', 'list', '--json', '--data-dir', dataDir]).stdout) as
      { name: string; spec: { address: string; port: number; user: string; auth: string; identityFile?: string } | null }[];

    // Without --accept-new the unknown host key is refused, with its fingerprint shown, and nothing is saved.
    const refused = run(['hosts', 'import-ssh-config', config, '--data-dir', dataDir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /^lab: failed: the host key of .* is not known yet: \S+ SHA256:/m);
    assert.ok(!list().some((h) => h.name === 'lab'));

    const imported = run(['hosts', 'import-ssh-config', config, '--accept-new', '--data-dir', dataDir]);
    assert.equal(imported.code, 1, 'closed cannot be added');
    assert.match(imported.stdout, /^lab: added \(id lab\)$/m);
    assert.match(imported.stdout, /^closed: failed: cannot watch \S+, nothing was saved: connecting: .*refused/m);
    assert.match(imported.stdout, /^legacy: skipped: ProxyCommand is not supported; use ProxyJump$/m);
    assert.match(imported.stdout, /^\*\.lab: skipped: /m);

    const lab = list().find((h) => h.name === 'lab');
    assert.deepEqual(lab?.spec && { address: lab.spec.address, port: lab.spec.port, user: lab.spec.user, auth: lab.spec.auth, identityFile: lab.spec.identityFile },
      { address: sshd.address, port: sshd.port, user: user.name, auth: 'identity', identityFile: user.privateKeyPath });
    assert.ok(!list().some((h) => h.name === 'closed' || h.name === 'legacy'));

    // Again: lab exists; the JSON lists each alias's outcome.
    const again = run(['hosts', 'import-ssh-config', config, '--accept-new', '--json', '--data-dir', dataDir]);
    const outcomes = JSON.parse(again.stdout) as { path: string; hosts: { name: string; result: string }[] };
    assert.equal(outcomes.path, config);
    assert.deepEqual(Object.fromEntries(outcomes.hosts.map((h) => [h.name, h.result])),
      { lab: 'exists', closed: 'failed', legacy: 'skipped', '*.lab': 'skipped', '*': 'skipped' });

    const missing = run(['hosts', 'import-ssh-config', join(dataDir, 'nope'), '--data-dir', dataDir]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not exist/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
