/**
 * The parts of the Electron shell that run without Electron: the tray's status summary, the saved
 * window state's validation, and what `npm start` says where the Electron binary is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { FiringStatus } from '../../electron/core/utility-status.ts';
import { isVisible, parseWindowState } from '../../electron/main/window-state.ts';
import type { Alert } from '../../shared/api.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function alert(id: number, severity: Alert['severity'], state: Alert['state']): Alert {
  return {
    id, ruleId: 1, ruleName: 'r', host: 'local', metric: 'system.cpu.utilization', attributes: {}, severity, state,
    value: 1, threshold: 0.5, summary: 's', activeAt: 0, firedAt: state === 'pending' ? null : 0,
    resolvedAt: state === 'resolved' ? 1 : null,
  };
}

test('the tray shows the worst severity among firing alerts, and ok once they resolve', () => {
  const status = new FiringStatus();
  assert.equal(status.worst(), 'ok');
  assert.equal(status.update(alert(1, 'info', 'firing')), 'ok', 'info is not trouble');
  assert.equal(status.update(alert(2, 'warning', 'pending')), 'ok', 'pending is not firing yet');
  assert.equal(status.update(alert(2, 'warning', 'firing')), 'warning');
  assert.equal(status.update(alert(3, 'critical', 'firing')), 'critical');
  assert.equal(status.update(alert(3, 'critical', 'resolved')), 'warning');
  assert.equal(status.update(alert(2, 'warning', 'resolved')), 'ok');
});

test('a saved window state is used only when it is well formed and on an attached display', () => {
  const good = { bounds: { x: 100, y: 50, width: 1200, height: 800 }, maximized: false };
  assert.deepEqual(parseWindowState(good), good);
  assert.equal(parseWindowState({ ...good, bounds: { ...good.bounds, width: 10 } }), null, 'too small');
  assert.equal(parseWindowState({ ...good, bounds: { ...good.bounds, x: '100' } }), null, 'not a number');
  assert.equal(parseWindowState({ bounds: good.bounds }), null, 'maximized missing');
  assert.equal(parseWindowState('{}'), null);
  const laptop = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  assert.equal(isVisible(good.bounds, laptop), true);
  // Saved on an external monitor that is unplugged now.
  assert.equal(isVisible({ ...good.bounds, x: 2500 }, laptop), false);
  assert.equal(isVisible({ ...good.bounds, y: -500 }, laptop), false, 'title bar above the screen');
});

function electronBinaryInstalled(): boolean {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8')));
}

test('npm start without the Electron binary says so in one line and points to hostwatch serve', {
  skip: electronBinaryInstalled() ? 'the Electron binary is installed here: npm start would open the app' : false,
}, () => {
  let stderr = '';
  let status = 0;
  try {
    execFileSync(process.execPath, [join(ROOT, 'bin', 'start.js')], { stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    ({ stderr, status } = error as { stderr: string; status: number });
  }
  assert.equal(status, 1);
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, /Electron binary is not installed.*npx hostwatch serve/);
});
