/**
 * The collector of one remote Linux host: one persistent SSH connection and on it one session running
 * the loop (session.ts), whose answers feed the same parsers as the local host's files. While the host
 * cannot be asked, collect() rejects with HostUnavailableError, so the engine records a gap (unknown
 * values, never zeros or the last values held), and the collector reconnects in the background with
 * exponential backoff and jitter. Host key and authentication failures wait for reconnect().
 */
import type { Duplex } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { HostState, Inventory, ProcessList, Snapshot } from '../../../../shared/api.ts';
import type { HostKey } from '../../../../shared/hosts.ts';
import { superviseScript, type ScriptResult } from '../../scripts.ts';
import { connect as sshConnect, type ConnectOptions, type SshConnection } from '../../ssh/connect.ts';
import { SshError } from '../../ssh/errors.ts';
import { parsePasswd } from '../linux/passwd.ts';
import { HostUnavailableError, type Collector } from '../collector.ts';
import { LinuxSnapshotter, type SnapshotterOptions } from '../snapshotter.ts';
import type { FrameLimits } from './frame.ts';
import { parseInventoryAnswer } from './inventory.ts';
import { RemoteProcessSampler } from './processes.ts';
import { snapshotSections } from './sections.ts';
import { RemoteSession } from './session.ts';

/** What the collector tells its owner whenever it changes. */
export interface SshCollectorStatus {
  readonly state: HostState;
  readonly lastError: string | null;
  /** The key the host offered when it is unknown or changed; else null. */
  readonly offeredKey: HostKey | null;
}

export interface SshCollectorOptions extends SnapshotterOptions, FrameLimits {
  /** Called on every change of state, error or offered key; exceptions it throws are ignored. */
  readonly onStatus?: (status: SshCollectorStatus) => void;
  /** Opens connections; default connect() of ssh/connect.ts. */
  readonly connect?: typeof sshConnect;
  /** First retry delay, ms (doubling up to maxBackoffMs); default 1000. */
  readonly minBackoffMs?: number;
  /** Longest retry delay, ms; default 60 000. */
  readonly maxBackoffMs?: number;
}

/** How many processes each of the two top lists (by CPU, by memory) holds, as locally. */
const TOP_PROCESSES = 10;

/** How long to wait, after the session ends, for the connection to say whether it ended too, ms. */
const CONNECTION_SETTLE_MS = 200;

/** SshError codes that retrying cannot fix: they wait for the user and reconnect(). */
const PERMANENT: Partial<Record<SshError['code'], HostState>> = {
  host_key_unknown: 'host_key_unknown',
  host_key_changed: 'host_key_changed',
  // A revoked key is refused like a changed one; there is nothing for the user to accept.
  host_key_revoked: 'host_key_changed',
  auth_failed: 'auth_failed',
};

