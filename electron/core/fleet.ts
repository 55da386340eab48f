/**
 * The hosts the engine watches: this machine and the remote hosts of the hosts table. For each host it
 * owns the collector and the pollers, tracks the host's state (online, unreachable, host key changed, …)
 * and turns every poll into a snapshot for the engine, including a poll that failed: then the snapshot
 * holds only `up` = 0 (and `hostwatch.ssh.host_key_changed`), so history shows the gap and the default
 * rules can raise "host down" and "host key changed" alerts.
 */
import type { Duplex } from 'node:stream';
import { hostname } from 'node:os';
import type { HostState, HostStatus, Inventory, ProcessList, Result, Sample, Snapshot } from '../../shared/api.ts';
import type { HostKey, HostSpec } from '../../shared/hosts.ts';
import { HostUnavailableError } from './collectors/collector.ts';
import type { ScriptResult } from './scripts.ts';
import type { Collector } from './collectors/collector.ts';
import type { EventBus } from './events.ts';
import { phaseOffset, startPoller } from './poller.ts';
import type { Poller } from './poller.ts';
import type { SecretBox } from './secrets.ts';
import { NotFoundError } from './store/errors.ts';
import type { HostRecord, HostRepository } from './store/hosts.ts';

/** The id of this machine's host, in snapshots, history and the hosts table. */
export const LOCAL_HOST_ID = 'local';

/** What a remote collector reports about its connection between polls. */
export interface RemoteStatus {
  state: HostState;
  lastError: string | null;
  offeredKey: HostKey | null;
}

/** A remote host's collector, as the fleet needs it beyond Collector. */
export interface RemoteCollector extends Collector {
  /** Connects again now, after the user fixed what stopped it (a trusted key, a new password). */
  reconnect(): void;
  /**
   * A TCP connection from the host to `address`:`port` through its SSH connection; rejects with
   * HostUnavailableError when the host is not connected.
   */
  forwardOut(address: string, port: number): Promise<Duplex>;
  /** A connection from the host to its Unix socket `path`; rejects like forwardOut. */
  forwardOutStreamLocal(path: string): Promise<Duplex>;
  /** Runs an `sh` script on the host (see scripts.ts); rejects with HostUnavailableError when not connected. */
  runScript(script: string, signal: AbortSignal, limitMs: number): Promise<ScriptResult>;
}

/** Makes the collector of a remote host. `secret` is its password or passphrase in clear, if any. */
export type RemoteCollectorFactory = (
  id: string,
  spec: HostSpec,
  secret: string | undefined,
  onStatus: (status: RemoteStatus) => void,
) => RemoteCollector;

/** What `hosts.test` answers: each stage's outcome, and the key the host offered. */
export type HostTestResult = Result<'hosts.test'>;

/** The engine's remote-host abilities, given by the SSH module (collectors/ssh). */
export interface RemoteSupport {
  collector: RemoteCollectorFactory;
  /** Trusts the key with this `SHA256:` fingerprint when the host offers it next (then reconnect). */
  acceptKey(spec: HostSpec, fingerprint: string): void;
  /** Tries settings without saving them (see the `hosts.test` method). */
  test(spec: HostSpec, secret: string | undefined): Promise<HostTestResult>;
}

export interface FleetOptions {
  hosts: HostRepository;
  bus: EventBus;
  /** This machine's collector. */
  local: Collector;
  /** Makes remote collectors; without it remote hosts are listed but not polled. */
  remote?: RemoteCollectorFactory;
  /** Seals secrets at rest; null keeps them in memory only. */
  secrets: SecretBox | null;
  /** Every host's interval for this run, ms (serve --interval), over the saved ones. */
  intervalOverrideMs?: number;
  /** Interval of the top-processes poll, ms. */
  processIntervalMs: number;
  /** Receives every snapshot, the ones of failed polls included. */
  onSnapshot(snapshot: Snapshot): void;
}

/** Default polling interval of this machine, ms; a remote host's default is in its HostSpec (5 s). */
const LOCAL_INTERVAL_MS = 1000;

