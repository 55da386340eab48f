/**
 * The TCP, DNS and ping check runners against real peers: TCP listeners on 127.0.0.1 (silent, echoing,
 * closed), a real dnsmasq and a UDP port that never answers, and the system's ping against 127.0.0.1
 * and against a peer in a network namespace that ignores echo requests. Under CI a missing dnsmasq,
 * ping or `ip netns` fails the tests; elsewhere they are skipped with the reason.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as dns } from 'node:dns';
import net from 'node:net';
import { DnsCheck, PingCheck, TcpCheck } from '../../shared/checks/index.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import type { CheckContext, CheckOutcome } from '../../electron/core/checks/runner.ts';
import { tcpRunner } from '../../electron/core/checks/runners/tcp.ts';
import { dnsRunner, parseServer } from '../../electron/core/checks/runners/dns.ts';
import { parsePingSummary, pingRunner } from '../../electron/core/checks/runners/ping.ts';
import { dnsmasqSkipReason, silentDnsServer, startDnsmasq, type Dnsmasq } from '../support/dnsmasq.ts';

/** Runs `run` and gives its outcome with the wall time it took, seconds. */
async function timed(run: () => Promise<CheckOutcome>): Promise<{ outcome: CheckOutcome; seconds: number }> {
  const started = performance.now();
  const outcome = await run();
  return { outcome, seconds: (performance.now() - started) / 1000 };
}

/** A context that claims to go through SSH (connecting is not expected). */
function sshContext(timeoutMs: number): CheckContext {
  return { ...localContext(timeoutMs), via: 'ssh', connect: () => Promise.reject(new Error('no connection expected')) };
}

/** Whether the system resolver says quickly that `.invalid` names do not exist (RFC 6761), else why not. */
async function unknownHostSkipReason(): Promise<string | null> {
  const lookup = dns.lookup('nosuch.invalid').then(() => 'nosuch.invalid resolves here', (error: NodeJS.ErrnoException) =>
    error.code === 'ENOTFOUND' ? null : `the system resolver answers nosuch.invalid with ${error.code}`);
  const slow = new Promise<string>((resolve) => setTimeout(() => resolve('the system resolver is slow to answer'), 2000).unref());
  return Promise.race([lookup, slow]);
}
const unknownHostSkip = await unknownHostSkipReason();

// ---------------------------------------------------------------------------------------------------
// TCP

