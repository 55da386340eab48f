/**
 * known_hosts parsing and matching against OpenSSH itself: keys and fingerprints made by ssh-keygen,
 * files hashed by `ssh-keygen -H`, and host lookups compared with `ssh-keygen -F`. Plus properties:
 * no input makes the parser throw.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { fakeKey } from '../../support/host-key.ts';
import {
  fingerprint,
  hostMatches,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  parseKnownHosts,
  verifyHostKey,
  type OfferedKey,
} from '../../../electron/core/ssh/known-hosts.ts';

const SSH_KEYGEN = '/usr/bin/ssh-keygen';
const skip = !process.env.CI && !existsSync(SSH_KEYGEN) && 'ssh-keygen is not installed (apt-get install openssh-client)';

const keygen = (args: string[]): string => execFileSync(SSH_KEYGEN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('known_hosts against ssh-keygen', { skip }, () => {
  let dir: string;
  const keys: Record<string, OfferedKey & { line: string; file: string }> = {};

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostwatch-known-hosts-'));
    for (const [name, args] of [['ed25519', ['-t', 'ed25519']], ['ed25519b', ['-t', 'ed25519']], ['rsa', ['-t', 'rsa', '-b', '2048']], ['ecdsa', ['-t', 'ecdsa']]] as const) {
      const file = join(dir, name);
      keygen(['-q', ...args, '-N', '', '-C', `test ${name}`, '-f', file]);
      const line = readFileSync(`${file}.pub`, 'utf8').trim();
      const [type, base64] = line.split(' ');
      keys[name] = { type: type!, blob: Buffer.from(base64!, 'base64'), line: `${type} ${base64}`, file };
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('fingerprint() prints exactly what ssh-keygen -lf prints, for ed25519, rsa and ecdsa keys', () => {
    for (const key of Object.values(keys)) {
      const expected = /SHA256:\S+/.exec(keygen(['-l', '-E', 'sha256', '-f', `${key.file}.pub`]))![0];
      assert.equal(fingerprint(key.blob), expected);
    }
  });

  test('keyTypeOf() reads the type a key blob starts with', () => {
    assert.equal(keyTypeOf(keys.ed25519!.blob), 'ssh-ed25519');
    assert.equal(keyTypeOf(keys.rsa!.blob), 'ssh-rsa');
    assert.equal(keyTypeOf(keys.ecdsa!.blob), 'ecdsa-sha2-nistp256');
    assert.equal(keyTypeOf(Buffer.from([0, 0, 0, 9, 0x61])), null);
  });

  test('hashed entries written by ssh-keygen -H match their host names, with and without a port', () => {
    const file = join(dir, 'hashed_known_hosts');
    writeFileSync(file, [
      `web1.example.org ${keys.ed25519!.line}`,
      `[web2.example.org]:2222 ${keys.rsa!.line}`,
      `10.0.0.7,db.example.org ${keys.ecdsa!.line}`,
      '',
    ].join('\n'));
    keygen(['-H', '-f', file]);
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /example\.org/, 'ssh-keygen hashed every name');
    const entries = parseKnownHosts(text);
    assert.equal(entries.length, 4, 'the comma list became two hashed lines');
    assert.ok(entries.every((e) => e.hosts.kind === 'hashed'));
    assert.equal(verifyHostKey(entries, 'web1.example.org', 22, keys.ed25519!), 'trusted');
    assert.equal(verifyHostKey(entries, 'WEB1.example.org', 22, keys.ed25519!), 'trusted', 'names compare case-insensitively');
    assert.equal(verifyHostKey(entries, 'web1.example.org', 2222, keys.ed25519!), 'unknown', 'another port is another host');
    assert.equal(verifyHostKey(entries, 'web2.example.org', 2222, keys.rsa!), 'trusted');
    assert.equal(verifyHostKey(entries, 'web2.example.org', 22, keys.rsa!), 'unknown');
    assert.equal(verifyHostKey(entries, '10.0.0.7', 22, keys.ecdsa!), 'trusted');
    assert.equal(verifyHostKey(entries, 'db.example.org', 22, keys.ecdsa!), 'trusted');
    assert.equal(verifyHostKey(entries, 'web1.example.org', 22, keys.ed25519b!), 'changed');
  });

  test('host lookups agree with ssh-keygen -F on patterns, wildcards, negation and ports', () => {
    const file = join(dir, 'patterns_known_hosts');
    const lines = [
      '# a comment, then a blank line',
      '',
      `web1,web2.example.org ${keys.ed25519!.line}`,
      `*.prod.example.org,!secret.prod.example.org ${keys.ed25519!.line}`,
      `db? ${keys.ed25519!.line}`,
      `[bastion.example.org]:2222,[10.1.1.1]:2200 ${keys.ed25519!.line}`,
      `[*.lab]:* ${keys.ed25519!.line}`,
      `192.168.1.* ${keys.ed25519!.line}`,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    const queries: [string, number][] = [
      ['web1', 22], ['web2.example.org', 22], ['web3', 22], ['WEB1', 22], ['web1', 2222],
      ['a.prod.example.org', 22], ['secret.prod.example.org', 22], ['prod.example.org', 22],
      ['db1', 22], ['db12', 22], ['db', 22],
      ['bastion.example.org', 2222], ['bastion.example.org', 22], ['10.1.1.1', 2200], ['10.1.1.1', 22],
      ['x.lab', 2022], ['x.lab', 22], ['192.168.1.40', 22], ['192.168.10.4', 22],
    ];
    for (const [host, port] of queries) {
      const query = port === 22 ? host : `[${host}]:${port}`;
      let found: number[] = [];
      try {
        found = [...keygen(['-F', query, '-f', file]).matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
      } catch {
        // ssh-keygen -F exits 1 when no line matches.
      }
      const ours = entries.filter((e) => hostMatches(e.hosts, knownHostsName(host, port))).map((e) => e.line);
      assert.deepEqual(ours, found, `lines matching ${query}`);
    }
  });
});

describe('known_hosts verdicts', () => {
  const key = fakeKey;
  const ed = key('ssh-ed25519', 1);
  const ed2 = key('ssh-ed25519', 2);
  const rsa = key('ssh-rsa', 3);
  const p256 = key('ecdsa-sha2-nistp256', 4);
  const p384 = key('ecdsa-sha2-nistp384', 5);
  const line = (hosts: string, k: OfferedKey, marker = '') => `${marker}${marker ? ' ' : ''}${hosts} ${k.type} ${k.blob.toString('base64')}`;

  test('a host with this key is trusted, with another key of its type changed, with only other types unknown', () => {
    const entries = parseKnownHosts([line('web1', ed), line('web2', rsa)].join('\n'));
    assert.equal(verifyHostKey(entries, 'web1', 22, ed), 'trusted');
    assert.equal(verifyHostKey(entries, 'web1', 22, ed2), 'changed');
    assert.equal(verifyHostKey(entries, 'web2', 22, ed), 'unknown');
    assert.equal(verifyHostKey(entries, 'web3', 22, ed), 'unknown');
  });

  test('any line with the key makes it trusted, even beside a line with an older key', () => {
    const entries = parseKnownHosts([line('web1', ed2), line('web1', ed)].join('\n'));
    assert.equal(verifyHostKey(entries, 'web1', 22, ed), 'trusted');
  });

  test('ECDSA keys of another curve count as a changed key, as ssh compares them', () => {
    assert.equal(verifyHostKey(parseKnownHosts(line('web1', p256)), 'web1', 22, p384), 'changed');
  });

  test('@revoked refuses the key even when another line trusts it; @cert-authority lines vouch for no plain key', () => {
    const entries = parseKnownHosts([line('web1', ed), line('*', ed, '@revoked'), line('web2', rsa, '@cert-authority')].join('\n'));
    assert.equal(verifyHostKey(entries, 'web1', 22, ed), 'revoked');
    assert.equal(verifyHostKey(entries, 'web2', 22, rsa), 'unknown');
  });

  test('malformed lines are skipped and the rest still read', () => {
    const text = [
      '@unknown-marker web1 ssh-ed25519 AAAA',
      'web1 ssh-ed25519',
      'web1 ssh-ed25519 not*base64',
      `web1 ssh-rsa ${ed.blob.toString('base64')}`,
      '|1|short|hash ssh-ed25519 AAAA',
      'web1 1024 35 1234567',
      `  ${line('web1', ed)}   a comment`,
    ].join('\r\n');
    const entries = parseKnownHosts(text);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.line, 7);
    assert.equal(verifyHostKey(entries, 'web1', 22, ed), 'trusted');
  });

  test('knownHostsLine writes what parseKnownHosts reads back', () => {
    const entries = parseKnownHosts(knownHostsLine('Web1', 2222, ed));
    assert.equal(knownHostsLine('Web1', 2222, ed).split(' ')[0], '[web1]:2222');
    assert.equal(verifyHostKey(entries, 'web1', 2222, ed), 'trusted');
  });

  test('no text, however malformed, makes parsing or verifying throw', () => {
    const fragment = fc.constantFrom('@revoked ', '@cert-authority ', '|1|', '|', ',', '!', '*', '?', '[', ']:', ' ', '\n', '#',
      'ssh-ed25519 ', 'AAAAC3NzaC1lZDI1NTE5AAAAI', '=', 'web1', ed.blob.toString('base64'));
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.array(fragment, { maxLength: 40 }).map((a) => a.join('')));
    fc.assert(fc.property(text, fc.string(), fc.integer({ min: 1, max: 65535 }), (t, host, port) => {
      const entries = parseKnownHosts(t);
      const verdict = verifyHostKey(entries, host, port, ed);
      assert.ok(['trusted', 'unknown', 'changed', 'revoked'].includes(verdict));
    }), { numRuns: 2000 });
  });

  test('keyTypeOf never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const type = keyTypeOf(Buffer.from(bytes));
      assert.ok(type === null || typeof type === 'string');
    }));
  });
});
