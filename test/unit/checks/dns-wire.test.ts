/** DNS messages (RFC 1035): queries encoded, responses decoded with compression, hostile responses refused. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DnsWireError, decodeResponse, encodeQuery, firstNameserver } from '../../../electron/core/checks/runners/dns-wire.ts';

test('a query: header with the id and RD, one question of class IN', () => {
  const q = encodeQuery(0xbeef, 'www.example.com.', 'AAAA');
  assert.equal(q.toString('hex'), 'beef01000001000000000000' + '03777777076578616d706c6503636f6d00' + '001c0001');
  assert.throws(() => encodeQuery(1, `${'a'.repeat(64)}.com`, 'A'), DnsWireError);
});

/** A response to `query` with `answers` (each: a compressed owner pointing at the question, type, rdata). */
function response(query: Buffer, rcode: number, answers: [number, Buffer][]): Buffer {
  const head = Buffer.from(query.subarray(0, 12));
  head[2] = 0x81; head[3] = 0x80 | rcode;
  head.writeUInt16BE(answers.length, 6);
  const rrs = answers.map(([type, data]) => {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); rr.writeUInt16BE(type, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(300, 6); rr.writeUInt16BE(data.length, 10);
    return Buffer.concat([rr, data]);
  });
  return Buffer.concat([head, query.subarray(12), ...rrs]);
}

test('answers of each type, names through compression pointers; other types skipped', () => {
  const q = encodeQuery(7, 'mail.test', 'MX');
  const mx = Buffer.concat([Buffer.from([0, 10]), Buffer.from([3, 0x6d, 0x78, 0x31, 0xc0, 0x0c])]); // 10 mx1.<mail.test>
  assert.deepEqual(decodeResponse(response(q, 0, [[15, mx], [1, Buffer.from([1, 2, 3, 4])]]), 7, 'MX'), { rcode: 'NOERROR', answers: ['10 mx1.mail.test'] });
  const a = encodeQuery(8, 'web.test', 'A');
  assert.deepEqual(decodeResponse(response(a, 0, [[1, Buffer.from([192, 0, 2, 10])]]), 8, 'A').answers, ['192.0.2.10']);
  const six = encodeQuery(9, 'dual.test', 'AAAA');
  const v6 = Buffer.from('20010db8000000000000000000000020', 'hex');
  assert.deepEqual(decodeResponse(response(six, 0, [[28, v6]]), 9, 'AAAA').answers, ['2001:db8::20']);
  const txt = encodeQuery(10, 'txt.test', 'TXT');
  assert.deepEqual(decodeResponse(response(txt, 0, [[16, Buffer.from('\x07v=spf1 \x04-all', 'latin1')]]), 10, 'TXT').answers, ['v=spf1 -all']);
  assert.deepEqual(decodeResponse(response(a, 3, []), 8, 'A'), { rcode: 'NXDOMAIN', answers: [] });
});

test('hostile responses: another id, a query, cut short, a pointer loop', () => {
  const q = encodeQuery(7, 'web.test', 'A');
  const ok = response(q, 0, [[1, Buffer.from([192, 0, 2, 10])]]);
  assert.throws(() => decodeResponse(ok, 8, 'A'), /another query/);
  assert.throws(() => decodeResponse(q, 7, 'A'), /a query, not a response/);
  assert.throws(() => decodeResponse(ok.subarray(0, ok.length - 2), 7, 'A'), /cut short/);
  const loop = Buffer.from(ok);
  loop.writeUInt16BE(0xc000 | (ok.length - 16), ok.length - 16); // the owner name points at itself
  assert.throws(() => decodeResponse(loop, 7, 'A'), DnsWireError);
});

test('any bytes: answers or a DnsWireError, never a hang or another error (property)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('A', 'AAAA', 'CNAME', 'MX', 'TXT'), (tail, type) => {
    const message = Buffer.concat([Buffer.from([0, 7, 0x81, 0x80]), Buffer.from(tail)]);
    try {
      decodeResponse(message, 7, type);
    } catch (error) {
      assert.ok(error instanceof DnsWireError, String(error));
    }
  }), { numRuns: 2000 });
});

test('resolv.conf: the first nameserver line, zone ids dropped, comments skipped', () => {
  assert.equal(firstNameserver('# generated\nsearch lan\nnameserver 10.0.0.1\nnameserver 1.1.1.1\n'), '10.0.0.1');
  assert.equal(firstNameserver('nameserver fe80::1%eth0\n'), 'fe80::1');
  assert.equal(firstNameserver('domain lan\n'), null);
});
