/**
 * The context of a check that runs on this machine: connections are plain TCP and Unix sockets from
 * here, names resolved by the system's resolver, scripts run by this machine's `sh`.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { runScriptHere } from '../scripts.ts';
import type { CheckContext } from './runner.ts';

/** Connects to `host`:`port` from this machine; rejects on error or when `signal` aborts. */
export function connectHere(host: string, port: number, signal: AbortSignal): Promise<Duplex> {
  // Brackets are URL syntax for IPv6; net wants the bare address.
  return connected(signal, () => net.connect({ host: host.replace(/^\[(.*)\]$/, '$1'), port, noDelay: true }));
}

/** Connects to Unix socket `path` on this machine; rejects on error or when `signal` aborts. */
export function connectSocketHere(path: string, signal: AbortSignal): Promise<Duplex> {
  return connected(signal, () => net.connect({ path }));
}

/** The socket `open` starts, once connected; destroyed and rejected when `signal` aborts first. */
function connected(signal: AbortSignal, open: () => net.Socket): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const socket = open();
    const onAbort = () => socket.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

/**
 * A context for a run on this machine: `signal` itself (the scheduler's, which already carries the
 * timeout) or, without it, a signal that times out after `timeoutMs`; `memory` the check's (see
 * CheckContext), a fresh one by default.
 */
export function localContext(timeoutMs: number, signal: AbortSignal = AbortSignal.timeout(timeoutMs), memory: Record<string, unknown> = {}): CheckContext {
  return {
    signal, timeoutMs, via: 'local', memory,
    connect: (host, port) => connectHere(host, port, signal),
    connectSocket: (path) => connectSocketHere(path, signal),
    runScript: (script) => runScriptHere(script, signal, timeoutMs),
    // This machine has no settings of commands: command checks are for remote hosts.
    hostCommand: () => null,
  };
}
