/**
 * DNS on the wire (RFC 1035, RFC 7766) for checks run from a host: queries encoded, responses built by
 * hand (compression, CNAME chains, odd bytes) decoded as node:dns shows them, hostile responses refused
 * with a DnsWireError and never a hang; the TCP framing over a real stream pair; resolv.conf parsing.
 */
import assert from 'node:assert/strict';
import { duplexPair } from 'node:stream';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { firstNameserver } from '../../../electron/core/checks/runners/dns.ts';
import {
  DnsWireError, decodeResponse, encodeQuery, exchangeOverTcp, ipv6Text, type DnsQuestion, type QueryType,
} from '../../../electron/core/checks/runners/dns-wire.ts';

/** `name` in wire form (labels, zero byte), or its labels followed by `tail` (a pointer) instead of the zero. */
function wireName(name: string, tail: Buffer = Buffer.from([0])): Buffer {
  const labels = name === '' ? [] : name.split('.');
  return Buffer.concat([...labels.flatMap((l) => [Buffer.from([Buffer.byteLength(l, 'latin1')]), Buffer.from(l, 'latin1')]), tail]);
}
const pointer = (offset: number) => Buffer.from([0xc0 | (offset >> 8), offset & 0xff]);
/** The question's name starts right after the header. */
const QNAME = 12;

interface Record { owner?: Buffer; type: number; class?: number; data: Buffer }

/** A response to `query` (its header and question copied, QR and RA set) with `answers`; owners default to the question's name. */
function respond(query: Buffer, answers: Record[], options: { rcode?: number; flags?: number } = {}): Buffer {
  const head = Buffer.from(query.subarray(0, 12));
  head.writeUInt16BE(options.flags ?? (0x8180 | (options.rcode ?? 0)), 2);
  head.writeUInt16BE(answers.length, 6);
  const rrs = answers.map((rr) => {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(rr.type, 0);
    fixed.writeUInt16BE(rr.class ?? 1, 2);
    fixed.writeUInt32BE(300, 4);
    fixed.writeUInt16BE(rr.data.length, 8);
    return Buffer.concat([rr.owner ?? pointer(QNAME), fixed, rr.data]);
  });
  return Buffer.concat([head, query.subarray(12), ...rrs]);
}
const ask = (id: number, name: string, type: QueryType): DnsQuestion => ({ id, name, type });
/** TXT data: each chunk behind its length. */
const txt = (...chunks: string[]) => Buffer.concat(chunks.flatMap((c) => [Buffer.from([Buffer.byteLength(c, 'latin1')]), Buffer.from(c, 'latin1')]));
const mx = (priority: number, exchange: Buffer) => Buffer.concat([Buffer.from([priority >> 8, priority & 0xff]), exchange]);

describe('queries', () => {
  test('a query: header with the id and RD, one question of class IN', () => {
    const q = encodeQuery(ask(0xbeef, 'www.example.com.', 'AAAA'));
    assert.equal(q.toString('hex'), 'beef01000001000000000000' + '03777777076578616d706c6503636f6d00' + '001c0001');
    assert.equal(encodeQuery(ask(1, '.', 'A')).toString('hex'), '000101000001000000000000' + '00' + '00010001');
  });

  test('names that cannot be asked: an empty label, a label over 63 bytes, over 255 bytes', () => {
    assert.throws(() => encodeQuery(ask(1, 'a..b', 'A')), { name: 'DnsWireError', message: 'a..b is not a valid DNS name (labels have 1 to 63 characters)' });
    assert.throws(() => encodeQuery(ask(1, `${'a'.repeat(64)}.com`, 'A')), DnsWireError);
    assert.doesNotThrow(() => encodeQuery(ask(1, `${'a'.repeat(63)}.com`, 'A')));
    const long = Array.from({ length: 5 }, () => 'a'.repeat(50)).join('.'); // 5 × 51 + 1 = 256 bytes
    assert.throws(() => encodeQuery(ask(1, long, 'A')), /longer than 255 bytes/);
  });
});

