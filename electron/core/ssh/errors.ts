/**
 * The one error an SSH connection fails with: a code a program can branch on and a message a person can
 * act on. Messages never hold a password, a passphrase or key material.
 */

/**
 * Why a connection failed or ended:
 * - `resolve`: the host name did not resolve; `connect`: the TCP connection (or a jump host's forward)
 *   was refused or unreachable; `timeout`: no answer in time, or keepalives unanswered;
 * - `host_key_unknown` / `host_key_changed` / `host_key_revoked`: the host key check refused the host,
 *   before anything was authenticated;
 * - `auth_failed`: no authentication method succeeded, or none could be tried (say, a wrong passphrase);
 * - `closed`: the server or the network closed the connection; `protocol`: the SSH exchange failed.
 */
export type SshErrorCode =
  | 'resolve'
  | 'connect'
  | 'timeout'
  | 'host_key_unknown'
  | 'host_key_changed'
  | 'host_key_revoked'
  | 'auth_failed'
  | 'closed'
  | 'protocol';

/** The key a host offered, on host key errors; `blob` is what HostKeyStore.trust takes once the user accepts. */
export interface OfferedHostKey {
  readonly type: string;
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  readonly blob: Buffer;
}

/** Details of an SshError. */
export interface SshErrorDetails {
  /** The host the error is about: the target, or the jump host that failed. */
  readonly host?: { readonly address: string; readonly port: number };
  readonly offeredKey?: OfferedHostKey;
  readonly cause?: unknown;
}

export class SshError extends Error {
  readonly code: SshErrorCode;
  readonly host: { readonly address: string; readonly port: number } | undefined;
  /** Set for the host_key_* codes. */
  readonly offeredKey: OfferedHostKey | undefined;

  constructor(code: SshErrorCode, message: string, details: SshErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SshError';
    this.code = code;
    this.host = details.host;
    this.offeredKey = details.offeredKey;
  }
}
