/**
 * DNS messages on the wire (RFC 1035 §4.1, RFC 3596 for AAAA) and over TCP (RFC 1035 §4.2.2, RFC 7766:
 * each message behind a two-byte length), for DNS checks that run from a host through its SSH
 * connection, where only TCP goes. One question per query; the answers of its type decoded as the DNS
 * check shows them. Responses come from the network: every offset is bounds-checked and name
 * compression pointers may only point backwards, so a hostile message fails to parse instead of looping.
 */
import type { Duplex } from 'node:stream';

/** The record types a DNS check asks for, with their QTYPE numbers. */
export const QTYPE = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 } as const;
export type QueryType = keyof typeof QTYPE;

/** RCODEs (RFC 1035 §4.1.1, RFC 6895) by number. */
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'] as const;

/** A message that is not a well-formed DNS response to our query. */
export class DnsWireError extends Error {
  override name = 'DnsWireError';
}

/** The query for `name`'s records of `type`: header with `id` and RD set, one question, class IN. */
export function encodeQuery(id: number, name: string, type: QueryType): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l !== '');
  const parts: Buffer[] = [Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length > 63) throw new DnsWireError(`the label ${label.slice(0, 20)}… is longer than 63 bytes`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  const q = QTYPE[type];
  parts.push(Buffer.from([0, q >> 8, q & 0xff, 0, 1]));
  return Buffer.concat(parts);
}

/** A response: its RCODE by name (`RCODE5`… for others) and the answers of the asked type, as strings. */
export interface DnsResponse {
  rcode: string;
  answers: string[];
}

/**
 * Decodes the response to query `id` for records of `type`: A and AAAA as addresses, CNAME as the name,
 * MX as `priority exchange`, TXT with its chunks joined; names without the trailing dot. Answers of
 * other types (the CNAME chain before an A record) are skipped. Throws DnsWireError when the message is
 * truncated, is not a response, answers another id, or holds a malformed name.
 */
export function decodeResponse(message: Buffer, id: number, type: QueryType): DnsResponse {
  if (message.length < 12) throw new DnsWireError('the response is shorter than a DNS header');
  if (message.readUInt16BE(0) !== id) throw new DnsWireError('the response answers another query');
  const flags = message.readUInt16BE(2);
  if ((flags & 0x8000) === 0) throw new DnsWireError('the message is a query, not a response');
  const rcode = flags & 0x000f;
  const questions = message.readUInt16BE(4);
  const answerCount = message.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < questions; i++) offset = readName(message, offset).end + 4;
  const answers: string[] = [];
  for (let i = 0; i < answerCount; i++) {
    const owner = readName(message, offset);
    offset = owner.end;
    need(message, offset, 10);
    const rrType = message.readUInt16BE(offset);
    const length = message.readUInt16BE(offset + 8);
    const data = offset + 10;
    need(message, data, length);
    offset = data + length;
    if (rrType === QTYPE[type]) answers.push(rdata(message, data, length, type));
  }
  return { rcode: RCODES[rcode] ?? `RCODE${rcode}`, answers };
}

function need(message: Buffer, offset: number, bytes: number): void {
  if (offset + bytes > message.length) throw new DnsWireError('the response is cut short');
}

/** One record's data, as the check shows it. */
function rdata(message: Buffer, at: number, length: number, type: QueryType): string {
  switch (type) {
    case 'A':
      if (length !== 4) throw new DnsWireError('an A record is not 4 bytes');
      return [...message.subarray(at, at + 4)].join('.');
    case 'AAAA': {
      if (length !== 16) throw new DnsWireError('an AAAA record is not 16 bytes');
      const groups = Array.from({ length: 8 }, (_, i) => message.readUInt16BE(at + 2 * i).toString(16));
      // The canonical text form (RFC 5952), as node:dns gives it: URL parsing compresses it.
      return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
    }
    case 'CNAME': return readName(message, at).name;
    case 'MX': {
      if (length < 3) throw new DnsWireError('an MX record is cut short');
      return `${message.readUInt16BE(at)} ${readName(message, at + 2).name}`;
    }
    case 'TXT': {
      const chunks: string[] = [];
      for (let p = at; p < at + length;) {
        const size = message[p]!;
        if (p + 1 + size > at + length) throw new DnsWireError('a TXT record is cut short');
        chunks.push(message.subarray(p + 1, p + 1 + size).toString('utf8'));
        p += 1 + size;
      }
      return chunks.join('');
    }
  }
}

/**
 * The name at `offset` (RFC 1035 §4.1.4 compression: a pointer goes to an earlier offset only) and the
 * offset right after it in the message. At most 255 bytes of name.
 */
function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  let end = -1;
  let size = 0;
  for (;;) {
    need(message, at, 1);
    const len = message[at]!;
    if ((len & 0xc0) === 0xc0) {
      need(message, at, 2);
      const target = ((len & 0x3f) << 8) | message[at + 1]!;
      if (end < 0) end = at + 2;
      if (target >= at) throw new DnsWireError('a name points forwards (a compression loop)');
      at = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsWireError('a name has an unknown label type');
    if (len === 0) {
      if (end < 0) end = at + 1;
      return { name: labels.join('.'), end };
    }
    need(message, at + 1, len);
    size += len + 1;
    if (size > 255) throw new DnsWireError('a name is longer than 255 bytes');
    labels.push(message.subarray(at + 1, at + 1 + len).toString('latin1'));
    at += 1 + len;
  }
}

/**
 * Sends `query` over `stream` (TCP: two-byte length first) and resolves with the response message.
 * Rejects with DnsWireError when the peer closes first or sends nothing that fits, with the signal's
 * reason when it aborts. Reads at most one message (≤ 65,535 bytes).
 */
export function exchangeOverTcp(stream: Duplex, query: Buffer, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const done = (error: Error | null, message?: Buffer) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
      if (error) reject(error);
      else resolve(message!);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (length < 12) return done(new DnsWireError(`the server sent a ${length}-byte message, too short for DNS`));
      if (buffered.length >= 2 + length) done(null, buffered.subarray(2, 2 + length));
    };
    const onEnd = () => done(new DnsWireError('the server closed the connection without an answer'));
    const onError = (error: Error) => done(new DnsWireError(`the connection failed: ${error.message}`));
    const onAbort = () => done(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(query.length);
    stream.write(Buffer.concat([length, query]));
  });
}

/**
 * The first usable `nameserver` of a resolv.conf (resolv.conf(5)): an IPv4 or IPv6 address (a zone id
 * dropped), or null when there is none.
 */
export function firstNameserver(resolvConf: string): string | null {
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+([0-9A-Fa-f.:]+)(?:%\S+)?\s*(?:[#;].*)?$/.exec(line);
    if (m) return m[1]!;
  }
  return null;
}