describe('responses', () => {
  test('each type as node:dns shows it, names through compression pointers', () => {
    const a = ask(8, 'web.test', 'A');
    assert.deepEqual(decodeResponse(respond(encodeQuery(a), [{ type: 1, data: Buffer.from([192, 0, 2, 10]) }]), a),
      { rcode: 'NOERROR', answers: ['192.0.2.10'] });
    const six = ask(9, 'dual.test', 'AAAA');
    assert.deepEqual(decodeResponse(respond(encodeQuery(six), [{ type: 28, data: Buffer.from('20010db8000000000000000000000020', 'hex') }]), six).answers,
      ['2001:db8::20']);
    // 10 mx1.<mail.test> and 20 <mail.test>: pointers into the question.
    const m = ask(7, 'mail.test', 'MX');
    assert.deepEqual(decodeResponse(respond(encodeQuery(m), [
      { type: 15, data: mx(10, wireName('mx1', pointer(QNAME))) },
      { type: 15, data: mx(20, pointer(QNAME)) },
    ]), m).answers, ['10 mx1.mail.test', '20 mail.test']);
    const t = ask(10, 'txt.test', 'TXT');
    assert.deepEqual(decodeResponse(respond(encodeQuery(t), [
      { type: 16, data: txt('v=spf1 ', '-all') }, { type: 16, data: txt('caf\u00e9') }, { type: 16, data: Buffer.alloc(0) },
    ]), t).answers, ['v=spf1 -all', 'caf\u00e9', '']);
    const c = ask(11, 'www.test', 'CNAME');
    assert.deepEqual(decodeResponse(respond(encodeQuery(c), [{ type: 5, data: wireName('dual', pointer(QNAME + 4)) }]), c).answers, ['dual.test']);
  });

  test('response codes by name, an unnamed one as RCODEn, with no answers', () => {
    const a = ask(8, 'gone.test', 'A');
    for (const [code, name] of [[0, 'NOERROR'], [2, 'SERVFAIL'], [3, 'NXDOMAIN'], [5, 'REFUSED'], [9, 'RCODE9']] as const) {
      assert.deepEqual(decodeResponse(respond(encodeQuery(a), [], { rcode: code }), a), { rcode: name, answers: [] });
    }
  });

  test('a CNAME chain: only records of the asked name or its aliases, class IN, of the asked type', () => {
    const q = encodeQuery(ask(5, 'WWW.test', 'A'));
    const aliasAt = q.length + 12; // the CNAME's data starts after its owner pointer (2) and fixed part (10)
    const message = respond(q, [
      { type: 5, data: wireName('dual', pointer(QNAME + 4)) }, // www.test → dual.<test>
      { owner: pointer(aliasAt), type: 1, data: Buffer.from([192, 0, 2, 20]) }, // dual.test A: an alias's, counted
      { owner: wireName('other.test'), type: 1, data: Buffer.from([192, 0, 2, 99]) }, // someone else's
      { owner: pointer(aliasAt), type: 1, class: 3, data: Buffer.from([192, 0, 2, 98]) }, // class CH
      { owner: pointer(aliasAt), type: 28, data: Buffer.alloc(16) }, // another type
    ]);
    assert.deepEqual(decodeResponse(message, ask(5, 'www.TEST.', 'A')), { rcode: 'NOERROR', answers: ['192.0.2.20'] });
  });

  test('odd bytes in names escaped as c-ares does; TXT bytes as Latin-1', () => {
    const c = ask(3, 'odd.test', 'CNAME');
    const label = Buffer.from([0x61, 0x2e, 0x5c, 0x20, 0x09, 0xe9, 0x40]); // a . \ space tab é @
    const data = Buffer.concat([Buffer.from([label.length]), label, pointer(QNAME + 4)]);
    assert.deepEqual(decodeResponse(respond(encodeQuery(c), [{ type: 5, data }]), c).answers, ['a\\.\\\\ \\009\\233\\@.test']);
    const t = ask(4, 'utf.test', 'TXT');
    assert.deepEqual(decodeResponse(respond(encodeQuery(t), [{ type: 16, data: Buffer.from([2, 0xc3, 0xa9]) }]), t).answers, ['\u00c3\u00a9']);
  });

  test('IPv6 text as inet_ntop writes it', () => {
    const text = (hex: string) => ipv6Text(Buffer.from(hex.padStart(32, '0'), 'hex'));
    assert.equal(text('0'), '::');
    assert.equal(text('1'), '::1');
    assert.equal(text('00010000000000000000000000000000'), '1::');
    assert.equal(text('ffff01020304'), '::ffff:1.2.3.4');
    assert.equal(text('01020304'), '::1.2.3.4');
    assert.equal(text('00010000000100000001000000010000'), '1:0:1:0:1:0:1:0');
    assert.equal(text('20010db8000000010000000000000001'), '2001:db8:0:1::1');
    assert.equal(text('20010db8000000000001000000000001'), '2001:db8::1:0:0:1');
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16)).join(':');
      // The same address as WHATWG URL's canonical form (which never writes the dotted tail).
      assert.equal(new URL(`http://[${ipv6Text(bytes)}]/`).hostname, new URL(`http://[${groups}]/`).hostname);
    }), { numRuns: 2000 });
  });

  test('round trip: any name and records encode and decode to the same answers (property)', () => {
    const label = fc.stringMatching(/^[a-z0-9_-]{1,20}$/);
    const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
    const records = fc.oneof(
      fc.record({ type: fc.constant<QueryType>('A'), values: fc.array(fc.uint8Array({ minLength: 4, maxLength: 4 }), { maxLength: 5 }) }),
      fc.record({ type: fc.constant<QueryType>('AAAA'), values: fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { maxLength: 5 }) }),
      fc.record({ type: fc.constant<QueryType>('MX'), values: fc.array(fc.tuple(fc.integer({ min: 0, max: 65535 }), name), { maxLength: 5 }) }),
      fc.record({ type: fc.constant<QueryType>('TXT'), values: fc.array(fc.array(fc.string({ unit: 'binary-ascii', maxLength: 255 }), { maxLength: 3 }), { maxLength: 5 }) }),
      fc.record({ type: fc.constant<QueryType>('CNAME'), values: fc.array(name, { maxLength: 1 }) }),
    );
    fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), name, records, (id, qname, { type, values }) => {
      const question = ask(id, qname, type);
      const rrs: Record[] = [];
      const expected: string[] = [];
      for (const value of values as unknown[]) {
        if (type === 'A') { const b = value as Uint8Array; rrs.push({ type: 1, data: Buffer.from(b) }); expected.push(b.join('.')); }
        if (type === 'AAAA') { const b = value as Uint8Array; rrs.push({ type: 28, data: Buffer.from(b) }); expected.push(ipv6Text(b)); }
        if (type === 'MX') { const [p, n] = value as [number, string]; rrs.push({ type: 15, data: mx(p, wireName(n)) }); expected.push(`${p} ${n}`); }
        if (type === 'TXT') { const chunks = value as string[]; rrs.push({ type: 16, data: txt(...chunks) }); expected.push(chunks.join('')); }
        if (type === 'CNAME') { const n = value as string; rrs.push({ type: 5, data: wireName(n) }); expected.push(n); }
      }
      assert.deepEqual(decodeResponse(respond(encodeQuery(question), rrs), question), { rcode: 'NOERROR', answers: expected });
    }), { numRuns: 1000 });
  });
});

