/** A minimal API client over the WebSocket transport, for tests: request/response and collected events. */
import WebSocket from 'ws';
import type { EventMessage, MethodName, Params, Result } from '../../shared/api.ts';

export interface TestClient {
  request<M extends MethodName>(method: M, params?: Params<M>): Promise<Result<M>>;
  /** Sends any value as a message, for malformed-request tests; resolves with the raw answer. */
  raw(message: unknown): Promise<unknown>;
  events: EventMessage[];
  /** Calls `listener` with each event as it arrives, and the time it arrived (ms since epoch). */
  listen(listener: (e: EventMessage, receivedAt: number) => void): void;
  /** Resolves with the first event (already received or future) matching `predicate`, or rejects after `ms`. */
  waitFor(predicate: (e: EventMessage) => boolean, ms?: number): Promise<EventMessage>;
  close(): void;
}

/** Connects to `origin`'s /api with `token` (omit it to test refusal). */
export function connect(origin: string, token: string | undefined): Promise<TestClient> {
  const url = `${origin.replace(/^http/, 'ws')}/api${token === undefined ? '' : `?token=${token}`}`;
  const ws = new WebSocket(url, { origin });
  const pending = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  const events: EventMessage[] = [];
  const waiters = new Set<{ predicate: (e: EventMessage) => boolean; resolve: (e: EventMessage) => void }>();
  const listeners: ((e: EventMessage, receivedAt: number) => void)[] = [];
  let nextId = 1;
  ws.on('message', (data) => {
    const receivedAt = Date.now();
    const message = JSON.parse(data.toString());
    if ('event' in message) {
      events.push(message);
      for (const listener of listeners) listener(message, receivedAt);
      for (const waiter of waiters) {
        if (waiter.predicate(message)) {
          waiters.delete(waiter);
          waiter.resolve(message);
        }
      }
    } else pending.get(message.id)?.(message);
  });
  const send = (message: { id: number } & Record<string, unknown>) =>
    new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => {
      pending.set(message.id, resolve);
      ws.send(JSON.stringify(message));
    });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: HTTP ${res.statusCode}`)));
    ws.once('open', () => resolve({
      async request(method, params) {
        const answer = await send({ id: nextId++, method, params });
        if (answer.error) throw new Error(answer.error.message);
        return answer.result as never;
      },
      raw: (message) => send({ id: nextId++, ...(message as object) }),
      events,
      listen: (listener) => listeners.push(listener),
      waitFor(predicate, ms = 15_000) {
        const found = events.find(predicate);
        if (found) return Promise.resolve(found);
        return new Promise((res, rej) => {
          const waiter = { predicate, resolve: (e: EventMessage) => { clearTimeout(timer); res(e); } };
          const timer = setTimeout(() => { waiters.delete(waiter); rej(new Error(`no matching event in ${ms} ms`)); }, ms);
          waiters.add(waiter);
        });
      },
      close: () => ws.close(),
    }));
  });
}
