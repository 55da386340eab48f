/** Maintenance windows in the database (shared/maintenance.ts): added, listed, removed. */
import type { Statement } from 'better-sqlite3';
import { MaintenanceSpec, type MaintenanceWindow } from '../../../shared/maintenance.ts';
import type { Database } from './database.ts';

interface WindowRow { id: number; spec: string; created_at: number }

export class MaintenanceRepository {
  readonly #insert: Statement<[string, number], WindowRow>;
  readonly #all: Statement<[], WindowRow>;
  readonly #delete: Statement<[number]>;

  constructor(db: Database) {
    this.#insert = db.prepare('INSERT INTO maintenance_windows (spec, created_at) VALUES (?, ?) RETURNING *');
    this.#all = db.prepare('SELECT * FROM maintenance_windows ORDER BY id');
    this.#delete = db.prepare('DELETE FROM maintenance_windows WHERE id = ?');
  }

  create(spec: MaintenanceSpec, now: number = Date.now()): MaintenanceWindow {
    return toWindow(this.#insert.get(JSON.stringify(spec), now)!)!;
  }

  /** Every window, oldest first; a row this version cannot read is skipped with a log line. */
  list(): MaintenanceWindow[] {
    return this.#all.all().map(toWindow).filter((w) => w !== null);
  }

  /** Removes window `id`; false when there was none. */
  remove(id: number): boolean {
    return this.#delete.run(id).changes > 0;
  }
}

function toWindow(row: WindowRow): MaintenanceWindow | null {
  const parsed = MaintenanceSpec.safeParse(JSON.parse(row.spec));
  if (!parsed.success) {
    console.error(`hostwatch: maintenance window ${row.id} is stored with settings this version cannot read; it is skipped`);
    return null;
  }
  return { id: row.id, createdAt: row.created_at, ...parsed.data };
}