describe('hostile responses', () => {
  const question = ask(7, 'web.test', 'A');
  const query = encodeQuery(question);
  const good = respond(query, [{ type: 1, data: Buffer.from([192, 0, 2, 10]) }]);
  const refused = (message: Buffer, reason: RegExp | string) =>
    assert.throws(() => decodeResponse(message, question), (error: unknown) => {
      assert.ok(error instanceof DnsWireError, String(error));
      if (typeof reason === 'string') assert.equal(error.message, reason);
      else assert.match(error.message, reason);
      return true;
    });

  test('not our answer: another id, a query, another question, two questions, truncated, another opcode', () => {
    assert.deepEqual(decodeResponse(good, question).answers, ['192.0.2.10']);
    assert.throws(() => decodeResponse(good, ask(8, 'web.test', 'A')), { message: 'the response answers another query (id 7, not 8)' });
    refused(query, 'the server sent a query, not a response');
    assert.throws(() => decodeResponse(good, ask(7, 'web.test', 'AAAA')), { message: 'the response answers another question (web.test, type 1)' });
    assert.throws(() => decodeResponse(good, ask(7, 'other.test', 'A')), /another question/);
    const two = Buffer.from(good); two.writeUInt16BE(2, 4);
    refused(two, 'the response has 2 questions, the query had one');
    refused(respond(query, [], { flags: 0x8380 }), 'the server marked its response truncated');
    refused(respond(query, [], { flags: 0x9180 }), 'the response is not to a standard query (opcode 2)');
  });

  test('every shorter piece of a good response is refused', () => {
    for (let length = 0; length < good.length; length++) refused(good.subarray(0, length), /shorter than a DNS header|cut short/);
  });

  test('compression loops and pointers out of the message are refused', () => {
    const selfLoop = respond(query, [{ owner: pointer(query.length), type: 1, data: Buffer.from([1, 2, 3, 4]) }]);
    refused(selfLoop, 'a name in the response points forwards (a compression loop)');
    // A label, then a pointer back to that label: each pass would add the label again.
    const labelLoop = respond(query, [{ owner: Buffer.concat([Buffer.from([1, 0x61]), pointer(query.length)]), type: 1, data: Buffer.from([1, 2, 3, 4]) }]);
    refused(labelLoop, /compression loop/);
    const c = ask(7, 'web.test', 'CNAME');
    const outside = respond(encodeQuery(c), [{ type: 5, data: pointer(0x3fff) }]);
    assert.throws(() => decodeResponse(outside, c), { message: 'a name in the response points forwards (a compression loop)' });
    const unknownLabel = respond(query, [{ owner: Buffer.from([0x40, 0]), type: 1, data: Buffer.from([1, 2, 3, 4]) }]);
    refused(unknownLabel, 'a name in the response has an unknown label type');
  });

  test('malformed records: a name too long, data of the wrong size, a name past its record', () => {
    // 128 labels of one byte each, then a pointer back to the question: 256+ bytes of name.
    const long = respond(query, [{ owner: wireName(Array(128).fill('a').join('.'), pointer(QNAME)), type: 1, data: Buffer.from([1, 2, 3, 4]) }]);
    refused(long, 'a name in the response is longer than 255 bytes');
    refused(respond(query, [{ type: 1, data: Buffer.from([1, 2, 3]) }]), 'an A record has 3 bytes, not 4');
    const m = ask(7, 'web.test', 'MX');
    const mxShort = respond(encodeQuery(m), [{ type: 15, data: Buffer.from([0, 10]) }]);
    assert.throws(() => decodeResponse(mxShort, m), { message: 'an MX record is cut short' });
    // The exchange's labels run on past the record's two data bytes into the next record.
    const past = respond(encodeQuery(m), [{ type: 15, data: Buffer.from([0, 10, 3, 0x6d]) }, { type: 1, data: Buffer.from([0x78, 0x31, 0, 0]) }]);
    assert.throws(() => decodeResponse(past, m), DnsWireError);
    const t = ask(7, 'web.test', 'TXT');
    assert.throws(() => decodeResponse(respond(encodeQuery(t), [{ type: 16, data: Buffer.from([5, 0x61]) }]), t), { message: 'a TXT record is cut short' });
  });

  test('any bytes after a response header: answers or a DnsWireError, never a hang or another error (property)', { timeout: 60_000 }, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom<QueryType>('A', 'AAAA', 'CNAME', 'MX', 'TXT'), (tail, type) => {
      const message = Buffer.concat([Buffer.from([0, 7, 0x81, 0x80]), Buffer.from(tail)]);
      try {
        decodeResponse(message, ask(7, 'web.test', type));
      } catch (error) {
        assert.ok(error instanceof DnsWireError, String(error));
      }
    }), { numRuns: 5000 });
  });

  test('a good response with bytes changed: answers or a DnsWireError (property)', { timeout: 60_000 }, () => {
    const m = ask(7, 'mail.test', 'MX');
    const base = respond(encodeQuery(m), [
      { type: 5, data: wireName('mx', pointer(QNAME)) },
      { type: 15, data: mx(10, wireName('mx1', pointer(QNAME))) },
      { type: 15, data: mx(20, wireName('mx2', pointer(QNAME + 5))) },
    ]);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (changes) => {
      const message = Buffer.from(base);
      for (const [at, byte] of changes) message[at] = byte;
      try {
        decodeResponse(message, m);
      } catch (error) {
        assert.ok(error instanceof DnsWireError, String(error));
      }
    }), { numRuns: 5000 });
  });
});

