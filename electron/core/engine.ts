/**
 * The monitoring engine: polls each host's collector, keeps the latest snapshot, writes history
 * through the batched store, evaluates alert rules on every snapshot and publishes all of it as API
 * events. Plain Node: it runs in Electron's utility process and in `hostwatch serve` alike.
 */
import type { Alert, HostStatus, ParsedParams, Result, Snapshot } from '../../shared/api.ts';
import type { HostSpec } from '../../shared/hosts.ts';
import type { EventMessage } from '../../shared/api.ts';
import type { Rule, RuleSpec } from '../../shared/rules.ts';
import { AlertManager } from './alerts/manager.ts';
import type { Collector } from './collectors/collector.ts';
import { createLocalCollector } from './collectors/local.ts';
import { EventBus } from './events.ts';
import { Fleet } from './fleet.ts';
import type { RemoteSupport } from './fleet.ts';
import { SecretBox } from './secrets.ts';
import { AlertRepository } from './store/alerts.ts';
import { openDatabase } from './store/database.ts';
import type { Database } from './store/database.ts';
import { HostRepository } from './store/hosts.ts';
import { RuleRepository } from './store/rules.ts';
import { Retention } from './store/retention.ts';
import { SampleStore } from './store/samples.ts';

export interface EngineOptions {
  /** Folder of the SQLite database (created if missing). */
  dataDir: string;
  /** Hostwatch's version, reported by engine.info. */
  version: string;
  /**
   * Collection interval of every host for this run, ms (`serve --interval`), over each host's saved
   * interval; default: the saved one, else 1 s for this machine and 5 s for a remote host.
   */
  intervalMs?: number;
  /** Interval of the top-processes poll, ms; default 5000. */
  processIntervalMs?: number;
  /** This machine's collector; default the real one. */
  local?: Collector;
  /** Makes the remote-host support (SSH) on the engine's database; without it remote hosts are listed but not polled. */
  remote?: (db: Database) => RemoteSupport;
  /** The key that seals stored secrets (32 bytes); without it secrets live in memory only. */
  secretKey?: Buffer;
  /** Days of raw samples kept; older ones are deleted a minute after start and then daily. Default 14. */
  retentionDays?: number;
}

/** The engine as the API handlers and transports see it. */
export interface Engine {
  readonly dataDir: string;
  /** Subscribes to every event the engine emits (shared/api.ts `events`); returns unsubscribe. */
  onEvent(listener: (message: EventMessage) => void): () => void;
  info(): Result<'engine.info'>;
  readonly fleet: Fleet;
  query(params: ParsedParams<'metrics.query'>): Result<'metrics.query'>;
  readonly rules: RuleRepository;
  readonly alerts: AlertRepository;
  /** Pending and firing alerts with their latest values. */
  activeAlerts(): Alert[];
  /** Adds a remote host, trusting `acceptKey` (a fingerprint) when the host offers it. */
  addHost(spec: HostSpec, secret: string | undefined, acceptKey: string | undefined): HostStatus;
  /** Stops watching a remote host; with `deleteHistory`, deletes its samples and alerts too. */
  removeHost(id: string, deleteHistory: boolean): boolean;
  /** Trusts the key a host offered (by its fingerprint) and reconnects. */
  acceptHostKey(id: string, fingerprint: string): HostStatus;
  /** Tries a remote host's settings without saving them. */
  testHost(spec: HostSpec, secret: string | undefined): Promise<Result<'hosts.test'>>;
  /** Saves a rule change and makes the evaluator use it at once; returns the stored rule. */
  createRule(spec: RuleSpec): Rule;
  updateRule(id: number, spec: RuleSpec): Rule;
  deleteRule(id: number): boolean;
  /** Emits a test `notification` event. */
  testNotification(): void;
  /** Stops polling, flushes what is buffered and closes the database. */
  stop(): Promise<void>;
}

export const DB_FILE = 'hostwatch.db';

/** Days of raw samples kept by default. */
export const DEFAULT_RETENTION_DAYS = 14;

