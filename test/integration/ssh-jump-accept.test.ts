/**
 * A host behind a jump host, added the way a user does it: the test shows the jump host's unknown key
 * first, then, once it is accepted, the target's; after both are accepted the host is watched through
 * the jump host. Real sshd on each side, in network namespaces where the target is reachable only through
 * the jump host.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSshSupport } from '../../electron/core/collectors/ssh/support.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { HostSpec } from '../../shared/hosts.ts';
import { makeJumpNetwork, netnsSkipReason, startSshd } from '../support/sshd.ts';
import type { JumpNetwork, Sshd } from '../support/sshd.ts';
import { tempDataDir } from '../support/serve.ts';

const skip = netnsSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the jump host test needs sshd and network namespaces under CI: ${skip}`);
const USER = 'hwtest-jump';

let network: JumpNetwork;
let jump: Sshd;
let target: Sshd;
before(async () => {
  if (skip) return;
  network = makeJumpNetwork();
  jump = await startSshd({ users: [{ name: USER }], netns: network.jump.netns, listen: network.jump.address });
  target = await startSshd({ users: [{ name: USER }], netns: network.target.netns, listen: network.target.address });
});
after(async () => {
  await target?.close();
  await jump?.close();
  network?.remove();
});

test('the jump host\'s key and then the target\'s are shown and accepted, and the host answers through the jump host', { skip: skip ?? false }, async () => {
  const db = openDatabase(join(tempDataDir(), 'hostwatch.db'));
  try {
    const support = createSshSupport(db, { knownHostsFile: null });
    const spec = HostSpec.parse({
      name: 'behind', address: target.address, port: target.port, user: USER, auth: 'identity',
      identityFile: target.users[USER]!.privateKeyPath,
      jump: [{ address: jump.address, port: jump.port }],
    });
    // Jump hops log in with the host's identity file: authorize it on the jump host too.
    appendFileSync(jump.users[USER]!.authorizedKeysFile, `${target.users[USER]!.publicKey}\n`);

    const first = await support.test(spec, undefined);
    assert.equal(first.keyVerdict, 'unknown');
    assert.ok(jump.hostKeys.some((k) => k.fingerprint === first.offeredKey!.fingerprint), 'the jump host\'s key is shown first');
    support.acceptKey(spec, first.offeredKey!.fingerprint);

    const second = await support.test(spec, undefined);
    assert.equal(second.keyVerdict, 'unknown');
    assert.ok(target.hostKeys.some((k) => k.fingerprint === second.offeredKey!.fingerprint), 'then the target\'s');
    support.acceptKey(spec, second.offeredKey!.fingerprint);

    const third = await support.test(spec, undefined);
    assert.deepEqual(third.stages.map((s) => [s.stage, s.ok]).at(-1), ['first_poll', true]);
    assert.equal(third.keyVerdict, 'trusted');
  } finally {
    db.close();
  }
});
