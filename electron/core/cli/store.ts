/** Opens the database for a command, refusing to invent an empty one where the user expected data. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AlertRepository } from '../store/alerts.ts';
import { openDatabase } from '../store/database.ts';
import type { Database } from '../store/database.ts';
import { HostRepository } from '../store/hosts.ts';
import { RuleRepository } from '../store/rules.ts';
import { SampleStore } from '../store/samples.ts';
import { DB_FILE } from '../engine.ts';

export interface CliStore {
  db: Database;
  /** The database file. */
  file: string;
  hosts: HostRepository;
  /** Sample history, made on first use: opening it replays the head log (up to an hour of samples). */
  samples(): SampleStore;
  rules: RuleRepository;
  alerts: AlertRepository;
  close(): void;
}

/**
 * Opens `dataDir`'s database. With `create` false (the read-only commands), a missing database is an
 * error that names the folder, rather than a silently created empty one.
 */
export function openCliStore(dataDir: string, create: boolean): CliStore {
  const file = join(dataDir, DB_FILE);
  if (!create && !existsSync(file)) {
    throw new Error(`no Hostwatch database in ${dataDir}: start \`hostwatch serve\` or the app first, or pass --data-dir`);
  }
  const db = openDatabase(file);
  let samples: SampleStore | undefined;
  return {
    db,
    file,
    hosts: new HostRepository(db),
    samples: () => (samples ??= new SampleStore(db)),
    rules: new RuleRepository(db),
    alerts: new AlertRepository(db),
    close: () => db.close(),
  };
}