interface Entry {
  collector: Collector;
  remote: RemoteCollector | null;
  record: HostRecord;
  status: HostStatus;
  latest: Snapshot | null;
  processes: ProcessList | null;
  inventory: Inventory | null;
  pollers: Poller[];
}

export class Fleet {
  readonly #options: FleetOptions;
  readonly #entries = new Map<string, Entry>();
  /** Secrets of this run when there is no key to seal them: host id → secret. */
  readonly #memorySecrets = new Map<string, string>();

  constructor(options: FleetOptions) {
    this.#options = options;
    options.hosts.upsert(LOCAL_HOST_ID, hostname(), 'local');
    for (const record of options.hosts.list()) this.#start(record);
  }

  /** Every host's status, in the order they were added. */
  statuses(): HostStatus[] {
    return [...this.#entries.values()].map((e) => e.status);
  }

  /** A host's entry; throws NotFoundError. */
  #entry(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new NotFoundError(`No host ${id}`);
    return entry;
  }

  status(id: string): HostStatus {
    return this.#entry(id).status;
  }

  latest(id?: string): Snapshot[] {
    const entries = id === undefined ? [...this.#entries.values()] : [this.#entry(id)];
    return entries.flatMap((e) => (e.latest ? [e.latest] : []));
  }

  processes(id: string): ProcessList | null {
    return this.#entry(id).processes;
  }

  inventory(id: string): Inventory | null {
    return this.#entry(id).inventory;
  }

  /**
   * A TCP connection from remote host `id` to `address`:`port`, through its SSH connection. Rejects with
   * NotFoundError for an unknown host, HostUnavailableError when it is this machine or not connected.
   */
  forwardOut(id: string, address: string, port: number): Promise<Duplex> {
    const { remote } = this.#entry(id);
    if (!remote) return Promise.reject(new HostUnavailableError('error', 'This machine has no SSH connection'));
    return remote.forwardOut(address, port);
  }

  /** A connection from remote host `id` to its Unix socket `path`; rejects like forwardOut. */
  forwardOutStreamLocal(id: string, path: string): Promise<Duplex> {
    const { remote } = this.#entry(id);
    if (!remote) return Promise.reject(new HostUnavailableError('error', 'This machine has no SSH connection'));
    return remote.forwardOutStreamLocal(path);
  }

  /** Runs an `sh` script on remote host `id`; rejects like forwardOut. */
  runScript(id: string, script: string, signal: AbortSignal, limitMs: number): Promise<ScriptResult> {
    const { remote } = this.#entry(id);
    if (!remote) return Promise.reject(new HostUnavailableError('error', 'This machine has no SSH connection'));
    return remote.runScript(script, signal, limitMs);
  }

  /** A remote host's settings and whether a secret is stored for it. */
  settings(id: string): { spec: HostSpec | null; hasSecret: boolean } {
    const { record } = this.#entry(id);
    return { spec: record.spec, hasSecret: record.sealedSecret !== null || this.#memorySecrets.has(id) };
  }

  /** Adds a remote host and starts watching it. Throws when the name is taken. */
  add(spec: HostSpec, secret: string | undefined): HostStatus {
    const record = this.#options.hosts.addRemote(spec, this.#seal(secret));
    if (secret !== undefined && !this.#options.secrets) this.#memorySecrets.set(record.id, secret);
    return this.#start(record).status;
  }

  /** Replaces a remote host's settings (and its secret: a string, null to forget, undefined to keep). */
  edit(id: string, spec: HostSpec, secret: string | null | undefined): HostStatus {
    const entry = this.#entry(id);
    if (entry.record.kind !== 'ssh') throw new Error('This machine has no connection settings');
    const hosts = this.#options.hosts;
    hosts.updateRemote(id, spec);
    if (secret !== undefined) {
      hosts.setSecret(id, secret === null ? null : this.#seal(secret));
      if (secret !== null && !this.#options.secrets) this.#memorySecrets.set(id, secret);
      else this.#memorySecrets.delete(id);
    }
    this.#stop(entry);
    return this.#start(hosts.get(id)).status;
  }

  /** Changes a host's interval (seconds) or pauses/resumes it, at once. */
  update(id: string, changes: { intervalSeconds?: number | undefined; enabled?: boolean | undefined }): HostStatus {
    const entry = this.#entry(id);
    if (changes.intervalSeconds !== undefined) this.#options.hosts.setInterval(id, changes.intervalSeconds);
    if (changes.enabled !== undefined) {
      if (id === LOCAL_HOST_ID && !changes.enabled) throw new Error('This machine cannot be paused');
      this.#options.hosts.setEnabled(id, changes.enabled);
    }
    this.#stop(entry);
    return this.#start(this.#options.hosts.get(id)).status;
  }

  /** Stops watching a remote host and removes it. Its history is the caller's to delete. */
  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (id === LOCAL_HOST_ID) throw new Error('This machine cannot be removed');
    if (entry) this.#stop(entry);
    this.#entries.delete(id);
    this.#memorySecrets.delete(id);
    const removed = this.#options.hosts.remove(id);
    this.#emitHosts();
    return removed || entry !== undefined;
  }

  /** Connects a remote host again now (after its key was trusted). */
  reconnect(id: string): HostStatus {
    const entry = this.#entry(id);
    entry.remote?.reconnect();
    return entry.status;
  }

  /** Brings the fleet in line with the hosts table after another process (the CLI) changed it. */
  reload(): void {
    const records = new Map(this.#options.hosts.list().map((r) => [r.id, r]));
    for (const [id, entry] of this.#entries) {
      const record = records.get(id);
      if (!record) {
        this.#stop(entry);
        this.#entries.delete(id);
      } else if (JSON.stringify(record) !== JSON.stringify(entry.record)) {
        this.#stop(entry);
        this.#start(record);
      }
    }
    for (const [id, record] of records) if (!this.#entries.has(id)) this.#start(record);
    this.#emitHosts();
  }

  /** Stops every poller and closes every collector. */
  async stop(): Promise<void> {
    const entries = [...this.#entries.values()];
    for (const entry of entries) for (const poller of entry.pollers) poller.stop();
    await Promise.all(entries.map((e) => e.collector.close().catch(() => {})));
  }

  #seal(secret: string | undefined): Buffer | null {
    return secret !== undefined && this.#options.secrets ? this.#options.secrets.seal(secret) : null;
  }

  #secretOf(record: HostRecord): { secret: string | undefined; problem: string | null } {
    const memory = this.#memorySecrets.get(record.id);
    if (memory !== undefined) return { secret: memory, problem: null };
    if (!record.sealedSecret) return { secret: undefined, problem: null };
    if (!this.#options.secrets) {
      return { secret: undefined, problem: 'Its password is stored encrypted, but this engine has no key to open it ' +
        '(start hostwatch serve with --secret-key-file, the same file as before)' };
    }
    try {
      return { secret: this.#options.secrets.open(record.sealedSecret), problem: null };
    } catch (error) {
      return { secret: undefined, problem: (error as Error).message };
    }
  }

  #start(record: HostRecord): Entry {
    const previous = this.#entries.get(record.id);
    const local = record.kind === 'local';
    const intervalMs = this.#options.intervalOverrideMs
      ?? (record.intervalSeconds ? record.intervalSeconds * 1000 : local ? LOCAL_INTERVAL_MS : (record.spec?.intervalSeconds ?? 5) * 1000);
    const now = Date.now();
    const status: HostStatus = {
      id: record.id,
      name: record.name,
      kind: record.kind,
      state: record.enabled ? 'connecting' : 'paused',
      lastError: null,
      since: now,
      lastSnapshotAt: previous?.status.lastSnapshotAt ?? null,
      intervalSeconds: intervalMs / 1000,
      address: record.spec ? `${record.spec.user}@${record.spec.address}:${record.spec.port}` : null,
      offeredKey: null,
      enabled: record.enabled,
    };
    const entry: Entry = {
      collector: this.#options.local, remote: null, record, status, latest: null, processes: null, inventory: null,
      pollers: [],
    };
    this.#entries.set(record.id, entry);

    if (!record.enabled) {
      this.#emitHosts();
      return entry;
    }
    if (!local) {
      const { secret, problem } = this.#secretOf(record);
      if (!record.spec || !this.#options.remote || problem) {
        status.state = 'error';
        status.lastError = problem ?? (record.spec ? 'Remote hosts are not available in this engine' : 'Its settings are unreadable: edit the host');
        this.#emitHosts();
        return entry;
      }
      const remote = this.#options.remote(record.id, record.spec, secret, (s) => this.#remoteStatus(entry, s));
      entry.remote = remote;
      entry.collector = remote;
    }
    this.#emitHosts();
    // This machine polls at whole seconds; remote hosts are spread over the interval.
    const offset = local ? 0 : phaseOffset(record.id, intervalMs);
    entry.pollers.push(startPoller(intervalMs, (t) => this.#poll(entry, t), (error) => {
      this.#setState(entry, 'error', error instanceof Error ? error.message : String(error), null);
    }, offset));
    entry.pollers.push(startPoller(this.#options.processIntervalMs, async (t) => {
      if (entry.status.state !== 'online') return;
      entry.processes = await entry.collector.processes(t);
      this.#options.bus.emit('processes', entry.processes);
    }, (error) => console.error(`hostwatch: processes of ${record.id}:`, (error as Error).message)));
    return entry;
  }

  #stop(entry: Entry): void {
    for (const poller of entry.pollers) poller.stop();
    entry.pollers = [];
    if (entry.remote) void entry.remote.close().catch(() => {});
  }

  async #poll(entry: Entry, now: number): Promise<void> {
    let snapshot: Snapshot;
    try {
      const collected = await entry.collector.collect(now);
      snapshot = { ...collected, samples: [...collected.samples, ...health(entry, 1, false)] };
      entry.status = { ...entry.status, lastSnapshotAt: collected.time };
      this.#setState(entry, 'online', null, null);
      if (!entry.inventory) {
        entry.collector.inventory().then(
          (inventory) => { entry.inventory = inventory; },
          (error: unknown) => console.error(`hostwatch: inventory of ${entry.record.id}:`, (error as Error).message),
        );
      }
    } catch (error) {
      const unavailable = error instanceof HostUnavailableError ? error : null;
      const message = error instanceof Error ? error.message : String(error);
      this.#setState(entry, unavailable?.state ?? 'error', message, unavailable?.offeredKey ?? entry.status.offeredKey);
      snapshot = {
        host: entry.record.id, time: now, samples: health(entry, 0, entry.status.state === 'host_key_changed'),
        errors: [{ source: 'connection', message }],
      };
    }
    // Several hosts' polls stay apart: the entry may have been removed meanwhile.
    if (this.#entries.get(entry.record.id) !== entry) return;
    entry.latest = snapshot;
    this.#options.onSnapshot(snapshot);
  }

  #remoteStatus(entry: Entry, status: RemoteStatus): void {
    if (this.#entries.get(entry.record.id) !== entry || !entry.record.enabled) return;
    // 'online' is set by a successful poll, so a connection without a first snapshot stays 'connecting'.
    if (status.state === 'online') return;
    this.#setState(entry, status.state, status.lastError, status.offeredKey);
  }

  #setState(entry: Entry, state: HostState, lastError: string | null, offeredKey: HostKey | null): void {
    const s = entry.status;
    if (s.state === state && s.lastError === lastError && s.offeredKey?.fingerprint === offeredKey?.fingerprint) return;
    entry.status = { ...s, state, lastError, offeredKey, since: s.state === state ? s.since : Date.now() };
    this.#emitHosts();
  }

  #emitHosts(): void {
    this.#options.bus.emit('hosts', this.statuses());
  }
}

/** `up` and, for remote hosts, `hostwatch.ssh.host_key_changed`, as samples of a poll. */
function health(entry: Entry, up: 0 | 1, keyChanged: boolean): Sample[] {
  const samples: Sample[] = [{ metric: 'up', attributes: {}, value: up }];
  if (entry.remote) samples.push({ metric: 'hostwatch.ssh.host_key_changed', attributes: {}, value: keyChanged ? 1 : 0 });
  return samples;
}
