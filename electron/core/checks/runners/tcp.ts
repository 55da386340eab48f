/**
 * The TCP check's runner: connects through the context (from this machine, or from the host through its
 * SSH connection: the runner does not know which), measures the time to connect, and optionally sends a
 * line and matches the reply against a regular expression.
 */
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { TcpCheck } from '../../../../shared/checks/index.ts';
import {
  abortedReason, CheckUnavailableError, excerptOf, formatSeconds, RESPONSE_CAP_BYTES, type CheckOutcome, type Runner,
} from '../runner.ts';

/**
 * Runs a TCP check: `context.connect(target, port)`, timed from the call to the connection (seconds);
 * then, when `send` is set, writes it with a newline, and when `expect` is set, reads the reply until
 * the pattern (a `u` regular expression) matches it, the peer closes, RESPONSE_CAP_BYTES arrived or
 * the context aborts. Down with the reason in words ("connection refused", "no such host", "timed out
 * after 2 s", "reply does not match /…/: \"…\""); degraded when connecting took longer than
 * `degradedAboveSeconds`. The socket is always destroyed. No type metrics (the scheduler adds
 * probe_success and probe_duration_seconds); `durationSeconds` is the whole run, connect and reply.
 * Throws only CheckUnavailableError (the path to the host is down).
 */
export const tcpRunner: Runner<TcpCheck> = async (spec, context) => {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const down = (reason: string, excerpt: string | null = null): CheckOutcome =>
    ({ status: 'down', reason, durationSeconds: elapsed(), excerpt, details: {}, metrics: [] });

  let socket: Duplex;
  try {
    socket = await context.connect(spec.target, spec.port);
  } catch (error) {
    if (error instanceof CheckUnavailableError) throw error;
    return down(context.signal.aborted ? abortedReason(context) : connectErrorReason(error));
  }
  const connectSeconds = elapsed();
  // Errors are read where they matter; without a listener one would crash the process.
  let socketError: Error | undefined;
  socket.on('error', (error: Error) => { socketError ??= error; });
  try {
    if (spec.send !== null) {
      const failure = await writeLine(socket, `${spec.send}\n`, context.signal);
      if (failure !== null) return down(failure === 'aborted' ? abortedReason(context) : socketErrorReason(failure));
    }
    let excerpt: string | null = null;
    if (spec.expect !== null) {
      const pattern = new RegExp(spec.expect, 'u');
      const reply = await readUntil(socket, pattern, context.signal, () => socketError);
      excerpt = reply.text === '' ? null : excerptOf(reply.text);
      if (!reply.matched) {
        if (reply.text !== '') return down(`reply does not match /${spec.expect}/: ${quoted(reply.text)}`, excerpt);
        if (reply.end === 'aborted') return down(abortedReason(context));
        if (reply.end === 'error') return down(socketErrorReason(reply.error));
        return down('connection closed without a reply');
      }
    }
    const slow = spec.degradedAboveSeconds !== null && connectSeconds > spec.degradedAboveSeconds;
    return {
      status: slow ? 'degraded' : 'up',
      reason: slow ? `connected in ${formatSeconds(connectSeconds)}, above ${spec.degradedAboveSeconds} s` : '',
      durationSeconds: elapsed(),
      excerpt,
      details: {},
      metrics: [],
    };
  } finally {
    socket.destroy();
  }
};

/** Writes `line`; resolves null once flushed, the error if the write failed, 'aborted' if `signal` fires first. */
function writeLine(socket: Duplex, line: string, signal: AbortSignal): Promise<Error | 'aborted' | null> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve('aborted');
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    socket.write(line, (error) => {
      signal.removeEventListener('abort', onAbort);
      resolve(error ?? null);
    });
  });
}

interface Reply {
  /** What came back (at most RESPONSE_CAP_BYTES, decoded as UTF-8). */
  text: string;
  matched: boolean;
  /** Why reading stopped. */
  end: 'matched' | 'closed' | 'cap' | 'aborted' | 'error';
  error?: Error;
}

/**
 * Reads from `socket` until `pattern` matches what came back, the peer closes, the cap, an error or
 * `signal`; `earlier` gives an error the socket had before (it may be destroyed already).
 */
function readUntil(socket: Duplex, pattern: RegExp, signal: AbortSignal, earlier: () => Error | undefined): Promise<Reply> {
  return new Promise((resolve) => {
    const decoder = new StringDecoder('utf8');
    let text = '';
    let bytes = 0;
    const finish = (end: Reply['end'], error?: Error) => {
      socket.off('data', onData);
      socket.off('end', onClosed);
      socket.off('close', onClosed);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (end !== 'matched') text += decoder.end();
      const matched = end === 'matched' || pattern.test(text);
      resolve({ text, matched, end: matched ? 'matched' : end, ...(error ? { error } : {}) });
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const room = RESPONSE_CAP_BYTES - bytes;
      const kept = buffer.length > room ? buffer.subarray(0, room) : buffer;
      bytes += kept.length;
      text += decoder.write(kept);
      if (pattern.test(text)) finish('matched');
      else if (bytes >= RESPONSE_CAP_BYTES) finish('cap');
    };
    const onClosed = () => finish('closed');
    const onError = (error: Error) => finish('error', error);
    const onAbort = () => finish('aborted');
    if (signal.aborted) return finish('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.once('end', onClosed);
    socket.once('close', onClosed);
    socket.once('error', onError);
    // Closed (or failed) while the line was being sent: no more events will come.
    if (socket.destroyed) {
      const error = earlier();
      finish(error ? 'error' : 'closed', error);
    }
  });
}

/** The reason for a failed connection, from Node's error codes (net) or an SSH channel's message. */
function connectErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_NODATA': return 'no such host';
    case 'EAI_AGAIN': return 'the host name could not be resolved (DNS did not answer)';
    case 'ETIMEDOUT': return 'connection timed out';
    case 'EHOSTUNREACH': return 'host unreachable';
    case 'ENETUNREACH': return 'network unreachable';
    case 'ECONNRESET': return 'connection reset';
  }
  // Through SSH the server says why the channel failed ("(SSH) Channel open failure: Connection refused").
  if (/connection refused/i.test(message)) return 'connection refused';
  if (/name or service not known|nodename nor servname|no address associated|unknown host/i.test(message)) return 'no such host';
  return message;
}

/** The reason for an error on an open connection. */
function socketErrorReason(error: Error | undefined): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'EPIPE') return 'connection closed by the server';
  return error?.message ?? 'connection failed';
}

/** `text`'s first 100 characters as a quoted string (control characters escaped), marked when cut. */
function quoted(text: string): string {
  return text.length <= 100 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 100))}…`;
}
