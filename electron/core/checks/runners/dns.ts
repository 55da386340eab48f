/**
 * The DNS check's runner: asks for one record type of one name, from this machine (node:dns: the
 * system's resolver, or a given server) or from the check's host (DNS over TCP through its SSH
 * connection, to a given server or the host's own resolver), and judges the response code and the
 * answers against what the check expects, the same way for both.
 */
import { randomInt } from 'node:crypto';
import { promises as dns } from 'node:dns';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { DnsCheck } from '../../../../shared/checks/index.ts';
import type { ScriptResult } from '../../scripts.ts';
import { abortedReason, CheckUnavailableError, excerptOf, formatSeconds, type CheckContext, type CheckOutcome, type Runner } from '../runner.ts';
import { decodeResponse, encodeQuery, exchangeOverTcp, type DnsResponse } from './dns-wire.ts';

type RecordType = DnsCheck['recordType'];

/**
 * The DNS runner (node:dns `promises.Resolver`, a new one per run, cancelled when the context aborts).
 * Answers as strings: addresses for A and AAAA, the name for CNAME, `priority exchange` for MX
 * (`10 mx.example.com`), each TXT record's chunks joined. Up when the response code is the expected one
 * and, for NOERROR, every expected answer is among the answers (in any order; names compared without
 * case or trailing dot, IPv6 addresses in canonical form) and there is at least one answer; degraded
 * when it answered slower than `degradedAboveSeconds`. details.answers and details.rcode when a
 * response came; metric probe_dns_answer_rrs (answers, count). Through a host's SSH connection (a
 * context `via` ssh, the spec's `from: host`) the query goes over TCP from the host instead (fromHost).
 * Throws only CheckUnavailableError (the host cannot be reached).
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
 * The query asked from the check's host, through its SSH connection: over TCP (dns-wire.ts, RFC 7766)
 * to `spec.server` (a name there is resolved on the host, by sshd) or to the first nameserver of the
 * host's /etc/resolv.conf. Judged like a query from here; `durationSeconds` of a response is the
 * exchange's, from sending the query to the whole response (not the SSH channel's opening); details
 * add facts: the server asked, and from where. Throws CheckUnavailableError when the host cannot be
 * reached.
 */
async function fromHost(spec: DnsCheck, context: CheckContext, started: number): Promise<CheckOutcome> {
  let facts: { name: string; value: string }[] = [];
  const down = (reason: string): CheckOutcome => ({
    status: 'down', reason, durationSeconds: (performance.now() - started) / 1000, excerpt: null,
    details: facts.length > 0 ? { facts } : {}, metrics: [],
  });
  const failed = (error: unknown, what: string): CheckOutcome => {
    if (error instanceof CheckUnavailableError) throw error;
    if (context.signal.aborted) return down(abortedReason(context));
    return down(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  };

  let server: { host: string; port: number } | null;
  if (spec.server !== null) {
    server = parseServer(spec.server);
    if (server === null) return down(`${spec.server} is not a server address (address or address:port)`);
  } else {
    let conf: ScriptResult;
    try {
      conf = await context.runScript('cat /etc/resolv.conf');
    } catch (error) {
      return failed(error, 'could not read the host\'s /etc/resolv.conf');
    }
    const address = firstNameserver(conf.stdout);
    if (address === null) {
      const complaint = conf.exitCode === 0 ? '' : conf.stderr.trim().split('\n')[0]?.slice(0, 200) ?? '';
      return down(complaint === '' ? 'the host has no nameserver in /etc/resolv.conf' : `could not read the host's /etc/resolv.conf: ${complaint}`);
    }
    server = { host: address, port: 53 };
  }
  const where = net.isIPv6(server.host) ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
  facts = [
    { name: 'Server', value: spec.server === null ? `${where} (the host's /etc/resolv.conf)` : where },
    { name: 'Asked from', value: 'the host, over TCP' },
  ];

  const question = { id: randomInt(0x10000), name: spec.query, type: spec.recordType };
  let query: Buffer;
  try {
    query = encodeQuery(question);
  } catch (error) {
    return failed(error, 'the query cannot be sent');
  }
  let stream: Duplex;
  try {
    stream = await connectWithin(context, server.host, server.port);
  } catch (error) {
    if (!(error instanceof CheckUnavailableError) && !context.signal.aborted && /connection refused/i.test(String(error))) {
      return down(`${where}: connection refused (nothing answers DNS over TCP there)`);
    }
    return failed(error, where);
  }
  const sent = performance.now();
  let response: DnsResponse;
  try {
    response = decodeResponse(await exchangeOverTcp(stream, query, context.signal), question);
  } catch (error) {
    return failed(error, where);
  }
  const outcome = judged(spec, response.answers, response.rcode, (performance.now() - sent) / 1000);
  return { ...outcome, details: { ...outcome.details, facts } };
}

/**
 * `context.connect(host, port)`, or a rejection with the signal's reason when it aborts first (the
 * SSH channel may take its time to open); a stream that opens after that is destroyed.
 */
function connectWithin(context: CheckContext, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const { signal } = context;
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    context.connect(host, port).then((stream) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) {
        stream.destroy();
        reject(signal.reason);
      } else {
        resolve(stream);
      }
    }, (error: unknown) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

/**
 * The first usable nameserver of a resolv.conf (resolv.conf(5), read as glibc does: a line starting
 * with `nameserver`, blanks, then the address up to a blank, `#` or `;`): an IPv4 or IPv6 address, the
 * latter with its zone id if any (`fe80::1%eth0`: a link-local server is reachable only through it).
 * Lines whose address does not parse are skipped. Null when there is none.
 */
export function firstNameserver(resolvConf: string): string | null {
  for (const line of resolvConf.split('\n')) {
    const value = /^nameserver[ \t]+([^\s#;]+)/.exec(line)?.[1];
    if (value === undefined) continue;
    if (net.isIPv4(value)) return value;
    const v6 = /^([0-9A-Fa-f:.]+)(?:%[A-Za-z0-9_.-]{1,64})?$/.exec(value);
    if (v6 && net.isIPv6(v6[1]!)) return value;
  }
  return null;
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
