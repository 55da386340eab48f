/**
 * Runs the checks on their own schedules: each at its interval (its retry interval while failing),
 * never two runs of one check at once, at most `concurrency` runs at a time, each cut off at its
 * timeout. A slow or hanging target holds one slot for at most its timeout and delays nobody else;
 * the timer of every check is its own, on the grid of its first run, so one late run does not drift the
 * next. Runs feed the pure state machine (state.ts); what they found goes to `onRun`.
 */
import type { Check, CheckResult, CheckSpec } from '../../../shared/checks/index.ts';
import type { RunnerRegistry } from './registry.ts';
import { runCheck } from './registry.ts';
import { CheckUnavailableError, type CheckContext, type CheckOutcome } from './runner.ts';
import { NEVER_RUN, advance, nextDelayMs, type CheckMemory } from './state.ts';

/** A run gets this much past its timeout to give up by itself before the scheduler stops waiting. */
const GRACE_MS = 1000;
/** First runs are spread over up to this much (or the interval, if shorter), so a restart is no stampede. */
const SPREAD_MS = 10_000;

/** What the scheduler reports after each run. `outcome` is null when the check could not run. */
export interface RunReport {
  check: Check;
  /** When the run was due (ms); `result.at` is when it started. */
  dueAt: number;
  result: CheckResult;
  outcome: CheckOutcome | null;
  before: CheckMemory;
  after: CheckMemory;
}

export interface SchedulerOptions {
  runners: RunnerRegistry;
  /**
   * The context a run of `check` gets (see runner.ts); throws CheckUnavailableError when it cannot run
   * now (its host is unreachable).
   */
  contextFor(check: Check, signal: AbortSignal, timeoutMs: number): CheckContext;
  onRun(report: RunReport): void;
  /** Runs at a time; default 32. */
  concurrency?: number;
  /** Where each check's state stood (the engine reads it from the last events); default never run. */
  memory?: ReadonlyMap<number, CheckMemory>;
  now?: () => number;
}

interface Entry {
  check: Check;
  memory: CheckMemory;
  last: CheckResult | null;
  /** When the next run is due, ms; NaN while running. */
  due: number;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  /** Bumped when the check changes or goes: a run of an older version reports nothing. */
  version: number;
}

