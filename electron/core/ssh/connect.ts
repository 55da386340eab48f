/**
 * Opens an authenticated SSH connection over ssh2 the way ssh(1) does: resolve the address, connect,
 * verify the host key, authenticate; through ProxyJump hops when there are any, each verified in turn.
 * Every stage is reported as it ends (for "test connection"), and every failure is an SshError.
 */
import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2, { type Client, type ClientChannel, type ClientErrorExtensions } from 'ssh2';

/** ssh2's errors: `code` is the SSH disconnect reason (a number) when the server disconnected. */
type ClientError = Error & ClientErrorExtensions & { code?: unknown };
import { authHandler, planAuth, type AuthOptions, type AuthPlan, type AuthRecord } from './auth.ts';
import { SshError } from './errors.ts';
import { fingerprint, keyTypeOf, type HostKeyVerdict, type OfferedKey } from './known-hosts.ts';

export type { AuthOptions } from './auth.ts';

/** The stages of a connection, in order; a jump host's stages are reported too, its name in the message. */
export type Stage = 'resolve' | 'connect' | 'host_key' | 'auth';

/** A ProxyJump hop. `user` defaults to the target's user. */
export interface JumpOptions {
  readonly address: string;
  readonly port: number;
  readonly user?: string;
}

export interface ConnectOptions {
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** How to authenticate; jump hosts are authenticated the same way (each as its own user). */
  readonly auth: AuthOptions;
  /** ProxyJump hops, first hop first; [] connects directly. */
  readonly jump: readonly JumpOptions[];
  /**
   * Judges the host key each host offers (the target and every jump host, by the address and port the user
   * gave); anything but 'trusted' refuses the host before authenticating. HostKeyStore.check fits.
   */
  readonly verify: (address: string, port: number, key: OfferedKey) => HostKeyVerdict;
  /** Time each host (jump hosts one by one, then the target) has to get from resolving to authenticated, ms; default 10 000. */
  readonly timeoutMs?: number;
  /** SSH keepalive interval, ms; default 15 000. Three unanswered keepalives close the connection. */
  readonly keepaliveIntervalMs?: number;
  /** Called as each stage ends: whether it succeeded, how long it took (ms) and what happened, in words. */
  readonly onStage?: (stage: Stage, ok: boolean, ms: number, message: string) => void;
}

/** An authenticated connection. */
export interface SshConnection {
  /** The ssh2 client of the target host, authenticated; open sessions on it. */
  readonly client: Client;
  /** Closes the target and every jump host. */
  close(): void;
  /**
   * Settles when the connection has ended (never rejects): null after close(), else the SshError that
   * ended it (`timeout` for unanswered keepalives, `closed` otherwise).
   */
  readonly closed: Promise<SshError | null>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_KEEPALIVE_MS = 15_000;
const KEEPALIVE_COUNT_MAX = 3;

const WHILE: Record<Stage, string> = {
  resolve: 'while resolving its name',
  connect: 'while connecting',
  host_key: 'during the SSH handshake',
  auth: 'while authenticating',
};

/** One host on the way: a jump host or the target. */
interface Hop {
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** How messages name it: `web1`, `web1:2222`, `jump host bastion`. */
  readonly label: string;
}

/** A hop's authenticated client, and what it has said since. */
interface OpenHop {
  readonly hop: Hop;
  readonly client: Client;
  /** The last error the client emitted after authenticating. */
  lastError: ClientError | null;
  /** Resolves on the client's 'close'. */
  readonly closed: Promise<void>;
}

/**
 * Connects, verifies and authenticates the target, through `options.jump` first if given. Throws an
 * SshError (see SshErrorCode); nothing is left open when it throws. Identity files are read before the
 * first stage.
 */
export async function connect(options: ConnectOptions): Promise<SshConnection> {
  const plan = await planAuth(options.auth);
  const hops: Hop[] = [
    ...options.jump.map((j) => hopOf(j.address, j.port, j.user ?? options.user, true)),
    hopOf(options.address, options.port, options.user, false),
  ];
  const open: OpenHop[] = [];
  try {
    for (const hop of hops) open.push(await openHop(hop, open.at(-1)?.client ?? null, plan, options));
  } catch (error) {
    for (const h of open.reverse()) h.client.end();
    throw error;
  }
  return connection(open, (options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS) * KEEPALIVE_COUNT_MAX);
}

function hopOf(address: string, port: number, user: string, jump: boolean): Hop {
  const where = port === 22 ? address : `${address}:${port}`;
  return { address, port, user, label: jump ? `jump host ${where}` : where };
}

/** Reports the stage in progress and how long it has run. */
class StageClock {
  readonly #onStage: ConnectOptions['onStage'];
  #stage: Stage;
  #since = performance.now();