/** The state a retryable SshError leaves a host in. */
function transientState(code: SshError['code']): HostState {
  return code === 'protocol' ? 'error' : 'unreachable';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One remote host. Keep one instance per host and polling interval: it holds the counter baselines.
 * It starts connecting when constructed.
 */
export class SshCollector implements Collector {
  readonly host: string;
  readonly #connectOptions: ConnectOptions;
  readonly #options: SshCollectorOptions;
  readonly #snapshotter: LinuxSnapshotter;
  readonly #processes = new RemoteProcessSampler();
  #status: SshCollectorStatus = { state: 'connecting', lastError: null, offeredKey: null };
  #connection: SshConnection | null = null;
  #session: RemoteSession | null = null;
  #users: Promise<Map<number, string>> | null = null;
  #inventory: Promise<Inventory> | null = null;
  /** Failed attempts since the last answer; sets the next delay. */
  #failures = 0;
  #closed = false;
  /** Whether the supervisor runs (connecting, online, or waiting to retry). */
  #running = false;
  /** Ends the supervisor's wait before a retry (reconnect(), close()). */
  #wake: (() => void) | null = null;

  /**
   * `host`: the host id snapshots carry; `connectOptions`: where and how to connect (connect.ts).
   */
  constructor(host: string, connectOptions: ConnectOptions, options: SshCollectorOptions = {}) {
    this.host = host;
    this.#connectOptions = connectOptions;
    this.#options = options;
    this.#snapshotter = new LinuxSnapshotter(options);
    this.#start();
  }

  /** The host's state, last error and offered key now. */
  get status(): SshCollectorStatus {
    return this.#status;
  }

  /**
   * A snapshot taken at `now` (ms since epoch). Rejects with HostUnavailableError when the host is not
   * online or its answer fails (too large, late, malformed, session ended): the values are then unknown.
   */
  async collect(now: number): Promise<Snapshot> {
    const answer = await this.#request('snapshot');
    const parts = this.#snapshotter.snapshot(snapshotSections(answer), now);
    return { host: this.host, time: now, samples: parts.samples, errors: parts.errors };
  }

  /**
   * The top 10 processes by CPU and by memory (CPU since the previous call; none on the first). Names are
   * the kernel's comm (see RemoteProcessSampler). Rejects with HostUnavailableError like collect().
   */
  async processes(now: number): Promise<ProcessList> {
    const answer = await this.#request('processes');
    const users = await this.#userNames().catch(() => new Map<number, string>());
    return { host: this.host, time: now, processes: this.#processes.top(answer, now, users, TOP_PROCESSES) };
  }

  /** What the host is; read once per collector. Rejects with HostUnavailableError like collect(). */
  inventory(): Promise<Inventory> {
    this.#inventory ??= this.#request('inventory').then((answer) => parseInventoryAnswer(this.host, answer));
    this.#inventory.catch(() => {
      this.#inventory = null;
    });
    return this.#inventory;
  }

  /** Tries again now: after the user accepted a host key or fixed credentials, or to skip a backoff wait. */
  reconnect(): void {
    if (this.#closed) return;
    this.#failures = 0;
    if (this.#running) {
      this.#wake?.();
      return;
    }
    this.#start();
  }

  /**
   * A TCP connection from the host to `address`:`port` (RFC 4254 §7.2, direct-tcpip: what `ssh -L`
   * does), for checks that run from the host. Rejects with HostUnavailableError when the host is not
   * online, and with the channel's error when sshd refuses (forwarding disabled, as for a key pinned with
   * restrictedKeyLine) or the connection from the host fails.
   */
  forwardOut(address: string, port: number): Promise<Duplex> {
    let connection: SshConnection;
    try {
      connection = this.#online();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      connection.client.forwardOut('127.0.0.1', 0, address, port, (error, channel) => {
        if (error) reject(new Error(`the host could not connect to ${address}:${port}: ${error.message}`, { cause: error }));
        else resolve(channel);
      });
    });
  }

  /**
   * A connection from the host to its Unix socket `path` (OpenSSH's streamlocal forwarding, what
   * `ssh -L port:/path` does), for checks that ask a daemon there (the Docker Engine API). Rejects like
   * forwardOut.
   */
  async forwardOutStreamLocal(path: string): Promise<Duplex> {
    const connection = this.#online();
    return new Promise((resolve, reject) => {
      connection.client.openssh_forwardOutStreamLocal(path, (error, channel) => {
        if (error) reject(new Error(`the host could not connect to ${path}: ${error.message}`, { cause: error }));
        else resolve(channel);
      });
    });
  }

  /**
   * Runs `script` on the host: a channel running `sh` with the script on its stdin (see scripts.ts), in
   * the C locale, under `timeout -s KILL` for `limitMs` (rounded up to seconds): sshd does not end a
   * command when its channel closes, so the host itself kills what outlives its time, with its process
   * group. Rejects with HostUnavailableError when the host is not online, with the channel's error when
   * sshd refuses, and with `signal`'s reason when it aborts (the channel is closed).
   */
  async runScript(script: string, signal: AbortSignal, limitMs: number): Promise<ScriptResult> {
    const connection = this.#online();
    // Plain words, parsed alike by every login shell sshd may hand the command to (fish, tcsh…).
    const command = `timeout -s KILL ${Math.max(1, Math.ceil(limitMs / 1000))} sh`;
    return new Promise<ClientChannel>((resolve, reject) => {
      connection.client.exec(command, { pty: false }, (error, channel) => {
        if (error) reject(new Error(`the host refused to run a command: ${error.message}`, { cause: error }));
        else resolve(channel);
      });
    }).then((channel) => {
      const exited = new Promise<{ exitCode: number | null; signal: string | null }>((resolve) => {
        let exit: { exitCode: number | null; signal: string | null } = { exitCode: null, signal: 'HUP' };
        channel.on('exit', (code: number | null, signalName?: string) => {
          exit = { exitCode: typeof code === 'number' ? code : null, signal: signalName ?? null };
        });
        channel.on('close', () => resolve(exit));
      });
      return superviseScript({
        stdin: channel, stdout: channel, stderr: channel.stderr, exited, kill: () => channel.close(),
      }, `LC_ALL=C; export LC_ALL\n${script}`, signal);
    });
  }

  /** The connection when the host is online; else throws HostUnavailableError. */
  #online(): SshConnection {
    const connection = this.#connection;
    if (this.#closed || connection === null || this.#status.state !== 'online') {
      const { state, lastError } = this.#status;
      throw new HostUnavailableError(state === 'online' ? 'connecting' : state, lastError ?? 'The host is not connected');
    }
    return connection;
  }

  /** Closes the session and the connection; collect() then rejects. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    this.#session?.close();
    this.#connection?.close();
    this.#session = null;
    this.#connection = null;
  }

  async #request(verb: 'snapshot' | 'processes' | 'inventory' | 'passwd') {
    const session = this.#session;
    if (this.#closed) throw new HostUnavailableError('error', 'The collector is closed');
    if (session === null || session.ended) {
      const { state, lastError, offeredKey } = this.#status;
      throw new HostUnavailableError(state === 'online' ? 'connecting' : state,
        lastError ?? (state === 'connecting' || state === 'online' ? 'Connecting' : state), offeredKey);
    }
    try {
      const answer = await session.request(verb);
      this.#failures = 0;
      return answer;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new HostUnavailableError('error', message);
    }
  }

  /** uid → name from the host's /etc/passwd, read once per session. */
  #userNames(): Promise<Map<number, string>> {
    this.#users ??= this.#request('passwd').then((a) => parsePasswd(a.get('passwd') ?? ''));
    this.#users.catch(() => {
      this.#users = null;
    });
    return this.#users;
  }

  #start(): void {
    this.#running = true;
    this.#setStatus({ state: 'connecting', lastError: null, offeredKey: null });
    void this.#supervise().finally(() => {
      this.#running = false;
    });
  }

  /** Connects, opens the session, waits for either to end, and again after a backoff, until told to stop. */
  async #supervise(): Promise<void> {
    const connect = this.#options.connect ?? sshConnect;
    while (!this.#closed) {
      let connection: SshConnection | null = null;
      try {
        connection = await connect(this.#connectOptions);
        if (this.#closed) {
          connection.close();
          return;
        }
        this.#connection = connection;
        const session = await RemoteSession.open(connection, this.#options);
        if (this.#closed) {
          session.close();
          return;
        }
        this.#session = session;
        this.#users = null;
        this.#setStatus({ state: 'online', lastError: null, offeredKey: null });
        const ended = await Promise.race([session.closed, connection.closed]);
        this.#session = null;
        session.close();
        if (this.#closed) return;
        // A session cut off by the network ends a moment before its connection does: name the right cause.
        const connectionEnd = await Promise.race([connection.closed.then((e) => e ?? ended), sleep(CONNECTION_SETTLE_MS)]);
        if (connectionEnd instanceof SshError) this.#setStatus({ state: 'unreachable', lastError: connectionEnd.message, offeredKey: null });
        else this.#setStatus({ state: 'error', lastError: ended?.message ?? 'The session ended', offeredKey: null });
      } catch (error) {
        if (this.#closed) return;
        if (error instanceof SshError) {
          const permanent = PERMANENT[error.code];
          const key = error.offeredKey ? { type: error.offeredKey.type, fingerprint: error.offeredKey.fingerprint } : null;
          this.#setStatus({ state: permanent ?? transientState(error.code), lastError: error.message, offeredKey: key });
          if (permanent) return; // nothing more is sent to this host until reconnect()
        } else {
          this.#setStatus({ state: 'error', lastError: error instanceof Error ? error.message : String(error), offeredKey: null });
        }
      } finally {
        // The loop and the connection go together: a fresh connection also finds out whether the host is up.
        connection?.close();
        if (this.#connection === connection) this.#connection = null;
      }
      await this.#backoff();
    }
  }

  /** Waits before the next attempt: 1 s, 2 s, 4 s … up to 60 s, each with ±25 % jitter; reconnect() and close() cut it short. */
  #backoff(): Promise<void> {
    const min = this.#options.minBackoffMs ?? 1000;
    const max = this.#options.maxBackoffMs ?? 60_000;
    const base = Math.min(max, min * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    const delay = base * (0.75 + Math.random() * 0.5);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, delay);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    }).finally(() => {
      this.#wake = null;
    });
  }

  #setStatus(status: SshCollectorStatus): void {
    const s = this.#status;
    if (s.state === status.state && s.lastError === status.lastError && s.offeredKey?.fingerprint === status.offeredKey?.fingerprint) return;
    this.#status = status;
    try {
      this.#options.onStatus?.(status);
    } catch {
      // The owner's callback must not break collection.
    }
  }
}
