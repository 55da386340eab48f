/**
 * The renderer's API client over a fake transport written here: requests are numbered and matched to
 * responses, errors carry the engine's message, events fan out, and the connection state is tracked.
 * Timers (request timeout, heartbeat) run on node:test's mock clock.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestMessage } from '../../../shared/api.ts';
import { ApiClient, ApiError, type ConnectionState } from '../../../renderer/src/api/client.ts';
import type { Transport, TransportHandlers } from '../../../renderer/src/api/transport.ts';

/** A transport that records what is sent and lets the test play the engine. */
class FakeTransport implements Transport {
  handlers: TransportHandlers | null = null;
  linkUp = false;
  sent: RequestMessage[] = [];
  resets: string[] = [];

  start(handlers: TransportHandlers): void { this.handlers = handlers; }
  send(message: RequestMessage): boolean {
    if (!this.linkUp) return false;
    this.sent.push(message);
    return true;
  }
  reset(reason: string): void { this.resets.push(reason); }

  open(): void { this.linkUp = true; this.handlers!.onOpen(); }
  close(reason: string): void { this.linkUp = false; this.handlers!.onClose(reason); }
  deliver(message: unknown): void { this.handlers!.onMessage(message); }
  /** Answers the last request sent with `method`. */
  answer(method: string, result: unknown): void {
    const req = this.sent.findLast((m) => m.method === method);
    assert.ok(req, `a ${method} request was sent`);
    this.deliver({ id: req.id, result });
  }
}

function setup(t: TestContext, { open = true } = {}) {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const transport = new FakeTransport();
  const client = new ApiClient(transport);
  if (open) transport.open();
  return { transport, client };
}

/** Lets settled promises run their callbacks. */
const flush = () => new Promise<void>((r) => setImmediate(r));

