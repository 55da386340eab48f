/**
 * Settings kept in the database: retention per tier, the sealed watermark, the report schedule and the
 * end of the last scheduled report.
 */
import type { Statement } from 'better-sqlite3';
import { Retention } from '../../../shared/api.ts';
import { DEFAULT_REPORT_SCHEDULE, ReportSchedule } from '../../../shared/report.ts';
import type { Database } from './database.ts';

/** Raw samples two weeks, 1-minute rollups three months, 1-hour rollups two years. */
export const DEFAULT_RETENTION: Retention = { rawDays: 14, minuteDays: 90, hourDays: 730 };

const RETENTION_KEY = 'retention';
const SEALED_KEY = 'sealed_before';
const SCHEDULE_KEY = 'reports.schedule';
const LAST_REPORT_KEY = 'reports.last_to';

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

  /** The report schedule, or the default (off); a stored value that no longer validates is off too. */
  reportSchedule(): ReportSchedule {
    const stored = this.#get.get(SCHEDULE_KEY);
    if (stored === undefined) return DEFAULT_REPORT_SCHEDULE;
    const parsed = ReportSchedule.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_REPORT_SCHEDULE;
  }

  setReportSchedule(schedule: ReportSchedule): void {
    this.#put.run(SCHEDULE_KEY, JSON.stringify(ReportSchedule.parse(schedule)));
  }

  /** End (ms) of the period the last scheduled report covered, or null before the first. */
  lastReportTo(): number | null {
    const stored = this.#get.get(LAST_REPORT_KEY);
    return stored === undefined ? null : Number(JSON.parse(stored));
  }

  setLastReportTo(t: number): void {
    this.#put.run(LAST_REPORT_KEY, JSON.stringify(t));
  }
}
