/**
 * The monitoring engine: polls each host's collector, keeps the latest snapshot, writes history
 * through the batched store, evaluates alert rules on every snapshot and publishes all of it as API
 * events. Plain Node: it runs in Electron's utility process and in `hostwatch serve` alike.
 */
import { hostname } from 'node:os';
import type {
  Alert, HostStatus, Inventory, ProcessList, Result, Snapshot, ParsedParams,
} from '../../shared/api.ts';
import type { EventMessage } from '../../shared/api.ts';
import type { Rule, RuleSpec } from '../../shared/rules.ts';
import { AlertManager } from './alerts/manager.ts';
import type { Collector } from './collectors/collector.ts';
import { createLocalCollector } from './collectors/local.ts';
import { EventBus } from './events.ts';
import { startPoller } from './poller.ts';
import type { Poller } from './poller.ts';
import { AlertRepository } from './store/alerts.ts';
import { openDatabase } from './store/database.ts';
import type { Database } from './store/database.ts';
import { NotFoundError } from './store/errors.ts';
import { HostRepository } from './store/hosts.ts';
import { RuleRepository } from './store/rules.ts';
import { SampleStore } from './store/samples.ts';

export interface EngineOptions {
  /** Folder of the SQLite database (created if missing). */
  dataDir: string;
  /** Hostwatch's version, reported by engine.info. */
  version: string;
  /**
   * Collection interval of every host for this run, ms (`serve --interval`), over each host's saved
   * interval; default: the saved one, else 1000 for this machine.
   */
  intervalMs?: number;
  /** Interval of the top-processes poll, ms; default 5000. */
  processIntervalMs?: number;
  /** Collectors to poll; default: this machine only. */
  collectors?: Collector[];
}

/** The engine as the API handlers and transports see it. */
export interface Engine {
  readonly dataDir: string;
  /** Subscribes to every event the engine emits (shared/api.ts `events`); returns unsubscribe. */
  onEvent(listener: (message: EventMessage) => void): () => void;
  info(): Result<'engine.info'>;
  hosts(): HostStatus[];
  inventory(host: string): Inventory | null;
  latest(host?: string): Snapshot[];
  processes(host: string): ProcessList | null;
  query(params: ParsedParams<'metrics.query'>): Result<'metrics.query'>;
  readonly rules: RuleRepository;
  readonly alerts: AlertRepository;
  /** Pending and firing alerts with their latest values. */
  activeAlerts(): Alert[];
  /** Saves a host's polling interval (seconds) and polls at it from now on. Throws NotFoundError. */
  setHostInterval(id: string, seconds: number): HostStatus;
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

/** Polling interval of a host with none saved, ms. */
const DEFAULT_INTERVAL_MS = 1000;

interface HostEntry {
  collector: Collector;
  poller: Poller | null;
  status: HostStatus;
  latest: Snapshot | null;
  processes: ProcessList | null;
  inventory: Inventory | null;
}

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
  const collectors = options.collectors ?? [createLocalCollector()];
  const manager = new AlertManager(alerts, bus);
  const hostRepository = new HostRepository(db);

  let ruleCache = rules.list();
  // A rule changed by another connection (the CLI's `rules import`) bumps data_version.
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenDataVersion = dataVersion.get() as number;
  const currentRules = (): Rule[] => {
    const version = dataVersion.get() as number;
    if (version !== seenDataVersion) {
      seenDataVersion = version;
      ruleCache = rules.list();
      bus.emit('rules', ruleCache);
    }
    return ruleCache;
  };
  const rulesChanged = () => {
    ruleCache = rules.list();
    bus.emit('rules', ruleCache);
  };

