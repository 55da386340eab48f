/**
 * The engine's entry under Electron (dist/electron/core/utility.js), run by plain Node with a stand-in
 * for the utility process's parentPort: it waits for main's `start` (which carries the secret key),
 * reports the tray status, stores the tray's mute as a silence, and exits cleanly on `stop`. (The API
 * over MessagePorts needs Electron.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { ROOT, hostwatch, tempDataDir } from '../support/serve.ts';
import { muteSpec } from '../../shared/silences.ts';
import { newSecretKey } from '../../electron/core/secrets.ts';

test('utility.js starts on main\'s start message with its secret key, reports status, mutes, and stops on stop', async () => {
  const dataDir = tempDataDir();
  const key = newSecretKey();

  const child = fork(join(ROOT, 'dist', 'electron', 'core', 'utility.js'), ['--data-dir', dataDir, '--version', '9.9.9'], {
    execArgv: ['--import', join(ROOT, 'test', 'support', 'parent-port-shim.mjs')],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  try {
    const messages: unknown[] = [];
    child.on('message', (m) => messages.push(m));
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(messages, [], 'nothing before start');
    child.send({ type: 'start', secretKey: key.toString('base64') });
    const [status] = await once(child, 'message');
    assert.deepEqual(status, { type: 'status', worst: 'ok' });
    // The tray's mute becomes a silence; a malformed one is refused and logged.
    child.send({ type: 'mute', spec: muteSpec('hour', Date.now()) });
    child.send({ type: 'mute', spec: { matchers: [] } });
    await new Promise((r) => setTimeout(r, 500));
    child.send({ type: 'stop' });
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, stderr);
    assert.match(stderr, /^hostwatch: the mute could not be stored:/);
    const silences = JSON.parse(hostwatch(['silences', 'list', '--json', '--data-dir', dataDir]));
    assert.deepEqual(silences.map((s: { createdBy: string; state: string; matchers: unknown }) => [s.createdBy, s.state, s.matchers]),
      [['Tray', 'active', [{ name: 'alertname', op: '=~', value: '.+' }]]]);
  } finally {
    child.kill();
  }
});