export class CheckScheduler {
  readonly #options: SchedulerOptions;
  readonly #now: () => number;
  readonly #entries = new Map<number, Entry>();
  readonly #controllers = new Set<AbortController>();
  readonly #waiting: (() => void)[] = [];
  #free: number;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#free = options.concurrency ?? 32;
  }

  /**
   * Makes `checks` the set that runs: new ones start after their initial delay (spread a little),
   * changed ones start over with their new settings (state kept unless the type or target changed),
   * missing ones stop. Disabled checks are kept (with their state) but not run.
   */
  set(checks: readonly Check[]): void {
    const ids = new Set(checks.map((c) => c.id));
    for (const [id, entry] of this.#entries) {
      if (ids.has(id)) continue;
      this.#cancel(entry);
      this.#entries.delete(id);
    }
    for (const check of checks) {
      const entry = this.#entries.get(check.id);
      if (entry && JSON.stringify(entry.check.spec) === JSON.stringify(check.spec)) continue;
      if (entry) this.#cancel(entry);
      const memory = entry && sameTarget(entry.check.spec, check.spec)
        ? entry.memory
        : entry ? NEVER_RUN : this.#options.memory?.get(check.id) ?? NEVER_RUN;
      const next: Entry = {
        check, memory, last: entry?.last ?? null, due: Number.NaN, timer: null, running: null,
        version: (entry?.version ?? 0) + 1,
      };
      this.#entries.set(check.id, next);
      if (check.spec.enabled) this.#schedule(next, this.#now() + 1000 * check.spec.initialDelaySeconds + spread(check));
    }
  }

  /** Each check's state and last result, by id. */
  states(): Map<number, { memory: CheckMemory; last: CheckResult | null }> {
    return new Map([...this.#entries].map(([id, e]) => [id, { memory: e.memory, last: e.last }]));
  }

  /**
   * Runs `spec` once now, outside its schedule and its state ("test now"): the outcome as a run would
   * report it, or null with the reason when it could not run. Takes a slot like any run.
   */
  async test(check: Check): Promise<{ result: CheckResult; outcome: CheckOutcome | null }> {
    return this.#execute(check);
  }

  /** Stops every timer, aborts the runs under way and waits for them to settle. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const entry of this.#entries.values()) this.#cancel(entry);
    for (const controller of this.#controllers) controller.abort(new Error('Hostwatch is stopping'));
    await Promise.allSettled([...this.#entries.values()].map((e) => e.running));
  }

  #schedule(entry: Entry, due: number): void {
    if (this.#stopped) return;
    entry.due = due;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      entry.running = this.#run(entry);
    }, Math.max(0, due - this.#now()));
  }

  #cancel(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    entry.version++;
  }

  async #run(entry: Entry): Promise<void> {
    const { check, version } = entry;
    const dueAt = entry.due;
    const { result, outcome } = await this.#execute(check);
    entry.running = null;
    if (entry.version !== version || this.#stopped) return;
    const before = entry.memory;
    entry.memory = advance(before, outcome === null ? 'unavailable' : outcome.status, check.spec, result.at);
    entry.last = result;
    try {
      this.#options.onRun({ check, dueAt, result, outcome, before, after: entry.memory });
    } catch (error) {
      console.error(`hostwatch: keeping the result of check ${check.spec.name} failed:`, error);
    }
    // The next slot on this check's grid after now: a run longer than its interval skips slots.
    const step = nextDelayMs(entry.memory, check.spec);
    const now = this.#now();
    const next = dueAt + step * Math.max(1, Math.ceil((now - dueAt) / step));
    this.#schedule(entry, next > now ? next : now + step);
  }

  /** One run with a slot and a deadline; never throws. */
  async #execute(check: Check): Promise<{ result: CheckResult; outcome: CheckOutcome | null }> {
    await this.#acquire();
    const timeoutMs = 1000 * check.spec.timeoutSeconds;
    const controller = new AbortController();
    this.#controllers.add(controller);
    const timer = setTimeout(() => controller.abort(new TimeoutError(check.spec.timeoutSeconds)), timeoutMs);
    const at = this.#now();
    const started = performance.now();
    let outcome: CheckOutcome | null;
    let reason = '';
    try {
      const context = this.#options.contextFor(check, controller.signal, timeoutMs);
      outcome = await deadline(runCheck(this.#options.runners, check.spec, context), timeoutMs + GRACE_MS, check.spec.timeoutSeconds);
    } catch (error) {
      if (error instanceof CheckUnavailableError) {
        outcome = null;
        reason = error.message;
      } else {
        outcome = {
          status: 'down', reason: error instanceof Error ? error.message : String(error),
          durationSeconds: (performance.now() - started) / 1000, excerpt: null, details: {}, metrics: [],
        };
      }
    } finally {
      clearTimeout(timer);
      this.#controllers.delete(controller);
      this.#release();
    }
    const result: CheckResult = outcome === null
      ? { at, status: 'down', reason: reason || 'The check could not run', durationSeconds: 0, excerpt: null, details: {} }
      : { at, status: outcome.status, reason: outcome.reason, durationSeconds: outcome.durationSeconds, excerpt: outcome.excerpt, details: outcome.details };
    return { result, outcome };
  }

  #acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

/** The run's timeout, as the reason a run gives. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(seconds: number) {
    super(`timed out after ${seconds} s`);
  }
}

/** `promise`, or a rejection with TimeoutError after `ms`: a runner that ignores its signal cannot hold a slot. */
function deadline<T>(promise: Promise<T>, ms: number, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new TimeoutError(seconds)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** A fixed offset per check within min(interval, SPREAD_MS), ms. */
function spread(check: Check): number {
  return ((check.id * 7919) % 1000) / 1000 * Math.min(SPREAD_MS, 1000 * check.spec.intervalSeconds);
}

/** Settings that change when and how a check runs, not what it checks. */
const SCHEDULE_KEYS = new Set(['name', 'intervalSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold',
  'retryIntervalSeconds', 'initialDelaySeconds', 'enabled', 'maintenance']);

/** Whether two specs check the same thing (so the state carries over an edit of, say, the interval). */
function sameTarget(a: CheckSpec, b: CheckSpec): boolean {
  const what = (spec: CheckSpec) => JSON.stringify(Object.entries(spec).filter(([key]) => !SCHEDULE_KEYS.has(key)));
  return what(a) === what(b);
}
