/**
 * DNS checks run from a host through its SSH connection (a real sshd on 127.0.0.1, a context like the
 * engine's for `from: host`): the query goes over TCP from the host to a real dnsmasq, each answer
 * decoded from the wire as node:dns decodes it from here; expected answers and response codes judged
 * alike; servers that accept and never answer, answer garbage or announce a huge message; a server
 * named by a name the host resolves; the host's own resolver from its /etc/resolv.conf.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { localContext } from '../../electron/core/checks/local.ts';
import { CheckUnavailableError, type CheckContext } from '../../electron/core/checks/runner.ts';
import { dnsRunner, firstNameserver } from '../../electron/core/checks/runners/dns.ts';
import { HostUnavailableError } from '../../electron/core/collectors/collector.ts';
import type { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { DnsCheck } from '../../shared/checks/index.ts';
import { dnsmasqSkipReason, startDnsmasq, type Dnsmasq } from '../support/dnsmasq.ts';
import { onlineCollector, sshContext } from '../support/ssh-context.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';

const skip = dnsmasqSkipReason() ?? sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the DNS-from-a-host tests need dnsmasq and sshd under CI: ${skip}`);

/** A TCP server on 127.0.0.1 that does `handle` with each connection; tracks them to close them all. */
async function tcpServer(handle: (socket: net.Socket, received: () => Buffer) => void) {
  const sockets = new Set<net.Socket>();
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let bytes = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => { bytes = Buffer.concat([bytes, chunk]); received.push(chunk); });
    handle(socket, () => bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    received: () => Buffer.concat(received),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('DNS checks from a host over SSH', { skip: skip ?? false }, () => {
  let dns: Dnsmasq;
  let sshd: Sshd;
  let collector: SshCollector;
  const run = dnsRunner();
  const context = (timeoutMs = 5000): CheckContext => sshContext(collector, timeoutMs);
  const check = (fields: Partial<DnsCheck> & { query: string }) =>
    DnsCheck.parse({ name: 'dns', type: 'dns', server: dns.server, from: 'host', timeoutSeconds: 5, ...fields });
  const facts = (server: string) => [{ name: 'Server', value: server }, { name: 'Asked from', value: 'the host, over TCP' }];
  const answered = (count: number) => [{ metric: 'probe_dns_answer_rrs', attributes: {}, value: count }];

  before(async () => {
    dns = await startDnsmasq([
      '--local=/test/', '--address=/web.test/192.0.2.10', '--host-record=dual.test,192.0.2.20,2001:db8::20',
      '--host-record=mapped.test,::ffff:192.0.2.30', '--cname=www.test,dual.test', '--cname=odd.test,a\\.b.test',
      '--mx-host=mail.test,mx1.mail.test,10', '--mx-host=mail.test,mx2.mail.test,20',
      '--txt-record=txt.test,v=spf1 ,-all', '--txt-record=utf.test,caf\u00e9',
    ], 'web.test');
    sshd = await startSshd();
    collector = await onlineCollector({ sshd });
  });
  after(async () => {
    await collector?.close();
    await sshd?.close();
    await dns?.close();
  });

  test('each answer from the host is what node:dns gives from here', async () => {
    const cases = [['web.test', 'A'], ['www.test', 'A'], ['dual.test', 'AAAA'], ['mapped.test', 'AAAA'], ['www.test', 'CNAME'],
      ['odd.test', 'CNAME'], ['mail.test', 'MX'], ['txt.test', 'TXT'], ['utf.test', 'TXT']] as const;
    for (const [query, recordType] of cases) {
      const here = await run(check({ query, recordType, from: 'here' }), localContext(5000));
      const there = await run(check({ query, recordType }), context());
      assert.equal(here.status, 'up', `${query} ${recordType} from here: ${here.reason}`);
      assert.equal(there.status, 'up', `${query} ${recordType} from the host: ${there.reason}`);
      assert.deepEqual([...there.details.answers!].sort(), [...here.details.answers!].sort(), `${query} ${recordType}`);
      assert.equal(there.details.rcode, 'NOERROR');
      assert.deepEqual(there.details.facts, facts(dns.server));
    }
  });

  test('expected answers of each type: up, with answers, response code, facts and the answer count', async () => {
    const cases: [Partial<DnsCheck> & { query: string }, string[]][] = [
      [{ query: 'web.test', expect: ['192.0.2.10'] }, ['192.0.2.10']],
      [{ query: 'www.test', expect: ['192.0.2.20'] }, ['192.0.2.20']],
      [{ query: 'dual.test', recordType: 'AAAA', expect: ['2001:DB8:0::20'] }, ['2001:db8::20']],
      [{ query: 'www.test', recordType: 'CNAME', expect: ['DUAL.test.'] }, ['dual.test']],
      [{ query: 'mail.test', recordType: 'MX', expect: ['20 MX2.mail.test.', '10 mx1.mail.test'] }, ['10 mx1.mail.test', '20 mx2.mail.test']],
      [{ query: 'txt.test', recordType: 'TXT', expect: ['v=spf1 -all'] }, ['v=spf1 -all']],
    ];
    for (const [fields, answers] of cases) {
      const started = performance.now();
      const outcome = await run(check(fields), context());
      const wall = (performance.now() - started) / 1000;
      assert.equal(outcome.status, 'up', `${fields.query}: ${outcome.reason}`);
      assert.equal(outcome.reason, '');
      assert.deepEqual({ ...outcome.details, answers: [...outcome.details.answers!].sort() }, { answers, rcode: 'NOERROR', facts: facts(dns.server) });
      assert.deepEqual(outcome.metrics, answered(answers.length));
      // The query's time over the connection: part of the run, never more.
      assert.ok(outcome.durationSeconds > 0 && outcome.durationSeconds <= wall, `${outcome.durationSeconds} s of a ${wall} s run`);
    }
  });

  test('response codes and answers judged as from here: NXDOMAIN expected or not, REFUSED, no records, a wrong answer', async () => {
    const expectations: [Partial<DnsCheck> & { query: string }, string, string, string[]][] = [
      [{ query: 'gone.test', expectRcode: 'NXDOMAIN' }, 'up', '', []],
      [{ query: 'gone.test' }, 'down', 'expected NOERROR, got NXDOMAIN', []],
      [{ query: 'example.org' }, 'down', 'expected NOERROR, got REFUSED', []],
      [{ query: 'dual.test', recordType: 'CNAME' }, 'down', 'no CNAME records', []],
      [{ query: 'web.test', expect: ['192.0.2.99'] }, 'down', 'expected 192.0.2.99, got 192.0.2.10', ['192.0.2.10']],
      [{ query: 'web.test', degradedAboveSeconds: 1e-9 }, 'degraded', '', ['192.0.2.10']],
    ];
    for (const [fields, status, reason, answers] of expectations) {
      const there = await run(check(fields), context());
      const here = await run(check({ ...fields, from: 'here' }), localContext(5000));
      assert.equal(there.status, status, `${fields.query}: ${there.reason}`);
      if (status === 'degraded') assert.match(there.reason, /^answered in \d+(\.\d+)? (µs|ms|s), above 1e-9 s$/);
      else assert.equal(there.reason, reason);
      assert.deepEqual(there.details, { answers, rcode: here.details.rcode, facts: facts(dns.server) });
      assert.deepEqual([there.status, there.details.answers], [here.status, here.details.answers], `${fields.query} here and there`);
      assert.deepEqual(there.metrics, answered(answers.length));
    }
  });

  test('a server that accepts and never answers is down at the timeout, after the query reached it', async () => {
    const silent = await tcpServer(() => {});
    try {
      const started = performance.now();
      const outcome = await run(check({ query: 'web.test', server: silent.server, timeoutSeconds: 1 }), context(1000));
      const seconds = (performance.now() - started) / 1000;
      assert.deepEqual([outcome.status, outcome.reason], ['down', 'timed out after 1 s']);
      assert.deepEqual(outcome.details, { facts: facts(silent.server) });
      assert.deepEqual(outcome.metrics, []);
      assert.ok(seconds >= 0.9 && seconds < 5, `the run took ${seconds} s`);
      const framed = silent.received();
      assert.ok(framed.length >= 2 && framed.readUInt16BE(0) === framed.length - 2, 'a query behind its two-byte length reached the server');
    } finally {
      await silent.close();
    }
  });

  test('garbage, a closed connection mid-message, a huge message: down, saying why', async () => {
    const http = await tcpServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const junk = await tcpServer((socket) => socket.once('data', () => socket.write(Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.alloc(65_535 + 1000, 0xc0)]))));
    const tiny = await tcpServer((socket) => socket.once('data', () => socket.write(Buffer.from([0, 3, 1, 2, 3]))));
    const stalls = await tcpServer((socket) => socket.once('data', () => socket.write(Buffer.from([0xff, 0xff, 1, 2, 3]))));
    try {
      const cases: [string, number, string][] = [
        // "HT" is read as a length of 0x4854 bytes; 26 more come, then the server closes.
        [http.server, 5, `${http.server}: the server closed the connection after 26 of the 18516 bytes of its response`],
        [junk.server, 5, `${junk.server}: the response answers another query (id 49344, not `],
        [tiny.server, 5, `${tiny.server}: the server sent a 3-byte message, shorter than a DNS header`],
        [stalls.server, 1, 'timed out after 1 s'],
      ];
      for (const [server, timeoutSeconds, reason] of cases) {
        const outcome = await run(check({ query: 'web.test', server, timeoutSeconds }), context(timeoutSeconds * 1000));
        assert.equal(outcome.status, 'down');
        assert.ok(outcome.reason.startsWith(reason), `${outcome.reason} ≠ ${reason}…`);
        assert.deepEqual(outcome.details, { facts: facts(server) });
      }
    } finally {
      await Promise.all([http.close(), junk.close(), tiny.close(), stalls.close()]);
    }
  });

  test('a port where nothing listens is refused; a name is resolved on the host; a malformed server', async () => {
    const gone = await tcpServer(() => {});
    await gone.close();
    const refused = await run(check({ query: 'web.test', server: gone.server }), context());
    assert.deepEqual([refused.status, refused.reason], ['down', `${gone.server}: connection refused (nothing answers DNS over TCP there)`]);

    const byName = await run(check({ query: 'web.test', server: `localhost:${dns.port}`, expect: ['192.0.2.10'] }), context());
    assert.equal(byName.status, 'up', byName.reason);
    assert.deepEqual(byName.details.facts, facts(`localhost:${dns.port}`));

    const malformed = await run(check({ query: 'web.test', server: '[127.0.0.1]:53' }), context());
    assert.deepEqual([malformed.status, malformed.reason], ['down', '[127.0.0.1]:53 is not a server address (address or address:port)']);
  });

  test('without a server, the first nameserver of the host\'s /etc/resolv.conf is asked', async () => {
    // The test user's host is this machine: its /etc/resolv.conf is the real one, with a server we do
    // not control; what is asserted is who was asked, and that the outcome came from asking it.
    const nameserver = firstNameserver(readFileSync('/etc/resolv.conf', 'utf8'));
    const outcome = await run(check({ query: 'web.test', server: null, timeoutSeconds: 3 }), context(3000));
    assert.equal(outcome.status, 'down', 'web.test exists only in the test\'s dnsmasq');
    if (nameserver === null) {
      assert.deepEqual([outcome.reason, outcome.details], ['the host has no nameserver in /etc/resolv.conf', {}]);
      return;
    }
    const where = net.isIPv6(nameserver.replace(/%.*/, '')) ? `[${nameserver}]:53` : `${nameserver}:53`;
    assert.deepEqual(outcome.details.facts, facts(`${where} (the host's /etc/resolv.conf)`));
    // A response (its response code judged), or no response from that server (its address named), or none in time.
    assert.ok(outcome.details.rcode !== undefined || outcome.reason.startsWith(`${where}: `) || outcome.reason === 'timed out after 3 s', outcome.reason);
  });

  test('a host whose SSH connection is down: the run cannot happen (unknown), it is not down', async () => {
    const offline = await onlineCollector({ sshd });
    await offline.close();
    // As the engine does: a host that cannot be reached is CheckUnavailableError for the runner.
    const unavailable = (error: unknown): never => {
      throw error instanceof HostUnavailableError ? new CheckUnavailableError(error.message, { cause: error }) : error;
    };
    const base = sshContext(offline, 3000);
    const engineLike: CheckContext = {
      ...base,
      connect: (host, port) => base.connect(host, port).catch(unavailable),
      runScript: (script) => base.runScript(script).catch(unavailable),
    };
    await assert.rejects(run(check({ query: 'web.test' }), engineLike), CheckUnavailableError);
    await assert.rejects(run(check({ query: 'web.test', server: null }), engineLike), CheckUnavailableError);
  });
});