  constructor(first: Stage, onStage: ConnectOptions['onStage']) {
    this.#stage = first;
    this.#onStage = onStage;
  }

  get stage(): Stage {
    return this.#stage;
  }

  /** Reports the current stage as passed and starts `next`. */
  pass(message: string, next: Stage | null): void {
    this.#report(true, message);
    if (next !== null) {
      this.#stage = next;
      this.#since = performance.now();
    }
  }

  fail(message: string): void {
    this.#report(false, message);
  }

  #report(ok: boolean, message: string): void {
    const ms = Math.round((performance.now() - this.#since) * 10) / 10;
    try {
      this.#onStage?.(this.#stage, ok, ms, message);
    } catch {
      // A reporting callback must not break the connection it reports on.
    }
  }
}

/** Opens one hop: directly (`via` null) or through the previous hop's client. */
async function openHop(hop: Hop, via: Client | null, plan: AuthPlan, options: ConnectOptions): Promise<OpenHop> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const host = { address: hop.address, port: hop.port };
  // A forwarded hop is resolved by the jump host, as ssh's ProxyJump does.
  const clock = new StageClock(via ? 'connect' : 'resolve', options.onStage);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SshError('timeout', `${hop.label} did not answer within ${timeoutMs / 1000} s ${WHILE[clock.stage]}`, { host })), timeoutMs);
  });
  const within = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, timeout]);
  let abandoned = false;
  let transport: Duplex | undefined;
  let client: Client | undefined;
  try {
    if (via === null) {
      const ip = await within(resolve(hop));
      clock.pass(`${hop.address} is ${ip}`, 'connect');
      const socket = net.connect({ host: ip, port: hop.port, noDelay: true });
      transport = socket;
      await within(once(socket, 'connect')).catch((error: unknown) => {
        throw error instanceof SshError ? error : connectError(hop, error as NodeJS.ErrnoException);
      });
      clock.pass(`Connected to ${ip} port ${hop.port}`, 'host_key');
    } else {
      transport = await within(forward(via, hop, () => abandoned));
      clock.pass(`The jump host opened a channel to ${hop.address} port ${hop.port}`, 'host_key');
    }
    client = new ssh2.Client();
    const opened: OpenHop = { hop, client, lastError: null, closed: new Promise((done) => client!.once('close', done)) };
    // Always listening, so no late error of a failed or closed client is ever unhandled.
    client.on('error', (error) => { opened.lastError = error; });
    await within(handshake(client, transport, hop, plan, options, clock));
    opened.lastError = null;
    return opened;
  } catch (error) {
    abandoned = true;
    const failure = error instanceof SshError ? error : new SshError('protocol', `SSH with ${hop.label} failed ${WHILE[clock.stage]}`, { host, cause: error });
    clock.fail(failure.message);
    client?.destroy();
    transport?.destroy();
    throw failure;
  } finally {
    clearTimeout(timer);
  }
}

/** The address `hop.address` resolves to (dns.lookup, as the system resolves names). */
async function resolve(hop: Hop): Promise<string> {
  try {
    return (await lookup(hop.address)).address;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOTFOUND' ? 'no such host name' : code === 'EAI_AGAIN' ? 'the name server did not answer' : code ?? 'lookup failed';
    throw new SshError('resolve', `Cannot resolve ${hop.address}: ${why}`, { host: { address: hop.address, port: hop.port }, cause: error });
  }
}

