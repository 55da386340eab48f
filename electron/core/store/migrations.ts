/**
 * The schema, as an ordered list of migrations: migration i brings a database from schema version i to
 * i + 1, tracked in `PRAGMA user_version`. A released migration never changes; a new schema is a new
 * entry at the end.
 */
import type { Database } from 'better-sqlite3';
import { DEFAULT_RULES, type RuleSpec } from '../../../shared/rules.ts';
import { ChunkStore, WINDOW_MS, type SeriesWindow } from './chunks.ts';
import { precisionOf, quantize } from './codec.ts';

/** `PRAGMA application_id` of a Hostwatch database ("HwDb"): tells our file from another app's SQLite file. */
export const APPLICATION_ID = 0x48774462;

/** One schema step; runs inside the transaction that also bumps user_version. */
type Migration = (db: Database) => void;

const v1: Migration = (db) => {
  db.exec(`
    CREATE TABLE hosts (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('local', 'ssh')),
      created_at INTEGER NOT NULL
    ) STRICT;

    -- One row per series ever seen; samples refer to it by id so a sample row stays small.
    -- host is not a foreign key: history outlives a removed host until retention drops it.
    CREATE TABLE series (
      id INTEGER PRIMARY KEY,
      host TEXT NOT NULL,
      metric TEXT NOT NULL,
      attributes TEXT NOT NULL, -- JSON object, attribute key -> value
      key TEXT NOT NULL,        -- seriesKey(metric, attributes)
      UNIQUE (host, key)
    ) STRICT;
    CREATE INDEX series_host_metric ON series (host, metric);

    -- t: ms since epoch. Clustered by series so a chart's range is one contiguous read.
    CREATE TABLE samples (
      series_id INTEGER NOT NULL,
      t INTEGER NOT NULL,
      value REAL NOT NULL,
      PRIMARY KEY (series_id, t)
    ) STRICT, WITHOUT ROWID;

    -- AUTOINCREMENT: a deleted rule's id is never reused, so alert history keeps pointing at the right one.
    CREATE TABLE rules (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      metric TEXT NOT NULL,
      matchers TEXT NOT NULL, -- JSON object, attribute key -> value or '*'
      op TEXT NOT NULL CHECK (op IN ('>', '>=', '<', '<=')),
      threshold REAL NOT NULL,
      for_seconds INTEGER NOT NULL,
      severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
      summary TEXT NOT NULL,
      enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    -- rule_id is not a foreign key and rule_name is copied: history survives a deleted rule.
    CREATE TABLE alerts (
      id INTEGER PRIMARY KEY,
      rule_id INTEGER NOT NULL,
      rule_name TEXT NOT NULL,
      host TEXT NOT NULL,
      metric TEXT NOT NULL,
      attributes TEXT NOT NULL, -- JSON object
      severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
      state TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
      value REAL NOT NULL,
      threshold REAL NOT NULL,
      summary TEXT NOT NULL,
      active_at INTEGER NOT NULL,
      fired_at INTEGER,
      resolved_at INTEGER
    ) STRICT;
    CREATE INDEX alerts_active_at ON alerts (active_at);
    CREATE INDEX alerts_open ON alerts (state) WHERE state IN ('pending', 'firing');
  `);
  db.pragma(`application_id = ${APPLICATION_ID}`);

  insertDefaultRules(db, DEFAULT_RULES);
};

function insertDefaultRules(db: Database, rules: readonly RuleSpec[]): void {
  const insertRule = db.prepare(`
    INSERT INTO rules (name, metric, matchers, op, threshold, for_seconds, severity, summary, enabled,
                       created_at, updated_at)
    VALUES (@name, @metric, @matchers, @op, @threshold, @for, @severity, @summary, @enabled, @now, @now)`);
  const now = Date.now();
  for (const rule of rules) {
    insertRule.run({
      ...rule, matchers: JSON.stringify(rule.matchers), enabled: rule.enabled ? 1 : 0, now,
    });
  }
}

