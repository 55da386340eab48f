/** The hosts table: which hosts exist, so the command line can list them without the engine. */
import type { Database } from './database.ts';
import { NotFoundError } from './errors.ts';

/** A host as stored: `id` is what snapshots carry ('local' for this machine). */
export interface HostRecord {
  id: string;
  name: string;
  kind: 'local' | 'ssh';
  createdAt: number;
  /** The host's own polling interval, seconds; null for the engine's default. */
  intervalSeconds: number | null;
}

export class HostRepository {
  readonly #upsert;
  readonly #list;
  readonly #setInterval;

  constructor(db: Database) {
    this.#upsert = db.prepare(`
      INSERT INTO hosts (id, name, kind, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind`);
    this.#list = db.prepare<[], HostRecord>(`SELECT id, name, kind, created_at AS createdAt,
      interval_seconds AS intervalSeconds FROM hosts ORDER BY id`);
    this.#setInterval = db.prepare('UPDATE hosts SET interval_seconds = ? WHERE id = ?');
  }

  /** Adds the host or updates its name and kind. */
  upsert(id: string, name: string, kind: 'local' | 'ssh', now = Date.now()): void {
    this.#upsert.run(id, name, kind, now);
  }

  list(): HostRecord[] {
    return this.#list.all();
  }

  /** Sets a host's polling interval (seconds; null: the default). Throws NotFoundError for an unknown host. */
  setInterval(id: string, seconds: number | null): void {
    if (this.#setInterval.run(seconds, id).changes === 0) throw new NotFoundError(`No host ${id}`);
  }
}