function connectError(hop: Hop, error: NodeJS.ErrnoException): SshError {
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused (is sshd running on that port?)',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
  };
  const why = reasons[error.code ?? ''] ?? error.code ?? error.message;
  return new SshError('connect', `Cannot connect to ${hop.label}: ${why}`, { host: { address: hop.address, port: hop.port }, cause: error });
}

/** A direct-tcpip channel from the jump host `via` to `hop` (what `ssh -J` opens); closed if abandoned meanwhile. */
function forward(via: Client, hop: Hop, abandoned: () => boolean): Promise<ClientChannel> {
  return new Promise((resolvePromise, reject) => {
    via.forwardOut('127.0.0.1', 0, hop.address, hop.port, (error, channel) => {
      if (error) {
        reject(new SshError('connect', `The jump host cannot reach ${hop.label}: ${error.message.replace(/^\(SSH\) /, '')}`, {
          host: { address: hop.address, port: hop.port },
          cause: error,
        }));
      } else if (abandoned()) {
        channel.destroy();
      } else {
        resolvePromise(channel);
      }
    });
  });
}

/**
 * Runs ssh2's handshake and authentication over `transport`; resolves on 'ready'. A refused host key stops
 * it before authentication. Non-fatal errors (an agent that cannot be reached, a key that cannot sign)
 * let the next attempt run.
 */
function handshake(client: Client, transport: Duplex, hop: Hop, plan: AuthPlan, options: ConnectOptions, clock: StageClock): Promise<void> {
  const host = { address: hop.address, port: hop.port };
  const record: AuthRecord = { tried: [], offered: null };
  const notes: string[] = [];
  let refusal: SshError | null = null;
  let lastError: ClientError | null = null;

  return new Promise((resolvePromise, reject) => {
    const finish = (error: SshError | null) => {
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      client.removeListener('ready', onReady);
      if (error) reject(error);
      else resolvePromise();
    };
    const onReady = () => {
      clock.pass(`Authenticated as ${hop.user} with ${record.tried.at(-1) ?? 'no credentials'}`, null);
      finish(null);
    };
    const onError = (error: ClientError) => {
      if (error.level === 'agent') {
        notes.push('The ssh-agent could not be reached');
        return;
      }
      if (error.level === 'client-authentication' && !/All configured authentication methods failed/.test(error.message)) {
        notes.push(`A key could not sign: ${error.message}`);
        return;
      }
      lastError = error;
      finish(refusal ?? handshakeError(hop, clock.stage, error, plan, record, notes));
    };
    const onClose = () => finish(refusal ?? handshakeError(hop, clock.stage, lastError, plan, record, notes));
    client.on('error', onError);
    client.on('close', onClose);
    client.on('ready', onReady);

    client.connect({
      sock: transport,
      username: hop.user,
      // The caller's deadline covers the whole hop; ssh2's own timer would race it.
      readyTimeout: 0,
      keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      hostVerifier: (blob: Buffer, verify: (valid: boolean) => void) => {
        const key = { type: keyTypeOf(blob) ?? 'unknown', blob: Buffer.from(blob) };
        let verdict: HostKeyVerdict;
        try {
          verdict = options.verify(hop.address, hop.port, key);
        } catch (error) {
          refusal = new SshError('protocol', `The host key of ${hop.label} could not be checked`, { host, cause: error });
          verify(false);
          return;
        }
        const offeredKey = { type: key.type, fingerprint: fingerprint(key.blob), blob: key.blob };
        if (verdict === 'trusted') {
          clock.pass(`${hop.label} offered the trusted ${key.type} key ${offeredKey.fingerprint}`, 'auth');
          verify(true);
          return;
        }
        refusal = hostKeyError(hop, verdict, offeredKey);
        verify(false);
      },
      authHandler: authHandler(plan, hop.user, record),
    });
  });
}

