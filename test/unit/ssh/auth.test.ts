/** planAuth with real key files made by ssh-keygen: which attempts, in which order, and what is wrong. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { planAuth } from '../../../electron/core/ssh/auth.ts';

const skip = !process.env.CI && !existsSync('/usr/bin/ssh-keygen') && 'ssh-keygen is not installed (apt-get install openssh-client)';

describe('planAuth', { skip }, () => {
  let home: string;
  const saved = { HOME: process.env.HOME, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };

  before(() => {
    home = mkdtempSync(join(tmpdir(), 'hostwatch-auth-'));
    mkdirSync(join(home, '.ssh'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh', 'id_ed25519')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret words', '-f', join(home, '.ssh', 'id_rsa')]);
    process.env.HOME = home;
    delete process.env.SSH_AUTH_SOCK;
  });
  after(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(home, { recursive: true, force: true });
  });

  test('auto tries the agent, then the identity file, then the default identities in ssh\'s order', async () => {
    const plan = await planAuth({ method: 'auto', agent: '/run/agent.sock', identityFile: '~/.ssh/id_ed25519' });
    assert.deepEqual(plan.attempts.map((a) => a.label), ['agent', 'identity file ~/.ssh/id_ed25519', 'identity file ~/.ssh/id_ed25519']);
    assert.deepEqual(plan.problems, ['The identity file ~/.ssh/id_rsa is protected by a passphrase: enter it']);
  });

  test('auto without an agent uses the default identities that exist and can be read', async () => {
    const plan = await planAuth({ method: 'auto' });
    assert.deepEqual(plan.attempts.map((a) => a.label), ['identity file ~/.ssh/id_ed25519']);
  });

  test('an encrypted identity file is decrypted with the right passphrase and refused with a wrong one', async () => {
    const right = await planAuth({ method: 'identity', identityFile: '~/.ssh/id_rsa', passphrase: 'secret words' });
    assert.equal(right.attempts.length, 1);
    const wrong = await planAuth({ method: 'identity', identityFile: '~/.ssh/id_rsa', passphrase: 'guess' });
    assert.deepEqual(wrong, { attempts: [], problems: ['The passphrase of the identity file ~/.ssh/id_rsa is wrong'] });
  });

  test('a missing identity file, a public key and a missing password are said plainly', async () => {
    assert.deepEqual((await planAuth({ method: 'identity', identityFile: join(home, 'nope') })).problems, [`Cannot read the identity file ${join(home, 'nope')} (ENOENT)`]);
    assert.match((await planAuth({ method: 'identity', identityFile: '~/.ssh/id_ed25519.pub' })).problems[0]!, /holds no private key/);
    assert.deepEqual((await planAuth({ method: 'password' })).problems, ['Enter the password for password authentication']);
    assert.deepEqual((await planAuth({ method: 'agent' })).problems, ['No ssh-agent is running (SSH_AUTH_SOCK is not set)']);
  });
});
