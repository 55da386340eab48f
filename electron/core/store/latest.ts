/**
 * The latest stored value of every series of a host, read from history: what the command line shows
 * as "now" while the engine (another process) writes.
 */
import type { Attributes } from '../../../shared/metrics.ts';
import type { Database } from './database.ts';

/** A series' newest sample; `t` in ms since epoch. */
export interface LatestSample {
  metric: string;
  attributes: Attributes;
  t: number;
  value: number;
}

/** A series whose newest sample is this much older than the host's newest is gone (an unplugged disk). */
const STALE_MS = 60_000;

/** Reads the newest sample of each live series of a host. */
export class LatestQuery {
  readonly #statement;

  constructor(db: Database) {
    // max(t) per series is one seek on the (series_id, t) primary key.
    this.#statement = db.prepare<[string], { metric: string; attributes: string; t: number; value: number }>(`
      WITH newest AS (
        SELECT s.metric, s.attributes, x.t, x.value
        FROM series s
        JOIN samples x ON x.series_id = s.id AND x.t = (SELECT max(t) FROM samples WHERE series_id = s.id)
        WHERE s.host = ?
      )
      SELECT * FROM newest WHERE t >= (SELECT max(t) FROM newest) - ${STALE_MS}
      ORDER BY metric, attributes`);
  }

  /** The newest samples of `host`, sorted by metric; empty when it has no history. */
  forHost(host: string): LatestSample[] {
    return this.#statement.all(host).map((row) => ({
      metric: row.metric,
      attributes: JSON.parse(row.attributes) as Attributes,
      t: row.t,
      value: row.value,
    }));
  }
}
