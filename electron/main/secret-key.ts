/**
 * The key that seals the engine's stored secrets (host passwords, key passphrases), kept in userData
 * encrypted by Electron's safeStorage, that is by the OS keychain (Keychain, DPAPI, libsecret/kwallet).
 * Where the OS offers no real keychain (safeStorage unavailable, or Linux's 'basic_text' fallback), no
 * key is made: the engine then keeps secrets in memory only rather than store them weakly protected.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';

const FILE = 'secret-key.enc';

/** The key (32 bytes), created on first use; null without a real keychain or when it cannot be read. */
export function loadSecretKey(userDataDir: string): Buffer | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  const file = join(userDataDir, FILE);
  try {
    if (existsSync(file)) {
      const key = Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
      if (key.length === 32) return key;
      console.error(`hostwatch: ${file} does not hold a key; stored secrets cannot be opened`);
      return null;
    }
    const key = randomBytes(32);
    writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    console.error('hostwatch: the secret key could not be read or made; secrets stay in memory only:', error);
    return null;
  }
}
