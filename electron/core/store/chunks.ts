/**
 * Sealed history in SQLite: per host and hour window one times block (chunk_times), and per series the
 * window's raw block (tier 0), its 1-minute rollups (tier 1), and, per UTC day, its 1-hour rollups
 * (tier 2) in the chunks table. Writing a window that already holds blocks (late samples, or samples
 * replayed after a crash during a seal) merges with them, so sealing the same samples twice is harmless.
 */
import type { Statement } from 'better-sqlite3';
import {
  decodeRawBlock, decodeRollupBlock, decodeTimesBlock, encodeRawBlock, encodeRollupBlock, encodeTimesBlock,
  rollUp, type Rollup, type Samples,
} from './blocks.ts';
import { precisionOf, type Precision } from './codec.ts';
import type { Database } from './database.ts';

/** A raw window and a tier-1 block span an hour; a tier-2 block spans a UTC day. */
export const WINDOW_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** Tier numbers as stored, and per tier the width of one entry and of one block, ms. */
export const TIER = { raw: 0, minute: 1, hour: 2 } as const;
export type TierNumber = (typeof TIER)[keyof typeof TIER];
export const ROLLUP_TIERS = {
  [TIER.minute]: { slotMs: MINUTE_MS, blockMs: WINDOW_MS, slots: 60 },
  [TIER.hour]: { slotMs: WINDOW_MS, blockMs: DAY_MS, slots: 24 },
} as const;

/** A series' samples for one window and the precision its values keep. */
export interface SeriesWindow {
  samples: Samples;
  precision: Precision;
}

/** A rollup with the start of its slot, ms since epoch. */
export interface TimedRollup extends Rollup {
  t: number;
}

interface BlockRow { start: number; data: Uint8Array }

export class ChunkStore {
  readonly #getTimes: Statement<[string, number], Uint8Array>;
  readonly #putTimes: Statement<[string, number, Uint8Array]>;
  readonly #windowBlocks: Statement<[string, number], { seriesId: number; metric: string; data: Uint8Array }>;
  readonly #getBlock: Statement<[number, number, number], Uint8Array>;
  readonly #putBlock: Statement<[number, number, number, Uint8Array]>;
  readonly #blocks: Statement<[number, number, number, number], BlockRow>;
  readonly #newestRaw: Statement<[number], BlockRow>;
  readonly #bytesByHost: Statement<[], { host: string; bytes: number }>;

