/**
 * Retention: deletes the blocks of each tier that ended before that tier's cut-off, one series at a
 * time so that no statement holds the write lock for long (polling goes on between steps), drops
 * series left with nothing, and gives the freed pages back to the OS (incremental vacuum).
 */
import type { Retention } from '../../../shared/api.ts';
import { DAY_MS, TIER, WINDOW_MS } from './chunks.ts';
import type { Database } from './database.ts';

/** What one pass removed. */
export interface PruneResult {
  /** Blocks deleted, all tiers. */
  blocks: number;
  /** Ids of series deleted because nothing of them was left. */
  series: number[];
  /** Pages given back to the OS. */
  pagesFreed: number;
}

export interface PruneOptions {
  /** Awaited between series (default: the next turn of the event loop) so the engine keeps polling. */
  pause?: () => Promise<void>;
  /**
   * Series whose rows must stay even when they have no block: those with unsealed samples. Asked at the
   * end of the pass, after its pauses.
   */
  keep?: () => ReadonlySet<number>;
}

/**
 * Deletes history older than `retention` allows at time `now` (ms): a block goes once its whole span
 * (an hour of raw or 1-minute data, a day of 1-hour data) is older than its tier's cut-off.
 */
export async function pruneHistory(db: Database, retention: Retention, now: number, options: PruneOptions = {}): Promise<PruneResult> {
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const cutoff = (days: number, span: number) => now - days * 86_400_000 - span;
  const rawBefore = cutoff(retention.rawDays, WINDOW_MS);
  const minuteBefore = cutoff(retention.minuteDays, WINDOW_MS);
  const hourBefore = cutoff(retention.hourDays, DAY_MS);
  // One seek and a range delete on the (series_id, tier, start) index.
  const deleteOld = db.prepare<[number, number, number]>('DELETE FROM chunks WHERE series_id = ? AND tier = ? AND start <= ?');
  let blocks = 0;
  // Only series that existed when the pass started may be dropped: one first written during its pauses
  // (a new host, a new disk) has no block yet and is not in `keep`.
  const ids = db.prepare<[], number>('SELECT id FROM series ORDER BY id').pluck().all();
  const existed = new Set(ids);
  for (const id of ids) {
    blocks += deleteOld.run(id, TIER.raw, rawBefore).changes;
    blocks += deleteOld.run(id, TIER.minute, minuteBefore).changes;
    blocks += deleteOld.run(id, TIER.hour, hourBefore).changes;
    await pause();
  }
  blocks += db.prepare('DELETE FROM chunk_times WHERE start <= ?').run(rawBefore).changes;
  const keep = options.keep?.() ?? new Set<number>();
  const empty = db.prepare<[], number>(
    'SELECT id FROM series WHERE NOT EXISTS (SELECT 1 FROM chunks WHERE series_id = series.id)').pluck().all()
    .filter((id) => existed.has(id) && !keep.has(id));
  const deleteSeries = db.prepare<[number]>('DELETE FROM series WHERE id = ?');
  db.transaction(() => {
    for (const id of empty) deleteSeries.run(id);
  })();
  const freePages = db.prepare<[], number>('PRAGMA freelist_count').pluck();
  const free = freePages.get() ?? 0;
  db.pragma('incremental_vacuum');
  return { blocks, series: empty, pagesFreed: free - (freePages.get() ?? 0) };
}
