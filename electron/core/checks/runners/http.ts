/**
 * The HTTP(S) check runner: one request (and the redirects it leads to) through the check's context,
 * judged on the final status, the conditions, the response time, the TLS certificate and, for a health
 * endpoint, the dependencies it reports. See httpRunner.
 */
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls, { type SecureContext, type TLSSocket } from 'node:tls';
import type { Sample } from '../../../../shared/api.ts';
import {
  parseStatusRanges, type CheckCertificate, type CheckDependency, type HttpCheck, type RunStatus,
} from '../../../../shared/checks/index.ts';
import { formatBytes } from '../../../../shared/format.ts';
import { Attr } from '../../../../shared/metrics.ts';
import { CheckUnavailableError, RESPONSE_CAP_BYTES, excerptOf, type CheckContext, type CheckOutcome, type Runner } from '../runner.ts';
import { readBody, type BodyRead } from './http-body.ts';
import { failedCondition, show } from './http-conditions.ts';
import { judgeReadiness, parseReadiness, type Readiness } from './readiness.ts';
import { authorizationCode, certificateOf, untrustedReason } from './tls-info.ts';

export interface HttpRunnerOptions {
  /** Extra trusted CA certificates (PEM), on top of what Node trusts by default (`tls.getCACertificates('default')`). */
  readonly ca?: readonly string[];
}

/** The redirect status codes followed (RFC 9110 §15.4): 301, 302, 303, 307, 308 (not 300, 304, 305). */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Request headers that carry credentials, dropped on a redirect to another origin (as Fetch and curl do). */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];
/** Headers describing the request content, dropped when a 303 turns the request into a GET. */
const CONTENT_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding'];

const DAY_MS = 86_400_000;

/**
 * The runner of HTTP(S) checks (shared/checks/http.ts HttpCheck). One run:
 *
 * 1. Connects with `context.connect(host, port)` (port 80/443 unless the URL names one), for `https:`
 *    then does TLS over that socket itself with SNI, trusting Node's roots plus `options.ca`, but with
 *    `rejectUnauthorized: false`: the certificate is inspected and judged whatever it is. An untrusted,
 *    expired or misnamed certificate makes the run `down` before the request is sent (no headers or
 *    credentials go to a server that could not be verified), unless `ignoreTlsErrors`.
 * 2. Sends `method` with the spec's headers (plus Host, a User-Agent, `Accept-Encoding: gzip, deflate,
 *    br`, and Basic credentials from the URL's user info, unless set), and `body` if any.
 * 3. Follows redirects (RFC 9110 §15.4: 301, 302, 303, 307, 308 with a Location, resolved against the
 *    current URL) up to `maxRedirects`, each on a new connection; a 303 turns the request into a GET
 *    without a body (§15.4.4; HEAD stays HEAD); 301/302/307/308 repeat it as it was. Credentials
 *    (Authorization, Cookie) are not sent on to another origin. One redirect past `maxRedirects` is
 *    `down` ("more than 5 redirects"); with `maxRedirects` 0 no redirect is followed and the 3xx is the
 *    final status. The status judged is the final response's.
 * 4. Reads at most RESPONSE_CAP_BYTES of the body, on the wire and after decompression
 *    (gzip/deflate/br/zstd per Content-Encoding, §8.4), then closes the connection and judges what it
 *    read. The body is decoded as text by the charset of its Content-Type (UTF-8 by default).
 *
 * Judged in this order, the first failure giving the reason (`down`):
 * the connection ("connection refused", "no such host", "timed out after 2 s" at the context's signal);
 * the certificate's trust (above); its days to the earliest expiry of its chain below `tlsCriticalDays`
 * ("certificate expires in 2.0 days"); the dependencies of a health endpoint (`readiness`; "dependency
 * db is down: connection refused", then the endpoint's own status), before the HTTP status since they
 * say why it failed; the status against `acceptedStatus` ("status 503 is not in 200-299"); the
 * conditions in order; a readiness body that is not a health report. Then, `degraded`: days to expiry
 * below `tlsWarningDays`, a degraded dependency or endpoint status, and a run slower than
 * `degradedAboveSeconds` ("responded in 2.3 s, above 1 s", the whole run with redirects).
 *
 * Outcome: `durationSeconds` the whole run in seconds; `excerpt` the start of the final body as text
 * (null without a body); `details.statusCode`, `details.certificate` (the last TLS connection's,
 * times in ms since the epoch), `details.dependencies` (readiness, latencies in seconds). Metrics:
 * probe_http_status_code (0 without a response), probe_ssl_earliest_cert_expiry (seconds since the
 * epoch, when a certificate was seen), probe_dependency_success per dependency (1 up or degraded, else
 * 0; attribute `hostwatch.check.dependency`). Throws only CheckUnavailableError from `context.connect`.
 */
