/** Silences in the database (shared/silences.ts): created, listed, expired early; never edited in place. */
import type { Statement } from 'better-sqlite3';
import { Matcher, silenceState, type Silence, type SilenceSpec } from '../../../shared/silences.ts';
import type { Database } from './database.ts';
import { NotFoundError } from './errors.ts';

interface SilenceRow { id: number; matchers: string; starts_at: number; ends_at: number; created_by: string; comment: string; created_at: number }

/** Expired silences kept for the record, the newest this many. */
const KEPT_EXPIRED = 500;

export class SilenceRepository {
  readonly #insert: Statement<[string, number, number, string, string, number], SilenceRow>;
  readonly #all: Statement<[], SilenceRow>;
  readonly #get: Statement<[number], SilenceRow>;
  readonly #end: Statement<[number, number]>;
  readonly #prune: Statement<[number, number, number]>;

  constructor(db: Database) {
    this.#insert = db.prepare(`INSERT INTO silences (matchers, starts_at, ends_at, created_by, comment, created_at)
      VALUES (?, ?, ?, ?, ?, ?) RETURNING *`);
    this.#all = db.prepare('SELECT * FROM silences ORDER BY ends_at DESC, id DESC');
    this.#get = db.prepare('SELECT * FROM silences WHERE id = ?');
    this.#end = db.prepare('UPDATE silences SET ends_at = ? WHERE id = ?');
    this.#prune = db.prepare(`DELETE FROM silences WHERE ends_at <= ? AND id NOT IN
      (SELECT id FROM silences WHERE ends_at <= ? ORDER BY ends_at DESC LIMIT ?)`);
  }

  /** Stores a silence; old expired ones beyond the newest KEPT_EXPIRED are dropped. */
  create(spec: SilenceSpec, now: number = Date.now()): Silence {
    const row = this.#insert.get(JSON.stringify(spec.matchers), spec.startsAt, spec.endsAt, spec.createdBy, spec.comment, now)!;
    this.#prune.run(now, now, KEPT_EXPIRED);
    return toSilence(row, now);
  }

  /** Every silence with its state at `now`, those ending last first. */
  list(now: number = Date.now()): Silence[] {
    return this.#all.all().map((row) => toSilence(row, now));
  }

  /** The silences in force at `now`. */
  active(now: number = Date.now()): Silence[] {
    return this.list(now).filter((s) => s.state === 'active');
  }

  /**
   * Ends silence `id` at `now` (a pending one never starts); an expired one stays as it was. Throws
   * NotFoundError.
   */
  expire(id: number, now: number = Date.now()): Silence {
    const row = this.#get.get(id);
    if (!row) throw new NotFoundError(`No silence ${id}`);
    if (row.ends_at > now) this.#end.run(Math.max(now, row.starts_at), id);
    return toSilence(this.#get.get(id)!, Math.max(now, row.starts_at));
  }
}

function toSilence(row: SilenceRow, now: number): Silence {
  const parsed = Matcher.array().safeParse(JSON.parse(row.matchers));
  return {
    id: row.id, matchers: parsed.success ? parsed.data : [], startsAt: row.starts_at, endsAt: row.ends_at,
    createdBy: row.created_by, comment: row.comment, createdAt: row.created_at, state: silenceState({ startsAt: row.starts_at, endsAt: row.ends_at }, now),
  };
}
