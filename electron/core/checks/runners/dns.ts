/**
 * The DNS check's runner: asks the system's resolver (the servers of /etc/resolv.conf, through c-ares)
 * or a given server for one record type of one name, and compares the response code and the answers
 * with what the check expects.
 */
import { promises as dns } from 'node:dns';
import net from 'node:net';
import type { DnsCheck } from '../../../../shared/checks/index.ts';
import { randomInt } from 'node:crypto';
import { abortedReason, CheckUnavailableError, excerptOf, formatSeconds, type CheckContext, type CheckOutcome, type Runner } from '../runner.ts';
import { DnsWireError, decodeResponse, encodeQuery, exchangeOverTcp, firstNameserver } from './dns-wire.ts';

type RecordType = DnsCheck['recordType'];

/**
 * The DNS runner (node:dns `promises.Resolver`, a new one per run, cancelled when the context aborts).
 * Answers as strings: addresses for A and AAAA, the name for CNAME, `priority exchange` for MX
 * (`10 mx.example.com`), each TXT record's chunks joined. Up when the response code is the expected one
 * and, for NOERROR, every expected answer is among the answers (in any order; names compared without
 * case or trailing dot, IPv6 addresses in canonical form) and there is at least one answer; degraded
 * when it answered slower than `degradedAboveSeconds`. details.answers and details.rcode when a
 * response came; metric probe_dns_answer_rrs (answers, count). Through a host's SSH connection (a
 * context `via` ssh) the query goes over TCP from the host (fromHost).
 */
export function dnsRunner(): Runner<DnsCheck> {
  return async (spec, context) => {
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const down = (reason: string): CheckOutcome =>
      ({ status: 'down', reason, durationSeconds: elapsed(), excerpt: null, details: {}, metrics: [] });
    if (context.signal.aborted) return down(abortedReason(context));
    if (context.via === 'ssh') return fromHost(spec, context, started);

    const resolver = new dns.Resolver({ timeout: Math.max(1, Math.ceil(context.timeoutMs)), tries: 1 });
    const onAbort = () => resolver.cancel();
    context.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (spec.server !== null) {
        const server = parseServer(spec.server);
        if (server === null) return down(`${spec.server} is not a server address (address or address:port)`);
        let address = server.host;
        if (net.isIP(address) === 0) {
          try {
            address = await withSignal(dns.lookup(address).then((found) => found.address), context.signal);
          } catch (error) {
            if (context.signal.aborted) return down(abortedReason(context));
            const code = (error as NodeJS.ErrnoException).code;
            return down(code === 'ENOTFOUND' ? `no such host: ${server.host}` : `could not look up ${server.host}: ${code ?? String(error)}`);
          }
        }
        const isV6 = net.isIPv6(address);
        resolver.setServers([server.port === 53 ? address : isV6 ? `[${address}]:${server.port}` : `${address}:${server.port}`]);
      }

      let answers: string[];
      let rcode: string;
      try {
        answers = await query(resolver, spec.query, spec.recordType);
        rcode = 'NOERROR';
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        // ETIMEOUT: the resolver's own timeout (the check's), just before the signal's.
        if (context.signal.aborted || code === 'ETIMEOUT' || code === 'ECANCELLED') return down(abortedReason(context));
        const mapped = RCODE_OF_ERROR[code];
        if (mapped === undefined) return down(ERROR_REASONS[code] ?? (error instanceof Error ? error.message : String(error)));
        answers = [];
        rcode = mapped;
      }
      return judged(spec, answers, rcode, elapsed());
    } finally {
      context.signal.removeEventListener('abort', onAbort);
      resolver.cancel();
    }
  };
}

/**
 * What a response says against what the check expects: down for another response code, a missing
 * expected answer or (NOERROR) no answer at all; degraded when slower than `degradedAboveSeconds`.
 */
function judged(spec: DnsCheck, answers: string[], rcode: string, durationSeconds: number): CheckOutcome {
  const outcome = (status: CheckOutcome['status'], reason: string): CheckOutcome => ({
    status, reason, durationSeconds,
    excerpt: answers.length > 0 ? excerptOf(answers.join('\n')) : null,
    details: { answers, rcode },
    metrics: [{ metric: 'probe_dns_answer_rrs', attributes: {}, value: answers.length }],
  });
  if (rcode !== spec.expectRcode) return outcome('down', `expected ${spec.expectRcode}, got ${rcode}`);
  if (rcode === 'NOERROR') {
    const got = new Set(answers.map((a) => normalized(spec.recordType, a)));
    const missing = spec.expect.filter((e) => !got.has(normalized(spec.recordType, e)));
    if (missing.length > 0) return outcome('down', `expected ${missing.join(', ')}, got ${answers.length > 0 ? answers.join(', ') : 'no answers'}`);
    if (answers.length === 0) return outcome('down', `no ${spec.recordType} records`);
  }
  if (spec.degradedAboveSeconds !== null && durationSeconds > spec.degradedAboveSeconds) {
    return outcome('degraded', `answered in ${formatSeconds(durationSeconds)}, above ${spec.degradedAboveSeconds} s`);
  }
  return outcome('up', '');
}