export function httpRunner(options: HttpRunnerOptions = {}): Runner<HttpCheck> {
  // One secure context for every run: building one from ~150 roots per connection costs milliseconds.
  // 'default' is what Node trusts on its own: its bundled roots and NODE_EXTRA_CA_CERTS.
  const secureContext = options.ca && options.ca.length > 0
    ? tls.createSecureContext({ ca: [...tls.getCACertificates('default'), ...options.ca] })
    : undefined;
  return (spec, context) => new HttpRun(spec, context, secureContext).run();
}

/** A header set keyed by lower-case name, keeping the name as written. */
type Headers = Map<string, [name: string, value: string]>;

function setDefault(headers: Headers, name: string, value: string): void {
  if (!headers.has(name.toLowerCase())) headers.set(name.toLowerCase(), [name, value]);
}

/** `seconds` as a person reads a timeout or a threshold: 2, 0.5, 1.25. */
function plainSeconds(seconds: number): string {
  return String(Number(seconds.toFixed(3)));
}

/** A measured time against a threshold, with enough decimals that it reads as above it: "2.3", "1.04". */
function measuredSeconds(seconds: number, threshold: number): string {
  for (let digits = 1; digits < 4; digits++) {
    const text = seconds.toFixed(digits);
    if (Number(text) > threshold) return text;
  }
  return seconds.toFixed(4);
}

/** The ranges as the reason shows them: "200-299,301". */
function rangesText(ranges: readonly [number, number][]): string {
  return ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(',');
}

/** Whether the signal's reason is a timeout (AbortSignal.timeout's DOMException, the scheduler's TimeoutError). */
function isTimeout(reason: unknown): boolean {
  return reason instanceof Error || reason instanceof DOMException ? reason.name === 'TimeoutError' : false;
}

