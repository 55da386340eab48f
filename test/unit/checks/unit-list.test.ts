/** `systemctl list-units --plain --no-legend` lines read for discovery. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUnitList } from '../../../electron/core/checks/discovery.ts';

test('services with their states and descriptions; other lines and units skipped', () => {
  const units = parseUnitList([
    'cron.service                   loaded active running Regular background program processing daemon',
    'nginx.service                  loaded failed failed  A high performance web server and a reverse proxy server',
    '  ssh.service loaded active running OpenBSD Secure Shell server',
    'dev-hugepages.mount            loaded active mounted Huge Pages File System',
    '',
    'garbage',
  ].join('\n'));
  assert.deepEqual(units, [
    { unit: 'cron.service', loadState: 'loaded', activeState: 'active', subState: 'running', description: 'Regular background program processing daemon' },
    { unit: 'nginx.service', loadState: 'loaded', activeState: 'failed', subState: 'failed', description: 'A high performance web server and a reverse proxy server' },
    { unit: 'ssh.service', loadState: 'loaded', activeState: 'active', subState: 'running', description: 'OpenBSD Secure Shell server' },
  ]);
  assert.equal(parseUnitList(Array.from({ length: 3000 }, (_, i) => `u${i}.service loaded active running x`).join('\n')).length, 2000);
});
