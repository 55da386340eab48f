/**
 * Hosts from ~/.ssh/config: realistic configs (defaults under `Host *`, a bastion used through its alias,
 * ProxyCommand, patterns, tokens, Include), the resolved address, port and user compared with what
 * OpenSSH itself resolves (`ssh -G`), and the bounded file read.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  readSshConfigFile, readSshConfigHosts, sshConfigImport, type SshConfigHosts,
} from '../../../electron/core/ssh/ssh-config.ts';

const SSH = '/usr/bin/ssh';
const OPTIONS = { home: '/home/me', defaultUser: 'me' };

const CONFIG = `# Work
Host bastion
  HostName bastion.example.com
  User jump
  Port 2222

Host web1 web2
  HostName %h.example.com
  ProxyJump bastion

Host db
  HostName db.internal
  User postgres
  ProxyJump bastion,ops@gw.example.com:2200
  IdentityFile ~/.ssh/db_ed25519

Host legacy
  HostName legacy.example.com
  ProxyCommand ssh -W %h:%p bastion

Host *.prod web-? !web-9
  User deploy

Host laptop
  HostName laptop.local
  IdentityFile %d/.ssh/laptop_%r@%h

Host weird
  IdentityFile ~/.ssh/%C

Host direct
  ProxyJump none
  IdentityFile none

Host *
  User alice
  Port 2022
  IdentityFile ~/.ssh/id_ed25519
  ServerAliveInterval 30
`;

function byAlias(result: SshConfigHosts, alias: string) {
  return result.candidates.find((c) => c.alias === alias)?.spec;
}
function reason(result: SshConfigHosts, pattern: string) {
  return result.skipped.find((s) => s.pattern === pattern)?.reason;
}

describe('readSshConfigHosts', () => {
  const result = readSshConfigHosts(CONFIG, OPTIONS);

  test('lists every concrete alias once, in file order, and only those', () => {
    assert.deepEqual(result.candidates.map((c) => c.alias), ['bastion', 'web1', 'web2', 'db', 'laptop', 'direct']);
    for (const c of result.candidates) assert.equal(c.spec.name, c.alias);
  });

  test('a host block wins over `Host *`; what it leaves out is inherited', () => {
    assert.deepEqual(byAlias(result, 'bastion'), {
      name: 'bastion', address: 'bastion.example.com', port: 2222, user: 'jump', auth: 'identity',
      identityFile: '~/.ssh/id_ed25519', jump: [], intervalSeconds: 5, enabled: true, commands: [],
    });
    const web1 = byAlias(result, 'web1')!;
    assert.equal(web1.address, 'web1.example.com', '%h in HostName is the alias');
    assert.equal(web1.port, 2022);
    assert.equal(web1.user, 'alice');
    assert.equal(byAlias(result, 'web2')!.address, 'web2.example.com');
  });

  test('a ProxyJump hop naming an alias takes its HostName, User and Port; user@ and :port win', () => {
    assert.deepEqual(byAlias(result, 'web1')!.jump, [{ address: 'bastion.example.com', port: 2222, user: 'jump' }]);
    assert.deepEqual(byAlias(result, 'db')!.jump, [
      { address: 'bastion.example.com', port: 2222, user: 'jump' },
      { address: 'gw.example.com', port: 2200, user: 'ops' },
    ]);
  });

  test('the first IdentityFile is used, ~ kept as written, and makes the auth identity', () => {
    const db = byAlias(result, 'db')!;
    assert.equal(db.identityFile, '~/.ssh/db_ed25519');
    assert.equal(db.auth, 'identity');
    assert.equal(db.user, 'postgres');
  });

  test('%d, %r and %h are expanded in IdentityFile; unknown tokens skip the host', () => {
    assert.equal(byAlias(result, 'laptop')!.identityFile, '/home/me/.ssh/laptop_alice@laptop.local');
    assert.match(reason(result, 'weird') ?? '', /IdentityFile uses %C/);
  });

  test('ProxyJump none and IdentityFile none mean none', () => {
    const direct = byAlias(result, 'direct')!;
    assert.deepEqual(direct.jump, []);
    assert.equal(direct.identityFile, undefined);
    assert.equal(direct.auth, 'auto');
  });

  test('ProxyCommand, patterns, exclusions and `Host *` are skipped with the reason', () => {
    assert.equal(reason(result, 'legacy'), 'ProxyCommand is not supported; use ProxyJump');
    assert.match(reason(result, '*.prod') ?? '', /pattern/);
    assert.match(reason(result, 'web-?') ?? '', /pattern/);
    assert.match(reason(result, '!web-9') ?? '', /exclusion/);
    assert.match(reason(result, '*') ?? '', /every host/);
  });

  test('the user defaults to defaultUser, and without one the host is skipped', () => {
    const text = 'Host plain\n  HostName plain.example.com\n';
    assert.equal(readSshConfigHosts(text, { defaultUser: 'me' }).candidates[0]!.spec.user, 'me');
    const none = readSshConfigHosts(text, {});
    assert.deepEqual(none.candidates, []);
    assert.match(reason(none, 'plain') ?? '', /sets no User/);
  });

  test('invalid settings are skipped with the schema message', () => {
    const bad = readSshConfigHosts('Host bad\n  HostName "two words"\nHost badport\n  Port ssh\n', OPTIONS);
    assert.deepEqual(bad.candidates, []);
    assert.match(reason(bad, 'bad') ?? '', /A host name has only/);
    assert.match(reason(bad, 'badport') ?? '', /Port ssh is not a port number/);
  });

  test('ProxyJump through an alias with its own ProxyJump chains the hops; a loop is skipped', () => {
    const text = `Host outer
  HostName outer.example.com
  User o
Host inner
  HostName 10.1.0.1
  User i
  ProxyJump outer
Host target
  HostName 10.1.0.2
  User t
  ProxyJump inner
Host a
  User u
  ProxyJump b
Host b
  User u
  ProxyJump a
`;
    const chained = readSshConfigHosts(text, OPTIONS);
    assert.deepEqual(byAlias(chained, 'target')!.jump, [
      { address: 'outer.example.com', port: 22, user: 'o' },
      { address: '10.1.0.1', port: 22, user: 'i' },
    ]);
    assert.match(reason(chained, 'a') ?? '', /loops through a/);
  });

  test('whichever of ProxyJump and ProxyCommand comes first wins, as in ssh', () => {
    const text = 'Host j\n  ProxyJump gw\n  ProxyCommand nc %h %p\nHost c\n  ProxyCommand nc %h %p\n  ProxyJump gw\nHost *\n  User u\n';
    const r = readSshConfigHosts(text, OPTIONS);
    assert.deepEqual(byAlias(r, 'j')!.jump, [{ address: 'gw', port: 22, user: 'u' }]);
    assert.match(reason(r, 'c') ?? '', /ProxyCommand/);
  });

  test('Include is reported, not followed; Match exec is never run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostwatch-ssh-config-'));
    try {
      const marker = join(dir, 'ran');
      const text = `Include ~/.ssh/config.d/*\nHost one\n  User u\nMatch exec "touch ${marker}"\n  User pwned\n`;
      const r = readSshConfigHosts(text, OPTIONS);
      assert.equal(byAlias(r, 'one')!.user, 'u');
      assert.match(reason(r, 'Include ~/.ssh/config.d/*') ?? '', /not followed/);
      assert.ok(r.skipped.some((s) => s.pattern.startsWith('Match exec') && /not run/.test(s.reason)));
      assert.equal(existsSync(marker), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('nothing in a config makes it throw; what cannot be parsed is reported', () => {
    for (const text of ['', '\0\0', 'Host', 'Host \n', 'Port\n', '%%%', 'Host x\n IdentityFile %', 'Host x\nProxyJump ,,,\n', 'x'.repeat(10_000)]) {
      assert.doesNotThrow(() => readSshConfigHosts(text, OPTIONS), JSON.stringify(text.slice(0, 30)));
    }
    assert.match(readSshConfigHosts('Host', OPTIONS).skipped[0]?.reason ?? '', /cannot be parsed/);
    assert.match(reason(readSshConfigHosts('Host x\n IdentityFile a%', OPTIONS), 'x') ?? '', /lone %/);
  });
});

describe('against OpenSSH (ssh -G)', { skip: !existsSync(SSH) && !process.env.CI && 'ssh is not installed' }, () => {
  test('address, port and user are what ssh resolves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostwatch-ssh-config-'));
    try {
      const file = join(dir, 'config');
      writeFileSync(file, CONFIG);
      const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
      const { candidates } = readSshConfigHosts(CONFIG, { home: '/home/me', defaultUser: user });
      for (const { alias, spec } of candidates) {
        const out = execFileSync(SSH, ['-G', '-F', file, alias], { encoding: 'utf8' });
        const get = (key: string) => new RegExp(`^${key} (.*)$`, 'm').exec(out)?.[1];
        assert.equal(spec.address, get('hostname'), alias);
        assert.equal(String(spec.port), get('port'), alias);
        assert.equal(spec.user, get('user'), alias);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the config file', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'hostwatch-ssh-config-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('missing gives null (empty lists from the API), a folder or over 1 MiB is refused', async () => {
    assert.equal(await readSshConfigFile(join(dir, 'none')), null);
    const big = join(dir, 'big');
    writeFileSync(big, `# ${'x'.repeat(1024 * 1024)}\n`);
    await assert.rejects(readSshConfigFile(big), /over 1 MiB/);
    mkdirSync(join(dir, 'folder'));
    await assert.rejects(readSshConfigFile(join(dir, 'folder')), /not a file/);
    assert.deepEqual(await sshConfigImport(join(dir, 'none'), []), { path: join(dir, 'none'), candidates: [], skipped: [] });
  });

  test('marks the hosts watched already by name or by address and port', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, CONFIG);
    const watched = [
      { name: 'WEB1', spec: null },
      { name: 'database', spec: { ...readSshConfigHosts(CONFIG, OPTIONS).candidates.find((c) => c.alias === 'db')!.spec, name: 'database' } },
    ];
    const result = await sshConfigImport(file, watched);
    assert.equal(result.path, file);
    const exists = Object.fromEntries(result.candidates.map((c) => [c.spec.name, c.exists]));
    assert.deepEqual(exists, { bastion: false, web1: true, web2: false, db: true, laptop: false, direct: false });
    assert.ok(result.skipped.some((s) => s.pattern === 'legacy'));
  });
});
