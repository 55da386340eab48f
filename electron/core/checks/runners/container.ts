/**
 * The container check's runner: a container's state and health from the Docker Engine API
 * (`GET /containers/{name}/json`, "ContainerInspect"), or every container of the host
 * (`GET /containers/json`, then each inspected) with each one's own state, judged here.
 */
import type { CheckDependency, ContainerCheck, DiscoveredContainer } from '../../../../shared/checks/index.ts';
import { Attr } from '../../../../shared/metrics.ts';
import type { Sample } from '../../../../shared/api.ts';
import { abortedReason, CheckUnavailableError, excerptOf, type CheckContext, type CheckOutcome, type Runner } from '../runner.ts';
import { EngineUnreachableError, engineGet } from './docker-api.ts';

/** Containers inspected at most in `*` mode, and at once. */
const MAX_CONTAINERS = 200;
const PARALLEL = 4;

/** What the check reads of an inspected container (the rest of the document is ignored). */
export interface ContainerState {
  name: string;
  image: string;
  /** created, running, paused, restarting, removing, exited, dead. */
  status: string;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  restartCount: number;
  /** healthy, unhealthy, starting; null without a health check. */
  health: string | null;
  failingStreak: number;
  /** The last health check's output, trimmed. */
  healthOutput: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});

/**
 * Reads an inspect document (Docker Engine API v1.41 ContainerInspectResponse: Name, Config.Image,
 * RestartCount, State.{Status, ExitCode, StartedAt, FinishedAt, Health.{Status, FailingStreak, Log}}).
 * Null when it is not one (no State.Status).
 */
