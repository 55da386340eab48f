/**
 * Secrets at rest: host passwords and key passphrases are sealed with AES-256-GCM under a 32-byte key
 * that never enters the database. In the desktop app the key is kept by the main process, itself
 * encrypted with Electron's safeStorage (the OS keychain), and handed to the engine at start; headless,
 * it lives in a key file the user names (`--secret-key-file`), created with mode 0600. Without a key,
 * secrets are kept in memory only, for the life of the engine.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const VERSION = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and opens secrets with one key. */
export class SecretBox {
  readonly #key: Buffer;

  /** `key`: 32 bytes. Throws a RangeError for another length. */
  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new RangeError(`A secret key is ${KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** `version (1) | iv (12) | tag (16) | ciphertext`, a fresh random IV each time. */
  seal(secret: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** The secret sealed in `sealed`. Throws when it was sealed under another key or was altered. */
  open(sealed: Buffer): string {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
      throw new Error('The stored secret is not in a format this Hostwatch reads');
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('The stored secret cannot be decrypted with this key (was the key file or keychain entry replaced?)');
    }
  }
}

/** A new random key. */
export function newSecretKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * The key in `file` (32 raw bytes, or their base64 on one line), created with 32 random bytes and mode
 * 0600 when the file does not exist. Throws when the file holds something else.
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const key = newSecretKey();
    writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  }
  const raw = readFileSync(file);
  if (raw.length === KEY_BYTES) return raw;
  const decoded = Buffer.from(raw.toString('utf8').trim(), 'base64');
  if (decoded.length === KEY_BYTES) return decoded;
  throw new Error(`${file} is not a Hostwatch secret key (32 bytes, raw or base64)`);
}
