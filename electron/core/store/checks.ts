/**
 * The service checks the user set up (one row each, the CheckSpec as JSON) and the history of their
 * state changes. A check's name is unique on its host; deleting a check deletes its events.
 */
import type { Statement } from 'better-sqlite3';
import { Check, CheckSpec, type CheckEvent, type CheckState } from '../../../shared/checks/index.ts';
import type { Database } from './database.ts';
import { InvalidRequestError, NotFoundError } from './errors.ts';

interface CheckRow { id: number; spec: string; created_at: number }
interface EventRow { id: number; check_id: number; at: number; from_state: string; to_state: string; reason: string; excerpt: string | null }

/** Characters of an event's reason and excerpt kept at most (both come from targets). */
const REASON_CHARS = 1000;
const EXCERPT_CHARS = 1024;

export class CheckRepository {
  readonly #db: Database;
  readonly #list: Statement<[], CheckRow>;
  readonly #get: Statement<[number], CheckRow>;
  readonly #insert: Statement<[string, string, string, number, number], CheckRow>;
  readonly #update: Statement<[string, string, string, number, number]>;
  readonly #delete: Statement<[number]>;
  readonly #byName: Statement<[string, string], { id: number }>;
  readonly #addEvent: Statement<[number, number, string, string, string, string | null], EventRow>;
  readonly #events: Statement<[number, number], EventRow>;
  readonly #last: Statement<[], EventRow>;
  readonly #between: Statement<[number, number, number], EventRow>;
  readonly #before: Statement<[number, number], EventRow>;

  constructor(db: Database) {
    this.#db = db;
    this.#list = db.prepare('SELECT id, spec, created_at FROM checks ORDER BY host, name');
    this.#get = db.prepare('SELECT id, spec, created_at FROM checks WHERE id = ?');
    this.#insert = db.prepare(
      'INSERT INTO checks (host, name, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id, spec, created_at');
    this.#update = db.prepare('UPDATE checks SET host = ?, name = ?, spec = ?, updated_at = ? WHERE id = ?');
    this.#delete = db.prepare('DELETE FROM checks WHERE id = ?');
    this.#byName = db.prepare('SELECT id FROM checks WHERE host = ? AND name = ?');
    this.#addEvent = db.prepare(`INSERT INTO check_events (check_id, at, from_state, to_state, reason, excerpt)
      VALUES (?, ?, ?, ?, ?, ?) RETURNING *`);
    this.#events = db.prepare('SELECT * FROM check_events WHERE check_id = ? ORDER BY at DESC, id DESC LIMIT ?');
    // The newest event of each check: where its state stood when the engine stopped.
    this.#last = db.prepare(`SELECT e.* FROM check_events e
      JOIN (SELECT check_id, MAX(id) AS id FROM check_events GROUP BY check_id) m ON e.id = m.id`);
    this.#between = db.prepare('SELECT * FROM check_events WHERE check_id = ? AND at >= ? AND at <= ? ORDER BY at, id');
    this.#before = db.prepare('SELECT * FROM check_events WHERE check_id = ? AND at < ? ORDER BY at DESC, id DESC LIMIT 1');
  }

  /** Every check, by host then name. A row whose spec no longer validates is skipped with a log line. */
  list(): Check[] {
    const out: Check[] = [];
    for (const row of this.#list.all()) {
      const check = toCheck(row);
      if (check) out.push(check);
    }
    return out;
  }

  /** The check `id`; throws NotFoundError. */
  get(id: number): Check {
    const row = this.#get.get(id);
    const check = row && toCheck(row);
    if (!check) throw new NotFoundError(`No check ${id}`);
    return check;
  }

  /** Stores a new check; throws InvalidRequestError when its host already has a check of that name. */
  insert(spec: CheckSpec, now: number = Date.now()): Check {
    const parsed = CheckSpec.parse(spec);
    this.#unique(parsed, null);
    const row = this.#db.transaction(() => this.#insert.get(parsed.host, parsed.name, JSON.stringify(parsed), now, now))();
    return { id: row!.id, createdAt: row!.created_at, spec: parsed };
  }

  /** Replaces the spec of check `id`; throws NotFoundError, or InvalidRequestError for a taken name. */
  update(id: number, spec: CheckSpec, now: number = Date.now()): Check {
    const before = this.get(id);
    const parsed = CheckSpec.parse(spec);
    this.#unique(parsed, id);
    this.#update.run(parsed.host, parsed.name, JSON.stringify(parsed), now, id);
    return { ...before, spec: parsed };
  }

  /** Deletes check `id` and its events; false when there was none. */
  delete(id: number): boolean {
    return this.#delete.run(id).changes > 0;
  }

  /** Deletes every check of `host` (the host was removed); returns their ids. */
  deleteHost(host: string): number[] {
    const ids = this.list().filter((c) => c.spec.host === host).map((c) => c.id);
    this.#db.transaction(() => { for (const id of ids) this.#delete.run(id); })();
    return ids;
  }

  /** Records a state change; reason and excerpt are cut to a bounded length. */
  addEvent(checkId: number, at: number, from: CheckState, to: CheckState, reason: string, excerpt: string | null): CheckEvent {
    const row = this.#db.transaction(() => this.#addEvent.get(
      checkId, at, from, to, reason.slice(0, REASON_CHARS), excerpt === null ? null : excerpt.slice(0, EXCERPT_CHARS)))();
    return toEvent(row!);
  }

  /** The newest `limit` state changes of check `id`, newest first. */
  events(checkId: number, limit = 100): CheckEvent[] {
    return this.#events.all(checkId, limit).map(toEvent);
  }

  /**
   * Check `id`'s state changes in [from, to] (ms, both included), oldest first, and the last one before
   * `from` (where its state stood when the range began; null when none).
   */
  stateChanges(checkId: number, from: number, to: number): { before: CheckEvent | null; events: CheckEvent[] } {
    const before = this.#before.get(checkId, from);
    return { before: before ? toEvent(before) : null, events: this.#between.all(checkId, from, to).map(toEvent) };
  }

  /** Each check's newest state change, by check id. */
  lastEvents(): Map<number, CheckEvent> {
    return new Map(this.#last.all().map((row) => [row.check_id, toEvent(row)]));
  }

  #unique(spec: CheckSpec, self: number | null): void {
    const taken = this.#byName.get(spec.host, spec.name);
    if (taken && taken.id !== self) throw new InvalidRequestError(`This host already has a check named “${spec.name}”`);
  }
}

function toCheck(row: CheckRow): Check | null {
  const parsed = CheckSpec.safeParse(JSON.parse(row.spec));
  if (!parsed.success) {
    console.error(`hostwatch: check ${row.id} is stored with settings this version cannot read; it is skipped`);
    return null;
  }
  return { id: row.id, createdAt: row.created_at, spec: parsed.data };
}

function toEvent(row: EventRow): CheckEvent {
  return {
    id: row.id, checkId: row.check_id, at: row.at, from: row.from_state as CheckState, to: row.to_state as CheckState,
    reason: row.reason, excerpt: row.excerpt,
  };
}
