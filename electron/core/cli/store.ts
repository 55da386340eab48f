/** Opens the database for a command, refusing to invent an empty one where the user expected data. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AlertRepository } from '../store/alerts.ts';
import { openDatabase } from '../store/database.ts';
import type { Database } from '../store/database.ts';
import { HostRepository } from '../store/hosts.ts';
import { LatestQuery } from '../store/latest.ts';
import { RuleRepository } from '../store/rules.ts';
import { DB_FILE } from '../engine.ts';

export interface CliStore {
  db: Database;
  hosts: HostRepository;
  latest: LatestQuery;
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
  return {
    db,
    hosts: new HostRepository(db),
    latest: new LatestQuery(db),
    rules: new RuleRepository(db),
    alerts: new AlertRepository(db),
    close: () => db.close(),
  };
}
