/**
 * The context of a check that runs from this machine: connections are plain TCP from here, names
 * resolved by the system's resolver.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { CheckContext } from './runner.ts';

/** Connects to `host`:`port` from this machine; rejects on error or when `signal` aborts. */
export function connectHere(host: string, port: number, signal: AbortSignal): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    // Brackets are URL syntax for IPv6; net wants the bare address.
    const socket = net.connect({ host: host.replace(/^\[(.*)\]$/, '$1'), port, noDelay: true });
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

/** A context for a run from this machine that times out after `timeoutMs` (or when `parent` aborts). */
export function localContext(timeoutMs: number, parent?: AbortSignal): CheckContext {
  const signal = parent ? AbortSignal.any([parent, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  return { signal, timeoutMs, via: 'local', connect: (host, port) => connectHere(host, port, signal) };
}
