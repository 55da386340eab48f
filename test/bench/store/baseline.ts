/**
 * The first slice's history layout, kept for comparison: one row per sample in
 * `samples (series_id, t, value)` (WITHOUT ROWID, clustered by series), INSERT OR REPLACE per sample, one
 * transaction per flush, the chart query's GROUP BY bucket SQL and the latest-values query, all as in
 * electron/core/store/{samples,latest}.ts before issue 9 (git show 83c0c48:electron/core/store/samples.ts).
 * A database of its own, set up as openDatabase set it up then (incremental auto-vacuum, WAL,
 * synchronous NORMAL).
 */
import Sqlite from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { Point, SeriesData, Snapshot } from '../../../shared/api.ts';
import { ANY } from '../../../shared/rules.ts';
import { seriesKey, type Attributes } from '../../../shared/metrics.ts';

/** A chart query, as SampleQuery (times in ms, both inclusive). */
export interface BaselineQuery {
  host: string;
  metric: string;
  matchers?: Attributes;
  from: number;
  to: number;
  maxPoints: number;
}

/** Narrowest bucket and unit of every step, ms (as the old store had it). */
const MIN_STEP_MS = 1000;
/** A series this much older than the host's newest is gone (old LatestQuery). */
const STALE_MS = 60_000;

export class BaselineStore {
  readonly db: Sqlite.Database;
  readonly #buffer: Snapshot[] = [];
  readonly #ids = new Map<string, Map<string, number>>();
  readonly #insertSeries: Statement<[string, string, string, string], number>;
  readonly #seriesOf: Statement<[string, string], { id: number; metric: string; attributes: string }>;
  readonly #buckets: Statement<[{ id: number; from: number; to: number; step: number }], Point>;
  readonly #latest: Statement<[string], { metric: string; attributes: string; t: number; value: number }>;
  readonly #insertSample: Statement<[number, number, number]>;
  readonly #writeAll: (snapshots: readonly Snapshot[]) => number;

  /** Creates the old schema in a new database at `file`. */
  constructor(file: string) {
    const db = (this.db = new Sqlite(file));
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        host TEXT NOT NULL,
        metric TEXT NOT NULL,
        attributes TEXT NOT NULL,
        key TEXT NOT NULL,
        UNIQUE (host, key)
      ) STRICT;
      CREATE INDEX series_host_metric ON series (host, metric);
      CREATE TABLE samples (
        series_id INTEGER NOT NULL,
        t INTEGER NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (series_id, t)
      ) STRICT, WITHOUT ROWID;
    `);
    this.#insertSeries = db.prepare<[string, string, string, string], number>(
      'INSERT INTO series (host, metric, attributes, key) VALUES (?, ?, ?, ?) RETURNING id').pluck();
    this.#insertSample = db.prepare<[number, number, number]>(
      'INSERT OR REPLACE INTO samples (series_id, t, value) VALUES (?, ?, ?)');
    this.#seriesOf = db.prepare(
      'SELECT id, metric, attributes FROM series WHERE host = ? AND metric = ? ORDER BY key');
    this.#buckets = db.prepare(`
      SELECT CAST(@from AS INTEGER) + (t - CAST(@from AS INTEGER)) / CAST(@step AS INTEGER) * CAST(@step AS INTEGER) AS t,
             avg(value) AS avg, min(value) AS min, max(value) AS max
      FROM samples
      WHERE series_id = @id AND t >= @from AND t <= @to
      GROUP BY 1 ORDER BY 1`);
    this.#latest = db.prepare(`
      WITH newest AS (
        SELECT s.metric, s.attributes, x.t, x.value
        FROM series s
        JOIN samples x ON x.series_id = s.id AND x.t = (SELECT max(t) FROM samples WHERE series_id = s.id)
        WHERE s.host = ?
      )
      SELECT * FROM newest WHERE t >= (SELECT max(t) FROM newest) - ${STALE_MS}
      ORDER BY metric, attributes`);
    this.#writeAll = db.transaction((snapshots: readonly Snapshot[]) => {
      let written = 0;
      for (const snapshot of snapshots) {
        let ids = this.#ids.get(snapshot.host);
        if (!ids) this.#ids.set(snapshot.host, (ids = new Map()));
        const t = Math.trunc(snapshot.time);
        for (const sample of snapshot.samples) {
          if (!Number.isFinite(sample.value)) continue;
          const key = seriesKey(sample.metric, sample.attributes);
          let id = ids.get(key);
          if (id === undefined) {
            id = this.#insertSeries.get(snapshot.host, sample.metric, JSON.stringify(sample.attributes), key)!;
            ids.set(key, id);
          }
          this.#insertSample.run(id, t, sample.value);
          written++;
        }
      }
      return written;
    });
  }

  append(snapshot: Snapshot): void {
    this.#buffer.push(snapshot);
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  /** Writes the buffered snapshots in one transaction; returns the samples written. */
  flush(): number {
    if (this.#buffer.length === 0) return 0;
    const written = this.#writeAll(this.#buffer);
    this.#buffer.length = 0;
    return written;
  }

  /** The old chart query: buckets of whole seconds, avg/min/max per bucket by GROUP BY. */
  query(q: BaselineQuery): { step: number; series: SeriesData[] } {
    const step = MIN_STEP_MS * Math.max(1, Math.ceil((q.to - q.from + 1) / (q.maxPoints * MIN_STEP_MS)));
    const series: SeriesData[] = [];
    for (const row of this.#seriesOf.all(q.host, q.metric)) {
      const attributes = JSON.parse(row.attributes) as Attributes;
      if (q.matchers && !matches(q.matchers, attributes)) continue;
      series.push({ metric: row.metric, attributes, points: this.#buckets.all({ id: row.id, from: q.from, to: q.to, step }) });
    }
    return { step, series };
  }

  /** The old latest-values query of one host (one index probe per series). */
  latest(host: string): { metric: string; attributes: Attributes; t: number; value: number }[] {
    return this.#latest.all(host).map((row) => ({ ...row, attributes: JSON.parse(row.attributes) as Attributes }));
  }

  close(): void {
    this.db.close();
  }
}

/** Old matcher semantics: value, `*` for present, `''` for absent. */
function matches(matchers: Attributes, attributes: Attributes): boolean {
  for (const key in matchers) {
    const want = matchers[key];
    const have = attributes[key];
    if (want === ANY ? have === undefined : want === '' ? have !== undefined : have !== want) return false;
  }
  return true;
}
