/** HostKeyStore over a real, migrated SQLite file and a real known_hosts file. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openDatabase, type Database } from '../../../electron/core/store/database.ts';
import { HostKeyStore } from '../../../electron/core/ssh/host-keys.ts';
import { knownHostsLine } from '../../../electron/core/ssh/known-hosts.ts';
import { fakeKey } from '../../support/host-key.ts';

const key = fakeKey;
const ed = key('ssh-ed25519', 1);
const edNew = key('ssh-ed25519', 2);
const rsa = key('ssh-rsa', 3);

function setup(t: TestContext): { db: Database; file: string; store: HostKeyStore } {
  const dir = mkdtempSync(join(tmpdir(), 'hostwatch-host-keys-'));
  const db = openDatabase(join(dir, 'hostwatch.db'));
  const file = join(dir, 'known_hosts');
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, file, store: new HostKeyStore(db, { knownHostsFile: file }) };
}

test('a key is unknown until trusted, then trusted, stored under the name OpenSSH writes', (t) => {
  const { db, store } = setup(t);
  assert.equal(store.check('web1', 2222, ed), 'unknown');
  store.trust('web1', 2222, ed, 1_700_000_000_000);
  assert.equal(store.check('web1', 2222, ed), 'trusted');
  assert.equal(store.check('web1', 22, ed), 'unknown', 'port 22 is another known_hosts name');
  assert.deepEqual(db.prepare('SELECT host, key_type, added_at FROM known_hosts').all(), [
    { host: '[web1]:2222', key_type: 'ssh-ed25519', added_at: 1_700_000_000_000 },
  ]);
});

test('trusting a new key of a type replaces the old one of that type and keeps the others', (t) => {
  const { store } = setup(t);
  store.trust('web1', 22, ed);
  store.trust('web1', 22, rsa);
  assert.equal(store.check('web1', 22, edNew), 'changed');
  store.trust('web1', 22, edNew);
  assert.equal(store.check('web1', 22, edNew), 'trusted');
  assert.equal(store.check('web1', 22, ed), 'changed', 'the old key is no longer trusted');
  assert.equal(store.check('web1', 22, rsa), 'trusted');
});

test('forget removes Hostwatch\'s keys of that host only', (t) => {
  const { store } = setup(t);
  store.trust('web1', 22, ed);
  store.trust('web2', 22, ed);
  store.forget('web1', 22);
  assert.equal(store.check('web1', 22, ed), 'unknown');
  assert.equal(store.check('web2', 22, ed), 'trusted');
});

test('keys in the user\'s known_hosts count, changes to the file are seen, and the file is never written', (t) => {
  const { store, file } = setup(t);
  writeFileSync(file, `${knownHostsLine('web1', 22, ed)}\n`);
  assert.equal(store.check('web1', 22, ed), 'trusted');
  assert.equal(store.check('web1', 22, edNew), 'changed');
  // The user accepts the new key in Hostwatch; the file keeps the old one, and the new key is trusted.
  store.trust('web1', 22, edNew);
  assert.equal(store.check('web1', 22, edNew), 'trusted');
  assert.equal(readFileSync(file, 'utf8'), `${knownHostsLine('web1', 22, ed)}\n`);
  // The file changes (same size, new mtime): its new line is read.
  writeFileSync(file, `${knownHostsLine('web2', 22, ed)}\n`.replace('web2', 'web3'));
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.equal(store.check('web3', 22, ed), 'trusted');
  assert.equal(store.check('web2', 22, ed), 'unknown');
});

test('a key revoked in the user\'s file is refused even if Hostwatch trusts it', (t) => {
  const { store, file } = setup(t);
  store.trust('web1', 22, ed);
  writeFileSync(file, `@revoked * ${ed.type} ${ed.blob.toString('base64')}\n`);
  assert.equal(store.check('web1', 22, ed), 'revoked');
});

test('a missing known_hosts file counts as empty', (t) => {
  const { db } = setup(t);
  const store = new HostKeyStore(db, { knownHostsFile: '/nonexistent/known_hosts' });
  assert.equal(store.check('web1', 22, ed), 'unknown');
});
