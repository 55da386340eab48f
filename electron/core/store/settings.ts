/** The store's own settings, kept in the database: retention per tier and the sealed watermark. */
import type { Statement } from 'better-sqlite3';
import { Retention } from '../../../shared/api.ts';
import type { Database } from './database.ts';

/** Raw samples two weeks, 1-minute rollups three months, 1-hour rollups two years. */
export const DEFAULT_RETENTION: Retention = { rawDays: 14, minuteDays: 90, hourDays: 730 };

const RETENTION_KEY = 'retention';
const SEALED_KEY = 'sealed_before';

export class SettingsRepository {
  readonly #get: Statement<[string], string>;
  readonly #put: Statement<[string, string]>;

  constructor(db: Database) {
    this.#get = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.#put = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  /** The stored retention, or the defaults; a stored value that no longer validates falls back to them too. */
  retention(): Retention {
    const stored = this.#get.get(RETENTION_KEY);
    if (stored === undefined) return DEFAULT_RETENTION;
    const parsed = Retention.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_RETENTION;
  }

  setRetention(retention: Retention): void {
    this.#put.run(RETENTION_KEY, JSON.stringify(Retention.parse(retention)));
  }

  /** Every sample before this time (ms since epoch) is sealed into blocks; 0 before the first seal. */
  sealedBefore(): number {
    const stored = this.#get.get(SEALED_KEY);
    return stored === undefined ? 0 : Number(JSON.parse(stored));
  }

  setSealedBefore(t: number): void {
    this.#put.run(SEALED_KEY, JSON.stringify(t));
  }
}