/**
 * The query asked from the check's host, through its SSH connection: over TCP (dns-wire.ts) to
 * `spec.server`, or to the first nameserver of the host's /etc/resolv.conf. The time is the query's,
 * from the connection on. Throws CheckUnavailableError when the host cannot be reached.
 */
async function fromHost(spec: DnsCheck, context: CheckContext, started: number): Promise<CheckOutcome> {
  const down = (reason: string): CheckOutcome =>
    ({ status: 'down', reason, durationSeconds: (performance.now() - started) / 1000, excerpt: null, details: {}, metrics: [] });
  let server: { host: string; port: number } | null;
  if (spec.server !== null) {
    server = parseServer(spec.server);
    if (server === null) return down(`${spec.server} is not a server address (address or address:port)`);
  } else {
    const conf = await context.runScript('cat /etc/resolv.conf');
    const address = firstNameserver(conf.stdout);
    if (address === null) return down('the host has no nameserver in /etc/resolv.conf');
    server = { host: address, port: 53 };
  }
  const id = randomInt(0x10000);
  const queryStart = performance.now();
  try {
    const stream = await context.connect(server.host, server.port);
    const message = await exchangeOverTcp(stream, encodeQuery(id, spec.query, spec.recordType), context.signal);
    const { rcode, answers } = decodeResponse(message, id, spec.recordType);
    return judged(spec, answers, rcode, (performance.now() - queryStart) / 1000);
  } catch (error) {
    if (error instanceof CheckUnavailableError) throw error;
    if (context.signal.aborted) return down(abortedReason(context));
    const where = `${server.host}:${server.port}`;
    if (error instanceof DnsWireError) return down(`${where}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    return down(`${where}: ${code === 'ECONNREFUSED' ? 'connection refused (nothing answers DNS over TCP there)' : error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The response code a failed query had, from node:dns error codes (c-ares' status codes, see
 * https://nodejs.org/api/dns.html#error-codes): ENOTFOUND is NXDOMAIN, ENODATA a NOERROR response
 * without answers of the type, ESERVFAIL SERVFAIL, EREFUSED REFUSED, EFORMERR FORMERR, ENOTIMP NOTIMP.
 * The other codes (ETIMEOUT, ECONNREFUSED, EBADRESP, ECANCELLED…) mean there was no usable response.
 */
const RCODE_OF_ERROR: Readonly<Record<string, string>> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NOERROR',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  EFORMERR: 'FORMERR',
  ENOTIMP: 'NOTIMP',
};

/** The reasons of node:dns errors without a response. */
const ERROR_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (nothing answers DNS there)',
  EBADRESP: 'the server sent a malformed response',
  EBADNAME: 'not a valid DNS name',
};

/** The answers to `name`'s records of `type`, as strings (see dnsRunner). */
async function query(resolver: dns.Resolver, name: string, type: RecordType): Promise<string[]> {
  switch (type) {
    case 'A': return resolver.resolve4(name);
    case 'AAAA': return resolver.resolve6(name);
    case 'CNAME': return resolver.resolveCname(name);
    case 'MX': return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`);
    case 'TXT': return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}

/** An answer in the form answers are compared in: names without case or trailing dot, IPv6 canonical. */
function normalized(type: RecordType, answer: string): string {
  const text = answer.trim();
  const name = (n: string) => n.toLowerCase().replace(/\.$/, '');
  switch (type) {
    case 'A': return text;
    case 'AAAA':
      try {
        return new URL(`http://[${text}]/`).hostname;
      } catch {
        return text.toLowerCase();
      }
    case 'CNAME': return name(text);
    case 'MX': {
      const m = /^(\d+)\s+(\S+)$/.exec(text);
      return m ? `${Number(m[1])} ${name(m[2]!)}` : name(text);
    }
    case 'TXT': return answer;
  }
}

/**
 * A DNS server as the check names it: `address`, `address:port`, `[v6]`, `[v6]:port` or a bare IPv6
 * address (several colons, port 53). The host may be a name (looked up by the caller). Null if malformed.
 */
export function parseServer(text: string): { host: string; port: number } | null {
  let host: string;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    if (!net.isIPv6(host)) return null;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (text.split(':').length > 2) {
    if (!net.isIPv6(text)) return null;
    host = text;
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(text);
    if (!m) return null;
    host = m[1]!;
    if (m[2] !== undefined) port = Number(m[2]);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535 || host === '') return null;
  return { host, port };
}

/** `promise`, or a rejection with the signal's reason when it aborts first. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
