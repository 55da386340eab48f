/**
 * The hosts table: this machine and the remote hosts with their settings, so the engine restores them at
 * start and the command line lists them without the engine. A remote host's secret is stored only as
 * sealed by electron/core/secrets.ts; this module never sees it in clear text.
 */
import { HostSpec } from '../../../shared/hosts.ts';
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
  enabled: boolean;
  /** A remote host's settings; null for this machine (or a row whose JSON no longer validates). */
  spec: HostSpec | null;
  /** The sealed secret (secrets.ts), or null. */
  sealedSecret: Buffer | null;
}

interface Row {
  id: string;
  name: string;
  kind: 'local' | 'ssh';
  createdAt: number;
  intervalSeconds: number | null;
  enabled: number;
  spec: string | null;
  secret: Buffer | null;
}

export class HostRepository {
  readonly #db: Database;
  readonly #upsert;
  readonly #list;
  readonly #setInterval;
  readonly #setEnabled;
  readonly #insertRemote;
  readonly #updateRemote;
  readonly #setSecret;
  readonly #delete;

  constructor(db: Database) {
    this.#db = db;
    this.#upsert = db.prepare(`
      INSERT INTO hosts (id, name, kind, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind`);
    this.#list = db.prepare<[], Row>(`SELECT id, name, kind, created_at AS createdAt,
      interval_seconds AS intervalSeconds, enabled, spec, secret FROM hosts ORDER BY created_at, id`);
    this.#setInterval = db.prepare('UPDATE hosts SET interval_seconds = ? WHERE id = ?');
    this.#setEnabled = db.prepare('UPDATE hosts SET enabled = ? WHERE id = ?');
    this.#insertRemote = db.prepare(`INSERT INTO hosts (id, name, kind, created_at, interval_seconds, enabled, spec, secret)
      VALUES (@id, @name, 'ssh', @createdAt, @intervalSeconds, @enabled, @spec, @secret)`);
    this.#updateRemote = db.prepare(`UPDATE hosts SET name = @name, interval_seconds = @intervalSeconds,
      enabled = @enabled, spec = @spec WHERE id = @id AND kind = 'ssh'`);
    this.#setSecret = db.prepare('UPDATE hosts SET secret = ? WHERE id = ?');
    this.#delete = db.prepare("DELETE FROM hosts WHERE id = ? AND kind = 'ssh'");
  }

  /** Adds this machine's row or updates its name. */
  upsert(id: string, name: string, kind: 'local' | 'ssh', now = Date.now()): void {
    this.#upsert.run(id, name, kind, now);
  }

  /** Every host, oldest first. */
  list(): HostRecord[] {
    return this.#list.all().map((row) => {
      let spec: HostSpec | null = null;
      if (row.spec !== null) {
        const parsed = HostSpec.safeParse(safeJson(row.spec));
        // The interval and enabled columns are what hosts.update changes: they win over the JSON.
        spec = parsed.success
          ? { ...parsed.data, intervalSeconds: row.intervalSeconds ?? parsed.data.intervalSeconds, enabled: row.enabled === 1 }
          : null;
      }
      return {
        id: row.id, name: row.name, kind: row.kind, createdAt: row.createdAt, intervalSeconds: row.intervalSeconds,
        enabled: row.enabled === 1, spec, sealedSecret: row.secret,
      };
    });
  }

  /** The host `id`; throws NotFoundError when there is none. */
  get(id: string): HostRecord {
    const host = this.list().find((h) => h.id === id);
    if (!host) throw new NotFoundError(`No host ${id}`);
    return host;
  }

  /**
   * Adds a remote host under a new id made from its name (`web-1`, `web-1-2` when taken) and returns it.
   * Throws when another host already has this name.
   */
  addRemote(spec: HostSpec, sealedSecret: Buffer | null, now = Date.now()): HostRecord {
    return this.#db.transaction(() => {
      const hosts = this.list();
      if (hosts.some((h) => h.name.toLowerCase() === spec.name.toLowerCase())) {
        throw new Error(`A host named ${spec.name} exists already: choose another name`);
      }
      const base = slug(spec.name);
      let id = base;
      for (let n = 2; hosts.some((h) => h.id === id) || id === 'local'; n++) id = `${base}-${n}`;
      this.#insertRemote.run({
        id, name: spec.name, createdAt: now, intervalSeconds: spec.intervalSeconds, enabled: spec.enabled ? 1 : 0,
        spec: JSON.stringify(spec), secret: sealedSecret,
      });
      return this.get(id);
    })();
  }

  /** Replaces a remote host's settings (its id stays). Throws NotFoundError, or when the name is taken. */
  updateRemote(id: string, spec: HostSpec): void {
    this.#db.transaction(() => {
      if (this.list().some((h) => h.id !== id && h.name.toLowerCase() === spec.name.toLowerCase())) {
        throw new Error(`A host named ${spec.name} exists already: choose another name`);
      }
      const changed = this.#updateRemote.run({
        id, name: spec.name, intervalSeconds: spec.intervalSeconds, enabled: spec.enabled ? 1 : 0,
        spec: JSON.stringify(spec),
      }).changes;
      if (changed === 0) throw new NotFoundError(`No remote host ${id}`);
    })();
  }

  /** Stores a host's sealed secret, or null to forget it. */
  setSecret(id: string, sealedSecret: Buffer | null): void {
    if (this.#setSecret.run(sealedSecret, id).changes === 0) throw new NotFoundError(`No host ${id}`);
  }

  /** Sets a host's polling interval (seconds; null: the default). Throws NotFoundError for an unknown host. */
  setInterval(id: string, seconds: number | null): void {
    if (this.#setInterval.run(seconds, id).changes === 0) throw new NotFoundError(`No host ${id}`);
  }

  /** Pauses (false) or resumes (true) a host. Throws NotFoundError for an unknown host. */
  setEnabled(id: string, enabled: boolean): void {
    if (this.#setEnabled.run(enabled ? 1 : 0, id).changes === 0) throw new NotFoundError(`No host ${id}`);
  }

  /** Removes a remote host's row (not its history); false when there was none. */
  remove(id: string): boolean {
    return this.#delete.run(id).changes > 0;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A URL- and file-safe id from a name: lower case letters, digits and dashes ("Web 1" → "web-1"). */
function slug(name: string): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base.slice(0, 40) || 'host';
}
