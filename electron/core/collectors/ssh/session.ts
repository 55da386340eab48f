/**
 * One long-lived session on a remote host running the loop (loop.ts): opened with the command `sh` and
 * the loop on its stdin, then asked one request at a time. Everything it reads is bounded in bytes and
 * time; any failure closes the session, and its owner opens a new one.
 */
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { SshConnection } from '../../ssh/connect.ts';
import { AnswerReader, DEFAULT_ANSWER_TIMEOUT_MS, DEFAULT_MAX_ANSWER_BYTES, FrameError, type Answer, type FrameLimits } from './frame.ts';
import { LOOP, READY_LINE, requestLine, type LoopVerb } from './loop.ts';

/** Why a session failed: it could not start, an answer broke the limits, or it ended. */
export class SessionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionError';
  }
}

/** Options of RemoteSession.open. */
export interface SessionOptions extends FrameLimits {
  /** Time the host has to start the loop (login shell, rc files, sh), ms; default the answer timeout. */
  readonly readyTimeoutMs?: number;
}

/** How much stderr (rc files' noise) a session reads before it deems the host to be flooding, bytes. */
const MAX_STDERR_BYTES = 1024 * 1024;

/** A nonce the loop accepts: 32 hex digits (128 random bits). */
function newNonce(): string {
  return randomBytes(16).toString('hex');
}

function execSh(connection: SshConnection): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      // No pty: the loop's stdin and stdout stay byte-exact, and sshd runs no interactive login.
      connection.client.exec('sh', { pty: false }, (error, channel) => {
        if (error) reject(new SessionError(`The host refused a session: ${error.message}`, { cause: error }));
        else resolve(channel);
      });
    } catch (error) {
      reject(new SessionError('The connection cannot open a session', { cause: error }));
    }
  });
}

/**
 * The loop's session. Requests are serialised (one in flight); each resolves with the answer's parts or
 * rejects with a SessionError, after which the session is closed.
 */
export class RemoteSession {
  readonly #channel: ClientChannel;
  readonly #reader: AnswerReader;
  readonly #nonce: string;
  readonly #timeoutMs: number;
  #failure: SessionError | null = null;
  /** The request in flight: how to settle it. */
  #current: { resolve(answer: Answer): void; reject(error: SessionError): void; timer: NodeJS.Timeout } | null = null;
  /** The end of the queue of requests: each waits for the one before it. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Resolves when the session has ended (never rejects), with why. */
  readonly closed: Promise<SessionError>;
  #markClosed!: (error: SessionError) => void;

