/**
 * `hostwatch hosts …` against a real sshd, with `hostwatch serve` running on the same data directory:
 * the host key is verified as ssh does, nothing is saved when a stage fails, and the running engine
 * picks up what the command line adds and removes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { HostStatus } from '../../shared/api.ts';
import { BIN, serve, tempDataDir } from '../support/serve.ts';
import { connect } from '../support/ws-client.ts';
import { sshdSkipReason, startSshd } from '../support/sshd.ts';
import type { Sshd } from '../support/sshd.ts';

const skip = sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`hosts CLI tests need sshd under CI: ${skip}`);

let sshd: Sshd;
before(async () => {
  if (!skip) sshd = await startSshd({ users: [{ name: 'hwtest-sh', shell: '/bin/sh', password: 'pw-Hostwatch-1' }] });
});
after(async () => { await sshd?.close(); });

function run(args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', stdio: 'pipe', input: input ?? '' });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

test('hosts add verifies the host key like ssh, and a running serve picks the host up and drops it', { skip: skip ?? false }, async () => {
  const dataDir = tempDataDir();
  const served = await serve([], dataDir);
  const client = await connect(served.origin, served.token);
  try {
    const user = sshd.users['hwtest-sh']!;
    const url = `ssh://${user.name}@${sshd.address}:${sshd.port}`;
    const base = ['hosts', 'add', url, '--identity', user.privateKeyPath, '--name', 'lab', '--interval', '1', '--data-dir', dataDir];

    const unknown = run(base);
    assert.equal(unknown.code, 1);
    const fingerprints = sshd.hostKeys.map((k) => k.fingerprint);
    const shown = /(SHA256:[A-Za-z0-9+/]{43})/.exec(unknown.stderr)?.[1];
    assert.ok(shown && fingerprints.includes(shown), unknown.stderr);
    assert.match(unknown.stderr, /not known yet.*--fingerprint/s);
    assert.equal(run([...base, '--fingerprint', `SHA256:${'A'.repeat(43)}`]).code, 1, 'another fingerprint is refused');
    assert.ok(!JSON.parse(run(['hosts', 'list', '--json', '--data-dir', dataDir]).stdout).some((h: { id: string }) => h.id === 'lab'));

    const added = run([...base, '--fingerprint', shown]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Added lab/);
    const listed = JSON.parse(run(['hosts', 'list', '--json', '--data-dir', dataDir]).stdout);
    const lab = listed.find((h: { id: string }) => h.id === 'lab');
    assert.equal(lab.spec.identityFile, user.privateKeyPath);
    assert.equal(lab.hasSecret, false);

    await client.waitFor((e) => e.event === 'hosts' && (e.data as HostStatus[]).some((h) => h.id === 'lab' && h.state === 'online'), 20_000);

    const line = run(['hosts', 'restrict-key', 'lab', '--data-dir', dataDir]);
    assert.equal(line.code, 0, line.stderr);
    assert.match(line.stdout, /^restrict,command="[^\n]+" ssh-ed25519 /);

    // Commands for its command checks: added, replaced, removed; an unknown one to remove is an error.
    const commands = () => JSON.parse(run(['hosts', 'list', '--json', '--data-dir', dataDir]).stdout)
      .find((h: { id: string }) => h.id === 'lab').spec.commands as { name: string; command: string }[];
    const edit = (...args: string[]) => run(['hosts', 'edit', 'lab', ...args, '--data-dir', dataDir]);
    assert.equal(edit('--command', 'check_ok=echo "OK - fine"; exit 0', '--command', 'check_disk=df -h /').code, 0);
    assert.deepEqual(commands(), [{ name: 'check_ok', command: 'echo "OK - fine"; exit 0' }, { name: 'check_disk', command: 'df -h /' }]);
    assert.equal(edit('--command', 'check_ok=true', '--no-command', 'check_disk').code, 0);
    assert.deepEqual(commands(), [{ name: 'check_ok', command: 'true' }]);
    const unknownCommand = edit('--no-command', 'nope');
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /--no-command nope: the host has no command named nope/);
    assert.equal(edit('--command', 'no equals sign').code, 2);

    // A password needs the key file to be stored.
    const noKey = run(['hosts', 'add', url, '--auth', 'password', '--password-stdin', '--name', 'pw', '--data-dir', dataDir], user.password);
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /--secret-key-file/);

    assert.equal(run(['hosts', 'remove', 'lab', '--data-dir', dataDir]).code, 0);
    await client.waitFor((e) => e.event === 'hosts' && !(e.data as HostStatus[]).some((h) => h.id === 'lab'), 10_000);
  } finally {
    client.close();
    await served.stop();
  }
});