/** A failed connection or exchange, in words. */
function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { reason?: unknown; library?: unknown };
  switch (e?.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_NODATA': return 'no such host';
    case 'EAI_AGAIN': return 'the host name could not be resolved (DNS did not answer)';
    case 'ETIMEDOUT': return 'connection timed out';
    case 'EHOSTUNREACH': return 'host unreachable';
    case 'ENETUNREACH': return 'network unreachable';
    case 'EPIPE': return 'connection closed by the server';
    case 'ECONNRESET':
      if (e.message === 'socket hang up') return 'connection closed without a response';
      if (e.message === 'connection closed before the body was complete') return e.message;
      return /TLS/.test(e.message) ? 'connection closed during the TLS handshake' : 'connection reset';
    case 'HPE_HEADER_OVERFLOW': return 'response headers are too large';
  }
  if (typeof e?.code === 'string' && e.code.startsWith('HPE_')) return `invalid HTTP response (${e.message})`;
  if (typeof e?.library === 'string' || (typeof e?.code === 'string' && e.code.startsWith('ERR_SSL_'))) {
    return `TLS handshake failed: ${typeof e.reason === 'string' ? e.reason : e.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Does TLS over `raw` (SNI for a name, not an address); resolves at the end of the handshake. */
function handshake(raw: Duplex, host: string, secureContext: SecureContext | undefined, signal: AbortSignal): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      socket: raw,
      host,
      ...(net.isIP(host) === 0 ? { servername: host } : {}),
      ...(secureContext ? { secureContext } : {}),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    });
  });
}

/** Sends the request on the connected `socket`; resolves with the response head. */
function send(socket: Duplex, url: URL, method: string, headers: Headers, body: string | null, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing: OutgoingHttpHeaders = {};
    for (const [name, value] of headers.values()) outgoing[name] = value;
    if (body !== null) outgoing[headers.get('content-length')?.[0] ?? 'Content-Length'] = Buffer.byteLength(body);
    const request = http.request({
      method,
      path: `${url.pathname}${url.search}` || '/',
      headers: outgoing,
      setHost: false,
      signal,
      createConnection: () => socket,
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end(body ?? undefined);
  });
}

class HttpRun {
  readonly #spec: HttpCheck;
  readonly #context: CheckContext;
  readonly #secureContext: SecureContext | undefined;
  readonly #started = performance.now();
  /** The last certificate seen (a redirect can lead to another TLS host). */
  #certificate: CheckCertificate | null = null;
  #statusCode: number | null = null;
  /** Connections opened, closed when the run ends whatever happened. */
  readonly #sockets: Duplex[] = [];

  constructor(spec: HttpCheck, context: CheckContext, secureContext: SecureContext | undefined) {
    this.#spec = spec;
    this.#context = context;
    this.#secureContext = secureContext;
  }

  async run(): Promise<CheckOutcome> {
    try {
      return await this.#run();
    } catch (error) {
      if (error instanceof CheckUnavailableError) throw error;
      const signal = this.#context.signal;
      if (signal.aborted) {
        const reason = isTimeout(signal.reason) || !(signal.reason instanceof Error)
          ? `timed out after ${plainSeconds(this.#context.timeoutMs / 1000)} s`
          : `stopped: ${signal.reason.message}`;
        return this.#outcome('down', reason);
      }
      return this.#outcome('down', describeError(error));
    } finally {
      // Outermost first: destroying a net.Socket and then the TLSSocket wrapping it crashes Node 24
      // (SIGSEGV); the other way round is fine.
      for (const socket of this.#sockets.reverse()) socket.destroy();
    }
  }

  async #run(): Promise<CheckOutcome> {
    const spec = this.#spec;
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      return this.#outcome('down', `${show(spec.url)} is not a valid URL`);
    }
    let method: string = spec.method;
    let body = spec.body;
    const headers: Headers = new Map();
    for (const [name, value] of Object.entries(spec.headers)) headers.set(name.toLowerCase(), [name, value]);
    setDefault(headers, 'Host', url.host);
    setDefault(headers, 'User-Agent', 'Hostwatch (service check)');
    setDefault(headers, 'Accept', '*/*');
    setDefault(headers, 'Accept-Encoding', 'gzip, deflate, br');
    if (url.username !== '' || url.password !== '') {
      const decode = (part: string) => { try { return decodeURIComponent(part); } catch { return part; } };
      const credentials = `${decode(url.username)}:${decode(url.password)}`;
      setDefault(headers, 'Authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
    }
    setDefault(headers, 'Connection', 'close');

    let response: IncomingMessage;
    for (let redirects = 0; ; redirects++) {
      this.#statusCode = null;
      const hop = await this.#exchange(url, method, headers, body);
      if ('untrusted' in hop) return this.#outcome('down', hop.untrusted);
      response = hop.response;
      const status = response.statusCode ?? 0;
      this.#statusCode = status;
      const location = response.headers.location;
      if (spec.maxRedirects === 0 || !REDIRECTS.has(status) || location === undefined) break;
      response.destroy();
      if (redirects >= spec.maxRedirects) {
        return this.#outcome('down', `more than ${spec.maxRedirects} redirect${spec.maxRedirects === 1 ? '' : 's'}`);
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return this.#outcome('down', `status ${status} redirects to an invalid address ${show(location)}`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return this.#outcome('down', `status ${status} redirects to a ${next.protocol.replace(/:$/, '')} address, not http(s)`);
      }
      if (status === 303 && method !== 'HEAD' && method !== 'GET') {
        method = 'GET';
        body = null;
        for (const name of CONTENT_HEADERS) headers.delete(name);
      }
      if (next.origin !== url.origin) {
        for (const name of CREDENTIAL_HEADERS) headers.delete(name);
        headers.set('host', [headers.get('host')?.[0] ?? 'Host', next.host]);
      }
      url = next;
    }

    const read = await readBody(response, RESPONSE_CAP_BYTES, this.#context.signal);
    return this.#judge(response, read);
  }

  /** One request on a new connection; `untrusted` with the reason when the certificate is refused. */
  async #exchange(url: URL, method: string, headers: Headers, body: string | null): Promise<{ response: IncomingMessage } | { untrusted: string }> {
    const https = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port !== '' ? Number(url.port) : https ? 443 : 80;
    let socket = await this.#context.connect(host, port);
    this.#sockets.push(socket);
    if (https) {
      const secure = await handshake(socket, host, this.#secureContext, this.#context.signal);
      this.#sockets.push(secure);
      this.#certificate = certificateOf(secure);
      const code = authorizationCode(secure);
      if (code !== null && !this.#spec.ignoreTlsErrors) return { untrusted: untrustedReason(code, host) };
      socket = secure;
    }
    return { response: await send(socket, url, method, headers, body, this.#context.signal) };
  }

  /** Judges the final response (see httpRunner for the order). */
  #judge(response: IncomingMessage, read: BodyRead): CheckOutcome {
    const spec = this.#spec;
    const text = decodeText(read.bytes, response.headers['content-type']);
    const excerpt = read.bytes.length > 0 ? excerptOf(text) : null;
    const cutNote = ` (only the first ${formatBytes(RESPONSE_CAP_BYTES)} was read)`;
    const status = this.#statusCode ?? 0;

    let readiness: Readiness | null = null;
    let readinessProblem: string | null = null;
    if (spec.readiness) {
      let json: unknown;
      let isJson = true;
      try { json = JSON.parse(text); } catch { isJson = false; }
      readiness = isJson ? parseReadiness(json) : null;
      if (!isJson) readinessProblem = `health response is not JSON${read.truncated ? cutNote : ''}`;
      else if (readiness === null) readinessProblem = 'health response has neither a status nor checks';
    }
    const dependencies = readiness?.dependencies;
    const done = (runStatus: RunStatus, reason: string) => this.#outcome(runStatus, reason, excerpt, dependencies);

    const expiry = this.#expiryJudgement();
    if (expiry?.status === 'down') return done('down', expiry.reason);
    const health = readiness === null ? null : judgeReadiness(readiness);
    if (health?.status === 'down') return done('down', health.reason);
    const ranges = parseStatusRanges(spec.acceptedStatus) ?? [[200, 299]];
    if (!ranges.some(([lo, hi]) => status >= lo && status <= hi)) {
      return done('down', `status ${status} is not in ${rangesText(ranges)}`);
    }
    const failed = failedCondition(spec.conditions, {
      headers: response.headers, text, truncated: read.truncated, cutNote, decodeError: read.decodeError,
    });
    if (failed !== null) return done('down', failed);
    if (readinessProblem !== null) return done('down', readinessProblem);

    if (expiry?.status === 'degraded') return done('degraded', expiry.reason);
    if (health?.status === 'degraded') return done('degraded', health.reason);
    const seconds = this.#elapsed();
    if (spec.degradedAboveSeconds !== null && seconds > spec.degradedAboveSeconds) {
      return done('degraded', `responded in ${measuredSeconds(seconds, spec.degradedAboveSeconds)} s, above ${plainSeconds(spec.degradedAboveSeconds)} s`);
    }
    return done('up', '');
  }

  /** The certificate's days to its chain's earliest expiry against the critical and warning days. */
  #expiryJudgement(): { status: RunStatus; reason: string } | null {
    if (this.#certificate === null) return null;
    const days = (this.#certificate.earliestExpiry - Date.now()) / DAY_MS;
    const reason = days < 0 ? `certificate expired ${(-days).toFixed(1)} days ago` : `certificate expires in ${days.toFixed(1)} days`;
    if (days < this.#spec.tlsCriticalDays) return { status: 'down', reason };
    if (days < this.#spec.tlsWarningDays) return { status: 'degraded', reason };
    return null;
  }

  #elapsed(): number {
    return (performance.now() - this.#started) / 1000;
  }

  #outcome(status: RunStatus, reason: string, excerpt: string | null = null, dependencies?: CheckDependency[]): CheckOutcome {
    const metrics: Sample[] = [{ metric: 'probe_http_status_code', attributes: {}, value: this.#statusCode ?? 0 }];
    const details: CheckOutcome['details'] = {};
    if (this.#statusCode !== null) details.statusCode = this.#statusCode;
    if (this.#certificate !== null) {
      details.certificate = this.#certificate;
      metrics.push({ metric: 'probe_ssl_earliest_cert_expiry', attributes: {}, value: this.#certificate.earliestExpiry / 1000 });
    }
    if (dependencies !== undefined) {
      details.dependencies = dependencies;
      for (const d of dependencies) {
        metrics.push({ metric: 'probe_dependency_success', attributes: { [Attr.dependency]: d.name }, value: d.status === 'down' ? 0 : 1 });
      }
    }
    return { status, reason, durationSeconds: this.#elapsed(), excerpt, details, metrics };
  }
}

/** `bytes` as text in the charset its Content-Type names (UTF-8 when none, or one TextDecoder does not know). */
function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch { /* an unknown label: UTF-8 */ }
  }
  return new TextDecoder('utf-8').decode(bytes);
}
