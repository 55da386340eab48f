/**
 * Browser transport: one WebSocket to `/api` on the page's own host, authenticated by the token the
 * page was opened with (`?token=`). The token is kept in sessionStorage so a reload without the query
 * still works. Reconnects with exponential backoff (0.5 s doubling up to 10 s) after any close.
 */
import type { RequestMessage } from '../../../shared/api.ts';
import type { Transport, TransportHandlers } from './transport.ts';

const TOKEN_KEY = 'hostwatch.token';
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;

/** The API token: from the page URL's `?token=` (remembered) or from an earlier visit in this tab. */
export function pageToken(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
      // Keep the secret out of the address bar, bookmarks and screenshots; the cookie and this tab's
      // storage carry it from here on.
      const url = new URL(location.href);
      url.searchParams.delete('token');
      history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    } catch { /* storage disabled: keep the token in the URL */ }
    return fromUrl;
  }
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

export class WebSocketTransport implements Transport {
  #socket: WebSocket | null = null;
  #handlers: TransportHandlers | null = null;
  #backoff = MIN_BACKOFF_MS;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #url: string;

  constructor() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = pageToken();
    this.#url = `${scheme}//${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  }

  start(handlers: TransportHandlers): void {
    this.#handlers = handlers;
    this.#connect();
  }

  send(message: RequestMessage): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  reset(reason: string): void {
    const socket = this.#socket;
    if (!socket) return;
    this.#drop(socket, reason);
    socket.close();
  }

  #connect(): void {
    this.#timer = null;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#url);
    } catch (err) {
      this.#scheduleReconnect();
      this.#handlers?.onClose(err instanceof Error ? err.message : String(err));
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#backoff = MIN_BACKOFF_MS;
      this.#handlers?.onOpen();
    });
    socket.addEventListener('message', (ev: MessageEvent) => {
      if (this.#socket !== socket || typeof ev.data !== 'string') return;
      let message: unknown;
      try { message = JSON.parse(ev.data); } catch { return; }
      this.#handlers?.onMessage(message);
    });
    socket.addEventListener('close', (ev: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#drop(socket, ev.reason || (ev.code === 1008 ? 'Not authorised: open the link with its token again' : 'Connection to the engine closed'));
    });
  }

  /** Forgets `socket`, tells the client, and schedules the next attempt. */
  #drop(socket: WebSocket, reason: string): void {
    if (this.#socket !== socket) return;
    this.#socket = null;
    this.#scheduleReconnect();
    this.#handlers?.onClose(reason);
  }

  #scheduleReconnect(): void {
    if (this.#timer) return;
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
    this.#timer = setTimeout(() => this.#connect(), delay);
  }
}
