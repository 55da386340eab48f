/** Alerts in the database: the open ones (pending, firing) and the history, for `alerts.*` and reports. */
import type { Statement } from 'better-sqlite3';
import { ProcessList, type Alert, type AlertState } from '../../../shared/api.ts';
import type { Attributes } from '../../../shared/metrics.ts';
import type { Severity } from '../../../shared/rules.ts';
import type { Database } from './database.ts';
import { NotFoundError } from './errors.ts';

/**
 * Filters of `history`, all optional (as `alerts.history` params). `from`/`to` (ms since epoch) keep
 * alerts active at some time in [from, to]: active_at ≤ to, and not resolved before from.
 * `limit` defaults to 200.
 */
export interface AlertHistoryQuery {
  from?: number;
  to?: number;
  host?: string;
  severity?: Severity;
  state?: AlertState;
  limit?: number;
}

interface AlertRow {
  id: number;
  rule_id: number;
  rule_name: string;
  host: string;
  metric: string;
  attributes: string;
  severity: Severity;
  state: AlertState;
  value: number;
  threshold: number;
  summary: string;
  active_at: number;
  fired_at: number | null;
  resolved_at: number | null;
  /** ProcessList as JSON, or null. */
  processes: string | null;
}

type AlertParams = Omit<AlertRow, 'id'>;
interface HistoryParams {
  from: number | null;
  to: number | null;
  host: string | null;
  severity: Severity | null;
  state: AlertState | null;
  limit: number;
}

const COLUMNS = `id, rule_id, rule_name, host, metric, attributes, severity, state, value, threshold,
  summary, active_at, fired_at, resolved_at, processes`;

/** Reads and writes alerts of `db`. Statements are prepared once, here. */
export class AlertRepository {
  /** INSERT … RETURNING in a transaction: outside one, better-sqlite3's get() drops the commit's error (a full disk). */
  readonly #insert: (params: AlertParams) => number;
  readonly #update: Statement<[AlertParams & { id: number }]>;
  readonly #delete: Statement<[number]>;
  readonly #deleteHost: Statement<[string]>;
  readonly #active: Statement<[], AlertRow>;
  readonly #history: Statement<[HistoryParams], AlertRow>;

  constructor(db: Database) {
    const insert = db.prepare<[AlertParams], number>(`
      INSERT INTO alerts (rule_id, rule_name, host, metric, attributes, severity, state, value, threshold,
                          summary, active_at, fired_at, resolved_at, processes)
      VALUES (@rule_id, @rule_name, @host, @metric, @attributes, @severity, @state, @value, @threshold,
              @summary, @active_at, @fired_at, @resolved_at, @processes)
      RETURNING id`).pluck();
    this.#insert = db.transaction((params: AlertParams) => insert.get(params)!);
    this.#update = db.prepare(`
      UPDATE alerts SET rule_id = @rule_id, rule_name = @rule_name, host = @host, metric = @metric,
        attributes = @attributes, severity = @severity, state = @state, value = @value,
        threshold = @threshold, summary = @summary, active_at = @active_at, fired_at = @fired_at,
        resolved_at = @resolved_at, processes = @processes
      WHERE id = @id`);
    this.#delete = db.prepare('DELETE FROM alerts WHERE id = ?');
    this.#deleteHost = db.prepare('DELETE FROM alerts WHERE host = ?');
    this.#active = db.prepare(`
      SELECT ${COLUMNS} FROM alerts WHERE state IN ('pending', 'firing') ORDER BY active_at DESC, id DESC`);
    this.#history = db.prepare(`
      SELECT ${COLUMNS} FROM alerts
      WHERE (@to IS NULL OR active_at <= @to)
        AND (@from IS NULL OR resolved_at IS NULL OR resolved_at >= @from)
        AND (@host IS NULL OR host = @host)
        AND (@severity IS NULL OR severity = @severity)
        AND (@state IS NULL OR state = @state)
      ORDER BY active_at DESC, id DESC
      LIMIT @limit`);
  }

  /** Stores a new alert and returns it with its id. */
  insert(alert: Omit<Alert, 'id'>): Alert {
    const id = this.#insert(toParams(alert));
    return { ...alert, id };
  }

  /** Overwrites the stored alert `alert.id`. Throws NotFoundError when there is none. */
  update(alert: Alert): void {
    if (this.#update.run({ ...toParams(alert), id: alert.id }).changes === 0) {
      throw new NotFoundError(`No alert with id ${alert.id}`);
    }
  }

  /** Deletes alert `id` (a pending alert that was dropped never happened); false when there was none. */
  delete(id: number): boolean {
    return this.#delete.run(id).changes > 0;
  }

  /** Deletes every alert of `host`; returns how many. */
  deleteHost(host: string): number {
    return this.#deleteHost.run(host).changes;
  }

  /** Pending and firing alerts, newest first. */
  active(): Alert[] {
    return this.#active.all().map(toAlert);
  }

  /** Alerts passing `query`, newest first (by activeAt), at most `limit`. */
  history(query: AlertHistoryQuery = {}): Alert[] {
    return this.#history.all({
      from: query.from ?? null,
      to: query.to ?? null,
      host: query.host ?? null,
      severity: query.severity ?? null,
      state: query.state ?? null,
      limit: query.limit ?? 200,
    }).map(toAlert);
  }
}

function toParams(alert: Omit<Alert, 'id'>): AlertParams {
  return {
    rule_id: alert.ruleId,
    rule_name: alert.ruleName,
    host: alert.host,
    metric: alert.metric,
    attributes: JSON.stringify(alert.attributes),
    severity: alert.severity,
    state: alert.state,
    value: alert.value,
    threshold: alert.threshold,
    summary: alert.summary,
    active_at: alert.activeAt,
    fired_at: alert.firedAt,
    resolved_at: alert.resolvedAt,
    processes: alert.processes ? JSON.stringify(alert.processes) : null,
  };
}

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    host: row.host,
    metric: row.metric,
    attributes: JSON.parse(row.attributes) as Attributes,
    severity: row.severity,
    state: row.state,
    value: row.value,
    threshold: row.threshold,
    summary: row.summary,
    activeAt: row.active_at,
    firedAt: row.fired_at,
    resolvedAt: row.resolved_at,
    ...processesOf(row.processes),
  };
}

/** The stored process list, when there is one that still reads as one. */
function processesOf(json: string | null): Pick<Alert, 'processes'> {
  if (json === null) return {};
  try {
    const parsed = ProcessList.safeParse(JSON.parse(json));
    return parsed.success ? { processes: parsed.data } : {};
  } catch {
    return {};
  }
}
