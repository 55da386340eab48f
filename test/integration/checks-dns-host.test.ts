/**
 * DNS checks run from a host through its SSH connection (a real sshd on 127.0.0.1): the query goes over
 * TCP from the host to a real dnsmasq, each record type decoded from the wire as node:dns decodes it
 * from here; the host's own resolver from its /etc/resolv.conf; a server that accepts and never
 * answers, and one that answers garbage.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DnsCheck } from '../../shared/checks/index.ts';
import { localContext } from '../../electron/core/checks/local.ts';
import type { CheckContext } from '../../electron/core/checks/runner.ts';
import { dnsRunner } from '../../electron/core/checks/runners/dns.ts';
import { firstNameserver } from '../../electron/core/checks/runners/dns-wire.ts';
import type { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { onlineCollector, sshContext } from '../support/ssh-context.ts';
import { dnsmasqSkipReason, startDnsmasq, type Dnsmasq } from '../support/dnsmasq.ts';
import { sshdSkipReason, startSshd, type Sshd } from '../support/sshd.ts';
import { readFileSync } from 'node:fs';

const skip = dnsmasqSkipReason() ?? sshdSkipReason();
if (skip !== null && process.env.CI) throw new Error(`the DNS-from-a-host tests need dnsmasq and sshd under CI: ${skip}`);

describe('DNS checks from a host over SSH', { skip: skip ?? false }, () => {
  let dns: Dnsmasq;
  let sshd: Sshd;
  let collector: SshCollector;
  const run = dnsRunner();
  const context = (timeoutMs = 3000): CheckContext => sshContext(collector, timeoutMs);
  const check = (fields: Record<string, unknown>) =>
    DnsCheck.parse({ name: 'dns', type: 'dns', server: dns.server, from: 'host', timeoutSeconds: 3, ...fields });

  before(async () => {
    dns = await startDnsmasq([
      '--local=/test/', '--address=/web.test/192.0.2.10', '--host-record=dual.test,192.0.2.20,2001:db8::20',
      '--cname=www.test,dual.test', '--mx-host=mail.test,mx1.mail.test,10', '--mx-host=mail.test,mx2.mail.test,20',
      '--txt-record=txt.test,v=spf1 ,-all',
    ], 'web.test');
    sshd = await startSshd();
    collector = await onlineCollector({ sshd });
  });
  after(async () => {
    await collector?.close();
    await sshd?.close();
    await dns?.close();
  });

  test('each record type from the host says what node:dns says from here', async () => {
    for (const [query, recordType] of [['web.test', 'A'], ['dual.test', 'AAAA'], ['www.test', 'CNAME'], ['mail.test', 'MX'], ['txt.test', 'TXT']] as const) {
      const here = await run(check({ query, recordType, from: 'here' }), localContext(3000));
      const there = await run(check({ query, recordType }), context());
      assert.equal(there.status, 'up', `${recordType}: ${there.reason}`);
      assert.deepEqual([...there.details.answers!].sort(), [...here.details.answers!].sort(), recordType);
      assert.equal(there.details.rcode, 'NOERROR');
    }
    const expected = await run(check({ query: 'mail.test', recordType: 'MX', expect: ['20 MX2.mail.test.', '10 mx1.mail.test'] }), context());
    assert.equal(expected.status, 'up', expected.reason);
  });

  test('NXDOMAIN expected or not; a wrong expected answer', async () => {
    assert.equal((await run(check({ query: 'nope.test', expectRcode: 'NXDOMAIN' }), context())).status, 'up');
    const missing = await run(check({ query: 'nope.test' }), context());
    assert.deepEqual([missing.status, missing.reason], ['down', 'expected NOERROR, got NXDOMAIN']);
    const wrong = await run(check({ query: 'web.test', expect: ['192.0.2.99'] }), context());
    assert.deepEqual([wrong.status, wrong.reason], ['down', 'expected 192.0.2.99, got 192.0.2.10']);
  });

  test('a server that never answers times out; one that answers garbage is said so', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => { sockets.push(s); s.on('error', () => {}); });
    const garbage = net.createServer((s) => s.on('error', () => {}).once('data', () => s.end(Buffer.from([0, 40, ...Buffer.alloc(40, 0xc0)]))));
    const listen = (server: net.Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
    const [silentPort, garbagePort] = [await listen(silent), await listen(garbage)];
    try {
      const slow = await run(check({ query: 'web.test', server: `127.0.0.1:${silentPort}`, timeoutSeconds: 1 }), context(1000));
      assert.deepEqual([slow.status, slow.reason], ['down', 'timed out after 1 s']);
      const bad = await run(check({ query: 'web.test', server: `127.0.0.1:${garbagePort}` }), context());
      assert.equal(bad.status, 'down');
      assert.match(bad.reason, new RegExp(`^127\\.0\\.0\\.1:${garbagePort}: the response answers another query$`));
      const closed = await run(check({ query: 'web.test', server: '127.0.0.1:9' }), context());
      assert.equal(closed.status, 'down');
      assert.match(closed.reason, /^127\.0\.0\.1:9: .*(refused|could not connect)/);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      garbage.close();
    }
  });

  test('without a server, the host\'s own resolver from its /etc/resolv.conf is asked', async () => {
    const nameserver = firstNameserver(readFileSync('/etc/resolv.conf', 'utf8'));
    const outcome = await run(check({ query: 'web.test', server: null, timeoutSeconds: 2 }), context(2000));
    if (nameserver === null) {
      assert.deepEqual([outcome.status, outcome.reason], ['down', 'the host has no nameserver in /etc/resolv.conf']);
      return;
    }
    // This machine's resolver does not know web.test (and may be unreachable): what matters is who was asked.
    assert.ok(outcome.status === 'down' && (outcome.reason.startsWith(`${nameserver}:53: `) || /^expected NOERROR|^timed out/.test(outcome.reason)), outcome.reason);
  });
});
