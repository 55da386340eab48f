/**
 * The API server: one implementation of the contract in shared/api.ts, shared by every transport.
 * A transport (MessagePort in the app, WebSocket in `hostwatch serve`) opens a connection with a
 * `send` function and feeds it the messages it receives; the server validates each request, runs
 * its handler and answers, and pushes every engine event to every open connection.
 */
import { z } from 'zod';
import { methods } from '../../../shared/api.ts';
import type { ErrorCode, EventMessage, MethodName, ResponseMessage } from '../../../shared/api.ts';
import type { Engine } from '../engine.ts';
import { InvalidRequestError, NotFoundError } from '../store/errors.ts';
import { handlers } from './handlers.ts';

/** One client's connection. */
export interface ApiConnection {
  /** Handles one message from the client (any value: it is validated here). */
  receive(message: unknown): void;
  /** Stops event delivery to this client. */
  close(): void;
}

const RequestEnvelope = z.object({
  id: z.number().int(),
  method: z.string(),
  params: z.unknown().optional(),
});

/** Dispatches requests to handlers and fans engine events out to connections. */
export class ApiServer {
  readonly #engine: Engine;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /**
   * Opens a connection. `send` receives responses and events as plain JSON-serialisable objects;
   * it must not throw (a transport whose peer is gone should drop the message).
   */
  connect(send: (message: ResponseMessage | EventMessage) => void): ApiConnection {
    const unsubscribe = this.#engine.onEvent(send);
    return {
      receive: (message) => {
        void this.#handle(message).then((response) => {
          if (response) send(response);
        });
      },
      close: unsubscribe,
    };
  }

  /** Answers one request; returns undefined for a message too malformed to answer (no id). */
  async #handle(message: unknown): Promise<ResponseMessage | undefined> {
    const envelope = RequestEnvelope.safeParse(message);
    if (!envelope.success) {
      const id = typeof message === 'object' && message !== null && 'id' in message ? message.id : undefined;
      if (typeof id !== 'number') return undefined;
      return failure(id, 'bad_request', 'A request is { id, method, params }');
    }
    const { id, method } = envelope.data;
    if (!Object.hasOwn(methods, method)) {
      return failure(id, 'unknown_method', `Unknown method: ${method}`);
    }
    const name = method as MethodName;
    const params = methods[name].params.safeParse(envelope.data.params);
    if (!params.success) {
      return failure(id, 'bad_request', `Invalid params for ${name}: ${z.prettifyError(params.error)}`);
    }
    try {
      const handler = handlers[name] as (engine: Engine, params: unknown) => unknown;
      const result = await handler(this.#engine, params.data);
      return { id, result: result ?? null };
    } catch (error) {
      if (error instanceof NotFoundError) return failure(id, 'not_found', error.message);
      if (error instanceof InvalidRequestError) return failure(id, 'bad_request', error.message);
      if (error instanceof z.ZodError) return failure(id, 'bad_request', z.prettifyError(error));
      console.error(`hostwatch: ${name} failed:`, error);
      return failure(id, 'internal', error instanceof Error ? error.message : String(error));
    }
  }
}

function failure(id: number, code: ErrorCode, message: string): ResponseMessage {
  return { id, error: { code, message } };
}