function hostKeyError(hop: Hop, verdict: Exclude<HostKeyVerdict, 'trusted'>, offeredKey: { type: string; fingerprint: string; blob: Buffer }): SshError {
  const details = { host: { address: hop.address, port: hop.port }, offeredKey };
  const key = `${offeredKey.type} ${offeredKey.fingerprint}`;
  switch (verdict) {
    case 'unknown':
      return new SshError('host_key_unknown', `The host key of ${hop.label} is not known yet (${key}): accept it only if it is the server's key`, details);
    case 'changed':
      return new SshError('host_key_changed', `Host key for ${hop.label} (${offeredKey.fingerprint}) changed since it was trusted — if you reinstalled the server, accept the new key; otherwise do not connect`, details);
    case 'revoked':
      return new SshError('host_key_revoked', `The host key of ${hop.label} (${key}) is revoked in known_hosts; Hostwatch will not connect`, details);
  }
}

/** The SshError for a handshake that failed with `error` (null: the connection closed without one) during `stage`. */
function handshakeError(hop: Hop, stage: Stage, error: ClientError | null, plan: AuthPlan, record: AuthRecord, notes: readonly string[]): SshError {
  const host = { address: hop.address, port: hop.port };
  const serverDisconnect = error !== null && typeof error.code === 'number';
  // A server that disconnects while authenticating does so because of it ("Too many authentication failures").
  if (error?.level === 'client-authentication' || (stage === 'auth' && serverDisconnect)) {
    return new SshError('auth_failed', authMessage(hop, plan, record, notes, serverDisconnect ? error?.message : undefined), { host, cause: error });
  }
  if (error?.level === 'client-timeout') return new SshError('timeout', `${hop.label} stopped answering ${WHILE[stage]}`, { host, cause: error });
  if (error === null || error.level === 'client-socket' || serverDisconnect || /Connection lost before handshake/.test(error.message)) {
    const said = serverDisconnect ? ` (${error.message})` : '';
    return new SshError('closed', `${hop.label} closed the connection ${WHILE[stage]}${said}`, { host, cause: error });
  }
  return new SshError('protocol', `SSH with ${hop.label} failed ${WHILE[stage]}: ${error.message}`, { host, cause: error });
}

function authMessage(hop: Hop, plan: AuthPlan, record: AuthRecord, notes: readonly string[], serverSaid: string | undefined): string {
  const parts: string[] = [];
  if (record.tried.length > 0) {
    parts.push(`${hop.label} refused ${hop.user}'s credentials (tried ${record.tried.join(', ')})`);
  } else if (plan.attempts.length > 0 && record.offered) {
    parts.push(`${hop.label} accepts only ${record.offered.join(', ')} authentication, which these settings do not provide`);
  } else if (plan.problems.length === 0) {
    parts.push(`No way to authenticate ${hop.user} to ${hop.label} was given`);
  }
  if (serverSaid) parts.push(`the server said: ${serverSaid}`);
  parts.push(...plan.problems, ...notes);
  return parts.join('. ');
}

/** The SshConnection over the opened hops (target last). */
function connection(open: readonly OpenHop[], keepaliveWindowMs: number): SshConnection {
  const target = open.at(-1)!;
  let closing = false;
  const close = () => {
    closing = true;
    for (const h of [...open].reverse()) h.client.end();
  };
  const closed = target.closed.then(() => {
    const ended = closing ? null : endedError(open, keepaliveWindowMs);
    // The target's end leaves no use for the hops that led to it.
    for (const h of open) h.client.end();
    return ended;
  });
  return { client: target.client, close, closed };
}

/** Why an authenticated connection ended: the first hop (nearest this machine) that saw an error says. */
function endedError(open: readonly OpenHop[], keepaliveWindowMs: number): SshError {
  const failed = open.find((h) => h.lastError !== null) ?? open.at(-1)!;
  const host = { address: failed.hop.address, port: failed.hop.port };
  const error = failed.lastError;
  if (error?.level === 'client-timeout') {
    return new SshError('timeout', `${failed.hop.label} stopped answering keepalives for ${keepaliveWindowMs / 1000} s`, { host, cause: error });
  }
  const why = error ? `: ${error.message}` : '';
  return new SshError('closed', `The connection to ${failed.hop.label} was closed${why}`, { host, cause: error });
}
