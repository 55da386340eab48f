/** What the UI says about a host's connection: since when, what to do, test stages, action errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostState, HostStatus } from '../../../shared/api.ts';
import {
  explainState, hostActionError, msText, sinceText, TEST_STAGES, unknownBecause,
} from '../../../renderer/src/lib/hostText.ts';

const NOW = Date.UTC(2026, 10, 3, 14, 0, 0);
const host = (state: HostState, over: Partial<HostStatus> = {}): HostStatus => ({
  id: 'h1', name: 'web1', kind: 'ssh', state, lastError: null, since: NOW - 12 * 60_000, lastSnapshotAt: null,
  intervalSeconds: 5, address: 'root@web1:22', offeredKey: null, enabled: true, ...over,
});

test('"since" gives the moment and how long ago, in human units', () => {
  assert.match(sinceText(NOW - 12 * 60_000, NOW), /^since .+ \(12 min\)$/);
  assert.match(sinceText(NOW - (2 * 86400 + 5 * 3600) * 1000, NOW), /^since .+ \(2 d 5 h\)$/);
  assert.match(sinceText(NOW + 5000, NOW), /\(0 s\)$/);
});

test('an online host needs no explanation; every other state says what is going on', () => {
  assert.equal(explainState(host('online'), NOW), null);
  const states: HostState[] = ['connecting', 'unreachable', 'auth_failed', 'host_key_unknown', 'host_key_changed', 'error', 'paused'];
  for (const s of states) {
    const text = explainState(host(s), NOW);
    assert.ok(text && text.title.length > 0, s);
  }
});

test('a changed host key is explained as the design asks: accept if reinstalled, otherwise do not connect', () => {
  const text = explainState(host('host_key_changed'), NOW);
  assert.match(text!.title, /^Host key for web1 changed since .+ — if you reinstalled it, accept the new key; otherwise do not connect\.$/);
});

test('unreachable and failed logins say since when and what to check', () => {
  assert.match(explainState(host('unreachable'), NOW)!.title, /web1 is unreachable since .+ \(12 min\)/);
  assert.match(explainState(host('auth_failed'), NOW)!.advice!, /authorized_keys/);
  assert.match(explainState(host('connecting'), NOW)!.title, /root@web1:22/);
});

test('a gauge of a host that is not online says why it is unknown', () => {
  assert.equal(unknownBecause(host('unreachable', { lastError: 'connect ECONNREFUSED' }), 'Unreachable'),
    'web1: unreachable — connect ECONNREFUSED');
  assert.equal(unknownBecause(host('paused'), 'Paused'), 'web1 is paused');
});

test('the test stages come in the order a connection goes through them', () => {
  assert.deepEqual(TEST_STAGES.map((s) => s.stage), ['resolve', 'connect', 'host_key', 'auth', 'first_poll']);
  assert.equal(msText(12.4), '12 ms');
  assert.equal(msText(1430), '1.4 s');
});

test('action errors are in the user\'s words: an older engine, a lost link, the engine\'s own message', () => {
  const err = (code: string, message: string) => Object.assign(new Error(message), { code });
  assert.match(hostActionError(err('unknown_method', 'Unknown method hosts.add'), 'add the host'),
    /^Could not add the host: this engine does not manage remote hosts yet/);
  assert.match(hostActionError(err('disconnected', 'x'), 'save the changes'), /engine is not connected/);
  assert.equal(hostActionError(err('bad_request', 'A host named web1 exists'), 'add the host'),
    'Could not add the host: A host named web1 exists');
});
