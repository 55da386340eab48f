/**
 * The one API client of the renderer, typed from the contract in shared/api.ts. It numbers requests,
 * matches responses to them, fans events out to subscribers and tracks the connection state. The
 * transport underneath (MessagePort in the app, WebSocket in the browser) only moves messages.
 *
 * - `request(method, params)` resolves with the result or rejects with an `ApiError` carrying the
 *   engine's message; requests made while the link is down wait for it (up to the timeout).
 * - `on(event, cb)` returns the unsubscribe function.
 * - `onState(cb)` reports 'connecting' | 'open' | 'closed'; while open, a heartbeat (`engine.info`)
 *   notices an engine that stopped answering and has the transport reconnect.
 */
import type {
  ErrorCode, EventData, EventName, MethodName, Params, RequestMessage, Result,
} from '../../../shared/api.ts';
import type { Transport } from './transport.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** An error answered by the engine (or a request that could not be delivered). */
export class ApiError extends Error {
  readonly code: ErrorCode | 'disconnected' | 'timeout';
  constructor(code: ErrorCode | 'disconnected' | 'timeout', message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Params are optional for methods whose params have a default (no params). */
type ParamArgs<M extends MethodName> = undefined extends Params<M> ? [params?: Params<M>] : [params: Params<M>];

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const REQUEST_TIMEOUT_MS = 30_000;
const HEARTBEAT_EVERY_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 8_000;

export class ApiClient {
  #transport: Transport;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  /** Requests waiting for the link to open. */
  #queue: { message: RequestMessage; pending: Pending }[] = [];
  #listeners = new Map<string, Set<(data: never) => void>>();
  #stateListeners = new Set<(state: ConnectionState, reason: string | null) => void>();
  #state: ConnectionState = 'connecting';
  #reason: string | null = null;
  #heartbeat: ReturnType<typeof setInterval> | null = null;

  constructor(transport: Transport) {
    this.#transport = transport;
    transport.start({
      onOpen: () => this.#opened(),
      onMessage: (m) => this.#receive(m),
      onClose: (reason) => this.#closed(reason),
    });
  }

  get state(): ConnectionState { return this.#state; }
  get reason(): string | null { return this.#reason; }

  request<M extends MethodName>(method: M, ...args: ParamArgs<M>): Promise<Result<M>> {
    const id = this.#nextId++;
    const message: RequestMessage = { id, method, params: args[0] ?? {} };
    return new Promise<Result<M>>((resolve, reject) => {
      const pending: Pending = {
        resolve: resolve as (v: unknown) => void,
        reject,
        timer: setTimeout(() => {
          this.#pending.delete(id);
          this.#queue = this.#queue.filter((q) => q.pending !== pending);
          reject(new ApiError('timeout', `The engine did not answer ${method} in time`));
        }, REQUEST_TIMEOUT_MS),
      };
      if (this.#state === 'open' && this.#transport.send(message)) {
        this.#pending.set(id, pending);
      } else {
        this.#queue.push({ message, pending });
      }
    });
  }

  on<E extends EventName>(event: E, cb: (data: EventData<E>) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const fn = cb as (data: never) => void;
    set.add(fn);
    return () => { set.delete(fn); };
  }

  onState(cb: (state: ConnectionState, reason: string | null) => void): () => void {
    this.#stateListeners.add(cb);
    return () => { this.#stateListeners.delete(cb); };
  }

  #setState(state: ConnectionState, reason: string | null): void {
    if (this.#state === state && this.#reason === reason) return;
    this.#state = state;
    this.#reason = reason;
    for (const cb of this.#stateListeners) cb(state, reason);
  }

  #opened(): void {
    this.#setState('open', null);
    const queued = this.#queue;
    this.#queue = [];
    for (const { message, pending } of queued) {
      if (this.#transport.send(message)) this.#pending.set(message.id, pending);
      else this.#queue.push({ message, pending });
    }
    this.#startHeartbeat();
  }

  #closed(reason: string): void {
    this.#stopHeartbeat();
    // Requests in flight went to an engine that is gone: fail them rather than wait for the timeout.
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new ApiError('disconnected', `Engine connection lost: ${reason}`));
      this.#pending.delete(id);
    }
    this.#setState('closed', reason);
  }

  #receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if (typeof m.event === 'string') {
      const set = this.#listeners.get(m.event);
      if (!set) return;
      for (const cb of [...set]) {
        try { cb(m.data as never); } catch (err) { console.error(`hostwatch: ${m.event} listener failed`, err); }
      }
      return;
    }
    if (typeof m.id !== 'number') return;
    const pending = this.#pending.get(m.id);
    if (!pending) return;
    this.#pending.delete(m.id);
    clearTimeout(pending.timer);
    if ('error' in m && m.error) {
      const e = m.error as { code?: ErrorCode; message?: string };
      pending.reject(new ApiError(e.code ?? 'internal', e.message ?? 'The engine reported an error'));
    } else {
      pending.resolve(m.result);
    }
  }

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    this.#heartbeat = setInterval(() => {
      if (this.#state !== 'open') return;
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), HEARTBEAT_TIMEOUT_MS));
      void Promise.race([this.request('engine.info').then(() => 'ok' as const, () => 'ok' as const), timeout])
        .then((outcome) => {
          if (outcome === 'timeout' && this.#state === 'open') {
            this.#transport.reset('The engine stopped answering');
          }
        });
    }, HEARTBEAT_EVERY_MS);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }
}
