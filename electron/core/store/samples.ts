/**
 * Sample storage: a batched writer (snapshots are buffered and written in one transaction a second) and
 * the queries charts use, downsampled in SQL to at most as many buckets as a chart can show.
 */
import type { Statement } from 'better-sqlite3';
import type { Point, SeriesData, Snapshot } from '../../../shared/api.ts';
import { ANY } from '../../../shared/rules.ts';
import { seriesKey, type Attributes } from '../../../shared/metrics.ts';
import type { Database } from './database.ts';

/** One stored series of one host. `key` is `seriesKey(metric, attributes)`. */
export interface SeriesInfo {
  id: number;
  host: string;
  metric: string;
  attributes: Attributes;
  key: string;
}

/**
 * A range query over one metric of one host. Times in ms since epoch, `from < to`, both inclusive.
 * `matchers`: attribute → value keeps series with that value; `*` keeps series that have the attribute
 * (any value); `''` keeps series without it (as in Prometheus); an attribute not named is not filtered.
 */
export interface SampleQuery {
  host: string;
  metric: string;
  matchers?: Attributes;
  from: number;
  to: number;
  /** Most buckets per series, ≥ 1. */
  maxPoints: number;
}

/** `step`: bucket width in ms; each series' points are buckets of [t, t + step) that hold samples. */
export interface QueryResult {
  step: number;
  series: SeriesData[];
}

/** Narrowest bucket, and the unit of every step: samples are taken at most once a second. */
const MIN_STEP_MS = 1000;

/** Most snapshots kept while writes fail (20 min of one host at 1 Hz, ~30 MB); the oldest go first. */
const MAX_BUFFERED = 1200;

interface SeriesRow { id: number; metric: string; attributes: string }

/** Reads and writes samples of `db` (opened by openDatabase). Statements are prepared once, here. */
export class SampleStore {
  readonly #buffer: Snapshot[] = [];
  /** host → series key → series id; filled on first sight of a series. */
  readonly #ids = new Map<string, Map<string, number>>();
  readonly #selectSeriesId: Statement<[string, string], number>;
  readonly #insertSeries: Statement<[string, string, string, string], number>;
  readonly #insertSample: Statement<[number, number, number]>;
  readonly #seriesOf: Statement<[string, string], SeriesRow>;
  readonly #buckets: Statement<[{ id: number; from: number; to: number; step: number }], Point>;
  readonly #listSeries: Statement<[{ host: string | null }], Omit<SeriesInfo, 'attributes'> & { attributes: string }>;
  readonly #latestTime: Statement<[string], number | null>;
  readonly #writeAll: (snapshots: readonly Snapshot[]) => number;
  readonly #deleteHost: (host: string) => number;