/** v2: remote hosts' settings and secrets, each host's own interval, and trusted SSH host keys. */
const v2: Migration = (db) => {
  db.exec(`
    -- NULL: the engine's default interval for the host's kind.
    ALTER TABLE hosts ADD COLUMN interval_seconds REAL CHECK (interval_seconds > 0);
    ALTER TABLE hosts ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1));
    -- A remote host's HostSpec (shared/hosts.ts) as JSON; NULL for this machine.
    ALTER TABLE hosts ADD COLUMN spec TEXT;
    -- Its password or key passphrase, sealed by electron/core/secrets.ts; never stored in clear text.
    ALTER TABLE hosts ADD COLUMN secret BLOB;

    -- Host keys the user trusted in Hostwatch, beside ~/.ssh/known_hosts (which is never written).
    -- host: as OpenSSH writes it, 'address' for port 22, '[address]:port' otherwise.
    CREATE TABLE known_hosts (
      host TEXT NOT NULL,
      key_type TEXT NOT NULL,
      key BLOB NOT NULL,
      added_at INTEGER NOT NULL,
      PRIMARY KEY (host, key_type)
    ) STRICT;
  `);
};

/**
 * v3: compact history. Samples move from one row each into the head log (unsealed, one row per flush)
 * and encoded blocks per hour window (see chunks.ts and blocks.ts); the first slice's samples are
 * converted, window by window. Series ids are never reused from now on (AUTOINCREMENT), so a head record
 * that outlives a deleted host's series cannot be replayed into a new one.
 */
