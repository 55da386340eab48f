/**
 * Desktop transport: a MessagePort straight to the engine's utility process. The preload hands each
 * port to the page with `window.postMessage({ type: 'hostwatch:port' }, '*', [port])`; a later port
 * means the engine restarted, and the transport switches to it. A MessagePort has no reliable close
 * event, so a dead engine is noticed by the client's heartbeat (see client.ts) and the transport then
 * waits for the next port.
 *
 * Start-up handshake: on start the transport posts `{ type: 'hostwatch:port-request' }` to the window;
 * the preload passes the request to main, which answers with a fresh port. So no port is posted before
 * the page listens, and a reload gets its own port.
 */
import type { RequestMessage } from '../../../shared/api.ts';
import type { Transport, TransportHandlers } from './transport.ts';

export class MessagePortTransport implements Transport {
  #port: MessagePort | null = null;
  #handlers: TransportHandlers | null = null;

  start(handlers: TransportHandlers): void {
    this.#handlers = handlers;
    window.addEventListener('message', (ev: MessageEvent) => {
      if (ev.source !== window) return;
      const data: unknown = ev.data;
      if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== 'hostwatch:port') return;
      const port = ev.ports[0];
      if (port) this.#adopt(port);
    });
    // The page listens now: ask main (through the preload) for a port.
    window.postMessage({ type: 'hostwatch:port-request' }, '*');
  }

  send(message: RequestMessage): boolean {
    if (!this.#port) return false;
    this.#port.postMessage(message);
    return true;
  }

  reset(reason: string): void {
    if (!this.#port) return;
    this.#port.close();
    this.#port = null;
    this.#handlers?.onClose(reason);
  }

  #adopt(port: MessagePort): void {
    const old = this.#port;
    if (old) {
      old.close();
      this.#port = null;
      this.#handlers?.onClose('The engine restarted');
    }
    this.#port = port;
    port.addEventListener('message', (ev: MessageEvent) => {
      if (this.#port !== port) return;
      let message: unknown = ev.data;
      if (typeof message === 'string') {
        try { message = JSON.parse(message); } catch { return; }
      }
      this.#handlers?.onMessage(message);
    });
    port.start();
    this.#handlers?.onOpen();
  }
}
