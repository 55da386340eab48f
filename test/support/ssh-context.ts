/**
 * Checks run over SSH in tests, without the whole engine: an SshCollector logged in to a test sshd
 * (test/support/sshd.ts, or any sshd with a key) and the CheckContext the engine would give a check on
 * that host — scripts and Unix sockets there, TCP from there.
 */
import assert from 'node:assert/strict';
import { localContext } from '../../electron/core/checks/local.ts';
import type { CheckContext } from '../../electron/core/checks/runner.ts';
import { SshCollector } from '../../electron/core/collectors/ssh/collector.ts';
import { parseKnownHosts, verifyHostKey } from '../../electron/core/ssh/known-hosts.ts';
import type { Sshd } from './sshd.ts';

/** Where to log in: a test sshd's user, or an address, port, user, key and known_hosts line. */
export type Login = { sshd: Sshd; user?: string } | { port: number; user: string; keyPath: string; knownHostsLine: string };

/** A collector logged in to `login` and online; throws when it is not within 20 s. */
export async function onlineCollector(login: Login): Promise<SshCollector> {
  const target = 'sshd' in login
    ? { port: login.sshd.port, user: login.user ?? 'hwtest-sh', keyPath: login.sshd.users[login.user ?? 'hwtest-sh']!.privateKeyPath, knownHostsLine: login.sshd.knownHostsLine() }
    : login;
  const collector = new SshCollector(`ssh-${target.user}-${target.port}`, {
    address: '127.0.0.1', port: target.port, user: target.user,
    auth: { method: 'identity', identityFile: target.keyPath }, jump: [],
    verify: (address, port, key) => verifyHostKey(parseKnownHosts(target.knownHostsLine), address, port, key),
    timeoutMs: 10_000,
  }, { minBackoffMs: 250 });
  for (let i = 0; i < 200 && collector.status.state !== 'online'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(collector.status.state, 'online', collector.status.lastError ?? '');
  return collector;
}

/** The context of a check on `collector`'s host, timing out after `timeoutMs`, with `memory` kept by the caller. */
export function sshContext(collector: SshCollector, timeoutMs: number, memory: Record<string, unknown> = {}): CheckContext {
  const signal = AbortSignal.timeout(timeoutMs);
  return {
    ...localContext(timeoutMs, signal, memory),
    via: 'ssh',
    connect: (host, port) => collector.forwardOut(host, port),
    connectSocket: (path) => collector.forwardOutStreamLocal(path),
    runScript: (script) => collector.runScript(script, signal, timeoutMs),
  };
}
