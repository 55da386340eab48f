/**
 * The service checks in the engine: the stored checks (CheckRepository) run by the scheduler, each run
 * stored as samples on its host (samples.ts), each state change kept as an event with its reason, the
 * alert rules on check metrics evaluated with every check of the host, and `check` events for the UI.
 */
import type { Duplex } from 'node:stream';
import type { Snapshot } from '../../../shared/api.ts';
import {
  CheckSpec, type Check, type CheckEvent, type CheckResult, type CheckStatus, type Discovery,
} from '../../../shared/checks/index.ts';
import type { Sample } from '../../../shared/api.ts';
import { Attr } from '../../../shared/metrics.ts';
import type { EventBus } from '../events.ts';
import type { CheckRepository } from '../store/checks.ts';
import { InvalidRequestError } from '../store/errors.ts';
import type { SampleStore } from '../store/samples.ts';
import type { HostCommand } from '../../../shared/hosts.ts';
import type { ScriptResult } from '../scripts.ts';
import { discover } from './discovery.ts';
import { connectHere, localContext } from './local.ts';
import { defaultRunners, type RunnerRegistry } from './registry.ts';
import type { CheckContext } from './runner.ts';
import { checkSamples } from './samples.ts';
import { CheckScheduler, type RunReport } from './scheduler.ts';
import { NEVER_RUN, type CheckMemory } from './state.ts';

export interface CheckServiceOptions {
  repository: CheckRepository;
  samples: SampleStore;
  bus: EventBus;
  /** Evaluates the alert rules on check metrics over `snapshot` (every check of one host). */
  evaluate(snapshot: Snapshot): void;
  /** Whether host `id` exists. */
  hasHost(id: string): boolean;
  /**
   * Opens a TCP connection from remote host `host` to `address`:`port` through its SSH connection;
   * rejects with CheckUnavailableError when the host is not connected.
   */
  forwardOut(host: string, address: string, port: number): Promise<Duplex>;
  /** Connects to Unix socket `path` on remote host `host` through its SSH connection; rejects like forwardOut. */
  forwardOutStreamLocal(host: string, path: string): Promise<Duplex>;
  /** The commands of remote host `host`'s settings (none for this machine or an unknown host). */
  hostCommands(host: string): readonly HostCommand[];
  /** Runs an `sh` script on remote host `host` over SSH (scripts.ts); rejects like forwardOut. */
  runScript(host: string, script: string, signal: AbortSignal, limitMs: number): Promise<ScriptResult>;
  runners?: RunnerRegistry;
  concurrency?: number;
}

/** How long discovery may take, ms. */
const DISCOVERY_TIMEOUT_MS = 15_000;

export class CheckService {
  readonly #options: CheckServiceOptions;
  readonly #scheduler: CheckScheduler;
  /** host → check id → the samples of its last run, so rules see every check of the host at once. */
  readonly #latest = new Map<string, Map<number, Sample[]>>();
  /** check id → its runner's memory (CheckContext.memory) and the spec it belongs to, as JSON. */
  readonly #memories = new Map<number, { spec: string; memory: Record<string, unknown> }>();

  constructor(options: CheckServiceOptions) {
    this.#options = options;
    const memory = new Map<number, CheckMemory>();
    for (const [id, event] of options.repository.lastEvents()) {
      memory.set(id, { state: event.to, since: event.at, consecutiveFailures: 0, consecutiveSuccesses: 0 });
    }
    this.#scheduler = new CheckScheduler({
      runners: options.runners ?? defaultRunners(),
      contextFor: (check, signal, timeoutMs) => this.#context(check, signal, timeoutMs),
      onRun: (report) => this.#onRun(report),
      memory,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
    this.#scheduler.set(options.repository.list());
  }

  /** Every check with its state and last result, by host then name. */
  list(): CheckStatus[] {
    const states = this.#scheduler.states();
    return this.#options.repository.list().map((check) => status(check, states.get(check.id)));
  }

