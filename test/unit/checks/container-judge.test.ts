/** A container's inspection (Docker Engine API v1.41 ContainerInspectResponse) read and judged in words. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeContainer, readInspect, type ContainerState } from '../../../electron/core/checks/runners/container.ts';

test('an inspection document: the fields the check reads, zero times as none, anything else ignored', () => {
  const state = readInspect({
    Id: 'abc', Name: '/web', RestartCount: 2, Config: { Image: 'nginx:1.27' },
    State: { Status: 'running', ExitCode: 0, StartedAt: '2026-11-22T14:37:58.45Z', FinishedAt: '0001-01-01T00:00:00Z',
      Health: { Status: 'unhealthy', FailingStreak: 4, Log: [{ ExitCode: 1, Output: 'old' }, { ExitCode: 1, Output: ' db unreachable\n' }] } },
  });
  assert.deepEqual(state, { name: 'web', image: 'nginx:1.27', status: 'running', exitCode: 0, startedAt: '2026-11-22T14:37:58.45Z',
    finishedAt: null, restartCount: 2, health: 'unhealthy', failingStreak: 4, healthOutput: 'db unreachable' });
  assert.equal(readInspect({ message: 'no such container' }), null);
  assert.equal(readInspect([1, 2]), null);
  assert.equal(readInspect({ State: { Status: 'running' }, RestartCount: -3 })!.restartCount, 0, 'a negative count is no count');
});

test('each state in words; restarts since the last run make a running one degraded', () => {
  const base: ContainerState = { name: 'web', image: 'i', status: 'running', exitCode: 0, startedAt: null, finishedAt: null,
    restartCount: 0, health: null, failingStreak: 0, healthOutput: null };
  const cases: [Partial<ContainerState>, number | undefined, string, string][] = [
    [{}, undefined, 'up', ''],
    [{ health: 'healthy' }, undefined, 'up', ''],
    [{ health: 'starting' }, undefined, 'degraded', 'starting: its health check has not passed yet'],
    [{ health: 'unhealthy', failingStreak: 3, healthOutput: 'timeout' }, undefined, 'down', 'unhealthy: failing streak 3, last output: timeout'],
    [{ restartCount: 5 }, 3, 'degraded', 'restarted 2 times since the last run (5 in all)'],
    [{ restartCount: 5 }, 5, 'up', ''],
    [{ status: 'restarting', exitCode: 137, restartCount: 9 }, undefined, 'down', 'restarting after exit code 137 (restarted 9 times)'],
    [{ status: 'exited', exitCode: 3, finishedAt: '2026-11-22T14:00:01.5Z' }, undefined, 'down', 'exited with code 3 at 2026-11-22 14:00:01 UTC'],
    [{ status: 'stopped', exitCode: 1, restartCount: 1 }, undefined, 'down', 'exited with code 1 (restarted 1 time)'],
    [{ status: 'paused' }, undefined, 'down', 'paused'],
    [{ status: 'created' }, undefined, 'down', 'created, never started'],
    [{ status: 'dead' }, undefined, 'down', 'dead'],
  ];
  for (const [over, before, status, reason] of cases) {
    assert.deepEqual(judgeContainer({ ...base, ...over }, before), { status, reason }, JSON.stringify(over));
  }
});
