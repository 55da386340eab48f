/**
 * Sample history: the engine's one writer and reader of samples.
 *
 * A sample is rounded to its metric's precision (codec.ts) as it arrives and kept in memory, in the
 * head, until its hour window has ended. Once a second flush() appends what arrived to the head log (one
 * row, one small sequential write) so a crash loses at most that second; seal() moves ended windows
 * from the head into encoded blocks and rollups (chunks.ts) and deletes their head records. Opening a
 * store replays the head log into memory. Queries read the tier that suits the range (raw, 1-minute or
 * 1-hour rollups) and the head, and return at most the requested number of points.
 */
import type { Statement } from 'better-sqlite3';
import type { Point, Retention, SeriesData, Snapshot } from '../../../shared/api.ts';
import { ANY } from '../../../shared/rules.ts';
import { seriesKey, type Attributes } from '../../../shared/metrics.ts';
import { decodeHeadRecord, encodeHeadRecord, type HeadEntry, type Samples } from './blocks.ts';
import { ChunkStore, MINUTE_MS, TIER, WINDOW_MS, type SeriesWindow } from './chunks.ts';
import { precisionOf, quantize, type Precision } from './codec.ts';
import { corrupt, type Database } from './database.ts';
import { SettingsRepository } from './settings.ts';

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

/** Which history a query read: every sample, or the 1-minute or 1-hour rollups. */
export type Tier = 'raw' | '1m' | '1h';

/**
 * `step`: bucket width in ms; each series' points are buckets of [t, t + step) that hold samples, with
 * the average, minimum and maximum of what fell in them.
 */
export interface QueryResult {
  step: number;
  tier: Tier;
  series: SeriesData[];
}

/** A series' newest sample; `t` in ms since epoch. */
export interface LatestSample {
  metric: string;
  attributes: Attributes;
  t: number;
  value: number;
}

/** What one seal() moved from the head into blocks. */
export interface SealResult {
  /** Host windows written. */
  windows: number;
  samples: number;
}

/** Narrowest bucket, and the unit of every raw step: samples are taken at most once a second. */
const MIN_STEP_MS = 1000;

/** A window is sealed this long after it ends, so a slow poll's snapshot still lands in the head. */
export const SEAL_GRACE_MS = 120_000;

/** Most samples kept while writes fail (a full disk): about 100 MB; the oldest snapshots go first. */
const MAX_BUFFERED_SAMPLES = 1_000_000;

/** A series whose newest sample is this much older than the host's newest is gone (an unplugged disk). */
const STALE_MS = 60_000;

/** A tier a query may read, with its resolution (ms) and how long it is kept. */
const QUERY_TIERS = [
  { tier: '1h', number: TIER.hour, resolution: WINDOW_MS, retention: (r: Retention) => r.hourDays },
  { tier: '1m', number: TIER.minute, resolution: MINUTE_MS, retention: (r: Retention) => r.minuteDays },
] as const;

/** A tier coarser than the step by up to this factor still serves (fewer points, far less to read). */
const TIER_SLACK = 1.5;

/** A series as the store holds it: its row id once written, its precision, and its unsealed samples. */
interface SeriesState {
  id: number | null;
  host: string;
  metric: string;
  attributes: Attributes;
  key: string;
  precision: Precision;
  head: Samples;
}

/** A snapshot waiting for flush(), its values rounded. */
interface Pending {
  t: number;
  series: SeriesState[];
  values: number[];
}

/** Reads and writes samples of `db` (opened by openDatabase). Statements are prepared once, here. */
export class SampleStore {
  readonly #db: Database;
  readonly #chunks: ChunkStore;
  readonly #settings: SettingsRepository;
  readonly #buffer: Pending[] = [];
  #bufferedSamples = 0;
  /** host → series key → state. */
  readonly #hosts = new Map<string, Map<string, SeriesState>>();
  readonly #byId = new Map<number, SeriesState>();
  /** Every sample before this time (ms) is sealed; head samples before it are late arrivals. */
  #sealedBefore: number;
  #retention: Retention;
  readonly #selectSeriesId: Statement<[string, string], number>;
  readonly #insertSeries: Statement<[string, string, string, string], number>;
  readonly #insertHead: Statement<[number, number, Uint8Array]>;
  readonly #maxHeadId: Statement<[], number | null>;
  readonly #deleteSealedHead: Statement<[number, number]>;
  readonly #spanningHead: Statement<[number, number, number], { id: number; data: Uint8Array }>;
  readonly #rewriteHead: Statement<[number, number, Uint8Array, number]>;
  readonly #deleteHeadRow: Statement<[number]>;