  const hosts = new Map<string, HostEntry>();
  for (const collector of collectors) {
    const name = collector.host === 'local' ? hostname() : collector.host;
    const kind = collector.host === 'local' ? 'local' : 'ssh';
    hostRepository.upsert(collector.host, name, kind, startedAt);
    const saved = hostRepository.list().find((h) => h.id === collector.host)?.intervalSeconds;
    const intervalMs = options.intervalMs ?? (saved ? saved * 1000 : DEFAULT_INTERVAL_MS);
    hosts.set(collector.host, {
      collector,
      poller: null,
      latest: null,
      processes: null,
      inventory: null,
      status: {
        id: collector.host,
        name,
        kind,
        state: 'connecting',
        lastError: null,
        since: startedAt,
        lastSnapshotAt: null,
        intervalSeconds: intervalMs / 1000,
      },
    });
  }

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

  const setState = (entry: HostEntry, state: HostStatus['state'], lastError: string | null, now: number) => {
    if (entry.status.state === state && entry.status.lastError === lastError) return;
    entry.status = { ...entry.status, state, lastError, since: now };
    bus.emit('hosts', [...hosts.values()].map((h) => h.status));
  };

  const poll = async (entry: HostEntry, now: number) => {
    const snapshot = await entry.collector.collect(now);
    entry.latest = snapshot;
    entry.status = { ...entry.status, lastSnapshotAt: snapshot.time };
    setState(entry, 'online', null, now);
    samples.append(snapshot);
    scheduleFlush();
    bus.emit('snapshot', snapshot);
    manager.evaluate(snapshot, currentRules());
  };

  /** (Re)starts a host's snapshot poller at its status's interval. */
  const startPolling = (entry: HostEntry) => {
    entry.poller?.stop();
    entry.poller = startPoller(entry.status.intervalSeconds * 1000, (now) => poll(entry, now), (error) => {
      setState(entry, 'error', error instanceof Error ? error.message : String(error), Date.now());
    });
  };

  const pollers: Poller[] = [];
  for (const entry of hosts.values()) {
    startPolling(entry);
    pollers.push(startPoller(options.processIntervalMs ?? 5000, async (now) => {
      entry.processes = await entry.collector.processes(now);
      bus.emit('processes', entry.processes);
    }, (error) => console.error(`hostwatch: processes of ${entry.collector.host}:`, error)));
    entry.collector.inventory().then(
      (inventory) => { entry.inventory = inventory; },
      (error: unknown) => console.error(`hostwatch: inventory of ${entry.collector.host}:`, error),
    );
  }

  const hostEntry = (id: string): HostEntry => {
    const entry = hosts.get(id);
    if (!entry) throw new NotFoundError(`No host ${id}`);
    return entry;
  };

  return {
    dataDir: options.dataDir,
    rules,
    alerts,
    activeAlerts: () => manager.active(),
    onEvent: (listener) => bus.subscribe(listener),
    info: () => ({ version: options.version, dataDir: options.dataDir, startedAt, platform: process.platform }),
    hosts: () => [...hosts.values()].map((h) => h.status),
    inventory: (id) => hostEntry(id).inventory,
    latest: (id) => {
      const entries = id === undefined ? [...hosts.values()] : [hostEntry(id)];
      return entries.flatMap((e) => (e.latest ? [e.latest] : []));
    },
    processes: (id) => hostEntry(id).processes,
    query: (params) => {
      hostEntry(params.host);
      return samples.query(params);
    },
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
    setHostInterval(id, seconds) {
      const entry = hostEntry(id);
      hostRepository.setInterval(id, seconds);
      entry.status = { ...entry.status, intervalSeconds: seconds };
      startPolling(entry);
      bus.emit('hosts', [...hosts.values()].map((h) => h.status));
      return entry.status;
    },
    testNotification() {
      bus.emit('notification', {
        title: 'Hostwatch test notification',
        body: 'Notifications work: alerts will reach you like this.',
        severity: 'info',
        host: null,
        alertId: null,
      });
    },
    async stop() {
      for (const poller of pollers) poller.stop();
      for (const entry of hosts.values()) entry.poller?.stop();
      await Promise.all([...hosts.values()].map((h) => h.collector.close()));
      samples.flush();
      db.close();
    },
  };
}