export function readInspect(doc: unknown): ContainerState | null {
  const d = record(doc);
  const state = record(d.State);
  const status = text(state.Status);
  if (status === null) return null;
  const health = record(state.Health);
  const log = Array.isArray(health.Log) ? health.Log : [];
  const last = record(log[log.length - 1]);
  const zeroTime = (t: string | null) => (t === null || t.startsWith('0001-01-01') ? null : t);
  return {
    name: (text(d.Name) ?? '').replace(/^\//, '').slice(0, 256),
    image: (text(record(d.Config).Image) ?? text(d.Image) ?? '').slice(0, 256),
    status: status.slice(0, 32),
    exitCode: typeof state.ExitCode === 'number' ? state.ExitCode : null,
    startedAt: zeroTime(text(state.StartedAt)),
    finishedAt: zeroTime(text(state.FinishedAt)),
    restartCount: count(d.RestartCount),
    health: text(health.Status) && health.Status !== '' ? text(health.Status)!.slice(0, 32) : null,
    failingStreak: count(health.FailingStreak),
    healthOutput: text(last.Output)?.trim().slice(0, 300) || null,
  };
}

/**
 * A container's state in words: running and healthy (or without a health check) → up; health starting
 * → degraded; unhealthy, restarting, paused, exited (with its code), created, dead → down. A restart
 * since the last run (`restartsBefore` lower than now) makes an up container degraded.
 */
export function judgeContainer(c: ContainerState, restartsBefore: number | undefined): { status: CheckDependency['status']; reason: string } {
  const restarted = c.restartCount > 0 ? ` (restarted ${c.restartCount} ${c.restartCount === 1 ? 'time' : 'times'})` : '';
  switch (c.status) {
    case 'running':
      if (c.health === 'unhealthy') {
        return { status: 'down', reason: `unhealthy: failing streak ${c.failingStreak}${c.healthOutput ? `, last output: ${c.healthOutput}` : ''}` };
      }
      if (c.health === 'starting') return { status: 'degraded', reason: 'starting: its health check has not passed yet' };
      if (restartsBefore !== undefined && c.restartCount > restartsBefore) {
        const n = c.restartCount - restartsBefore;
        return { status: 'degraded', reason: `restarted ${n} ${n === 1 ? 'time' : 'times'} since the last run (${c.restartCount} in all)` };
      }
      return { status: 'up', reason: '' };
    case 'restarting': return { status: 'down', reason: `restarting${c.exitCode ? ` after exit code ${c.exitCode}` : ''}${restarted}` };
    // Podman says `stopped` and `configured` where Docker says exited and created.
    case 'exited':
    case 'stopped':
      return { status: 'down', reason: `exited with code ${c.exitCode ?? '?'}${c.finishedAt ? ` at ${c.finishedAt.slice(0, 19).replace('T', ' ')} UTC` : ''}${restarted}` };
    case 'paused': return { status: 'down', reason: 'paused' };
    case 'created':
    case 'configured':
      return { status: 'down', reason: 'created, never started' };
    default: return { status: 'down', reason: `${c.status}${restarted}` };
  }
}

/** States of a container that is stopped: left out of `*` unless stopped ones are asked for. */
const STOPPED = new Set(['exited', 'created', 'dead', 'stopped', 'configured']);

/**
 * The host's containers as listed (`GET /containers/json?all=1`), stopped ones (exited, created, dead)
 * only with `all`; paused and restarting ones always (Podman's `all=0` leaves paused ones out).
 */
export async function listContainers(context: CheckContext, socket: string, all: boolean): Promise<DiscoveredContainer[]> {
  const answer = await engineGet(context, socket, '/containers/json?all=1');
  if (answer.status !== 200 || !Array.isArray(answer.body)) throw new EngineUnreachableError(`the Engine API at ${socket} could not list its containers (HTTP ${answer.status})`);
  return answer.body.slice(0, MAX_CONTAINERS).map((item): DiscoveredContainer => {
    const c = record(item);
    const names = Array.isArray(c.Names) ? c.Names.map(text).filter((n) => n !== null) : [];
    const status = text(c.Status) ?? '';
    // Docker puts the health in the status words; Podman's list does not (discoverContainers inspects).
    const health = /\((healthy|unhealthy|health: starting|starting)\)/.exec(status)?.[1]?.replace('health: ', '') ?? null;
    return {
      id: (text(c.Id) ?? '').slice(0, 64), name: (names[0] ?? '').replace(/^\//, '').slice(0, 256),
      image: (text(c.Image) ?? '').slice(0, 256), state: (text(c.State) ?? '').slice(0, 32), status: status.slice(0, 200), health,
    };
  }).filter((c) => c.id !== '' && (all || !STOPPED.has(c.state)));
}

/**
 * Every container of the host, stopped ones too, each with its health read from its inspection, for the
 * user to tick which to check (bounded: MAX_CONTAINERS). Rejects like the check does.
 */
export async function discoverContainers(context: CheckContext, socket: string): Promise<DiscoveredContainer[]> {
  const listed = await listContainers(context, socket, true);
  const states = new Map((await inspectAll(context, socket, listed.map((c) => c.id))).map((s) => [s.name, s]));
  return listed.map((c) => ({ ...c, health: states.get(c.name)?.health ?? c.health }));
}

/**
 * Runs a container check. One container: down when the engine has none of that name or id; else judged
 * (judgeContainer), with its facts. `*`: every running container (and stopped ones with
 * includeStopped), each a dependency with its own state, the check as bad as the worst. Metrics per
 * container (attribute container.name): hostwatch.container.running (1 when running and not unhealthy),
 * .restarts (RestartCount), .health.failing_streak. Throws CheckUnavailableError when the host cannot be
 * reached.
 */
export const containerRunner: Runner<ContainerCheck> = async (spec, context) => {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const down = (reason: string, excerpt: string | null = null): CheckOutcome =>
    ({ status: 'down', reason, durationSeconds: elapsed(), excerpt, details: {}, metrics: [] });
  const before = (context.memory.restarts ??= {}) as Record<string, number>;
  try {
    if (spec.container !== '*') {
      const state = await inspect(context, spec.socket, spec.container);
      if (state === null) return down(`no container named ${spec.container}`);
      const verdict = judgeContainer(state, before[state.name]);
      before[state.name] = state.restartCount;
      return {
        ...verdict, durationSeconds: elapsed(),
        excerpt: verdict.status !== 'up' && state.healthOutput ? excerptOf(state.healthOutput) : null,
        details: { facts: facts(state) },
        metrics: containerMetrics(state),
      };
    }
    const listed = await listContainers(context, spec.socket, spec.includeStopped);
    const states = await inspectAll(context, spec.socket, listed.map((c) => c.id));
    const dependencies: CheckDependency[] = [];
    const metrics: Sample[] = [];
    for (const state of states) {
      const verdict = judgeContainer(state, before[state.name]);
      before[state.name] = state.restartCount;
      dependencies.push({ name: state.name, status: verdict.status, message: verdict.reason || `${state.image}, ${state.health ?? 'running'}`, latencySeconds: null });
      metrics.push(...containerMetrics(state));
    }
    const bad = dependencies.filter((d) => d.status !== 'up');
    const worst = bad.some((d) => d.status === 'down') ? 'down' : bad.length > 0 || states.length === 0 ? 'degraded' : 'up';
    const reason = states.length === 0 ? `no containers${spec.includeStopped ? '' : ' running'}`
      : bad.length === 0 ? ''
        : `${bad.length} of ${states.length} containers not well: ${bad.slice(0, 3).map((d) => `${d.name} ${d.message}`).join('; ')}${bad.length > 3 ? '; …' : ''}`;
    return {
      status: worst, reason, durationSeconds: elapsed(), excerpt: null,
      details: { dependencies, facts: [{ name: 'Containers', value: String(states.length) }] },
      metrics,
    };
  } catch (error) {
    if (error instanceof CheckUnavailableError) throw error;
    if (context.signal.aborted) return down(abortedReason(context));
    return down(error instanceof Error ? error.message : String(error));
  }
};

/** The inspected state of one container, null when the engine has none of that name or id. */
async function inspect(context: CheckContext, socket: string, name: string): Promise<ContainerState | null> {
  const answer = await engineGet(context, socket, `/containers/${encodeURIComponent(name)}/json`);
  if (answer.status === 404) return null;
  const state = answer.status === 200 ? readInspect(answer.body) : null;
  if (state === null) throw new EngineUnreachableError(`the Engine API could not inspect ${name} (HTTP ${answer.status})`);
  return state;
}

/** Each of `ids` inspected, PARALLEL at a time; one gone meanwhile is left out. */
async function inspectAll(context: CheckContext, socket: string, ids: readonly string[]): Promise<ContainerState[]> {
  const out: (ContainerState | null)[] = new Array(ids.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      out[i] = await inspect(context, socket, ids[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, ids.length) }, worker));
  return out.filter((s) => s !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function facts(c: ContainerState): { name: string; value: string }[] {
  return [
    { name: 'Image', value: c.image },
    { name: 'State', value: c.status },
    { name: 'Health', value: c.health === null ? 'no health check' : `${c.health}${c.failingStreak > 0 ? ` (failing streak ${c.failingStreak})` : ''}` },
    ...(c.exitCode !== null && c.status !== 'running' ? [{ name: 'Exit code', value: String(c.exitCode) }] : []),
    { name: 'Restarts', value: String(c.restartCount) },
    ...(c.startedAt ? [{ name: 'Started', value: c.startedAt }] : []),
  ];
}

function containerMetrics(c: ContainerState): Sample[] {
  const attributes = { [Attr.containerName]: c.name };
  return [
    { metric: 'hostwatch.container.running', attributes, value: c.status === 'running' && c.health !== 'unhealthy' ? 1 : 0 },
    { metric: 'hostwatch.container.restarts', attributes, value: c.restartCount },
    { metric: 'hostwatch.container.health.failing_streak', attributes, value: c.failingStreak },
  ];
}
