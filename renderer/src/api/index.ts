/**
 * The renderer's API client, on the transport that fits where it runs: the preload's MessagePort in
 * the desktop app (`window.hostwatch.desktop`), a WebSocket to `hostwatch serve` in a browser.
 */
import { ApiClient } from './client.ts';
import { MessagePortTransport } from './transport.port.ts';
import { WebSocketTransport } from './transport.ws.ts';

export { ApiClient, ApiError } from './client.ts';
export type { ConnectionState } from './client.ts';

export const isDesktop = window.hostwatch?.desktop === true;

export const client = new ApiClient(isDesktop ? new MessagePortTransport() : new WebSocketTransport());

/** The message of any thrown value, for showing to the user. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