  constructor(db: Database) {
    this.#getTimes = db.prepare<[string, number], Uint8Array>(
      'SELECT data FROM chunk_times WHERE host = ? AND start = ?').pluck();
    this.#putTimes = db.prepare<[string, number, Uint8Array]>(`
      INSERT INTO chunk_times (host, start, data) VALUES (?, ?, ?)
      ON CONFLICT (host, start) DO UPDATE SET data = excluded.data`);
    this.#windowBlocks = db.prepare(`
      SELECT c.series_id AS seriesId, s.metric, c.data FROM chunks c JOIN series s ON s.id = c.series_id
      WHERE s.host = ? AND c.tier = 0 AND c.start = ?`);
    this.#getBlock = db.prepare<[number, number, number], Uint8Array>(
      'SELECT data FROM chunks WHERE series_id = ? AND tier = ? AND start = ?').pluck();
    this.#putBlock = db.prepare<[number, number, number, Uint8Array]>(`
      INSERT INTO chunks (series_id, tier, start, data) VALUES (?, ?, ?, ?)
      ON CONFLICT (series_id, tier, start) DO UPDATE SET data = excluded.data`);
    this.#blocks = db.prepare(
      'SELECT start, data FROM chunks WHERE series_id = ? AND tier = ? AND start > ? AND start <= ? ORDER BY start');
    this.#newestRaw = db.prepare(
      'SELECT start, data FROM chunks WHERE series_id = ? AND tier = 0 ORDER BY start DESC LIMIT 1');
    // length() of a blob reads its size from the record header, not its overflow pages.
    this.#bytesByHost = db.prepare(`
      SELECT host, sum(bytes) AS bytes FROM (
        SELECT s.host, length(c.data) AS bytes FROM chunks c JOIN series s ON s.id = c.series_id
        UNION ALL SELECT host, length(data) FROM chunk_times
      ) GROUP BY host`);
  }

  /** Bytes of sealed blocks per host (without SQLite's page overhead). Reads every block's header: cache it. */
  bytesByHost(): Map<string, number> {
    return new Map(this.#bytesByHost.all().map((row) => [row.host, row.bytes]));
  }

  /**
   * Writes the window of `host` starting at `start` (a multiple of WINDOW_MS): series id → its samples
   * there, sorted by time without duplicates. Merges with blocks the window already has (the new sample
   * wins at an equal time), then writes the times block, every series' raw block and 1-minute rollups, and
   * updates each series' 1-hour rollup of that hour. Call inside a transaction. Returns the samples written.
   */
  writeWindow(host: string, start: number, incoming: ReadonlyMap<number, SeriesWindow>): number {
    const series = new Map(incoming);
    const existingTimes = this.#getTimes.get(host, start);
    if (existingTimes) {
      const hostTimes = decodeTimesBlock(existingTimes);
      for (const row of this.#windowBlocks.all(host, start)) {
        const old = decodeRawBlock(row.data, hostTimes);
        const now = series.get(row.seriesId);
        series.set(row.seriesId, {
          samples: now ? mergeSamples(old, now.samples) : old,
          precision: now?.precision ?? precisionOf(row.metric),
        });
      }
    }
    const hostTimes = unionOfTimes([...series.values()].map((s) => s.samples.t));
    this.#putTimes.run(host, start, encodeTimesBlock(hostTimes));
    const day = Math.floor(start / DAY_MS) * DAY_MS;
    const hourSlot = (start - day) / WINDOW_MS;
    let written = 0;
    for (const [id, { samples, precision }] of series) {
      if (samples.t.length === 0) continue;
      written += samples.t.length;
      this.#putBlock.run(id, TIER.raw, start, encodeRawBlock(hostTimes, samples, precision));
      this.#putBlock.run(id, TIER.minute, start, encodeRollupBlock(rollUp(samples, start, MINUTE_MS, 60), 60, precision));
      const [hour] = rollUp(samples, start, WINDOW_MS, 1);
      const dayBlock = this.#getBlock.get(id, TIER.hour, day);
      const hours = dayBlock ? decodeRollupBlock(dayBlock, 24).filter((r) => r.slot !== hourSlot) : [];
      hours.push({ ...hour!, slot: hourSlot });
      hours.sort((a, b) => a.slot - b.slot);
      this.#putBlock.run(id, TIER.hour, day, encodeRollupBlock(hours, 24, precision));
    }
    return written;
  }

  /** Sealed raw samples of series `id` (of `host`) with from ≤ t ≤ to, in time order. */
  readRaw(id: number, host: string, from: number, to: number): Samples {
    const out: Samples = { t: [], v: [] };
    for (const row of this.#blocks.all(id, TIER.raw, from - WINDOW_MS, to)) {
      const times = this.#getTimes.get(host, row.start);
      if (!times) continue;
      const block = decodeRawBlock(row.data, decodeTimesBlock(times));
      for (let i = 0; i < block.t.length; i++) {
        const t = block.t[i]!;
        if (t < from || t > to) continue;
        out.t.push(t);
        out.v.push(block.v[i]!);
      }
    }
    return out;
  }

  /** Rollups of series `id` in `tier` whose slot starts in [from, to], in time order. */
  readRollups(id: number, tier: typeof TIER.minute | typeof TIER.hour, from: number, to: number): TimedRollup[] {
    const { slotMs, blockMs, slots } = ROLLUP_TIERS[tier];
    const out: TimedRollup[] = [];
    for (const row of this.#blocks.all(id, tier, from - blockMs, to)) {
      for (const r of decodeRollupBlock(row.data, slots)) {
        const t = row.start + r.slot * slotMs;
        if (t >= from && t <= to) out.push({ ...r, t });
      }
    }
    return out;
  }

  /** The newest sealed sample of series `id` (of `host`), or null when it has none. */
  newestRaw(id: number, host: string): { t: number; value: number } | null {
    const row = this.#newestRaw.get(id);
    const times = row && this.#getTimes.get(host, row.start);
    if (!row || !times) return null;
    const block = decodeRawBlock(row.data, decodeTimesBlock(times));
    const last = block.t.length - 1;
    return last < 0 ? null : { t: block.t[last]!, value: block.v[last]! };
  }
}

/** `a` and `b` (each sorted, unique) merged in time order; `b` wins where both have a time. */
export function mergeSamples(a: Samples, b: Samples): Samples {
  const out: Samples = { t: [], v: [] };
  let i = 0;
  let j = 0;
  while (i < a.t.length || j < b.t.length) {
    const ta = i < a.t.length ? a.t[i]! : Infinity;
    const tb = j < b.t.length ? b.t[j]! : Infinity;
    if (tb <= ta) {
      out.t.push(tb);
      out.v.push(b.v[j++]!);
      if (ta === tb) i++;
    } else {
      out.t.push(ta);
      out.v.push(a.v[i++]!);
    }
  }
  return out;
}

function unionOfTimes(columns: readonly number[][]): number[] {
  if (columns.length === 1) return columns[0]!.slice();
  const all = new Set<number>();
  for (const column of columns) for (const t of column) all.add(t);
  return [...all].sort((a, b) => a - b);
}