/** Whether `p` has settled, without waiting for it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  await flush();
  return done;
}

test('the client starts the transport and reports connecting, open and closed with the reason', (t) => {
  const { transport, client } = setup(t, { open: false });
  assert.ok(transport.handlers, 'start() was called');
  assert.equal(client.state, 'connecting');
  const seen: [ConnectionState, string | null][] = [];
  const stop = client.onState((s, r) => seen.push([s, r]));
  transport.open();
  transport.open(); // the same state again is not reported twice
  transport.close('socket closed');
  assert.deepEqual(seen, [['open', null], ['closed', 'socket closed']]);
  assert.equal(client.state, 'closed');
  assert.equal(client.reason, 'socket closed');
  stop();
  transport.open();
  assert.equal(seen.length, 2, 'an unsubscribed listener hears nothing');
  assert.equal(client.state, 'open');
  assert.equal(client.reason, null);
});

test('a request is sent with a fresh id, its method and params, and resolves with the matching result', async (t) => {
  const { transport, client } = setup(t);
  const info = client.request('engine.info');
  const inv = client.request('hosts.inventory', { host: 'web1' });
  assert.deepEqual(transport.sent, [
    { id: 1, method: 'engine.info', params: {} },
    { id: 2, method: 'hosts.inventory', params: { host: 'web1' } },
  ]);
  // Answers arrive out of order; each goes to its own request.
  transport.deliver({ id: 2, result: null });
  transport.deliver({ id: 1, result: { version: '1.2.3', dataDir: '/d', startedAt: 1, platform: 'linux' } });
  assert.equal(await inv, null);
  assert.equal((await info).version, '1.2.3');
});

test('an error answer rejects with an ApiError carrying the engine\'s code and message', async (t) => {
  const { transport, client } = setup(t);
  const p = client.request('rules.delete', { id: 9 });
  transport.deliver({ id: 1, error: { code: 'not_found', message: 'No rule 9' } });
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'not_found');
    assert.equal(err.message, 'No rule 9');
    return true;
  });
  const q = client.request('rules.list');
  transport.deliver({ id: 2, error: {} });
  await assert.rejects(q, { name: 'ApiError', code: 'internal', message: 'The engine reported an error' });
});

test('requests made before the link opens wait, then go out in order when it opens', async (t) => {
  const { transport, client } = setup(t, { open: false });
  const a = client.request('hosts.list');
  const b = client.request('rules.list');
  assert.equal(transport.sent.length, 0);
  assert.equal(await settled(a), false);
  transport.open();
  assert.deepEqual(transport.sent.map((m) => [m.id, m.method]), [[1, 'hosts.list'], [2, 'rules.list']]);
  transport.answer('rules.list', []);
  transport.answer('hosts.list', []);
  assert.deepEqual(await a, []);
  assert.deepEqual(await b, []);
});

test('when the link drops, requests in flight fail at once with the reason; new ones wait for the next link', async (t) => {
  const { transport, client } = setup(t);
  const inFlight = client.request('hosts.list');
  transport.close('engine restarted');
  await assert.rejects(inFlight, { name: 'ApiError', code: 'disconnected', message: 'Engine connection lost: engine restarted' });

  const later = client.request('rules.list');
  assert.equal(transport.sent.length, 1, 'nothing is sent while closed');
  transport.open();
  assert.equal(transport.sent.at(-1)!.method, 'rules.list');
  transport.answer('rules.list', []);
  assert.deepEqual(await later, []);
});

test('a request the transport cannot send right now is kept and sent on the next open', async (t) => {
  const { transport, client } = setup(t);
  transport.linkUp = false; // the link died but onClose has not come yet
  const p = client.request('alerts.active');
  assert.equal(transport.sent.length, 0);
  transport.open();
  transport.answer('alerts.active', []);
  assert.deepEqual(await p, []);
});

test('a request with no answer fails after 30 s with a timeout, and a late answer is ignored', async (t) => {
  const { transport, client } = setup(t);
  const p = client.request('hosts.list');
  t.mock.timers.tick(29_999);
  assert.equal(await settled(p), false);
  t.mock.timers.tick(1);
  await assert.rejects(p, { name: 'ApiError', code: 'timeout', message: 'The engine did not answer hosts.list in time' });
  transport.deliver({ id: 1, result: [] }); // must not throw
});

test('a queued request that timed out is not sent when the link opens later', async (t) => {
  const { transport, client } = setup(t, { open: false });
  const p = client.request('hosts.list');
  t.mock.timers.tick(30_000);
  await assert.rejects(p, { code: 'timeout' });
  transport.open();
  assert.deepEqual(transport.sent, []);
});

test('events reach the subscribers of that event only, and not after unsubscribing', (t) => {
  const { transport, client } = setup(t);
  const snaps: unknown[] = [];
  const hosts: unknown[] = [];
  const stop = client.on('snapshot', (d) => snaps.push(d));
  client.on('hosts', (d) => hosts.push(d));
  const data = { host: 'h', time: 1, samples: [], errors: [] };
  transport.deliver({ event: 'snapshot', data });
  transport.deliver({ event: 'rules', data: [] });
  assert.deepEqual(snaps, [data]);
  assert.deepEqual(hosts, []);
  stop();
  transport.deliver({ event: 'snapshot', data });
  assert.equal(snaps.length, 1);
});

test('a failing event listener does not keep the others from hearing the event', (t) => {
  const { transport, client } = setup(t);
  const heard: string[] = [];
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => { logged.push(args); };
  try {
    client.on('rules', () => { throw new Error('boom'); });
    client.on('rules', () => heard.push('second'));
    transport.deliver({ event: 'rules', data: [] });
  } finally {
    console.error = original;
  }
  assert.deepEqual(heard, ['second']);
  assert.equal(logged.length, 1);
  assert.match(String(logged[0]![0]), /rules listener failed/);
});

test('messages that are not responses or events are ignored', async (t) => {
  const { transport, client } = setup(t);
  const p = client.request('hosts.list');
  for (const junk of [null, 'text', 42, {}, { id: '1', result: [] }, { id: 99, result: [] }]) transport.deliver(junk);
  assert.equal(await settled(p), false);
  transport.deliver({ id: 1, result: ['ok'] });
  assert.deepEqual(await p, ['ok']);
});

test('while open, a heartbeat asks engine.info every 10 s and resets a link whose engine stops answering', async (t) => {
  const { transport } = setup(t);
  t.mock.timers.tick(10_000);
  assert.deepEqual(transport.sent.map((m) => m.method), ['engine.info']);
  transport.answer('engine.info', { version: '1', dataDir: '/', startedAt: 0, platform: 'linux' });
  await flush();
  t.mock.timers.tick(8_000);
  await flush();
  assert.deepEqual(transport.resets, [], 'an engine that answered is not reset');

  t.mock.timers.tick(2_000); // the second heartbeat, left unanswered
  assert.equal(transport.sent.length, 2);
  t.mock.timers.tick(7_999);
  await flush();
  assert.deepEqual(transport.resets, []);
  t.mock.timers.tick(1);
  await flush();
  assert.deepEqual(transport.resets, ['The engine stopped answering']);
});

test('no heartbeat is sent while the link is closed', (t) => {
  const { transport } = setup(t);
  transport.close('gone');
  t.mock.timers.tick(60_000);
  assert.deepEqual(transport.sent, []);
});
