/**
 * Reads a health endpoint's JSON, leniently, in the shapes in common use:
 * - `{"status": "ok", "checks": {"db": {"healthy": false, "status": "fail", "message": "…", "latency_ms": 12}}}`
 *   (the shape Hostwatch documents);
 * - the IETF health check draft (`"checks": {"db:connections": [{"status": "pass", "output": "…"}]}`);
 * - MicroProfile Health (`"checks": [{"name": "db", "status": "UP"}]`);
 * - Spring Boot Actuator (`"components": {"db": {"status": "UP"}}`).
 * Status words: ok/pass/up/healthy (and the like) are up, warn/degraded are degraded, anything else is
 * down; a `healthy` boolean decides over the word (true with a degraded word is degraded).
 */
import type { CheckDependency, RunStatus } from '../../../../shared/checks/index.ts';

const UP_WORDS = new Set(['ok', 'pass', 'passed', 'passing', 'up', 'healthy', 'green', 'ready', 'serving', 'success', 'available', 'true']);
const DEGRADED_WORDS = new Set(['warn', 'warning', 'degraded', 'yellow']);

/** A status word as a run status (case-insensitive). */
export function statusOfWord(word: string): RunStatus {
  const w = word.trim().toLowerCase();
  if (UP_WORDS.has(w)) return 'up';
  if (DEGRADED_WORDS.has(w)) return 'degraded';
  return 'down';
}

export interface Readiness {
  /** The endpoint's own status (top-level `status` or `healthy`), or null when it gives none. */
  readonly status: RunStatus | null;
  /** The top-level status in words, for the reason (`health status is "fail"`). */
  readonly statusSaid: string | null;
  readonly dependencies: CheckDependency[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const RANK: Record<RunStatus, number> = { up: 0, degraded: 1, down: 2 };

/** One dependency's status: `healthy` decides; else `status` (a word or a boolean); none at all is down. */
function itemStatus(item: Json): RunStatus | null {
  const word = typeof item.status === 'string' ? statusOfWord(item.status)
    : typeof item.state === 'string' ? statusOfWord(item.state) : null;
  if (typeof item.healthy === 'boolean') return item.healthy ? (word === 'degraded' ? 'degraded' : 'up') : 'down';
  if (typeof item.status === 'boolean') return item.status ? 'up' : 'down';
  return word;
}

function itemMessage(item: Json): string | null {
  for (const key of ['message', 'output', 'error', 'reason', 'description']) {
    const value = item[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
    if (isObject(value) && typeof value.message === 'string') return value.message;
  }
  return null;
}

function itemLatencySeconds(item: Json): number | null {
  for (const key of ['latency_ms', 'latencyMs', 'duration_ms', 'durationMs']) {
    const value = item[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value / 1000;
  }
  return null;
}

/** A dependency from its report (an object, or a list of them, which count as their worst). */
function dependency(name: string, report: unknown): CheckDependency {
  const items = (Array.isArray(report) ? report : [report]).filter(isObject);
  let status: RunStatus | null = null;
  let message: string | null = null;
  let latencySeconds: number | null = null;
  for (const item of items) {
    const s = itemStatus(item);
    const m = itemMessage(item);
    if (s !== null && (status === null || RANK[s] > RANK[status])) {
      status = s;
      if (m !== null) message = m;
    }
    message ??= m;
    const l = itemLatencySeconds(item);
    if (l !== null) latencySeconds = Math.max(latencySeconds ?? 0, l);
  }
  if (status === null) return { name, status: 'down', message: message ?? 'reports no status', latencySeconds };
  return { name, status, message, latencySeconds };
}

/** The health report in `json`, or null when it is not one (no status and no checks). */
export function parseReadiness(json: unknown): Readiness | null {
  if (!isObject(json)) return null;
  const dependencies: CheckDependency[] = [];
  const checks = json.checks ?? json.components;
  if (Array.isArray(checks)) {
    checks.forEach((item, i) => {
      const name = isObject(item) && typeof item.name === 'string' ? item.name : `check ${i + 1}`;
      dependencies.push(dependency(name, item));
    });
  } else if (isObject(checks)) {
    for (const [name, report] of Object.entries(checks)) dependencies.push(dependency(name, report));
  }
  let status: RunStatus | null = null;
  let statusSaid: string | null = null;
  if (typeof json.healthy === 'boolean') {
    status = json.healthy ? 'up' : 'down';
    statusSaid = `health endpoint says healthy: ${json.healthy}`;
  } else if (typeof json.status === 'string') {
    status = statusOfWord(json.status);
    statusSaid = `health status is ${JSON.stringify(json.status)}`;
  }
  if (status === null && checks === undefined) return null;
  return { status, statusSaid, dependencies };
}

/** What the report means for the check: the first down, else degraded, dependency or the top-level status. */
export function judgeReadiness(readiness: Readiness): { status: RunStatus; reason: string } {
  const said = (d: CheckDependency) => `dependency ${d.name} is ${d.status}${d.message ? `: ${d.message}` : ''}`;
  const down = readiness.dependencies.find((d) => d.status === 'down');
  if (down) return { status: 'down', reason: said(down) };
  if (readiness.status === 'down') return { status: 'down', reason: readiness.statusSaid ?? '' };
  const degraded = readiness.dependencies.find((d) => d.status === 'degraded');
  if (degraded) return { status: 'degraded', reason: said(degraded) };
  if (readiness.status === 'degraded') return { status: 'degraded', reason: readiness.statusSaid ?? '' };
  return { status: 'up', reason: '' };
}