/**
 * Opens the database in `dataDir`, starts polling and returns the running engine.
 * Throws when the database cannot be opened (the error names the file and the reason).
 */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  const db: Database = openDatabase(`${options.dataDir}/${DB_FILE}`);
  const samples = new SampleStore(db);
  const rules = new RuleRepository(db);
  const alerts = new AlertRepository(db);
  const bus = new EventBus();
  const startedAt = Date.now();
  // The fleet is made below; names are asked only once snapshots flow.
  const manager = new AlertManager(alerts, bus, (id) => fleet.statuses().find((h) => h.id === id)?.name ?? id);
  const hostRepository = new HostRepository(db);

  let ruleCache = rules.list();
  // Another connection's writes (the CLI's `rules import`, `hosts add`) bump data_version; ours do not.
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenDataVersion = dataVersion.get() as number;
  /** Picks up rules and hosts another process changed; cheap enough to ask on every snapshot. */
  const syncExternalChanges = () => {
    const version = dataVersion.get() as number;
    if (version === seenDataVersion) return;
    seenDataVersion = version;
    ruleCache = rules.list();
    bus.emit('rules', ruleCache);
    fleet.reload();
  };
  const rulesChanged = () => {
    ruleCache = rules.list();
    bus.emit('rules', ruleCache);
  };

  // One transaction for all snapshots that arrive in the same turn of the event loop.
  let flushScheduled = false;
  const scheduleFlush = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      try {
        samples.flush();
      } catch (error) {
        console.error('hostwatch: writing samples failed; they stay buffered:', error);
      }
    });
  };

  const onSnapshot = (snapshot: Snapshot) => {
    samples.append(snapshot);
    scheduleFlush();
    bus.emit('snapshot', snapshot);
    syncExternalChanges();
    manager.evaluate(snapshot, ruleCache);
  };

  // Retention: a minute after start (not delaying it), then daily.
  const retention = new Retention(db);
  const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
  let pruning: Promise<unknown> = Promise.resolve();
  const prune = () => {
    pruning = retention.prune(Date.now() - retentionMs)
      .then(() => samples.forgetSeriesIds())
      .catch((error: unknown) => console.error('hostwatch: deleting old samples failed:', error));
  };
  const firstPrune = setTimeout(prune, 60_000);
  const dailyPrune = setInterval(prune, 86_400_000);

  const remoteSupport = options.remote?.(db);
  const fleet = new Fleet({
    hosts: hostRepository,
    bus,
    local: options.local ?? createLocalCollector(),
    remote: remoteSupport?.collector,
    secrets: options.secretKey ? new SecretBox(options.secretKey) : null,
    intervalOverrideMs: options.intervalMs,
    processIntervalMs: options.processIntervalMs ?? 5000,
    onSnapshot,
  });

  const remote = (): RemoteSupport => {
    if (!remoteSupport) throw new Error('Remote hosts are not available in this engine');
    return remoteSupport;
  };

  return {
    dataDir: options.dataDir,
    rules,
    alerts,
    activeAlerts: () => manager.active(),
    onEvent: (listener) => bus.subscribe(listener),
    info: () => ({ version: options.version, dataDir: options.dataDir, startedAt, platform: process.platform }),
    fleet,
    query: (params) => {
      fleet.status(params.host);
      return samples.query(params);
    },
    addHost(spec, secret, acceptKey) {
      if (acceptKey) remote().acceptKey(spec, acceptKey);
      return fleet.add(spec, secret);
    },
    removeHost(id, deleteHistory) {
      const removed = fleet.remove(id);
      manager.closeHost(id, Date.now());
      if (deleteHistory) {
        samples.deleteHost(id);
        alerts.deleteHost(id);
      }
      return removed;
    },
    acceptHostKey(id, fingerprint) {
      const { spec } = fleet.settings(id);
      if (!spec) throw new Error('This machine has no SSH host key');
      remote().acceptKey(spec, fingerprint);
      return fleet.reconnect(id);
    },
    testHost: (spec, secret) => remote().test(spec, secret),
    createRule(spec) {
      const rule = rules.create(spec);
      rulesChanged();
      return rule;
    },
    updateRule(id, spec) {
      const rule = rules.update(id, spec);
      rulesChanged();
      return rule;
    },
    deleteRule(id) {
      const deleted = rules.delete(id);
      if (deleted) rulesChanged();
      return deleted;
    },
    testNotification() {
      bus.emit('notification', {
        title: 'Hostwatch test notification',
        body: 'Notifications work: alerts will reach you like this.',
        severity: 'info',
        host: null,
        hostName: null,
        alertId: null,
      });
    },
    async stop() {
      clearTimeout(firstPrune);
      clearInterval(dailyPrune);
      await fleet.stop();
      await pruning;
      samples.flush();
      db.close();
    },
  };
}
