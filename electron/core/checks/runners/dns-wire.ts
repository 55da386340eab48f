/**
 * DNS messages on the wire (RFC 1035 §4.1, RFC 3596 for AAAA) and their exchange over TCP (RFC 1035
 * §4.2.2, RFC 7766 §8: each message behind a two-byte length), for DNS checks that run from a host
 * through its SSH connection, where only TCP goes. A query asks one question; a response's answers of
 * the asked type come out as node:dns (c-ares) gives them, so both ways of running a check judge the
 * same strings. Responses come from the network: every read is bounds-checked, a name's compression
 * pointers may only go back before where the name started (as c-ares and BIND require), so a hostile
 * message fails with DnsWireError instead of looping or reading outside the message.
 */
import type { Duplex } from 'node:stream';

/** The record types a DNS check asks for, with their TYPE numbers (RFC 1035 §3.2.2, RFC 3596 §2.1). */
export const QTYPE = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 } as const;
export type QueryType = keyof typeof QTYPE;

/** The largest DNS message TCP can carry: its length is a 16-bit number (RFC 1035 §4.2.2). */
export const TCP_MESSAGE_MAX_BYTES = 65_535;

const HEADER_BYTES = 12;
const CLASS_IN = 1;
/** RCODEs 0–5 by number (RFC 1035 §4.1.1); others are shown as `RCODEn`. */
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'] as const;
/** Characters c-ares escapes with a backslash in a name it decodes (ares_dns_mapping.c, is_reservedch). */
const RESERVED = new Set(['"', '.', ';', '\\', '(', ')', '@', '$']);

/**
 * A DNS exchange that failed on the wire: a name that cannot be asked, a response that is malformed,
 * cut short or not the answer to our query, or a connection that ended without one. The message says
 * why in a person's words.
 */
export class DnsWireError extends Error {
  override name = 'DnsWireError';
}

/** One question: the message id (0–65535), a DNS name (a trailing dot allowed) and the record type. */
export interface DnsQuestion {
  readonly id: number;
  readonly name: string;
  readonly type: QueryType;
}

/**
 * The query message for `question`: a header with its id and RD (recursion desired) set, and the one
 * question, class IN. Throws DnsWireError when the name has an empty label, a label over 63 bytes or
 * is over 255 bytes on the wire (RFC 1035 §2.3.4).
 */
export function encodeQuery(question: DnsQuestion): Buffer {
  const trimmed = question.name.replace(/\.$/, '');
  const labels = trimmed === '' ? [] : trimmed.split('.');
  const parts: Buffer[] = [Buffer.from([question.id >> 8, question.id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])];
  let size = 1;
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length === 0 || bytes.length > 63) throw new DnsWireError(`${question.name} is not a valid DNS name (labels have 1 to 63 characters)`);
    size += 1 + bytes.length;
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  if (size > 255) throw new DnsWireError(`${question.name} is not a valid DNS name (longer than 255 bytes)`);
  const type = QTYPE[question.type];
  parts.push(Buffer.from([0, type >> 8, type & 0xff, 0, CLASS_IN]));
  return Buffer.concat(parts);
}

/** What a response says: its RCODE by name (`NXDOMAIN`, `RCODE9` for one without a name here) and the answers. */
export interface DnsResponse {
  rcode: string;
  answers: string[];
}

/**
 * Decodes `message`, the response to `question`, as node:dns shows answers: A and AAAA as addresses
 * (AAAA in inet_ntop's form: zeros compressed, an IPv4-mapped address dotted), CNAME as the name, MX as
 * `priority exchange`, TXT with its chunks joined (bytes as Latin-1, as node:dns gives them); names
 * without the trailing dot, with `\.`-style and `\DDD` escapes for odd bytes like c-ares. Only records
 * of class IN owned by the asked name or an alias of it (a CNAME chain in the answer) count; other
 * records are skipped. Throws DnsWireError when the message is shorter than a header or cut short, is
 * not a response, answers another id or question, is marked truncated, or holds a malformed name or
 * record.
 */
