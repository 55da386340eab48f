/**
 * Retention of raw samples: deletes samples older than a cut-off, one series at a time so that no
 * single statement holds the write lock for long (polling goes on between steps), drops series left
 * empty, and gives the freed pages back to the OS (incremental vacuum).
 */
import type { Database } from './database.ts';

/** What one pass removed. */
export interface PruneResult {
  /** Samples deleted. */
  samples: number;
  /** Series deleted because no sample was left. */
  series: number;
  /** Pages given back to the OS. */
  pagesFreed: number;
}

export class Retention {
  readonly #db: Database;
  readonly #seriesIds;
  readonly #deleteOld;
  readonly #deleteEmptySeries;
  readonly #freePages;

  constructor(db: Database) {
    this.#db = db;
    this.#seriesIds = db.prepare<[], number>('SELECT id FROM series ORDER BY id').pluck();
    // One seek and a range delete on the (series_id, t) primary key.
    this.#deleteOld = db.prepare<[number, number]>('DELETE FROM samples WHERE series_id = ? AND t < ?');
    this.#deleteEmptySeries = db.prepare(
      'DELETE FROM series WHERE NOT EXISTS (SELECT 1 FROM samples WHERE series_id = series.id)');
    this.#freePages = db.prepare<[], number>('PRAGMA freelist_count').pluck();
  }

  /**
   * Deletes samples older than `before` (ms since epoch). Between series it awaits `pause()` (default:
   * the next turn of the event loop) so the engine keeps polling while a large pass runs.
   */
  async prune(before: number, pause: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<PruneResult> {
    let samples = 0;
    for (const id of this.#seriesIds.all()) {
      samples += this.#deleteOld.run(id, before).changes;
      await pause();
    }
    const series = this.#deleteEmptySeries.run().changes;
    const free = this.#freePages.get() ?? 0;
    this.#db.pragma('incremental_vacuum');
    return { samples, series, pagesFreed: free - (this.#freePages.get() ?? 0) };
  }
}
