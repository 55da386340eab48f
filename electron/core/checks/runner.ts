/**
 * What a check type's runner is given and gives back. A runner does one run of one check: it opens its
 * connections through the context (so the same runner works from this machine and through a host's
 * SSH connection), honours the context's abort signal (the check's timeout), reads at most
 * RESPONSE_CAP_BYTES of whatever comes back, and returns what it found. It never throws for what it
 * found (a refused connection, a bad status: that is a `down` outcome with the reason); it throws
 * CheckUnavailableError when the check could not run at all (the host's SSH connection is down), which
 * makes the check `unknown`, never `down`.
 */
import type { Duplex } from 'node:stream';
import type { Sample } from '../../../shared/api.ts';
import type { CheckResult } from '../../../shared/checks/index.ts';
import type { ScriptResult } from '../scripts.ts';

/** Bytes of a response a runner reads at most; the rest is left unread and the connection closed. */
export const RESPONSE_CAP_BYTES = 1024 * 1024;
/** Characters of a response kept as an excerpt for the check's events. */
export const EXCERPT_CHARS = 1024;

export interface CheckContext {
  /** Aborted at the check's timeout or when the engine stops; pass it to every wait and I/O. */
  readonly signal: AbortSignal;
  /** The check's timeout, ms (the signal's too). */
  readonly timeoutMs: number;
  /** Where connections come from: this machine, or the check's host through its SSH connection. */
  readonly via: 'local' | 'ssh';
  /**
   * Opens a TCP connection to `host`:`port` (a name is resolved where the connection starts: here, or on
   * the remote host) and resolves once it is connected. Rejects with the connection's error (refused,
   * timed out, unknown name), or CheckUnavailableError when the path itself is down.
   */
  connect(host: string, port: number): Promise<Duplex>;
  /**
   * Opens a connection to Unix socket `path` on the check's host (this machine's, or the remote host's
   * through streamlocal forwarding). Rejects like connect.
   */
  connectSocket(path: string): Promise<Duplex>;
  /**
   * Runs an `sh` script on the check's host (scripts.ts: stdout and stderr each capped at 1 MiB, killed at
   * the signal). Rejects with CheckUnavailableError when the host is not connected, with the signal's
   * reason at the timeout.
   */
  runScript(script: string): Promise<ScriptResult>;
  /**
   * What the runner kept from this check's previous runs (a log file's offset, the restart count last
   * seen), for it to read and change: the same object run after run while the check's spec stays the
   * same, a fresh one for a changed spec and for "test now".
   */
  readonly memory: Record<string, unknown>;
  /**
   * The command named `name` in the check's host's settings (HostSpec.commands), or null when it has
   * none of that name. Command checks run only these: text the user typed into the host's settings.
   */
  hostCommand(name: string): string | null;
}

/**
 * One run's outcome: the result the API shows (shared/checks CheckResult, without `at`) and the
 * type's metrics besides probe_success and probe_duration_seconds (blackbox_exporter's names:
 * probe_http_status_code, probe_ssl_earliest_cert_expiry…; values in the catalog's units), which the
 * scheduler stores with the check's attribute added.
 */
export interface CheckOutcome extends Omit<CheckResult, 'at'> {
  metrics: Sample[];
}

/** A type's runner. */
export type Runner<S> = (spec: S, context: CheckContext) => Promise<CheckOutcome>;

/** The check could not run (its host is unreachable): its state becomes `unknown`. */
export class CheckUnavailableError extends Error {
  override name = 'CheckUnavailableError';
}

/** `text` cut to EXCERPT_CHARS, with a mark where it was cut. */
export function excerptOf(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}…`;
}

/**
 * Why a run stopped at its signal: its timeout (AbortSignal.timeout's DOMException, the scheduler's
 * TimeoutError) in the check's seconds, or `stopped: …` (the engine stopping).
 */
export function abortedReason(context: CheckContext): string {
  const reason: unknown = context.signal.reason;
  return !(reason instanceof Error) || reason.name === 'TimeoutError'
    ? `timed out after ${Number((context.timeoutMs / 1000).toFixed(3))} s`
    : `stopped: ${reason.message}`;
}

/** A duration in seconds as a person reads it: `1.25 s`, `3.2 ms`, `85 µs`. */
export function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${Number(seconds.toFixed(2))} s`;
  if (seconds >= 0.001) return `${Number((seconds * 1000).toFixed(1))} ms`;
  return `${Math.round(seconds * 1e6)} µs`;
}