export function decodeResponse(message: Buffer, question: DnsQuestion): DnsResponse {
  if (message.length < HEADER_BYTES) throw new DnsWireError(`the response (${message.length} bytes) is shorter than a DNS header`);
  const id = message.readUInt16BE(0);
  if (id !== question.id) throw new DnsWireError(`the response answers another query (id ${id}, not ${question.id})`);
  const flags = message.readUInt16BE(2);
  if ((flags & 0x8000) === 0) throw new DnsWireError('the server sent a query, not a response');
  const opcode = (flags >> 11) & 0xf;
  if (opcode !== 0) throw new DnsWireError(`the response is not to a standard query (opcode ${opcode})`);
  if ((flags & 0x0200) !== 0) throw new DnsWireError('the server marked its response truncated');
  const rcode = flags & 0x000f;
  const questions = message.readUInt16BE(4);
  const answerCount = message.readUInt16BE(6);

  let offset = HEADER_BYTES;
  const asked = question.name.replace(/\.$/, '').toLowerCase();
  // A response may leave the question out (some servers do for FORMERR); one it has must be ours.
  if (questions > 1) throw new DnsWireError(`the response has ${questions} questions, the query had one`);
  if (questions === 1) {
    const name = readName(message, offset);
    need(message, name.end, 4);
    const type = message.readUInt16BE(name.end);
    if (name.text.toLowerCase() !== asked || type !== QTYPE[question.type] || message.readUInt16BE(name.end + 2) !== CLASS_IN) {
      throw new DnsWireError(`the response answers another question (${name.text || '.'}, type ${type})`);
    }
    offset = name.end + 4;
  }

  const owners = new Set([asked]);
  const answers: string[] = [];
  for (let i = 0; i < answerCount; i++) {
    const owner = readName(message, offset);
    need(message, owner.end, 10);
    const type = message.readUInt16BE(owner.end);
    const rrClass = message.readUInt16BE(owner.end + 2);
    const length = message.readUInt16BE(owner.end + 8);
    const data = owner.end + 10;
    need(message, data, length);
    offset = data + length;
    if (rrClass !== CLASS_IN || !owners.has(owner.text.toLowerCase())) continue;
    if (type === QTYPE.CNAME) {
      const alias = recordName(message, data, length);
      owners.add(alias.toLowerCase());
      if (question.type === 'CNAME') answers.push(alias);
    } else if (question.type !== 'CNAME' && type === QTYPE[question.type]) {
      answers.push(rdata(message, data, length, question.type));
    }
  }
  return { rcode: RCODES[rcode] ?? `RCODE${rcode}`, answers };
}

/** Throws DnsWireError unless `bytes` bytes from `offset` are inside `message`. */
function need(message: Buffer, offset: number, bytes: number): void {
  if (offset + bytes > message.length) throw new DnsWireError('the response is cut short');
}

/** The data of one record of `type` at `at` (`length` bytes), as the check shows it. */
function rdata(message: Buffer, at: number, length: number, type: Exclude<QueryType, 'CNAME'>): string {
  switch (type) {
    case 'A':
      if (length !== 4) throw new DnsWireError(`an A record has ${length} bytes, not 4`);
      return [...message.subarray(at, at + 4)].join('.');
    case 'AAAA':
      if (length !== 16) throw new DnsWireError(`an AAAA record has ${length} bytes, not 16`);
      return ipv6Text(message.subarray(at, at + 16));
    case 'MX':
      if (length < 3) throw new DnsWireError('an MX record is cut short');
      return `${message.readUInt16BE(at)} ${recordName(message, at + 2, length - 2)}`;
    case 'TXT': {
      const chunks: string[] = [];
      for (let p = at; p < at + length;) {
        const size = message[p]!;
        if (p + 1 + size > at + length) throw new DnsWireError('a TXT record is cut short');
        chunks.push(message.subarray(p + 1, p + 1 + size).toString('latin1'));
        p += 1 + size;
      }
      return chunks.join('');
    }
  }
}

/** The name that is a record's data at `at`, which must end inside the record's `length` bytes. */
function recordName(message: Buffer, at: number, length: number): string {
  const name = readName(message, at);
  if (name.end > at + length) throw new DnsWireError('a name runs past the end of its record');
  return name.text;
}

/**
 * The name at `offset` (RFC 1035 §4.1.4: labels, ending with a zero byte or a pointer to an earlier
 * occurrence) as text, and the offset right after it where the message goes on. A pointer must go
 * before the earliest byte of the name read so far, so every jump goes back and reading ends.
 */
