/**
 * A check's state from its runs, as Kubernetes probes and Gatus count them: `failureThreshold` failed
 * runs in a row make it down (pending until then), `successThreshold` good runs in a row bring a down
 * check back. A run that could not happen (the host unreachable) makes it unknown and starts both
 * counts over: missing data is neither a failure nor a success. Pure: the scheduler keeps the memory.
 */
import type { CheckState, RunStatus } from '../../../shared/checks/index.ts';

/** What a check remembers between runs. `since`: when it entered `state` (ms), null when never run. */
export interface CheckMemory {
  readonly state: CheckState;
  readonly since: number | null;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
}

/** Before the first run: unknown, counts at zero. */
export const NEVER_RUN: CheckMemory = { state: 'unknown', since: null, consecutiveFailures: 0, consecutiveSuccesses: 0 };

/** The settings the state depends on (see shared/checks/common.ts). */
export interface Thresholds {
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly maintenance: boolean;
}

/**
 * The memory after a run at `at` (ms) that found `run` (up, degraded, down), or `unavailable` when it
 * could not run. Under maintenance the state is `maintenance` and the counts still move.
 */
export function advance(memory: CheckMemory, run: RunStatus | 'unavailable', thresholds: Thresholds, at: number): CheckMemory {
  let failures = 0;
  let successes = 0;
  let state: CheckState;
  if (run === 'unavailable') {
    state = 'unknown';
  } else if (run === 'down') {
    failures = memory.consecutiveFailures + 1;
    state = failures >= thresholds.failureThreshold || memory.state === 'down' ? 'down' : 'pending';
  } else {
    successes = memory.consecutiveSuccesses + 1;
    state = memory.state === 'down' && successes < thresholds.successThreshold ? 'down' : run;
  }
  if (thresholds.maintenance) state = 'maintenance';
  return {
    state,
    since: state === memory.state && memory.since !== null ? memory.since : at,
    consecutiveFailures: failures,
    consecutiveSuccesses: successes,
  };
}

/** The interval until the next run, ms: the retry interval while failing (pending or down), if set. */
export function nextDelayMs(memory: CheckMemory, spec: { intervalSeconds: number; retryIntervalSeconds: number | null }): number {
  const failing = memory.state === 'pending' || memory.state === 'down' || memory.consecutiveFailures > 0;
  return 1000 * (failing && spec.retryIntervalSeconds !== null ? spec.retryIntervalSeconds : spec.intervalSeconds);
}
