/**
 * The check state machine (electron/core/checks/state.ts) on timelines of runs, as Kubernetes and Gatus
 * count them: pending below the failure threshold, down at it, back up after the success threshold,
 * unknown (never down) when a run could not happen, maintenance over everything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RunStatus } from '../../../shared/checks/index.ts';
import { NEVER_RUN, advance, nextDelayMs, type CheckMemory, type Thresholds } from '../../../electron/core/checks/state.ts';

type Run = RunStatus | 'unavailable';

/** The states after each run of `runs` (one a second from t = 1000). */
function timeline(runs: Run[], thresholds: Partial<Thresholds> = {}): { states: string[]; last: CheckMemory } {
  const t: Thresholds = { failureThreshold: 3, successThreshold: 1, maintenance: false, ...thresholds };
  let memory = NEVER_RUN;
  const states: string[] = [];
  runs.forEach((run, i) => {
    memory = advance(memory, run, t, 1000 * (i + 1));
    states.push(memory.state);
  });
  return { states, last: memory };
}

test('failures below the threshold are pending; at it, down; one success brings it up', () => {
  assert.deepEqual(timeline(['up', 'down', 'down', 'down', 'down', 'up']).states,
    ['up', 'pending', 'pending', 'down', 'down', 'up']);
  assert.deepEqual(timeline(['down', 'up', 'down', 'down', 'down']).states,
    ['pending', 'up', 'pending', 'pending', 'down'], 'a success in between starts the count over');
});

test('a success threshold keeps a down check down until enough good runs in a row', () => {
  assert.deepEqual(timeline(['down', 'up', 'degraded', 'down', 'up', 'up', 'up'], { failureThreshold: 1, successThreshold: 3 }).states,
    ['down', 'down', 'down', 'down', 'down', 'down', 'up']);
});

test('degraded is a success that says so; unavailable is unknown and starts both counts over', () => {
  assert.deepEqual(timeline(['degraded', 'up', 'down', 'down', 'unavailable', 'down', 'down', 'down']).states,
    ['degraded', 'up', 'pending', 'pending', 'unknown', 'pending', 'pending', 'down']);
  const down = timeline(['down', 'down', 'down', 'unavailable']).last;
  assert.equal(down.state, 'unknown', 'never down invented for a run that could not happen');
  assert.equal(down.consecutiveFailures, 0);
});

test('maintenance hides the state but the counts still move', () => {
  const { states, last } = timeline(['down', 'down', 'down', 'down'], { maintenance: true });
  assert.deepEqual(states, ['maintenance', 'maintenance', 'maintenance', 'maintenance']);
  assert.equal(last.consecutiveFailures, 4);
});

test('since is when the state began, and stays while the state holds', () => {
  const t: Thresholds = { failureThreshold: 2, successThreshold: 1, maintenance: false };
  let m = advance(NEVER_RUN, 'up', t, 10);
  assert.equal(m.since, 10);
  m = advance(m, 'up', t, 20);
  assert.equal(m.since, 10);
  m = advance(m, 'down', t, 30);
  assert.deepEqual([m.state, m.since], ['pending', 30]);
  m = advance(m, 'down', t, 40);
  assert.deepEqual([m.state, m.since], ['down', 40]);
});

test('while failing the retry interval is used, else the interval', () => {
  const spec = { intervalSeconds: 60, retryIntervalSeconds: 10 };
  assert.equal(nextDelayMs(timeline(['up']).last, spec), 60_000);
  assert.equal(nextDelayMs(timeline(['down']).last, spec), 10_000);
  assert.equal(nextDelayMs(timeline(['down', 'down', 'down']).last, spec), 10_000);
  assert.equal(nextDelayMs(timeline(['down']).last, { intervalSeconds: 60, retryIntervalSeconds: null }), 60_000);
});

test('properties: down only after failureThreshold failures in a row (or while already down); counts never both positive', () => {
  const runArb = fc.constantFrom<Run>('up', 'degraded', 'down', 'unavailable');
  fc.assert(fc.property(fc.array(runArb, { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }),
    (runs, failureThreshold, successThreshold) => {
      const t: Thresholds = { failureThreshold, successThreshold, maintenance: false };
      let m = NEVER_RUN;
      for (const run of runs) {
        const before = m;
        m = advance(m, run, t, 1);
        assert.ok(!(m.consecutiveFailures > 0 && m.consecutiveSuccesses > 0));
        if (m.state === 'down' && before.state !== 'down') assert.ok(m.consecutiveFailures >= failureThreshold);
        if (before.state === 'down' && (m.state === 'up' || m.state === 'degraded')) assert.ok(m.consecutiveSuccesses >= successThreshold);
        if (run === 'unavailable') assert.equal(m.state, 'unknown');
      }
    }), { numRuns: 2000 });
});
