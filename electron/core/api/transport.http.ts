/**
 * The browser transport of `hostwatch serve`: an HTTP server that serves the built UI and a WebSocket
 * at /api carrying the API. Bound to 127.0.0.1 by default and guarded by a random token: the printed
 * URL carries it (`?token=…`), the first page load turns it into a SameSite=Strict cookie, and every
 * request, WebSocket included, without a valid token is refused. The Host and Origin headers are
 * checked too, so another site cannot reach the engine through the user's browser (DNS rebinding,
 * cross-site WebSocket).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { ReportFormat, ReportRequest } from '../../../shared/report.ts';
import type { ApiServer } from './server.ts';

/** Writes reports for `GET /report`: the engine's writeReport, bound to its sources. */
export interface ReportWriter {
  /** Media type and file extension of a format. */
  fileType(format: ReportFormat): { mime: string; extension: string };
  /**
   * Why this report cannot be made, or null; asked before any byte is sent. `not_found`: a host of the
   * request does not exist; `unavailable`: the format cannot be made now (no Chromium for a PDF).
   */
  refusal(request: ReportRequest, format: ReportFormat): { reason: 'not_found' | 'unavailable'; message: string } | null;
  write(request: ReportRequest, format: ReportFormat, out: Writable): Promise<void>;
}

/**
 * `/report?from=MS&to=MS&format=F&host=ID…[&sections=A,B][&progress=TOKEN]`: numbers arrive as text;
 * without `sections`, every section (an empty value: none).
 */
const ReportQuery = z.object({
  from: z.coerce.number().int().nonnegative(),
  to: z.coerce.number().int().nonnegative(),
  format: ReportFormat,
  hosts: z.array(z.string().max(200)).max(1000),
  sections: z.string().optional().transform((s) => s === undefined ? undefined : s === '' ? [] : s.split(',')),
  progress: z.string().optional(),
});

export interface HttpServerOptions {
  api: ApiServer;
  /** Folder of the built renderer (index.html and assets/). */
  staticDir: string;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
  /** The access token; default 32 random bytes, base64url. */
  token?: string;
  /** Serves report downloads at /report; without it /report is not found. */
  reports?: ReportWriter;
}

export interface HttpServer {
  /** The URL to open, token included: `http://127.0.0.1:PORT/?token=…`. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const COOKIE = 'hostwatch_token';
/** Largest message a client may send: requests are small; anything bigger is hostile. */
const MAX_MESSAGE_BYTES = 1 << 20;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Starts the server. Resolves once it listens; rejects if the address is taken or not allowed
 * (EADDRINUSE, EACCES) with the system's error.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const staticDir = normalize(options.staticDir);

  const hasToken = (req: IncomingMessage, url: URL): boolean => {
    const candidates = [url.searchParams.get('token'), readCookie(req.headers.cookie, COOKIE)];
    return candidates.some((c) => {
      if (!c) return false;
      const bytes = Buffer.from(c);
      return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
    });
  };

  let boundPort = 0;
  const allowedHost = (req: IncomingMessage): boolean => {
    const value = req.headers.host;
    if (!value) return false;
    const names = new Set([`127.0.0.1:${boundPort}`, `localhost:${boundPort}`, `[::1]:${boundPort}`, `${host}:${boundPort}`]);
    return names.has(value.toLowerCase());
  };

  const server = createServer((req, res) => {
    void serveHttp(req, res).catch((error: unknown) => {
      console.error('hostwatch: HTTP request failed:', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const serveHttp = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!allowedHost(req)) return reply(res, 421, 'Misdirected request: unknown Host header.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Method not allowed.\n');
    if (!hasToken(req, url)) {
      return reply(res, 401, 'Hostwatch needs its access token: open the URL that `hostwatch serve` printed.\n');
    }
    const headers: Record<string, string> = { ...SECURITY_HEADERS };
    if (url.searchParams.has('token')) {
      headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    if (url.pathname === '/report' && options.reports) return serveReport(options.reports, url, req, res, headers);
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(staticDir, relative));
    if (file !== staticDir && !file.startsWith(staticDir + sep)) return reply(res, 404, 'Not found.\n');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      return reply(res, 404, relative === 'index.html'
        ? 'The UI is not built: run `npm run build`.\n'
        : 'Not found.\n');
    }
    headers['Content-Type'] = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    headers['Content-Length'] = String(info.size);
    headers['Cache-Control'] = relative.startsWith('assets/') ? 'max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const sameOrigin = origin === undefined || origin === `http://${req.headers.host}`;
    if (url.pathname !== '/api' || !allowedHost(req) || !sameOrigin || !hasToken(req, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = options.api.connect((message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'text frames only');
        let message: unknown;
        try {
          message = JSON.parse(data.toString());
        } catch {
          return ws.close(1007, 'invalid JSON');
        }
        connection.receive(message);
      });
      ws.on('close', () => connection.close());
      ws.on('error', () => connection.close());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${boundPort}/?token=${token}`,
    port: boundPort,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A report as a download. Bad parameters get 400, an unknown host 404 and a format that cannot be made
 * now 503, each with the reason as text; a failure after the first byte can only cut the download short.
 */
async function serveReport(
  reports: ReportWriter, url: URL, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>,
): Promise<void> {
  const query = ReportQuery.safeParse({
    from: url.searchParams.get('from'), to: url.searchParams.get('to'), format: url.searchParams.get('format'),
    hosts: url.searchParams.getAll('host'), progress: url.searchParams.get('progress') ?? undefined,
    sections: url.searchParams.get('sections') ?? undefined,
  });
  if (!query.success) return reply(res, 400, `Invalid report request: ${z.prettifyError(query.error)}\n`);
  const request = ReportRequest.safeParse(query.data);
  if (!request.success) return reply(res, 400, `Invalid report request: ${z.prettifyError(request.error)}\n`);
  const { format } = query.data;
  const refusal = reports.refusal(request.data, format);
  if (refusal) return reply(res, refusal.reason === 'not_found' ? 404 : 503, `${refusal.message}\n`);
  const { mime, extension } = reports.fileType(format);
  const day = new Date(request.data.to).toISOString().slice(0, 10);
  res.writeHead(200, {
    ...headers,
    'Content-Type': mime,
    'Content-Disposition': `attachment; filename="hostwatch-report-${day}.${extension}"`,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') return void res.end();
  try {
    await reports.write(request.data, format, res);
  } catch (error) {
    console.error('hostwatch: writing a report failed:', error);
    res.destroy();
  }
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** The value of cookie `name` in a Cookie header, or null. */
function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