  constructor(db: Database) {
    const deleteSamples = db.prepare<[string]>(
      'DELETE FROM samples WHERE series_id IN (SELECT id FROM series WHERE host = ?)');
    const deleteSeries = db.prepare<[string]>('DELETE FROM series WHERE host = ?');
    this.#deleteHost = db.transaction((host: string) => {
      const removed = deleteSamples.run(host).changes;
      deleteSeries.run(host);
      return removed;
    });
    this.#selectSeriesId = db.prepare<[string, string], number>(
      'SELECT id FROM series WHERE host = ? AND key = ?').pluck();
    this.#insertSeries = db.prepare<[string, string, string, string], number>(
      'INSERT INTO series (host, metric, attributes, key) VALUES (?, ?, ?, ?) RETURNING id').pluck();
    // A repeated (series, time) replaces the earlier value: last write wins.
    this.#insertSample = db.prepare<[number, number, number]>(
      'INSERT OR REPLACE INTO samples (series_id, t, value) VALUES (?, ?, ?)');
    this.#seriesOf = db.prepare<[string, string], SeriesRow>(
      'SELECT id, metric, attributes FROM series WHERE host = ? AND metric = ? ORDER BY key');
    // Numbers are bound as REAL: the casts keep the bucket arithmetic in integers.
    this.#buckets = db.prepare<[{ id: number; from: number; to: number; step: number }], Point>(`
      SELECT CAST(@from AS INTEGER) + (t - CAST(@from AS INTEGER)) / CAST(@step AS INTEGER) * CAST(@step AS INTEGER) AS t,
             avg(value) AS avg, min(value) AS min, max(value) AS max
      FROM samples
      WHERE series_id = @id AND t >= @from AND t <= @to
      GROUP BY 1 ORDER BY 1`);
    this.#listSeries = db.prepare(`
      SELECT id, host, metric, attributes, key FROM series
      WHERE @host IS NULL OR host = @host ORDER BY host, key`);
    // The correlated max() is one index probe per series, where a join would scan every sample.
    this.#latestTime = db.prepare<[string], number | null>(`
      SELECT max((SELECT max(t) FROM samples WHERE series_id = series.id)) FROM series WHERE host = ?`).pluck();
    this.#writeAll = db.transaction((snapshots: readonly Snapshot[]) => {
      let written = 0;
      for (const snapshot of snapshots) {
        const ids = this.#hostIds(snapshot.host);
        const t = Math.trunc(snapshot.time);
        for (const sample of snapshot.samples) {
          if (!Number.isFinite(sample.value)) continue;
          const key = seriesKey(sample.metric, sample.attributes);
          let id = ids.get(key);
          if (id === undefined) {
            id = this.#selectSeriesId.get(snapshot.host, key) ??
              this.#insertSeries.get(snapshot.host, sample.metric, JSON.stringify(sample.attributes), key)!;
            ids.set(key, id);
          }
          this.#insertSample.run(id, t, sample.value);
          written++;
        }
      }
      return written;
    });
  }

  /**
   * Buffers a snapshot until the next flush(). Keeps a reference: the caller must not mutate it.
   * Beyond MAX_BUFFERED snapshots (writes failing for minutes) the oldest is dropped.
   */
  append(snapshot: Snapshot): void {
    if (this.#buffer.length >= MAX_BUFFERED) this.#buffer.shift();
    this.#buffer.push(snapshot);
  }

  /** Snapshots buffered and not yet flushed. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * Writes every buffered sample in one transaction and returns how many it wrote. Values that are not
   * finite (NaN, ±Infinity) are skipped. On a database error (disk full, a lock held past the busy
   * timeout) the transaction rolls back, the samples stay buffered for the next flush, and the error is
   * thrown.
   */
  flush(): number {
    if (this.#buffer.length === 0) return 0;
    let written: number;
    try {
      written = this.#writeAll(this.#buffer);
    } catch (error) {
      // Ids of series inserted by the rolled-back transaction no longer exist.
      this.#ids.clear();
      throw error;
    }
    this.#buffer.length = 0;
    return written;
  }

  /**
   * The series of `q.metric` on `q.host` that pass `q.matchers`, each downsampled into buckets of
   * `step` ms starting at `from`: the smallest whole number of seconds (≥ 1 s) that fits [from, to] into
   * maxPoints buckets. At most maxPoints points per series, avg/min/max per bucket, buckets without
   * samples absent. Only flushed samples are seen.
   * Throws a RangeError when `from >= to` or maxPoints < 1.
   */
  query(q: SampleQuery): QueryResult {
    if (!(q.from < q.to)) throw new RangeError('`from` must be before `to`');
    if (!(q.maxPoints >= 1)) throw new RangeError('`maxPoints` must be at least 1');
    // +1: both ends are inclusive, so a sample at `to` still falls in bucket maxPoints - 1. Whole
    // seconds: samples are 1 s apart, so every full bucket holds the same number of them.
    const step = MIN_STEP_MS * Math.max(1, Math.ceil((q.to - q.from + 1) / (q.maxPoints * MIN_STEP_MS)));
    const series: SeriesData[] = [];
    for (const row of this.#seriesOf.all(q.host, q.metric)) {
      const attributes = JSON.parse(row.attributes) as Attributes;
      if (q.matchers && !matchesQuery(q.matchers, attributes)) continue;
      const points = this.#buckets.all({ id: row.id, from: q.from, to: q.to, step });
      series.push({ metric: row.metric, attributes, points });
    }
    return { step, series };
  }

  /** Every stored series, of one host or of all, ordered by host then key. */
  listSeries(host?: string): SeriesInfo[] {
    return this.#listSeries.all({ host: host ?? null }).map((row) => ({
      ...row, attributes: JSON.parse(row.attributes) as Attributes,
    }));
  }

  /** Time of the newest flushed sample of `host` (ms since epoch), or null when it has none. */
  latestTime(host: string): number | null {
    return this.#latestTime.get(host) ?? null;
  }

  /**
   * Deletes every series and sample of `host` (its buffered snapshots too) in one transaction and returns
   * the number of samples removed.
   */
  deleteHost(host: string): number {
    for (let i = this.#buffer.length - 1; i >= 0; i--) if (this.#buffer[i]!.host === host) this.#buffer.splice(i, 1);
    this.#ids.delete(host);
    return this.#deleteHost(host);
  }

  /** Forgets the cached series ids, after retention may have deleted series; they are looked up again. */
  forgetSeriesIds(): void {
    this.#ids.clear();
  }

  #hostIds(host: string): Map<string, number> {
    let ids = this.#ids.get(host);
    if (!ids) this.#ids.set(host, (ids = new Map()));
    return ids;
  }
}

/** Query matchers (see SampleQuery): value, `*` for present with any value, `''` for absent. */
function matchesQuery(matchers: Attributes, attributes: Attributes): boolean {
  for (const key in matchers) {
    const want = matchers[key];
    const have = attributes[key];
    if (want === ANY ? have === undefined : want === '' ? have !== undefined : have !== want) return false;
  }
  return true;
}