/** A listener on 127.0.0.1 running `onConnection`; counts connections the server saw closed. */
async function listen(onConnection: (socket: net.Socket) => void = () => {}) {
  const sockets = new Set<net.Socket>();
  let closed = 0;
  const waiters: (() => void)[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => {
      sockets.delete(socket);
      closed++;
      for (const w of waiters.splice(0)) w();
    });
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Resolves once `n` connections were closed (by the runner: these servers never close first). */
    closedCount: (n: number) => new Promise<void>((resolve) => {
      if (closed >= n) return resolve();
      const check = () => (closed >= n ? resolve() : waiters.push(check));
      waiters.push(check);
    }),
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Echoes each line it receives. */
const echoLines = (socket: net.Socket) => socket.on('data', (data) => socket.write(data));

function tcp(fields: Partial<TcpCheck> & { port: number }): TcpCheck {
  return TcpCheck.parse({ name: 'tcp', type: 'tcp', target: '127.0.0.1', timeoutSeconds: 2, ...fields });
}

describe('TCP runner', () => {
  test('a listener on 127.0.0.1 is up, with the connect time measured, and the socket is closed', async () => {
    const server = await listen();
    try {
      const { outcome, seconds } = await timed(() => tcpRunner(tcp({ port: server.port }), localContext(2000)));
      assert.deepEqual({ ...outcome, durationSeconds: 0 },
        { status: 'up', reason: '', durationSeconds: 0, excerpt: null, details: {}, metrics: [] });
      assert.ok(outcome.durationSeconds > 0 && outcome.durationSeconds <= seconds, `connect time ${outcome.durationSeconds} s`);
      assert.ok(seconds < 1, `took ${seconds} s`);
      await server.closedCount(1);
    } finally {
      await server.close();
    }
  });

  test('a closed port is down: connection refused', async () => {
    const server = await listen();
    const port = server.port;
    await server.close();
    const outcome = await tcpRunner(tcp({ port }), localContext(2000));
    assert.equal(outcome.status, 'down');
    assert.equal(outcome.reason, 'connection refused');
    assert.equal(outcome.excerpt, null);
    assert.deepEqual(outcome.metrics, []);
    assert.deepEqual(outcome.details, {});
  });

  test('a port that accepts and never answers, with `expect` set, is down at the timeout, and the run ends then', async () => {
    const server = await listen();
    try {
      const { outcome, seconds } = await timed(() => tcpRunner(tcp({ port: server.port, expect: '^220 ', timeoutSeconds: 1 }), localContext(1000)));
      assert.equal(outcome.status, 'down');
      assert.equal(outcome.reason, 'timed out after 1 s');
      assert.equal(outcome.excerpt, null);
      assert.deepEqual(outcome.metrics, []);
      assert.ok(seconds >= 0.95 && seconds < 1.5, `the run took ${seconds} s`);
      await server.closedCount(1);
    } finally {
      await server.close();
    }
  });

  test('send and expect: a line-echo server sends the line back, up', async () => {
    const server = await listen(echoLines);
    try {
      const outcome = await tcpRunner(tcp({ port: server.port, send: 'PING hostwatch', expect: '^PING \\w+\\n' }), localContext(2000));
      assert.equal(outcome.status, 'up');
      assert.equal(outcome.reason, '');
      assert.equal(outcome.excerpt, 'PING hostwatch\n');
      assert.deepEqual(outcome.metrics, []);
      await server.closedCount(1);
    } finally {
      await server.close();
    }
  });

  test('a reply that does not match is down once the timeout ends the wait, with an excerpt in the reason', async () => {
    const server = await listen(echoLines);
    try {
      const { outcome, seconds } = await timed(() =>
        tcpRunner(tcp({ port: server.port, send: 'PING', expect: '^PONG', timeoutSeconds: 0.5 }), localContext(500)));
      assert.equal(outcome.status, 'down');
      assert.equal(outcome.reason, 'reply does not match /^PONG/: "PING\\n"');
      assert.equal(outcome.excerpt, 'PING\n');
      assert.ok(seconds >= 0.45 && seconds < 1, `the run took ${seconds} s`);
    } finally {
      await server.close();
    }
  });

  test('a server that replies and closes: a wrong banner is down as soon as it closes', async () => {
    const server = await listen((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    try {
      const { outcome, seconds } = await timed(() => tcpRunner(tcp({ port: server.port, expect: '^220 ' }), localContext(2000)));
      assert.equal(outcome.status, 'down');
      assert.equal(outcome.reason, 'reply does not match /^220 /: "SSH-2.0-OpenSSH_9.6\\r\\n"');
      assert.ok(seconds < 1, `the run took ${seconds} s`);
    } finally {
      await server.close();
    }
  });

  test('a connection slower than degradedAboveSeconds is degraded', async () => {
    const server = await listen();
    try {
      const outcome = await tcpRunner(tcp({ port: server.port, degradedAboveSeconds: 1e-9 }), localContext(2000));
      assert.equal(outcome.status, 'degraded');
      assert.match(outcome.reason, /^connected in \d+(\.\d+)? (µs|ms|s), above 1e-9 s$/);
      assert.deepEqual(outcome.metrics, []);
    } finally {
      await server.close();
    }
  });

  test('a run stopped by the engine (not its timeout) says so', async () => {
    const server = await listen();
    try {
      const engine = new AbortController();
      setTimeout(() => engine.abort(new Error('Hostwatch is stopping')), 100);
      const outcome = await tcpRunner(tcp({ port: server.port, expect: 'never' }), localContext(2000, engine.signal));
      assert.equal(outcome.status, 'down');
      assert.equal(outcome.reason, 'stopped: Hostwatch is stopping');
      await server.closedCount(1);
    } finally {
      await server.close();
    }
  });

  test('a name that does not resolve is down: no such host', { skip: unknownHostSkip ?? false }, async () => {
    const outcome = await tcpRunner(tcp({ target: 'nosuch.invalid', port: 80 }), localContext(3000));
    assert.equal(outcome.status, 'down');
    assert.equal(outcome.reason, 'no such host');
  });
});

// ---------------------------------------------------------------------------------------------------
// DNS

const dnsmasqSkip = dnsmasqSkipReason();
if (dnsmasqSkip !== null && process.env.CI) throw new Error(`the DNS check tests need dnsmasq under CI: ${dnsmasqSkip}`);

describe('DNS runner', { skip: dnsmasqSkip ?? false }, () => {
  let server: Dnsmasq;
  before(async () => {
    server = await startDnsmasq([
      '--local=/test/',
      '--address=/web.test/192.0.2.10',
      '--host-record=dual.test,192.0.2.20,2001:db8::20',
      '--cname=www.test,dual.test',
      '--mx-host=mail.test,mx1.mail.test,10',
      '--mx-host=mail.test,mx2.mail.test,20',
      '--txt-record=txt.test,v=spf1 ,-all',
    ], 'web.test');
  });
  after(async () => {
    await server?.close();
  });
  const run = dnsRunner();
  const check = (fields: Partial<DnsCheck> & { query: string }) =>
    DnsCheck.parse({ name: 'dns', type: 'dns', server: server.server, timeoutSeconds: 2, ...fields });
  const answered = (count: number) => [{ metric: 'probe_dns_answer_rrs', attributes: {}, value: count }];

  test('A: the expected address is up', async () => {
    const outcome = await run(check({ query: 'web.test', expect: ['192.0.2.10'] }), localContext(2000));
    assert.equal(outcome.status, 'up');
    assert.equal(outcome.reason, '');
    assert.deepEqual(outcome.details, { answers: ['192.0.2.10'], rcode: 'NOERROR' });
    assert.deepEqual(outcome.metrics, answered(1));
    assert.equal(outcome.excerpt, '192.0.2.10');
  });

  test('AAAA: compared in canonical form', async () => {
    const outcome = await run(check({ query: 'dual.test', recordType: 'AAAA', expect: ['2001:DB8:0::20'] }), localContext(2000));
    assert.equal(outcome.status, 'up');
    assert.equal(outcome.reason, '');
    assert.deepEqual(outcome.details, { answers: ['2001:db8::20'], rcode: 'NOERROR' });
    assert.deepEqual(outcome.metrics, answered(1));
  });

  test('CNAME: names compared without case or trailing dot', async () => {
    const outcome = await run(check({ query: 'www.test', recordType: 'CNAME', expect: ['DUAL.test.'] }), localContext(2000));
    assert.equal(outcome.status, 'up');
    assert.equal(outcome.reason, '');
    assert.deepEqual(outcome.details, { answers: ['dual.test'], rcode: 'NOERROR' });
    assert.deepEqual(outcome.metrics, answered(1));
  });

  test('MX: `priority exchange`, all expected present in any order', async () => {
    const outcome = await run(check({ query: 'mail.test', recordType: 'MX', expect: ['20 MX2.mail.test.', '10 mx1.mail.test'] }), localContext(2000));
    assert.equal(outcome.status, 'up');
    assert.equal(outcome.reason, '');
    assert.deepEqual([...outcome.details.answers!].sort(), ['10 mx1.mail.test', '20 mx2.mail.test']);
    assert.equal(outcome.details.rcode, 'NOERROR');
    assert.deepEqual(outcome.metrics, answered(2));
  });

  test('TXT: the chunks of a record joined', async () => {
    const outcome = await run(check({ query: 'txt.test', recordType: 'TXT', expect: ['v=spf1 -all'] }), localContext(2000));
    assert.equal(outcome.status, 'up');
    assert.equal(outcome.reason, '');
    assert.deepEqual(outcome.details, { answers: ['v=spf1 -all'], rcode: 'NOERROR' });
    assert.deepEqual(outcome.metrics, answered(1));
  });

  test('a wrong expected answer is down, saying what came back', async () => {
    const outcome = await run(check({ query: 'web.test', expect: ['192.0.2.99'] }), localContext(2000));
    assert.equal(outcome.status, 'down');
    assert.equal(outcome.reason, 'expected 192.0.2.99, got 192.0.2.10');
    assert.deepEqual(outcome.details, { answers: ['192.0.2.10'], rcode: 'NOERROR' });
    assert.deepEqual(outcome.metrics, answered(1));
  });

  test('NXDOMAIN expected and got is up', async () => {
    const outcome = await run(check({ query: 'gone.test', expectRcode: 'NXDOMAIN' }), localContext(2000));
    assert.equal(outcome.status, 'up');
    assert.equal(outcome.reason, '');
    assert.deepEqual(outcome.details, { answers: [], rcode: 'NXDOMAIN' });
    assert.deepEqual(outcome.metrics, answered(0));
    assert.equal(outcome.excerpt, null);
  });

  test('NXDOMAIN where NOERROR is expected is down', async () => {
    const outcome = await run(check({ query: 'gone.test' }), localContext(2000));
    assert.equal(outcome.status, 'down');
    assert.equal(outcome.reason, 'expected NOERROR, got NXDOMAIN');
    assert.deepEqual(outcome.details, { answers: [], rcode: 'NXDOMAIN' });
    assert.deepEqual(outcome.metrics, answered(0));
  });

  test('REFUSED (a name dnsmasq has no server for) is down', async () => {
    const outcome = await run(check({ query: 'example.org' }), localContext(2000));
    assert.equal(outcome.status, 'down');
    assert.equal(outcome.reason, 'expected NOERROR, got REFUSED');
    assert.deepEqual(outcome.details, { answers: [], rcode: 'REFUSED' });
  });

  test('NOERROR without records of the type (ENODATA) is down', async () => {
    const outcome = await run(check({ query: 'dual.test', recordType: 'CNAME' }), localContext(2000));
    assert.equal(outcome.status, 'down');
    assert.equal(outcome.reason, 'no CNAME records');
    assert.deepEqual(outcome.details, { answers: [], rcode: 'NOERROR' });
    assert.deepEqual(outcome.metrics, answered(0));
  });

  test('an answer slower than degradedAboveSeconds is degraded', async () => {
    const outcome = await run(check({ query: 'web.test', degradedAboveSeconds: 1e-9 }), localContext(2000));
    assert.equal(outcome.status, 'degraded');
    assert.match(outcome.reason, /^answered in \d+(\.\d+)? (µs|ms|s), above 1e-9 s$/);
    assert.deepEqual(outcome.metrics, answered(1));
  });

  test('a server that does not answer is down at the timeout', async () => {
    const silent = await silentDnsServer();
    try {
      const { outcome, seconds } = await timed(() =>
        run(check({ query: 'web.test', server: silent.server, timeoutSeconds: 0.5 }), localContext(500)));
      assert.equal(outcome.status, 'down');
      assert.equal(outcome.reason, 'timed out after 0.5 s');
      assert.deepEqual(outcome.details, {});
      assert.deepEqual(outcome.metrics, []);
      assert.ok(seconds >= 0.45 && seconds < 1, `the run took ${seconds} s`);
      assert.ok(silent.queries() >= 1, 'the query reached the server');
    } finally {
      await silent.close();
    }
  });

  test('server addresses: address, address:port, [v6], [v6]:port, bare v6', () => {
    assert.deepEqual(parseServer('192.0.2.1'), { host: '192.0.2.1', port: 53 });
    assert.deepEqual(parseServer('192.0.2.1:5353'), { host: '192.0.2.1', port: 5353 });
    assert.deepEqual(parseServer('[2001:db8::1]'), { host: '2001:db8::1', port: 53 });
    assert.deepEqual(parseServer('[2001:db8::1]:5353'), { host: '2001:db8::1', port: 5353 });
    assert.deepEqual(parseServer('2001:db8::1'), { host: '2001:db8::1', port: 53 });
    assert.deepEqual(parseServer('ns.example.com:53'), { host: 'ns.example.com', port: 53 });
    assert.equal(parseServer('192.0.2.1:0'), null);
    assert.equal(parseServer('192.0.2.1:70000'), null);
    assert.equal(parseServer('[2001:db8::1]:x'), null);
  });
});

// ---------------------------------------------------------------------------------------------------
// Ping

function pingSkipReason(): string | null {
  try {
    execFileSync('ping', ['-V'], { stdio: 'ignore' });
    return null;
  } catch (error) {
    return `ping does not run here: ${(error as Error).message.split('\n')[0]}`;
  }
}

function netnsSkipReason(): string | null {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const name = `hwprobe${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `network namespaces are not available (${(error as Error).message.split('\n')[0]})`;
  }
}

const pingSkip = pingSkipReason();
const netnsSkip = pingSkip ?? netnsSkipReason();
if (netnsSkip !== null && process.env.CI) throw new Error(`the ping check tests need ping and ip netns under CI: ${netnsSkip}`);

/**
 * A namespace `hwpingN` joined to this one by a veth pair on 10.254.N.0/30 (here .1, there .2), whose
 * side ignores echo requests (net.ipv4.icmp_echo_ignore_all=1): pings to .2 get no reply.
 */
function makeSilentPeer(): { address: string; remove(): void } {
  const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const inUse = ip('-o', '-4', 'addr') + ip('-4', 'route');
  let n = process.pid % 250;
  while (inUse.includes(`10.254.${n}.`)) n = (n + 1) % 250;
  const ns = `hwping${n}`;
  const remove = () => {
    try {
      ip('netns', 'del', ns); // takes the veth pair with it
    } catch {
      // Not there.
    }
  };
  remove();
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', `hwp${n}a`, 'type', 'veth', 'peer', 'name', `hwp${n}b`, 'netns', ns);
    ip('addr', 'add', `10.254.${n}.1/30`, 'dev', `hwp${n}a`);
    ip('link', 'set', `hwp${n}a`, 'up');
    ip('-n', ns, 'addr', 'add', `10.254.${n}.2/30`, 'dev', `hwp${n}b`);
    ip('-n', ns, 'link', 'set', `hwp${n}b`, 'up');
    ip('netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.icmp_echo_ignore_all=1');
  } catch (error) {
    remove();
    throw error;
  }
  return { address: `10.254.${n}.2`, remove };
}

function ping(fields: Partial<PingCheck> & { target: string }): PingCheck {
  return PingCheck.parse({ name: 'ping', type: 'ping', timeoutSeconds: 2, ...fields });
}
const lossMetric = (value: number) => [{ metric: 'probe_icmp_loss_ratio', attributes: {}, value }];

describe('ping runner', { skip: pingSkip ?? false }, () => {
  const run = pingRunner();

  test('127.0.0.1 is up, with the round trip', async () => {
    const { outcome, seconds } = await timed(() => run(ping({ target: '127.0.0.1' }), localContext(2000)));
    assert.equal(outcome.status, 'up');
    assert.equal(outcome.reason, '');
    assert.equal(outcome.details.sent, 3);
    assert.equal(outcome.details.received, 3);
    assert.ok(outcome.details.rttSeconds! > 0 && outcome.details.rttSeconds! < 0.1, `rtt ${outcome.details.rttSeconds} s`);
    assert.deepEqual(outcome.metrics, lossMetric(0));
    assert.match(outcome.excerpt!, /^--- 127\.0\.0\.1 ping statistics ---\n3 packets transmitted, 3 received/);
    assert.ok(seconds < 1.5, `took ${seconds} s`);
  });

  test('an average round trip above degradedAboveSeconds is degraded', async () => {
    const outcome = await run(ping({ target: '127.0.0.1', count: 1, degradedAboveSeconds: 1e-9 }), localContext(2000));
    assert.equal(outcome.status, 'degraded');
    assert.match(outcome.reason, /^round trip \d+(\.\d+)? (µs|ms|s) on average, above 1e-9 s$/);
    assert.deepEqual(outcome.metrics, lossMetric(0));
  });

  describe('a peer that ignores echo requests', { skip: netnsSkip ?? false }, () => {
    let peer: { address: string; remove(): void };
    before(() => { peer = makeSilentPeer(); });
    after(() => { peer?.remove(); });

    test('100 % loss is down within the timeout', async () => {
      const { outcome, seconds } = await timed(() => run(ping({ target: peer.address, timeoutSeconds: 1.5 }), localContext(1500)));
      assert.equal(outcome.status, 'down');
      assert.equal(outcome.reason, 'no reply to 3 echo requests');
      assert.deepEqual(outcome.details, { sent: 3, received: 0 });
      assert.deepEqual(outcome.metrics, lossMetric(1));
      assert.ok(seconds < 1.5, `the run took ${seconds} s, past its timeout`);
    });

    test('more echo requests than fit in the timeout: ping is interrupted at the timeout, down', async () => {
      const { outcome, seconds } = await timed(() => run(ping({ target: peer.address, count: 10, timeoutSeconds: 0.5 }), localContext(500)));
      assert.equal(outcome.status, 'down');
      assert.equal(outcome.reason, 'timed out after 0.5 s');
      assert.equal(outcome.details.received, 0);
      assert.ok(outcome.details.sent! >= 1 && outcome.details.sent! < 10, `sent ${outcome.details.sent}`);
      assert.deepEqual(outcome.metrics, lossMetric(1));
      assert.ok(seconds >= 0.45 && seconds < 1, `the run took ${seconds} s`);
    });
  });

  test('a missing ping binary is down: ping is not installed', async () => {
    const outcome = await pingRunner({ binary: '/nonexistent/ping' })(ping({ target: '127.0.0.1' }), localContext(2000));
    assert.deepEqual({ ...outcome, durationSeconds: 0 },
      { status: 'down', reason: 'ping is not installed', durationSeconds: 0, excerpt: null, details: {}, metrics: [] });
  });

  test('a name that does not resolve is down: no such host', { skip: unknownHostSkip ?? false }, async () => {
    const outcome = await run(ping({ target: 'nosuch.invalid' }), localContext(3000));
    assert.equal(outcome.status, 'down');
    assert.equal(outcome.reason, 'no such host');
    assert.deepEqual(outcome.metrics, []);
  });

  test('a context through SSH is down: ping runs from this machine only', async () => {
    const outcome = await run(ping({ target: '127.0.0.1' }), sshContext(2000));
    assert.equal(outcome.status, 'down');
    assert.equal(outcome.reason, 'ping runs from this machine only');
  });
});

test('ping summaries: iputils with errors and duplicates, BusyBox, none', () => {
  assert.deepEqual(parsePingSummary('3 packets transmitted, 2 received, +1 errors, 33.3333% packet loss, time 2003ms\n'
    + 'rtt min/avg/max/mdev = 0.046/0.136/0.287/0.107 ms\n'), { sent: 3, received: 2, rttAvgSeconds: 0.000136 });
  assert.deepEqual(parsePingSummary('3 packets transmitted, 0 received, 100% packet loss, time 406ms\n'),
    { sent: 3, received: 0, rttAvgSeconds: null });
  assert.deepEqual(parsePingSummary('3 packets transmitted, 3 packets received, 0% packet loss\n'
    + 'round-trip min/avg/max = 0.061/0.080/0.099 ms\n'), { sent: 3, received: 3, rttAvgSeconds: 0.00008 });
  assert.equal(parsePingSummary('ping: nosuch.invalid: Name or service not known\n'), null);
});