  /** One check's status; throws NotFoundError. */
  get(id: number): CheckStatus {
    return status(this.#options.repository.get(id), this.#scheduler.states().get(id));
  }

  /** Adds a check and starts running it; throws InvalidRequestError for an unknown host or a taken name. */
  add(spec: CheckSpec): CheckStatus {
    this.#valid(spec);
    const check = this.#options.repository.insert(spec);
    this.#reload();
    return this.get(check.id);
  }

  /** Changes a check; its state carries over when what it checks stays the same. */
  update(id: number, spec: CheckSpec): CheckStatus {
    this.#valid(spec);
    const before = this.#options.repository.get(id);
    this.#options.repository.update(id, spec);
    if (before.spec.host !== spec.host || before.spec.name !== spec.name) this.#forget(before.spec.host, id);
    this.#reload();
    return this.get(id);
  }

  /** Deletes a check and its events; false when there was none. */
  remove(id: number): boolean {
    const check = this.#options.repository.list().find((c) => c.id === id);
    const removed = this.#options.repository.delete(id);
    this.#memories.delete(id);
    if (check) this.#forget(check.spec.host, id);
    this.#reload();
    return removed;
  }

  /** Deletes the checks of a removed host. */
  removeHost(host: string): void {
    this.#options.repository.deleteHost(host);
    this.#latest.delete(host);
    this.#reload();
  }

  /** The newest state changes of check `id`, newest first. */
  events(id: number, limit?: number): CheckEvent[] {
    this.#options.repository.get(id);
    return this.#options.repository.events(id, limit);
  }

  /** Runs `spec` once now without storing anything ("test now"): what a run would find. */
  async test(spec: CheckSpec): Promise<CheckResult> {
    const parsed = CheckSpec.parse(spec);
    this.#valid(parsed);
    const { result } = await this.#scheduler.test({ id: 0, createdAt: Date.now(), spec: parsed });
    return result;
  }

  /**
   * What runs on host `host` (its services and its containers behind `socket`), for the user to tick
   * what to check; waits at most DISCOVERY_TIMEOUT_MS. Throws InvalidRequestError for an unknown host,
   * CheckUnavailableError when the host cannot be reached.
   */
  discover(host: string, socket: string): Promise<Discovery> {
    this.#knownHost(host);
    const signal = AbortSignal.timeout(DISCOVERY_TIMEOUT_MS);
    const probe: Check = { id: 0, createdAt: Date.now(), spec: CheckSpec.parse({ type: 'container', name: 'discovery', host, container: '*', socket }) };
    return discover(this.#context(probe, signal, DISCOVERY_TIMEOUT_MS), socket);
  }

  stop(): Promise<void> {
    return this.#scheduler.stop();
  }

  /** Throws InvalidRequestError for a check on an unknown host, or naming a command its host lacks. */
  #valid(spec: CheckSpec): void {
    this.#knownHost(spec.host);
    if (spec.type === 'command' && !this.#options.hostCommands(spec.host).some((c) => c.name === spec.command)) {
      throw new InvalidRequestError(spec.host === 'local'
        ? 'Command checks run commands from a remote host\'s settings: this machine has none'
        : `The host has no command named ${spec.command}: add it in the host's settings first`);
    }
  }

  #knownHost(host: string): void {
    if (!this.#options.hasHost(host)) throw new InvalidRequestError(`No host ${host}`);
  }

  /** Picks up checks another process (the CLI) added, changed or removed. */
  reload(): void {
    const checks = new Map(this.#options.repository.list().map((c) => [c.id, c]));
    for (const [host, byCheck] of this.#latest) {
      for (const id of byCheck.keys()) {
        const now = checks.get(id);
        // Gone, moved or renamed: its series are not the ones the rules last saw.
        if (!now || now.spec.host !== host || !byCheck.get(id)!.every((s) => s.attributes[Attr.check] === now.spec.name)) {
          this.#forget(host, id);
        }
      }
    }
    this.#reload();
  }

  #reload(): void {
    this.#scheduler.set(this.#options.repository.list());
  }

  /** Drops check `id`'s last samples from `host`'s evaluation set (its alerts then resolve). */
  #forget(host: string, id: number): void {
    const byCheck = this.#latest.get(host);
    if (!byCheck?.delete(id)) return;
    this.#options.evaluate({ host, time: Date.now(), samples: [...byCheck.values()].flat(), errors: [] });
  }

  /**
   * Where a run of `check` happens: network checks connect from here or, when asked, through their host's
   * SSH connection; scripts and Unix sockets are always the check's host's (this machine's for `local`).
   */
  #context(check: Check, signal: AbortSignal, timeoutMs: number): CheckContext {
    const { spec } = check;
    const memory = this.#memoryOf(check);
    if (spec.host === 'local') return localContext(timeoutMs, signal, memory);
    const host = spec.host;
    const options = this.#options;
    const throughHost = 'from' in spec && spec.from === 'host';
    return {
      signal, timeoutMs,
      via: throughHost ? 'ssh' : 'local',
      connect: throughHost
        ? (address, port) => withSignal(options.forwardOut(host, address, port), signal)
        : (address, port) => connectHere(address, port, signal),
      connectSocket: (path) => withSignal(options.forwardOutStreamLocal(host, path), signal),
      runScript: (script) => options.runScript(host, script, signal, timeoutMs),
      memory,
      hostCommand: (name) => options.hostCommands(host).find((c) => c.name === name)?.command ?? null,
    };
  }

  /** The runner's memory for `check`: kept while its spec stays the same; none kept for "test now" (id 0). */
  #memoryOf(check: Check): Record<string, unknown> {
    if (check.id === 0) return {};
    const spec = JSON.stringify(check.spec);
    const kept = this.#memories.get(check.id);
    if (kept?.spec === spec) return kept.memory;
    const memory = {};
    this.#memories.set(check.id, { spec, memory });
    return memory;
  }

  #onRun({ check, result, outcome, before, after }: RunReport): void {
    const { host } = check.spec;
    if (before.state !== after.state) {
      this.#options.repository.addEvent(check.id, result.at, before.state, after.state, result.reason || 'passed', result.excerpt);
    }
    if (outcome !== null) {
      const samples = checkSamples(check, result, outcome, after);
      this.#options.samples.append({ host, time: result.at, samples, errors: [] });
      let byCheck = this.#latest.get(host);
      if (!byCheck) this.#latest.set(host, (byCheck = new Map()));
      byCheck.set(check.id, samples);
      this.#options.evaluate({ host, time: result.at, samples: [...byCheck.values()].flat(), errors: [] });
    }
    this.#options.bus.emit('check', status(check, { memory: after, last: result }));
  }
}

function status(check: Check, state: { memory: CheckMemory; last: CheckResult | null } | undefined): CheckStatus {
  const memory = state?.memory ?? NEVER_RUN;
  return {
    id: check.id, spec: check.spec, state: memory.state, since: memory.since,
    consecutiveFailures: memory.consecutiveFailures, consecutiveSuccesses: memory.consecutiveSuccesses,
    last: state?.last ?? null,
  };
}

/** `connecting`, destroyed if `signal` aborts before or after it connects. */
async function withSignal(connecting: Promise<Duplex>, signal: AbortSignal): Promise<Duplex> {
  const stream = await connecting;
  if (signal.aborted) {
    stream.destroy();
    throw signal.reason;
  }
  signal.addEventListener('abort', () => stream.destroy(), { once: true });
  return stream;
}
