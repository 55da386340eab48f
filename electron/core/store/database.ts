/**
 * The one way to open Hostwatch's SQLite database: checks the runtime can load better-sqlite3, sets the
 * connection up (WAL, busy timeout, foreign keys) and migrates the schema.
 */
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { APPLICATION_ID, SCHEMA_VERSION, migrate } from './migrations.ts';

/** An open database connection (better-sqlite3, synchronous). */
export type Database = Sqlite.Database;

/** better-sqlite3 13 is an N-API 10 addon: one prebuilt binary for Node and Electron. */
const REQUIRED_NAPI = 10;

/** Page size of a new database, bytes. */
const PAGE_SIZE = 1024;

/** How long a statement waits for another connection's lock (the CLI reading while the engine writes), ms. */
const BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /**
   * Run `PRAGMA quick_check` before using the file (reads every page once: about a second per GB), so
   * a damaged file is refused at start rather than failing writes later. The engine does; the CLI not.
   */
  check?: boolean;
}

/**
 * Opens (creating it and its parent directory if needed) and migrates the database at `file`. Nothing
 * is written to a file that is refused.
 * Throws an Error that says what to do when:
 * - the runtime's Node-API is older than 10 (before loading the native addon, which would crash obscurely);
 * - `file` is not a SQLite database, or is another application's one (the file is left untouched);
 * - the schema is newer than this build knows (see `migrate`).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  const napi = Number(process.versions.napi);
  if (!(napi >= REQUIRED_NAPI)) {
    throw new Error(
      `Hostwatch's database needs Node-API ${REQUIRED_NAPI} or later (Node 22.14+ or a current Electron); ` +
        `this runtime (Node ${process.versions.node}) has Node-API ${process.versions.napi ?? 'none'}.`,
    );
  }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    const hasSchema = checkOwnership(db, file);
    checkVersion(db, file);
    // Only on a new, empty file (before the first table); on an existing one they would write.
    if (!hasSchema) {
      // Every commit writes whole pages to the WAL, and the once-a-second head commit holds a few
      // hundred bytes: 1 KiB pages write 2–3× less than 4 KiB ones (bench:store) at the same size on disk.
      db.pragma(`page_size = ${PAGE_SIZE}`);
      // Lets retention give space back to the OS page by page (PRAGMA incremental_vacuum), not a full VACUUM.
      db.pragma('auto_vacuum = INCREMENTAL');
    }
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a power cut may lose the last commits, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (options.check && hasSchema) {
      const problems = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
      if (problems[0]?.quick_check !== 'ok') {
        throw corrupt(file, new Error(problems.map((p) => p.quick_check).join('; ')));
      }
    }
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_CORRUPT')) throw corrupt(file, error);
    throw error;
  }
}

/** The error for a damaged database file: what happened, that the file was kept, what to do. */
export function corrupt(file: string, cause: unknown): Error {
  return new Error(
    `${file} is damaged (${(cause as Error).message}), so Hostwatch cannot use it. It was left untouched: ` +
      `keep it for recovery (sqlite3's .recover can save most of it), move it away to start a new history, ` +
      `or choose another data directory.`,
    { cause },
  );
}

/**
 * Reads the header before anything writes, so a file that is not ours fails here and stays as it was:
 * SQLite reports SQLITE_NOTADB for a non-database, and a SQLite file of another app has content but not
 * our application_id.
 */
function checkOwnership(db: Database, file: string): boolean {
  let applicationId: number;
  let hasSchema: boolean;
  try {
    applicationId = db.pragma('application_id', { simple: true }) as number;
    hasSchema = db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get() !== undefined;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      throw new Error(
        `${file} is not a SQLite database, so Hostwatch cannot use it. It was left untouched: ` +
          `move it away or choose another data directory.`,
        { cause: error },
      );
    }
    throw error;
  }
  if (applicationId !== APPLICATION_ID && (applicationId !== 0 || hasSchema)) {
    throw new Error(
      `${file} is a SQLite database of another application, not Hostwatch's. It was left untouched: ` +
        `move it away or choose another data directory.`,
    );
  }
  return hasSchema;
}

/** Refuses, before anything writes, a database written by a newer Hostwatch. */
function checkVersion(db: Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `${file} has schema version ${version}, newer than this Hostwatch knows (${SCHEMA_VERSION}): it was ` +
        `written by a newer release. It was left untouched: update Hostwatch to open it.`,
    );
  }
}
