/** Lists of checks: the state shown, worst first, filters, failing counts, the target in one line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckSpec, type CheckState, type CheckStatus } from '../../../shared/checks/index.ts';
import {
  STATE_ORDER, displayState, failingByHost, failingText, filterChecks, isFailing, NO_FILTER, sortChecks, targetText,
} from '../../../renderer/src/lib/checkList.ts';
import { checkLook, runLook } from '../../../renderer/src/lib/status.ts';

let nextId = 1;
function status(name: string, state: CheckState, over: Partial<CheckSpec> = {}, reason = ''): CheckStatus {
  const spec = CheckSpec.parse({ type: 'http', name, url: 'https://example.com/', ...over });
  return {
    id: nextId++, spec, state, since: 1000, consecutiveFailures: 0, consecutiveSuccesses: 0,
    last: { at: 1000, status: state === 'down' || state === 'pending' ? 'down' : 'up', reason, durationSeconds: 0.1, excerpt: null, details: {} },
  };
}

test('the state shown: paused while disabled, maintenance as soon as it is set, unknown until a run after it ends', () => {
  assert.equal(displayState(status('a', 'down', { enabled: false })), 'paused');
  assert.equal(displayState(status('a', 'up', { maintenance: true })), 'maintenance');
  assert.equal(displayState(status('a', 'maintenance')), 'unknown');
  assert.equal(displayState(status('a', 'pending')), 'pending');
});

test('worst first: down, pending, degraded, unknown, maintenance, paused, up; then host, then name (numbers in order)', () => {
  assert.deepEqual(STATE_ORDER, ['down', 'pending', 'degraded', 'unknown', 'maintenance', 'paused', 'up']);
  const list = [
    status('up', 'up'), status('maint', 'up', { maintenance: true }), status('down', 'down'), status('unknown', 'unknown'),
    status('degraded', 'degraded'), status('pending', 'pending'), status('paused', 'down', { enabled: false }),
  ];
  assert.deepEqual(sortChecks(list).map((c) => c.spec.name), ['down', 'pending', 'degraded', 'unknown', 'maint', 'paused', 'up']);
  const names = [status('web 10', 'up'), status('web 9', 'up'), status('Api', 'up', { host: 'b' }), status('db', 'up', { host: 'a' })];
  const hostNames: Record<string, string> = { local: 'this machine', a: 'alpha', b: 'beta' };
  assert.deepEqual(sortChecks(names, (id) => hostNames[id]!).map((c) => c.spec.name), ['db', 'Api', 'web 9', 'web 10']);
});

test('failing is down or pending, never paused; counted per host', () => {
  const list = [
    status('a', 'down'), status('b', 'pending', { host: 'web1' }), status('c', 'degraded'),
    status('d', 'down', { enabled: false }), status('e', 'down', { maintenance: true }), status('f', 'down', { host: 'web1' }),
  ];
  assert.deepEqual(list.map(isFailing), [true, true, false, false, false, true]);
  assert.deepEqual([...failingByHost(list)].sort(), [['local', 1], ['web1', 2]]);
  assert.equal(failingText(1), '1 failing check');
  assert.equal(failingText(3), '3 failing checks');
});

test('filters by state (or "failing"), host and words of the name, target, type or reason', () => {
  const list = [
    status('Shop', 'down', { host: 'web1' }, 'status 503 is not in 200-299'),
    status('Blog', 'up', { host: 'web2', url: 'https://blog.example.org/' }),
    status('Queue', 'pending', { host: 'web1' }),
    status('DNS', 'up', { type: 'dns', query: 'example.com' } as Partial<CheckSpec>),
  ];
  const names = (f: Partial<typeof NO_FILTER>) => filterChecks(list, { ...NO_FILTER, ...f }).map((c) => c.spec.name);
  assert.deepEqual(names({}), ['Shop', 'Blog', 'Queue', 'DNS']);
  assert.deepEqual(names({ state: 'failing' }), ['Shop', 'Queue']);
  assert.deepEqual(names({ state: 'up' }), ['Blog', 'DNS']);
  assert.deepEqual(names({ host: 'web1' }), ['Shop', 'Queue']);
  assert.deepEqual(names({ text: '503' }), ['Shop']);
  assert.deepEqual(names({ text: 'blog.example' }), ['Blog']);
  assert.deepEqual(names({ text: 'dns EXAMPLE.com' }), ['DNS']);
  assert.deepEqual(names({ host: 'web2', state: 'failing' }), []);
});

test('the target in one line, per type', () => {
  const spec = (o: Record<string, unknown>) => CheckSpec.parse({ name: 'x', ...o });
  assert.equal(targetText(spec({ type: 'http', url: 'https://example.com/health' })), 'https://example.com/health');
  assert.equal(targetText(spec({ type: 'http', url: 'https://example.com/', method: 'POST' })), 'POST https://example.com/');
  assert.equal(targetText(spec({ type: 'tcp', target: 'db', port: 5432 })), 'db:5432');
  assert.equal(targetText(spec({ type: 'tcp', target: '2001:db8::1', port: 5432 })), '[2001:db8::1]:5432');
  assert.equal(targetText(spec({ type: 'dns', query: 'example.com', recordType: 'MX', server: '1.1.1.1' })), 'MX example.com @ 1.1.1.1');
  assert.equal(targetText(spec({ type: 'dns', query: 'example.com' })), 'A example.com');
  assert.equal(targetText(spec({ type: 'ping', target: 'router.lan' })), 'router.lan');
});

test('every check state and run status has an icon and a word, never colour alone', () => {
  const words = new Set<string>();
  for (const s of STATE_ORDER) {
    const look = checkLook(s);
    assert.ok(look.icon.length > 0 && look.word.length > 0, s);
    words.add(look.word);
  }
  assert.equal(words.size, STATE_ORDER.length, 'each state its own word');
  assert.equal(checkLook('down').tone, 'critical');
  assert.equal(checkLook('up').tone, 'ok');
  assert.equal(checkLook('paused').tone, 'unknown');
  for (const r of ['up', 'degraded', 'down'] as const) assert.ok(runLook(r).word && runLook(r).icon);
});
