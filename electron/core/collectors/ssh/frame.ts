/**
 * A streaming reader of the remote loop's answers (see loop.ts for the protocol). Fed the session's
 * stdout chunk by chunk, it finds the answer framed by delimiter lines that carry this session's nonce,
 * ignores whatever comes before (a login banner, a noisy .bashrc), and bounds each answer in bytes and
 * time. The remote side is untrusted: a flood, a hang, a missing `end` or garbage end in a FrameError,
 * never in an exception of another kind or a partial answer.
 */
import { StringDecoder } from 'node:string_decoder';
import { DELIMITER_PREFIX, isValidNonce } from './loop.ts';

/** Default cap on one answer, bytes (what arrives from the request until its `end`). */
export const DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024;
/** Default time one answer may take, ms. */
export const DEFAULT_ANSWER_TIMEOUT_MS = 10_000;

/** Why an answer could not be read. */
export type FrameErrorCode = 'too_large' | 'timeout' | 'malformed' | 'idle_output';

export class FrameError extends Error {
  readonly code: FrameErrorCode;
  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

/** One answer: its parts' texts by part name, in the order they came. */
export type Answer = ReadonlyMap<string, string>;

/** Limits of an AnswerReader. */
export interface FrameLimits {
  /** Bytes one answer may take, banner text before it included; default DEFAULT_MAX_ANSWER_BYTES. */
  readonly maxAnswerBytes?: number;
  /** Time one answer may take from its request, ms; default DEFAULT_ANSWER_TIMEOUT_MS. */
  readonly answerTimeoutMs?: number;
}

const PART_NAME = /^[a-z]{1,32}$/;

/**
 * Reads the answers of one session (one nonce), one at a time. Call expect() when a request is written,
 * then feed() every chunk of stdout until it returns an Answer or throws; check expired() on a timer.
 * After a FrameError the stream's state is unknown: close the session.
 */
export class AnswerReader {
  readonly #begin: string;
  readonly #delimiter: string;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  readonly #decoder = new StringDecoder('utf8');
  /** ms since epoch when the current answer was asked for; null when none is expected. */
  #startedAt: number | null = null;
  #bytes = 0;
  /** Text not yet consumed: a partial line before `begin`, or the body after it (starting with "\n"). */
  #text = '';
  #inBody = false;
  /** Where to resume searching the body for a delimiter. */
  #scan = 0;
  /** The body's delimiter lines found so far: where each starts, its part name, where its text starts. */
  #found: { at: number; name: string; next: number }[] = [];

  /**
   * `nonce`: this session's nonce (16–64 ASCII letters and digits; throws otherwise).
   */
  constructor(nonce: string, limits: FrameLimits = {}) {
    if (!isValidNonce(nonce)) throw new Error('invalid nonce');
    this.#delimiter = `\n${DELIMITER_PREFIX}${nonce} `;
    this.#begin = `${DELIMITER_PREFIX}${nonce} begin`;
    this.#maxBytes = limits.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.#timeoutMs = limits.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  }

  /** Whether an answer is awaited. */
  get pending(): boolean {
    return this.#startedAt !== null;
  }

  /** Starts awaiting the next answer, asked for at `now` (ms since epoch). */
  expect(now: number): void {
    this.#reset(now);
  }

  /** Throws FrameError('timeout') when the awaited answer is overdue at `now`. */
  checkDeadline(now: number): void {
    if (this.#startedAt !== null && now - this.#startedAt >= this.#timeoutMs) {
      this.#reset(null);
      throw new FrameError('timeout', `no complete answer within ${this.#timeoutMs} ms`);
    }
  }

  /**
   * Adds a chunk of stdout. Returns the answer once its `end` line arrived, else null. Throws
   * FrameError: 'too_large' past the byte cap, 'malformed' for a bad delimiter line, 'idle_output' for
   * more than the byte cap while no answer is awaited (output no request asked for). Text after `end`
   * in the same chunk is dropped: the loop writes nothing between answers.
   */
  feed(chunk: Buffer | string): Answer | null {
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.#bytes += size;
    if (this.#startedAt === null) {
      if (this.#bytes > this.#maxBytes) {
        throw new FrameError('idle_output', `the host sent more than ${this.#maxBytes} bytes unasked`);
      }
      return null;
    }
    if (this.#bytes > this.#maxBytes) throw this.#fail('too_large', `answer larger than ${this.#maxBytes} bytes`);
    this.#text += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    if (!this.#inBody && !this.#findBegin()) return null;
    return this.#findEnd();
  }

  /** Drops complete lines before `begin`; true once `begin` was found (#text is then the body). */
  #findBegin(): boolean {
    const text = this.#text;
    let start = 0;
    for (;;) {
      const eol = text.indexOf('\n', start);
      if (eol < 0) {
        this.#text = text.slice(start);
        return false;
      }
      if (text.slice(start, eol) === this.#begin) {
        this.#text = text.slice(eol); // keeps the "\n" so every delimiter in the body follows one
        this.#inBody = true;
        return true;
      }
      start = eol + 1;
    }
  }

  /** The answer when the body holds its `end`, else null. Resumes where the previous chunk's search ended. */
  #findEnd(): Answer | null {
    const text = this.#text;
    const d = this.#delimiter;
    const found = this.#found;
    for (;;) {
      const at = text.indexOf(d, this.#scan);
      if (at < 0) {
        // Nothing further yet: the next search need only cover a delimiter cut by the chunk's end.
        this.#scan = Math.max(this.#scan, text.length - d.length);
        return null;
      }
      const eol = text.indexOf('\n', at + d.length);
      if (eol < 0) {
        this.#scan = at;
        return null;
      }
      const name = text.slice(at + d.length, eol);
      if (!PART_NAME.test(name)) throw this.#fail('malformed', 'malformed delimiter line');
      if (found.length === 0 && at !== 0) throw this.#fail('malformed', 'text between begin and the first part');
      found.push({ at, name, next: eol + 1 });
      // The "\n" ending this line may start the next delimiter line (an empty part).
      this.#scan = eol;
      if (name === 'end') break;
    }
    const parts = new Map<string, string>();
    for (let i = 0; i < found.length - 1; i++) {
      const { name, next } = found[i]!;
      if (name === 'begin' || parts.has(name)) throw this.#fail('malformed', `part "${name}" repeated`);
      // A part's text runs to the "\n" that starts the next delimiter line, that newline included.
      parts.set(name, text.slice(next, found[i + 1]!.at + 1));
    }
    this.#reset(null);
    return parts;
  }

  #reset(startedAt: number | null): void {
    this.#startedAt = startedAt;
    this.#bytes = 0;
    this.#text = '';
    this.#inBody = false;
    this.#scan = 0;
    this.#found = [];
  }

  #fail(code: FrameErrorCode, message: string): FrameError {
    this.#reset(null);
    return new FrameError(code, message);
  }
}