  /**
   * Loads the series and replays the head log. Throws an Error that names the file and says it was left
   * untouched when the head log cannot be read (a damaged file).
   */
  constructor(db: Database) {
    this.#db = db;
    this.#chunks = new ChunkStore(db);
    this.#settings = new SettingsRepository(db);
    this.#sealedBefore = this.#settings.sealedBefore();
    this.#retention = this.#settings.retention();
    this.#selectSeriesId = db.prepare<[string, string], number>(
      'SELECT id FROM series WHERE host = ? AND key = ?').pluck();
    this.#insertSeries = db.prepare<[string, string, string, string], number>(
      'INSERT INTO series (host, metric, attributes, key) VALUES (?, ?, ?, ?) RETURNING id').pluck();
    this.#insertHead = db.prepare('INSERT INTO head (t_min, t_max, data) VALUES (?, ?, ?)');
    this.#maxHeadId = db.prepare<[], number | null>('SELECT max(id) FROM head').pluck();
    this.#deleteSealedHead = db.prepare('DELETE FROM head WHERE id <= ? AND t_max < ?');
    this.#spanningHead = db.prepare('SELECT id, data FROM head WHERE id <= ? AND t_min < ? AND t_max >= ?');
    this.#rewriteHead = db.prepare('UPDATE head SET t_min = ?, t_max = ?, data = ? WHERE id = ?');
    this.#deleteHeadRow = db.prepare('DELETE FROM head WHERE id = ?');

    const rows = db.prepare<[], { id: number; host: string; metric: string; attributes: string; key: string }>(
      'SELECT id, host, metric, attributes, key FROM series').all();
    for (const row of rows) {
      const state: SeriesState = {
        id: row.id, host: row.host, metric: row.metric, key: row.key,
        attributes: JSON.parse(row.attributes) as Attributes,
        precision: precisionOf(row.metric), head: { t: [], v: [] },
      };
      this.#hostSeries(row.host).set(row.key, state);
      this.#byId.set(row.id, state);
    }
    try {
      for (const data of db.prepare<[], Uint8Array>('SELECT data FROM head ORDER BY id').pluck().iterate()) {
        for (const entry of decodeHeadRecord(data)) {
          for (let i = 0; i < entry.ids.length; i++) {
            // A series deleted with its host since the record was written: its samples go with it.
            const state = this.#byId.get(entry.ids[i]!);
            if (state) insertSample(state.head, entry.t, entry.values[i]!);
          }
        }
      }
    } catch (error) {
      throw corrupt(db.name, error);
    }
  }

  /** Retention per tier, as stored; queries use it to pick a tier that still covers their range. */
  get retention(): Retention {
    return this.#retention;
  }

  /** Stores new retention settings (validated by the caller); the next cleanup pass applies them. */
  setRetention(retention: Retention): void {
    this.#settings.setRetention(retention);
    this.#retention = retention;
  }

  /**
   * Takes a snapshot's finite samples (NaN and ±Infinity are skipped), rounded to their precision:
   * visible to query() and latest() at once, written by the next flush(). Beyond about a million
   * waiting samples (writes failing for long) the oldest waiting snapshots are dropped from the log;
   * they stay in memory until sealed.
   */
  append(snapshot: Snapshot): void {
    const t = Math.trunc(snapshot.time);
    const hostSeries = this.#hostSeries(snapshot.host);
    const series: SeriesState[] = [];
    const values: number[] = [];
    for (const sample of snapshot.samples) {
      if (!Number.isFinite(sample.value)) continue;
      const key = seriesKey(sample.metric, sample.attributes);
      let state = hostSeries.get(key);
      if (!state) {
        state = {
          id: null, host: snapshot.host, metric: sample.metric, attributes: sample.attributes, key,
          precision: precisionOf(sample.metric), head: { t: [], v: [] },
        };
        hostSeries.set(key, state);
      }
      const value = quantize(sample.value, state.precision);
      insertSample(state.head, t, value);
      series.push(state);
      values.push(value);
    }
    if (series.length === 0) return;
    this.#buffer.push({ t, series, values });
    this.#bufferedSamples += series.length;
    while (this.#bufferedSamples > MAX_BUFFERED_SAMPLES && this.#buffer.length > 1) {
      this.#bufferedSamples -= this.#buffer.shift()!.series.length;
    }
  }

  /** Snapshots taken and not yet flushed. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * Appends every waiting snapshot to the head log as one record, in one transaction, and returns how
   * many samples it wrote. On a database error (SQLITE_FULL on a full disk, a lock held past the busy
   * timeout) the transaction rolls back, the snapshots keep waiting for the next flush, and the error is
   * thrown.
   */
  flush(): number {
    if (this.#buffer.length === 0) return 0;
    const created: SeriesState[] = [];
    try {
      this.#db.transaction(() => {
        const entries: HeadEntry[] = [];
        let tMin = Infinity;
        let tMax = -Infinity;
        for (const pending of this.#buffer) {
          const ids = pending.series.map((state) => state.id ?? this.#createSeries(state, created));
          entries.push({ t: pending.t, ids, values: pending.values, precisions: pending.series.map((s) => s.precision) });
          tMin = Math.min(tMin, pending.t);
          tMax = Math.max(tMax, pending.t);
        }
        this.#insertHead.run(tMin, tMax, encodeHeadRecord(entries));
      })();
    } catch (error) {
      // Rows inserted by the rolled-back transaction no longer exist.
      for (const state of created) {
        this.#byId.delete(state.id!);
        state.id = null;
      }
      throw error;
    }
    const written = this.#bufferedSamples;
    this.#buffer.length = 0;
    this.#bufferedSamples = 0;
    return written;
  }

  /**
   * Seals every hour window that ended at least SEAL_GRACE_MS before `now` (ms): writes its blocks and
   * rollups, one transaction per host and window, drops those samples from memory, then deletes the head
   * records that hold nothing unsealed. Between hosts it awaits `pause()` (default: the next turn of the
   * event loop) so polling goes on. Samples of a series never flushed yet wait for the next seal; samples
   * of windows older than the raw retention are dropped.
   * Throws a database error (a full disk) after what was sealed so far is committed; sealing again later
   * is safe.
   */
  async seal(now: number = Date.now(), pause: () => Promise<void> = nextTurn): Promise<SealResult> {
    const cutoff = Math.floor((now - SEAL_GRACE_MS) / WINDOW_MS) * WINDOW_MS;
    // A window whose raw blocks retention already deleted cannot take late samples: its rollups would be
    // rebuilt from those alone. Such samples are dropped.
    const rawKeptFrom = now - this.#retention.rawDays * 86_400_000 - WINDOW_MS;
    const lastRecord = this.#maxHeadId.get() ?? 0;
    const result: SealResult = { windows: 0, samples: 0 };
    for (const [host, hostSeries] of [...this.#hosts]) {
      const windows = new Map<number, Map<number, SeriesWindow>>();
      for (const state of hostSeries.values()) {
        const head = state.head;
        if (state.id === null || head.t.length === 0 || head.t[0]! >= cutoff) continue;
        for (let i = 0; i < head.t.length && head.t[i]! < cutoff;) {
          const start = Math.floor(head.t[i]! / WINDOW_MS) * WINDOW_MS;
          const samples: Samples = { t: [], v: [] };
          for (; i < head.t.length && head.t[i]! < Math.min(start + WINDOW_MS, cutoff); i++) {
            samples.t.push(head.t[i]!);
            samples.v.push(head.v[i]!);
          }
          if (start < rawKeptFrom) continue;
          let window = windows.get(start);
          if (!window) windows.set(start, (window = new Map()));
          window.set(state.id, { samples, precision: state.precision });
        }
      }
      if (windows.size === 0) continue;
      this.#db.transaction(() => {
        for (const [start, window] of windows) {
          result.samples += this.#chunks.writeWindow(host, start, window);
          result.windows++;
        }
      })();
      // Same turn as the commit: nothing appended in between.
      for (const state of hostSeries.values()) {
        if (state.id === null) continue;
        const sealed = sortedIndex(state.head.t, cutoff);
        state.head.t.splice(0, sealed);
        state.head.v.splice(0, sealed);
      }
      await pause();
    }
    this.#db.transaction(() => {
      this.#deleteSealedHead.run(lastRecord, cutoff);
      for (const row of this.#spanningHead.all(lastRecord, cutoff, cutoff)) this.#keepUnsealed(row.id, row.data, cutoff);
      if (cutoff > this.#sealedBefore) this.#settings.setSealedBefore(cutoff);
    })();
    this.#sealedBefore = Math.max(this.#sealedBefore, cutoff);
    return result;
  }

  /** Rewrites a head record that spans the seal's cutoff to hold only its samples from `cutoff` on. */
  #keepUnsealed(id: number, data: Uint8Array, cutoff: number): void {
    const entries: HeadEntry[] = [];
    for (const entry of decodeHeadRecord(data)) {
      if (entry.t < cutoff) continue;
      const kept: HeadEntry = { t: entry.t, ids: [], values: [], precisions: [] };
      entry.ids.forEach((seriesId, i) => {
        const state = this.#byId.get(seriesId);
        if (!state) return;
        kept.ids.push(seriesId);
        kept.values.push(entry.values[i]!);
        kept.precisions!.push(state.precision);
      });
      if (kept.ids.length > 0) entries.push(kept);
    }
    if (entries.length === 0) this.#deleteHeadRow.run(id);
    else {
      // Entries are in arrival order, not time order (late snapshots).
      const times = entries.map((e) => e.t);
      this.#rewriteHead.run(Math.min(...times), Math.max(...times), encodeHeadRecord(entries), id);
    }
  }

  /**
   * The series of `q.metric` on `q.host` that pass `q.matchers`, each downsampled into at most
   * maxPoints buckets of `step` ms: avg/min/max per bucket, buckets without samples absent.
   * - Ranges whose step is under a minute read raw samples; buckets start at `from` and step is a whole
   *   number of seconds.
   * - Longer ones read the coarsest rollup tier (1 minute or 1 hour) whose resolution is at most 1.5 ×
   *   the step and that still covers `from` under the retention; step is then a multiple of the tier's
   *   resolution and buckets are aligned to multiples of it, so the first may start before `from`.
   * Samples not sealed yet come from memory. Throws a RangeError when `from >= to` or maxPoints < 1.
   */
  query(q: SampleQuery, now: number = Date.now()): QueryResult {
    if (!(q.from < q.to)) throw new RangeError('`from` must be before `to`');
    if (!(q.maxPoints >= 1)) throw new RangeError('`maxPoints` must be at least 1');
    // +1: both ends are inclusive, so a sample at `to` still falls in bucket maxPoints - 1.
    let step = MIN_STEP_MS * Math.max(1, Math.ceil((q.to - q.from + 1) / (q.maxPoints * MIN_STEP_MS)));
    let tier: (typeof QUERY_TIERS)[number] | null = null;
    for (const candidate of QUERY_TIERS) {
      if (candidate.resolution <= step * TIER_SLACK) {
        tier = candidate;
        break;
      }
    }
    const rawKeptFrom = now - this.#retention.rawDays * 86_400_000;
    if (!tier && q.from < rawKeptFrom) tier = QUERY_TIERS[1];
    if (tier?.tier === '1m' && q.from < now - tier.retention(this.#retention) * 86_400_000) tier = QUERY_TIERS[0];
    let origin = q.from;
    if (tier) {
      step = Math.max(tier.resolution, Math.ceil(step / tier.resolution) * tier.resolution);
      origin = Math.floor(q.from / step) * step;
      while (Math.floor((q.to - origin) / step) + 1 > q.maxPoints) {
        step += tier.resolution;
        origin = Math.floor(q.from / step) * step;
      }
    }
    const series: SeriesData[] = [];
    for (const state of this.#hostSeries(q.host).values()) {
      if (state.metric !== q.metric) continue;
      if (q.matchers && !matchesQuery(q.matchers, state.attributes)) continue;
      const buckets = new Buckets(origin, step);
      if (tier) {
        if (state.id !== null) {
          for (const r of this.#chunks.readRollups(state.id, tier.number, origin, q.to)) buckets.addRollup(r.t, r);
        }
        // Late samples before the sealed watermark are in the rollups once sealed; until then only raw shows them.
        addRange(buckets, state.head, Math.max(origin, this.#sealedBefore), q.to);
      } else {
        const sealed = state.id === null ? null : this.#chunks.readRaw(state.id, state.host, q.from, q.to);
        const head = sliceRange(state.head, q.from, q.to);
        const all = sealed && sealed.t.length > 0 ? mergeSorted(sealed, head) : head;
        for (let i = 0; i < all.t.length; i++) buckets.add(all.t[i]!, all.v[i]!);
      }
      series.push({ metric: state.metric, attributes: state.attributes, points: buckets.points() });
    }
    series.sort((a, b) => seriesKey(a.metric, a.attributes) < seriesKey(b.metric, b.attributes) ? -1 : 1);
    return { step, tier: tier?.tier ?? 'raw', series };
  }

  /**
   * The newest value of each live series of `host` (those within a minute of the host's newest),
   * sorted by metric then attributes: from memory, or the newest block of a series whose head is empty.
   */
  latest(host: string): LatestSample[] {
    const out: LatestSample[] = [];
    let newest = -Infinity;
    for (const state of this.#hostSeries(host).values()) {
      const n = state.head.t.length;
      let last = n > 0 ? { t: state.head.t[n - 1]!, value: state.head.v[n - 1]! } : null;
      // A head holding only late or replayed samples may be older than what is sealed.
      if ((!last || last.t < this.#sealedBefore) && state.id !== null) {
        const sealed = this.#chunks.newestRaw(state.id, host);
        if (sealed && (!last || sealed.t > last.t)) last = sealed;
      }
      if (!last) continue;
      out.push({ metric: state.metric, attributes: state.attributes, t: last.t, value: last.value });
      if (last.t > newest) newest = last.t;
    }
    return out
      .filter((s) => s.t >= newest - STALE_MS)
      .sort((a, b) => a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : seriesKey(a.metric, a.attributes) < seriesKey(b.metric, b.attributes) ? -1 : 1);
  }

  /**
   * Bytes of history per host: its sealed blocks, plus its share of the head log by samples held. A
   * scan of every block's header, so callers cache it.
   */
  bytesByHost(): Map<string, number> {
    const bytes = this.#chunks.bytesByHost();
    const headBytes = this.#db.prepare<[], number | null>('SELECT sum(length(data)) FROM head').pluck().get() ?? 0;
    const headSamples = new Map<string, number>();
    let total = 0;
    for (const [host, series] of this.#hosts) {
      let n = 0;
      for (const state of series.values()) n += state.head.t.length;
      if (n > 0) headSamples.set(host, n);
      total += n;
    }
    for (const [host, n] of headSamples) bytes.set(host, (bytes.get(host) ?? 0) + Math.round(headBytes * n / total));
    return bytes;
  }

  /** Reads the retention settings again, after another process (the CLI) changed them. */
  reloadRetention(): void {
    this.#retention = this.#settings.retention();
  }

  /** Ids of series with samples in memory: retention must not delete their rows (the head log refers to them). */
  liveSeriesIds(): Set<number> {
    const ids = new Set<number>();
    for (const state of this.#byId.values()) if (state.head.t.length > 0) ids.add(state.id!);
    return ids;
  }

  /**
   * Deletes every series and sample of `host`: its memory and waiting snapshots at once, its series rows
   * in one statement (a host added again with the same id starts new series), then its blocks in batches
   * of BATCH rows with `pause()` between them, so polling never waits long. Returns the blocks deleted.
   */
  async deleteHost(host: string, pause: () => Promise<void> = nextTurn): Promise<number> {
    for (let i = this.#buffer.length - 1; i >= 0; i--) {
      if (this.#buffer[i]!.series[0]!.host !== host) continue;
      this.#bufferedSamples -= this.#buffer[i]!.series.length;
      this.#buffer.splice(i, 1);
    }
    for (const state of this.#hostSeries(host).values()) if (state.id !== null) this.#byId.delete(state.id);
    this.#hosts.delete(host);
    const ids = this.#db.prepare<[string], number>('SELECT id FROM series WHERE host = ?').pluck().all(host);
    // Times blocks up to the newest one now; a host added again with this id writes later ones.
    const newestTimes = this.#db.prepare<[string], number | null>(
      'SELECT max(start) FROM chunk_times WHERE host = ?').pluck().get(host) ?? -Infinity;
    this.#db.prepare('DELETE FROM series WHERE host = ?').run(host);
    const deleteBlocks = this.#db.prepare<[number]>(
      `DELETE FROM chunks WHERE id IN (SELECT id FROM chunks WHERE series_id = ? LIMIT ${BATCH})`);
    const deleteTimes = this.#db.prepare<[string, number]>(
      `DELETE FROM chunk_times WHERE rowid IN (SELECT rowid FROM chunk_times WHERE host = ? AND start <= ? LIMIT ${BATCH})`);
    let deleted = 0;
    for (const id of ids) {
      for (let n; (n = deleteBlocks.run(id).changes) > 0;) {
        deleted += n;
        await pause();
      }
    }
    for (let n; (n = deleteTimes.run(host, newestTimes).changes) > 0;) {
      deleted += n;
      await pause();
    }
    return deleted;
  }

  /** Forgets series whose rows retention deleted (they were empty and not live). */
  forgetSeries(ids: Iterable<number>): void {
    for (const id of ids) {
      const state = this.#byId.get(id);
      if (!state) continue;
      this.#byId.delete(id);
      this.#hosts.get(state.host)?.delete(state.key);
    }
  }

  #createSeries(state: SeriesState, created: SeriesState[]): number {
    const id = this.#selectSeriesId.get(state.host, state.key) ??
      this.#insertSeries.get(state.host, state.metric, JSON.stringify(state.attributes), state.key)!;
    state.id = id;
    this.#byId.set(id, state);
    created.push(state);
    return id;
  }

  #hostSeries(host: string): Map<string, SeriesState> {
    let series = this.#hosts.get(host);
    if (!series) this.#hosts.set(host, (series = new Map()));
    return series;
  }
}

/** Rows deleted per statement when removing a host: about a few ms of work each. */
const BATCH = 500;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Inserts (t, v) into sorted `samples`; an equal time replaces the value (last write wins). */
function insertSample(samples: Samples, t: number, v: number): void {
  const n = samples.t.length;
  if (n === 0 || t > samples.t[n - 1]!) {
    samples.t.push(t);
    samples.v.push(v);
    return;
  }
  const i = sortedIndex(samples.t, t);
  if (samples.t[i] === t) samples.v[i] = v;
  else {
    samples.t.splice(i, 0, t);
    samples.v.splice(i, 0, v);
  }
}

/** The first index of sorted `times` whose time is ≥ `t`. */
function sortedIndex(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sliceRange(samples: Samples, from: number, to: number): Samples {
  const a = sortedIndex(samples.t, from);
  const b = sortedIndex(samples.t, to + 1);
  return { t: samples.t.slice(a, b), v: samples.v.slice(a, b) };
}

function addRange(buckets: Buckets, samples: Samples, from: number, to: number): void {
  for (let i = sortedIndex(samples.t, from); i < samples.t.length && samples.t[i]! <= to; i++) {
    buckets.add(samples.t[i]!, samples.v[i]!);
  }
}

/** Sealed samples followed by head ones; the head wins at an equal time (a late sample replaced one). */
function mergeSorted(sealed: Samples, head: Samples): Samples {
  if (head.t.length === 0) return sealed;
  if (sealed.t.at(-1)! < head.t[0]!) return { t: sealed.t.concat(head.t), v: sealed.v.concat(head.v) };
  const byTime = new Map<number, number>();
  for (let i = 0; i < sealed.t.length; i++) byTime.set(sealed.t[i]!, sealed.v[i]!);
  for (let i = 0; i < head.t.length; i++) byTime.set(head.t[i]!, head.v[i]!);
  const t = [...byTime.keys()].sort((a, b) => a - b);
  return { t, v: t.map((time) => byTime.get(time)!) };
}

/** Buckets of `step` ms from `origin`, filled with samples or rollups; weighted by sample count. */
class Buckets {
  readonly #origin: number;
  readonly #step: number;
  readonly #byIndex = new Map<number, { sum: number; count: number; min: number; max: number }>();

  constructor(origin: number, step: number) {
    this.#origin = origin;
    this.#step = step;
  }

  add(t: number, v: number): void {
    this.#merge(t, v, 1, v, v);
  }

  addRollup(t: number, r: { avg: number; count: number; min: number; max: number }): void {
    this.#merge(t, r.avg * r.count, r.count, r.min, r.max);
  }

  #merge(t: number, sum: number, count: number, min: number, max: number): void {
    const index = Math.floor((t - this.#origin) / this.#step);
    const bucket = this.#byIndex.get(index);
    if (!bucket) {
      this.#byIndex.set(index, { sum, count, min, max });
      return;
    }
    bucket.sum += sum;
    bucket.count += count;
    if (min < bucket.min) bucket.min = min;
    if (max > bucket.max) bucket.max = max;
  }

  points(): Point[] {
    return [...this.#byIndex].sort((a, b) => a[0] - b[0]).map(([index, b]) => ({
      t: this.#origin + index * this.#step,
      avg: b.sum / b.count,
      min: b.min,
      max: b.max,
    }));
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
