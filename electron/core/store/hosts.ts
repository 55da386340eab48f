/** The hosts table: which hosts exist, so the command line can list them without the engine. */
import type { Database } from './database.ts';

/** A host as stored: `id` is what snapshots carry ('local' for this machine). */
export interface HostRecord {
  id: string;
  name: string;
  kind: 'local' | 'ssh';
  createdAt: number;
}

export class HostRepository {
  readonly #upsert;
  readonly #list;

  constructor(db: Database) {
    this.#upsert = db.prepare(`
      INSERT INTO hosts (id, name, kind, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind`);
    this.#list = db.prepare<[], { id: string; name: string; kind: 'local' | 'ssh'; createdAt: number }>(
      'SELECT id, name, kind, created_at AS createdAt FROM hosts ORDER BY id');
  }

  /** Adds the host or updates its name and kind. */
  upsert(id: string, name: string, kind: 'local' | 'ssh', now = Date.now()): void {
    this.#upsert.run(id, name, kind, now);
  }

  list(): HostRecord[] {
    return this.#list.all();
  }
}
