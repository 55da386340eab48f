/**
 * The host keys Hostwatch knows: its own, in the `known_hosts` table, and the user's, in
 * ~/.ssh/known_hosts (read only, never written). A key is checked against both together, as if they were
 * one known_hosts file.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import {
  knownHostsName,
  parseKnownHosts,
  verifyHostKey,
  type HostKeyVerdict,
  type KnownHostEntry,
  type OfferedKey,
} from './known-hosts.ts';

/** A known_hosts file larger than this is not read (a real one is a few KiB to a few hundred). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Options of a HostKeyStore. */
export interface HostKeyStoreOptions {
  /**
   * The user's known_hosts file; default ~/.ssh/known_hosts; null reads none. A missing or unreadable file
   * counts as empty.
   */
  readonly knownHostsFile?: string | null;
}

interface Row {
  host: string;
  key_type: string;
  key: Buffer;
}

/**
 * Hostwatch's host keys over the `known_hosts` table (`host` as OpenSSH writes it: `address` for port
 * 22, `[address]:port` otherwise, lower case; `key_type`; `key` the blob; `added_at` ms since epoch).
 */
export class HostKeyStore {
  readonly #db: Database;
  readonly #file: string | null;
  #cache: { mtimeMs: number; size: number; entries: KnownHostEntry[] } | null = null;

  constructor(db: Database, options: HostKeyStoreOptions = {}) {
    this.#db = db;
    this.#file = options.knownHostsFile === undefined ? join(homedir(), '.ssh', 'known_hosts') : options.knownHostsFile;
  }

  /**
   * The verdict on `key` offered by `address`:`port` (see HostKeyVerdict), against Hostwatch's entries
   * and the user's file together: a key trusted in either is trusted, and one revoked in the file is revoked.
   */
  check(address: string, port: number, key: OfferedKey): HostKeyVerdict {
    return verifyHostKey([...this.#ownEntries(address, port), ...this.#fileEntries()], address, port, key);
  }

  /** Trusts `key` for `address`:`port`, replacing Hostwatch's own key of that type for that host. */
  trust(address: string, port: number, key: OfferedKey, now = Date.now()): void {
    const host = knownHostsName(address, port);
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM known_hosts WHERE host = ? AND key_type = ?').run(host, key.type);
      this.#db.prepare('INSERT INTO known_hosts (host, key_type, key, added_at) VALUES (?, ?, ?, ?)')
        .run(host, key.type, key.blob, now);
    })();
  }

  /** Removes Hostwatch's own keys for `address`:`port` (the user's file is left as it is). */
  forget(address: string, port: number): void {
    this.#db.prepare('DELETE FROM known_hosts WHERE host = ?').run(knownHostsName(address, port));
  }

  #ownEntries(address: string, port: number): KnownHostEntry[] {
    const host = knownHostsName(address, port);
    const rows = this.#db.prepare('SELECT host, key_type, key FROM known_hosts WHERE host = ?').all(host) as Row[];
    return rows.map((row) => ({
      marker: null,
      // The exact name as a pattern that matches only itself: `*` and `?` cannot occur in a host name.
      hosts: { kind: 'patterns', patterns: [row.host] },
      type: row.key_type,
      blob: row.key,
      line: 0,
    }));
  }

  /** The file's entries, parsed again only when its modification time or size changed. */
  #fileEntries(): KnownHostEntry[] {
    if (this.#file === null) return [];
    let stat;
    try {
      stat = statSync(this.#file);
    } catch {
      this.#cache = null;
      return [];
    }
    const cache = this.#cache;
    if (cache && cache.mtimeMs === stat.mtimeMs && cache.size === stat.size) return cache.entries;
    let entries: KnownHostEntry[] = [];
    if (stat.isFile() && stat.size <= MAX_FILE_BYTES) {
      try {
        entries = parseKnownHosts(readFileSync(this.#file, 'utf8'));
      } catch {
        entries = [];
      }
    }
    this.#cache = { mtimeMs: stat.mtimeMs, size: stat.size, entries };
    return entries;
  }
}
