/** Secrets at rest: AES-256-GCM sealing and the headless key file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretBox, loadOrCreateKeyFile, newSecretKey } from '../../electron/core/secrets.ts';
import { tempDataDir } from '../support/serve.ts';

test('a sealed secret opens with its key and shows nothing of itself', () => {
  const box = new SecretBox(newSecretKey());
  const sealed = box.seal('correct horse battery staple');
  assert.ok(!sealed.toString('latin1').includes('horse'));
  assert.equal(box.open(sealed), 'correct horse battery staple');
  assert.notDeepEqual(box.seal('same'), box.seal('same'), 'a fresh IV each time');
});

test('another key or an altered byte cannot open a secret', () => {
  const sealed = new SecretBox(newSecretKey()).seal('s3cret');
  assert.throws(() => new SecretBox(newSecretKey()).open(sealed), /cannot be decrypted/);
  const box = new SecretBox(newSecretKey());
  const tampered = box.seal('s3cret');
  tampered[tampered.length - 1]! ^= 1;
  assert.throws(() => box.open(tampered), /cannot be decrypted/);
  assert.throws(() => box.open(Buffer.from([9, 1, 2])), /not in a format/);
  assert.throws(() => new SecretBox(Buffer.alloc(16)), RangeError);
});

test('the key file is made once with mode 0600 and read back the same', () => {
  const file = join(tempDataDir(), 'keys', 'hostwatch.key');
  const key = loadOrCreateKeyFile(file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(loadOrCreateKeyFile(file), key);
  assert.equal(readFileSync(file, 'utf8').trim(), key.toString('base64'));
  writeFileSync(file, 'not a key');
  assert.throws(() => loadOrCreateKeyFile(file), /not a Hostwatch secret key/);
});