const v3: Migration = (db) => {
  db.exec(`
    CREATE TABLE series_v3 (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      host TEXT NOT NULL,
      metric TEXT NOT NULL,
      attributes TEXT NOT NULL, -- JSON object, attribute key -> value
      key TEXT NOT NULL,        -- seriesKey(metric, attributes)
      UNIQUE (host, key)
    ) STRICT;
    INSERT INTO series_v3 (id, host, metric, attributes, key) SELECT id, host, metric, attributes, key FROM series;
    DROP TABLE series;
    ALTER TABLE series_v3 RENAME TO series;
    CREATE INDEX series_host_metric ON series (host, metric);

    -- The head log: one row per flush, the samples not yet sealed into blocks (blocks.ts encodeHeadRecord).
    -- t_min, t_max: the record's oldest and newest sample time, so sealing finds what it may delete.
    CREATE TABLE head (
      id INTEGER PRIMARY KEY,
      t_min INTEGER NOT NULL,
      t_max INTEGER NOT NULL,
      data BLOB NOT NULL
    ) STRICT;

    -- The timestamps of one host in one raw window (start: ms, a multiple of an hour), shared by its series.
    CREATE TABLE chunk_times (
      host TEXT NOT NULL,
      start INTEGER NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (host, start)
    ) STRICT;

    -- One block of one series: tier 0 raw values and tier 1 one-minute rollups of the hour at start,
    -- tier 2 one-hour rollups of the UTC day at start. Blocks are KBs, so a rowid table (not WITHOUT ROWID).
    CREATE TABLE chunks (
      id INTEGER PRIMARY KEY,
      series_id INTEGER NOT NULL,
      tier INTEGER NOT NULL CHECK (tier IN (0, 1, 2)),
      start INTEGER NOT NULL,
      data BLOB NOT NULL,
      UNIQUE (series_id, tier, start)
    ) STRICT;

    -- Store settings (retention per tier, the sealed watermark), key -> JSON value.
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
  convertSamples(db);
  db.exec('DROP TABLE samples');
  if (db.prepare("SELECT 1 FROM rules WHERE metric = 'hostwatch.storage.full'").get() === undefined) {
    insertDefaultRules(db, DEFAULT_RULES.filter((rule) => rule.metric === 'hostwatch.storage.full'));
  }
};

/** The first slice's samples table → blocks, one host and hour window at a time to bound memory. */
function convertSamples(db: Database): void {
  const chunks = new ChunkStore(db);
  const seriesOf = db.prepare<[string], { id: number; metric: string }>('SELECT id, metric FROM series WHERE host = ?');
  const bounds = db.prepare<[number], { first: number | null; last: number | null }>(
    'SELECT min(t) AS first, max(t) AS last FROM samples WHERE series_id = ?');
  const inWindow = db.prepare<[number, number, number], [number, number]>(
    'SELECT t, value FROM samples WHERE series_id = ? AND t >= ? AND t < ? ORDER BY t').raw();
  for (const host of db.prepare<[], string>('SELECT DISTINCT host FROM series').pluck().all()) {
    const series = seriesOf.all(host).map((s) => ({ ...s, precision: precisionOf(s.metric) }));
    let first = Infinity;
    let last = -Infinity;
    for (const s of series) {
      const b = bounds.get(s.id)!;
      if (b.first !== null) first = Math.min(first, b.first);
      if (b.last !== null) last = Math.max(last, b.last);
    }
    for (let start = Math.floor(first / WINDOW_MS) * WINDOW_MS; start <= last; start += WINDOW_MS) {
      const window = new Map<number, SeriesWindow>();
      for (const s of series) {
        const rows = inWindow.all(s.id, start, start + WINDOW_MS);
        if (rows.length === 0) continue;
        window.set(s.id, {
          samples: { t: rows.map((r) => r[0]), v: rows.map((r) => quantize(r[1], s.precision)) },
          precision: s.precision,
        });
      }
      if (window.size > 0) chunks.writeWindow(host, start, window);
    }
  }
}

/**
 * v4: service checks (shared/checks) and the history of their state changes; the default rules that
 * alert on them.
 */
const v4: Migration = (db) => {
  db.exec(`
    CREATE TABLE checks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      host TEXT NOT NULL,
      name TEXT NOT NULL,
      spec TEXT NOT NULL, -- CheckSpec as JSON
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (host, name)
    ) STRICT;
    CREATE TABLE check_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      check_id INTEGER NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
      at INTEGER NOT NULL,
      from_state TEXT NOT NULL,
      to_state TEXT NOT NULL,
      reason TEXT NOT NULL,
      excerpt TEXT
    ) STRICT;
    CREATE INDEX check_events_by_check ON check_events (check_id, at);
  `);
  // v1 writes today's default rules into a new database: only an older one lacks these.
  const has = db.prepare<[string], unknown>('SELECT 1 FROM rules WHERE metric = ?');
  insertDefaultRules(db, DEFAULT_RULES.filter((r) => r.metric.startsWith('hostwatch.check.') && has.get(r.metric) === undefined));
};

/** All migrations in order; the schema version of a fully migrated database is its length. */
/** v5: the busiest processes of the host when an alert fired, kept with it (shared/api.ts Alert). */
const v5: Migration = (db) => {
  db.exec('ALTER TABLE alerts ADD COLUMN processes TEXT');
};

/** v6: silences (shared/silences.ts): matchers as JSON and the time range they hold for. */
const v6: Migration = (db) => {
  db.exec(`
    CREATE TABLE silences (
      id INTEGER PRIMARY KEY,
      matchers TEXT NOT NULL,
      starts_at INTEGER NOT NULL,
      ends_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      comment TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX silences_by_end ON silences (ends_at);
  `);
};

/** v7: maintenance windows (shared/maintenance.ts), each its spec as JSON. */
const v7: Migration = (db) => {
  db.exec('CREATE TABLE maintenance_windows (id INTEGER PRIMARY KEY, spec TEXT NOT NULL, created_at INTEGER NOT NULL)');
};

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6, v7];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings `db` to SCHEMA_VERSION, each migration in its own transaction with its user_version bump,
 * so a failed step leaves the database at the previous version. Returns the version it started from.
 * Throws when the database has a newer schema than this build knows (it was opened by a newer Hostwatch).
 */
export function migrate(db: Database): number {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new Error(
      `The database ${db.name} has schema version ${from}, newer than this Hostwatch knows ` +
        `(${SCHEMA_VERSION}); it was written by a newer release. It was left untouched: update Hostwatch to open it.`,
    );
  }
  for (let version = from; version < SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version]!;
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return from;
}