describe('DNS over TCP: two-byte lengths on a stream', () => {
  const question = ask(7, 'web.test', 'A');
  const query = encodeQuery(question);
  const answer = respond(query, [{ type: 1, data: Buffer.from([192, 0, 2, 10]) }]);
  const framed = (message: Buffer, length = message.length) => Buffer.concat([Buffer.from([length >> 8, length & 0xff]), message]);
  /** The server's end of a stream pair: what it read, and a way to send. */
  function pair() {
    const [client, server] = duplexPair();
    let read = Buffer.alloc(0);
    server.on('data', (chunk: Buffer) => { read = Buffer.concat([read, chunk]); });
    return { client, server, read: () => read };
  }

  test('the query goes out framed; the response comes back whole however it is split (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(framed(answer).length), { maxLength: 6 }), async (cuts) => {
      const { client, server, read } = pair();
      const exchange = exchangeOverTcp(client, query, AbortSignal.timeout(10_000));
      const bytes = Buffer.concat([framed(answer), Buffer.from('trailing bytes are not read')]);
      let from = 0;
      for (const cut of [...new Set(cuts)].sort((x, y) => x - y)) {
        server.write(bytes.subarray(from, cut));
        from = cut;
        await new Promise((resolve) => setImmediate(resolve));
      }
      server.write(bytes.subarray(from));
      assert.deepEqual(await exchange, answer);
      assert.deepEqual(read(), framed(query));
      assert.equal(client.destroyed, true);
    }), { numRuns: 200 });
  });

  test('a length shorter than a header, a close in the middle or before any answer, an abort', async () => {
    let { client, server } = pair();
    let exchange = exchangeOverTcp(client, query, AbortSignal.timeout(10_000));
    server.write(Buffer.from([0, 5, 1, 2, 3, 4, 5]));
    await assert.rejects(exchange, { name: 'DnsWireError', message: 'the server sent a 5-byte message, shorter than a DNS header' });

    ({ client, server } = pair());
    exchange = exchangeOverTcp(client, query, AbortSignal.timeout(10_000));
    server.end(Buffer.from([0xff, 0xff, ...Buffer.alloc(100, 0x41)]));
    await assert.rejects(exchange, { name: 'DnsWireError', message: 'the server closed the connection after 100 of the 65535 bytes of its response' });

    ({ client, server } = pair());
    exchange = exchangeOverTcp(client, query, AbortSignal.timeout(10_000));
    server.end();
    await assert.rejects(exchange, { name: 'DnsWireError', message: 'the server closed the connection without answering' });

    ({ client, server } = pair());
    const controller = new AbortController();
    exchange = exchangeOverTcp(client, query, controller.signal);
    server.write(Buffer.from([0xff, 0xff, 1, 2, 3]));
    controller.abort(new Error('stop'));
    await assert.rejects(exchange, { message: 'stop' });
    assert.equal(client.destroyed, true);
  });

  test('the largest message, 65,535 bytes, is read whole and nothing past it', async () => {
    const { client, server } = pair();
    const exchange = exchangeOverTcp(client, query, AbortSignal.timeout(10_000));
    const huge = Buffer.concat([answer, Buffer.alloc(65_535 - answer.length, 0)]);
    server.write(Buffer.concat([framed(huge), Buffer.alloc(10_000, 0x42)]));
    const message = await exchange;
    assert.equal(message.length, 65_535);
    // The padding after the answer is ignored (it is past the answer count).
    assert.deepEqual(decodeResponse(message, question).answers, ['192.0.2.10']);
  });
});

describe('resolv.conf', () => {
  test('the first usable nameserver line, as glibc reads it', () => {
    assert.equal(firstNameserver('# generated\nsearch lan\nnameserver 10.0.0.1\nnameserver 1.1.1.1\n'), '10.0.0.1');
    assert.equal(firstNameserver('nameserver\t10.0.0.2 # the router\n'), '10.0.0.2');
    assert.equal(firstNameserver('nameserver 10.0.0.3;comment\r\n'), '10.0.0.3');
    assert.equal(firstNameserver('nameserver fe80::1%eth0\n'), 'fe80::1%eth0');
    assert.equal(firstNameserver('nameserver 2001:db8::53\n'), '2001:db8::53');
    // Not a nameserver line (glibc wants the keyword first), or not an address: skipped.
    assert.equal(firstNameserver('  nameserver 10.0.0.9\n#nameserver 10.0.0.8\nnameserver dns.example\nnameserver 999.1.1.1\n'
      + 'nameserver 1.2.3.4%eth0\nnameserver fe80::1%$(id)\nnameservers 10.0.0.7\nnameserver 10.0.0.4\n'), '10.0.0.4');
    assert.equal(firstNameserver('domain lan\n'), null);
    assert.equal(firstNameserver(''), null);
  });
});