function readName(message: Buffer, offset: number): { text: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  let earliest = offset;
  let end = -1;
  let size = 1;
  for (;;) {
    need(message, at, 1);
    const length = message[at]!;
    if ((length & 0xc0) === 0xc0) {
      need(message, at, 2);
      const target = ((length & 0x3f) << 8) | message[at + 1]!;
      if (target >= earliest) throw new DnsWireError('a name in the response points forwards (a compression loop)');
      if (end < 0) end = at + 2;
      at = earliest = target;
      continue;
    }
    if ((length & 0xc0) !== 0) throw new DnsWireError('a name in the response has an unknown label type');
    if (length === 0) return { text: labels.join('.'), end: end < 0 ? at + 1 : end };
    need(message, at + 1, length);
    size += 1 + length;
    if (size > 255) throw new DnsWireError('a name in the response is longer than 255 bytes');
    labels.push(labelText(message.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
}

/** A label's bytes as c-ares writes them: `\DDD` outside printable ASCII, a backslash before reserved characters. */
function labelText(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    if (byte < 0x20 || byte > 0x7e) text += `\\${String(byte).padStart(3, '0')}`;
    else text += RESERVED.has(char) ? `\\${char}` : char;
  }
  return text;
}

/**
 * An IPv6 address's 16 bytes as inet_ntop(3) writes them (the form node:dns gives, through libuv):
 * lowercase hex groups, the first longest run of two or more zero groups as `::`, and the last 32
 * bits dotted for IPv4-compatible (`::1.2.3.4`) and IPv4-mapped (`::ffff:1.2.3.4`) addresses.
 */
export function ipv6Text(bytes: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = { base: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length) best = { base: i, length: j - i };
    i = j;
  }
  if (best.length < 2) best = { base: -1, length: 0 };
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (best.base >= 0 && i >= best.base && i < best.base + best.length) {
      if (i === best.base) text += ':';
      continue;
    }
    if (i !== 0) text += ':';
    if (i === 6 && best.base === 0 && (best.length === 6 || (best.length === 5 && words[5] === 0xffff))) {
      return `${text}${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
    }
    text += words[i]!.toString(16);
  }
  return best.base >= 0 && best.base + best.length === 8 ? `${text}:` : text;
}

/**
 * Sends `query` over `stream` (a TCP connection to a DNS server: two-byte length, then the message)
 * and resolves with the one response message that comes back (≤ TCP_MESSAGE_MAX_BYTES; nothing past it
 * is read). The stream is destroyed when this settles. Rejects with DnsWireError when the announced
 * length is shorter than a header, the peer closes before the whole message came, or the connection
 * fails; with the signal's reason when it aborts first.
 */
export function exchangeOverTcp(stream: Duplex, query: Buffer, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let expected = -1;
    const settle = (error: Error | null, message?: Buffer) => {
      stream.off('data', onData);
      stream.off('end', onClosed);
      stream.off('close', onClosed);
      stream.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
      if (error) reject(error);
      else resolve(message!);
    };
    const onData = (chunk: Buffer) => {
      // Kept only up to the end of the one message, so what is held never passes 2 + 65,535 bytes.
      const room = (expected < 0 ? 2 : 2 + expected) - received;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(kept);
      received += kept.length;
      if (expected < 0 && received >= 2) {
        const head = Buffer.concat(chunks);
        expected = head.readUInt16BE(0);
        if (expected < HEADER_BYTES) return settle(new DnsWireError(`the server sent a ${expected}-byte message, shorter than a DNS header`));
        chunks.splice(0, chunks.length, head);
        if (kept.length < chunk.length) return onData(chunk.subarray(kept.length));
      }
      if (expected >= 0 && received >= 2 + expected) settle(null, Buffer.concat(chunks).subarray(2, 2 + expected));
    };
    const onClosed = () => settle(new DnsWireError(received <= 2
      ? 'the server closed the connection without answering'
      : `the server closed the connection after ${received - 2} of the ${expected} bytes of its response`));
    const onError = (error: Error) => settle(new DnsWireError(`the connection failed: ${error.message}`));
    const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData);
    stream.once('end', onClosed);
    stream.once('close', onClosed);
    stream.once('error', onError);
    const framed = Buffer.alloc(2 + query.length);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);
    stream.write(framed);
  });
}
