/** Alert rules in the database: the repository behind `rules.*` API methods and `hostwatch rules`. */
import type { Statement } from 'better-sqlite3';
import type { Rule, RuleSpec } from '../../../shared/rules.ts';
import type { Database } from './database.ts';
import { NotFoundError } from './errors.ts';

interface RuleRow {
  id: number;
  name: string;
  metric: string;
  matchers: string;
  op: Rule['op'];
  threshold: number;
  for_seconds: number;
  severity: Rule['severity'];
  summary: string;
  enabled: 0 | 1;
}

type SpecParams = Omit<RuleRow, 'id'> & { now: number };

const COLUMNS = 'id, name, metric, matchers, op, threshold, for_seconds, severity, summary, enabled';

/**
 * CRUD on rules. Specs are taken as already validated (`RuleSpec.parse`, as the API and CLI do);
 * ids are never reused, so alert history keeps pointing at the rule that raised it.
 */
export class RuleRepository {
  readonly #list: Statement<[], RuleRow>;
  readonly #get: Statement<[number], RuleRow>;
  /** INSERT/UPDATE … RETURNING in a transaction: outside one, better-sqlite3's get() drops the commit's error. */
  readonly #insert: (params: SpecParams) => RuleRow;
  readonly #update: (params: SpecParams & { id: number }) => RuleRow | undefined;
  readonly #delete: Statement<[number]>;

  constructor(db: Database) {
    this.#list = db.prepare(`SELECT ${COLUMNS} FROM rules ORDER BY id`);
    this.#get = db.prepare(`SELECT ${COLUMNS} FROM rules WHERE id = ?`);
    const insert = db.prepare<[SpecParams], RuleRow>(`
      INSERT INTO rules (name, metric, matchers, op, threshold, for_seconds, severity, summary, enabled,
                         created_at, updated_at)
      VALUES (@name, @metric, @matchers, @op, @threshold, @for_seconds, @severity, @summary, @enabled, @now, @now)
      RETURNING ${COLUMNS}`);
    const update = db.prepare<[SpecParams & { id: number }], RuleRow>(`
      UPDATE rules SET name = @name, metric = @metric, matchers = @matchers, op = @op, threshold = @threshold,
                       for_seconds = @for_seconds, severity = @severity, summary = @summary, enabled = @enabled,
                       updated_at = @now
      WHERE id = @id RETURNING ${COLUMNS}`);
    this.#insert = db.transaction((params: SpecParams) => insert.get(params)!);
    this.#update = db.transaction((params: SpecParams & { id: number }) => update.get(params));
    this.#delete = db.prepare('DELETE FROM rules WHERE id = ?');
  }

  /** All rules, oldest first. */
  list(): Rule[] {
    return this.#list.all().map(toRule);
  }

  /** The rule with `id`, or undefined. */
  get(id: number): Rule | undefined {
    const row = this.#get.get(id);
    return row && toRule(row);
  }

  /** Stores a new rule and returns it with its id. */
  create(spec: RuleSpec): Rule {
    return toRule(this.#insert(toParams(spec)));
  }

  /** Replaces the spec of rule `id` and returns the stored rule. Throws NotFoundError when there is none. */
  update(id: number, spec: RuleSpec): Rule {
    const row = this.#update({ ...toParams(spec), id });
    if (!row) throw new NotFoundError(`No rule with id ${id}`);
    return toRule(row);
  }

  /** Deletes rule `id`; false when there was none. Its alerts stay in the history. */
  delete(id: number): boolean {
    return this.#delete.run(id).changes > 0;
  }
}

function toParams(spec: RuleSpec): SpecParams {
  return {
    name: spec.name,
    metric: spec.metric,
    matchers: JSON.stringify(spec.matchers),
    op: spec.op,
    threshold: spec.threshold,
    for_seconds: spec.for,
    severity: spec.severity,
    summary: spec.summary,
    enabled: spec.enabled ? 1 : 0,
    now: Date.now(),
  };
}

function toRule(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    metric: row.metric,
    matchers: JSON.parse(row.matchers) as Record<string, string>,
    op: row.op,
    threshold: row.threshold,
    for: row.for_seconds,
    severity: row.severity,
    summary: row.summary,
    enabled: row.enabled === 1,
  };
}