  private constructor(channel: ClientChannel, nonce: string, limits: FrameLimits) {
    this.#channel = channel;
    this.#nonce = nonce;
    this.#reader = new AnswerReader(nonce, limits);
    this.#timeoutMs = limits.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    this.closed = new Promise((resolve) => {
      this.#markClosed = resolve;
    });
  }

  /**
   * Opens a session on `connection`: runs `sh`, writes the loop, and waits for its ready line (text
   * before it, like a banner a .bashrc prints, is skipped). Rejects with a SessionError when the host
   * refuses the session, does not get ready in time, floods, or ends the session first.
   */
  static async open(connection: SshConnection, options: SessionOptions = {}): Promise<RemoteSession> {
    const timeoutMs = options.readyTimeoutMs ?? options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const opening = execSh(connection);
    const channel = await Promise.race([opening, new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A channel that opens after all is closed rather than left behind.
        opening.then((late) => late.destroy(), () => undefined);
        reject(new SessionError(`The host did not open a session within ${timeoutMs / 1000} s`));
      }, timeoutMs);
    })]).finally(() => clearTimeout(timer));
    const session = new RemoteSession(channel, newNonce(), options);
    try {
      await session.#start(Math.max(1, timeoutMs - (performance.now() - startedAt)), timeoutMs,
        options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES);
    } catch (error) {
      session.#fail(error instanceof SessionError ? error : new SessionError(String(error)));
      throw session.#failure;
    }
    return session;
  }

  /** Writes the loop and resolves once it prints its ready line, within `timeoutMs` (of `totalMs` for opening). */
  #start(timeoutMs: number, totalMs: number, maxBytes: number): Promise<void> {
    const channel = this.#channel;
    let stderrBytes = 0;
    channel.stderr.on('data', (chunk: Buffer) => {
      stderrBytes += chunk.length;
      if (stderrBytes > MAX_STDERR_BYTES) this.#fail(new SessionError(`The host wrote more than ${MAX_STDERR_BYTES} bytes to stderr`));
    });
    channel.on('close', () => this.#fail(new SessionError('The session ended')));
    channel.on('error', (error: Error) => this.#fail(new SessionError(`The session failed: ${error.message}`, { cause: error })));

    return new Promise((resolve, reject) => {
      let text = '';
      let bytes = 0;
      const timer = setTimeout(() => finish(new SessionError(`The loop did not start within ${totalMs / 1000} s`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          finish(new SessionError(`The host sent more than ${maxBytes} bytes before the loop started`));
          return;
        }
        // Only the last partial line is kept: complete lines are the ready line or noise.
        text += chunk.toString('latin1');
        let eol: number;
        while ((eol = text.indexOf('\n')) >= 0) {
          const line = text.slice(0, eol);
          text = text.slice(eol + 1);
          // A banner printed without a final newline shares its last line with the ready line.
          if (line.endsWith(READY_LINE)) {
            finish(null);
            return;
          }
        }
      };
      const onClose = () => finish(this.#failure ?? new SessionError('The session ended before the loop started'));
      const finish = (error: SessionError | null) => {
        clearTimeout(timer);
        channel.removeListener('data', onData);
        channel.removeListener('close', onClose);
        if (error) {
          reject(error);
          return;
        }
        channel.on('data', (chunk: Buffer) => this.#onData(chunk));
        resolve();
      };
      channel.on('data', onData);
      channel.on('close', onClose);
      channel.write(`${LOOP}\n`);
    });
  }

  /** Whether the session has ended (requests then reject at once). */
  get ended(): boolean {
    return this.#failure !== null;
  }

  /**
   * Asks the loop for `verb` and resolves with the answer's parts (see loop.ts). Waits for the requests
   * before it. Rejects with a SessionError, closing the session, when the answer is too large, late or
   * malformed, or the session ends.
   */
  request(verb: LoopVerb): Promise<Answer> {
    const run = this.#queue.then(() => this.#send(verb));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #send(verb: LoopVerb): Promise<Answer> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#expire(), this.#timeoutMs);
      this.#current = { resolve, reject, timer };
      this.#reader.expect(Date.now());
      // One write per request: one packet, so Nagle's algorithm has nothing to hold back.
      this.#channel.write(requestLine(verb, this.#nonce));
    });
  }

  /** Fails the request in flight if the reader finds it overdue; else looks again when it will be. */
  #expire(): void {
    const current = this.#current;
    if (current === null) return;
    try {
      this.#reader.checkDeadline(Date.now());
    } catch (error) {
      this.#fail(asSessionError(error));
      return;
    }
    // Timers may fire a millisecond early.
    current.timer = setTimeout(() => this.#expire(), 5);
  }

  #onData(chunk: Buffer): void {
    if (this.#failure) return;
    let answer: Answer | null;
    try {
      answer = this.#reader.feed(chunk);
    } catch (error) {
      this.#fail(asSessionError(error));
      return;
    }
    const current = this.#current;
    if (answer === null || current === null) return;
    this.#current = null;
    clearTimeout(current.timer);
    current.resolve(answer);
  }

  /** Ends the session with `error`: the request in flight and every later one reject with it. */
  #fail(error: SessionError): void {
    if (this.#failure) return;
    this.#failure = error;
    const current = this.#current;
    this.#current = null;
    if (current) {
      clearTimeout(current.timer);
      current.reject(error);
    }
    // Closing the channel makes sshd close the loop's pipes: a flooding or hung loop then dies too.
    this.#channel.removeAllListeners('data');
    this.#channel.stderr.removeAllListeners('data');
    this.#channel.on('error', () => {});
    try {
      this.#channel.close();
    } catch {
      // Already closed.
    }
    this.#channel.destroy();
    this.#markClosed(error);
  }

  /** Closes the session; requests in flight reject. */
  close(): void {
    this.#fail(new SessionError('The session was closed'));
  }
}

function asSessionError(error: unknown): SessionError {
  if (error instanceof SessionError) return error;
  if (error instanceof FrameError) return new SessionError(`The host's answer was refused: ${error.message}`, { cause: error });
  return new SessionError(String(error));
}
