/**
 * What the API client needs from a transport: a way to send one JSON message and to be told about
 * messages, opening and closing. The client owns ids, pending requests and reconnection policy; a
 * transport only moves messages.
 */
import type { RequestMessage } from '../../../shared/api.ts';

export interface TransportHandlers {
  /** The transport can carry messages now (a socket opened, a port arrived). */
  onOpen(): void;
  /** One decoded message from the engine. */
  onMessage(message: unknown): void;
  /** The link is gone; `reason` is for the user. The transport reconnects on its own. */
  onClose(reason: string): void;
}

export interface Transport {
  /** Starts connecting; calls the handlers from then on. */
  start(handlers: TransportHandlers): void;
  /** Sends a request; false when the link is not open (the client then fails the request). */
  send(message: RequestMessage): boolean;
  /** Drops the current link because it seems dead (no answer to a heartbeat); reconnects. */
  reset(reason: string): void;
}
