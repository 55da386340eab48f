/** `systemctl show` output read, and each unit state judged as the systemd check says it (systemd.unit(5)). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeUnit, parseUnitProperties } from '../../../electron/core/checks/runners/systemd.ts';

test('Name=value lines; other names and other lines are ignored; values kept as printed', () => {
  const p = parseUnitProperties('Id=nginx.service\nLoadState=loaded\nActiveState=active\nSubState=running\nResult=success\n' +
    'NRestarts=0\nExecMainStatus=0\nMainPID=812\nDescription=A=B\ngarbage\n=nothing\n');
  assert.deepEqual(p, { Id: 'nginx.service', LoadState: 'loaded', ActiveState: 'active', SubState: 'running', Result: 'success',
    NRestarts: '0', ExecMainStatus: '0', MainPID: '812' });
});

test('each state in words', () => {
  const cases: [Record<string, string>, boolean, string, string][] = [
    [{ Id: 'a.service', LoadState: 'loaded', ActiveState: 'active', SubState: 'running' }, false, 'up', ''],
    [{ Id: 'a.service', LoadState: 'not-found', ActiveState: 'inactive' }, false, 'down', 'unit a.service not found'],
    [{ Id: 'a.service', LoadState: 'masked', ActiveState: 'inactive' }, false, 'down', 'unit a.service is masked'],
    [{ LoadState: 'loaded', ActiveState: 'failed', Result: 'exit-code', ExecMainStatus: '3', NRestarts: '5' }, false, 'down',
      'failed (exit-code, status 3), restarted 5 times'],
    [{ LoadState: 'loaded', ActiveState: 'activating', SubState: 'auto-restart', Result: 'signal', ExecMainStatus: '9', NRestarts: '2' }, false,
      'down', 'restarting after signal, status 9, restarted 2 times'],
    [{ LoadState: 'loaded', ActiveState: 'activating', SubState: 'start' }, false, 'degraded', 'starting (start)'],
    [{ LoadState: 'loaded', ActiveState: 'reloading' }, false, 'degraded', 'reloading'],
    [{ LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', Result: 'success' }, false, 'down', 'inactive (dead)'],
    [{ LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', Result: 'success' }, true, 'up', ''],
    [{ LoadState: 'loaded', ActiveState: 'inactive', SubState: 'dead', Result: 'timeout' }, true, 'down', 'inactive (dead, timeout)'],
    [{ LoadState: 'loaded' }, false, 'down', 'systemctl said nothing about it'],
  ];
  for (const [props, inactiveIsUp, status, reason] of cases) {
    assert.deepEqual(judgeUnit(props, inactiveIsUp), { status, reason }, JSON.stringify(props));
  }
});
