/**
 * The monitoring engine: polls each host's collector, keeps the latest snapshot, writes history
 * through the batched store, evaluates alert rules on every snapshot and publishes all of it as API
 * events. Plain Node: it runs in Electron's utility process and in `hostwatch serve` alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Alert, HostStatus, ParsedParams, Result, Retention, Snapshot, StorageState, StorageStatus } from '../../shared/api.ts';
import type { HostSpec } from '../../shared/hosts.ts';
import type { EventMessage } from '../../shared/api.ts';
import { isCheckMetric } from '../../shared/metrics.ts';
import type { Rule, RuleSpec } from '../../shared/rules.ts';
import { AlertManager } from './alerts/manager.ts';
import { CheckUnavailableError } from './checks/runner.ts';
import { CheckService } from './checks/service.ts';
import { HostUnavailableError } from './collectors/collector.ts';
import type { Collector } from './collectors/collector.ts';
import { createLocalCollector } from './collectors/local.ts';
import { EventBus } from './events.ts';
import { Fleet } from './fleet.ts';
import type { RemoteSupport } from './fleet.ts';
import { SecretBox } from './secrets.ts';
import { AlertRepository } from './store/alerts.ts';
import { CheckRepository } from './store/checks.ts';
import { openDatabase } from './store/database.ts';
import type { Database } from './store/database.ts';
import { HostRepository } from './store/hosts.ts';
import { RuleRepository } from './store/rules.ts';
import { matchesAll } from '../../shared/silences.ts';
import { REPORT_SECTIONS, type ReportRequest, type ReportSchedule } from '../../shared/report.ts';
import { writeReportFile, REPORT_FILE_TYPES, type ReportSources } from './reports/export.ts';
import { duePeriod, reportFileName } from './reports/schedule.ts';
import { SettingsRepository } from './store/settings.ts';
import { InvalidRequestError } from './store/errors.ts';
import { pruneHistory } from './store/retention.ts';
import { SampleStore } from './store/samples.ts';
import { SilenceRepository } from './store/silences.ts';
import { MaintenanceRepository } from './store/maintenance.ts';
import { inMaintenance } from '../../shared/maintenance.ts';
import { LOCAL_HOST_ID } from './fleet.ts';

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
  /** The service checks: their settings, states, results and history. */
  readonly checks: CheckService;
  /** Silences: while one matching an alert is active, the alert notifies nobody. */
  readonly silences: SilenceRepository;
  /** Maintenance windows: silences that come back on a schedule. */
  readonly maintenance: MaintenanceRepository;
  /** Pending and firing alerts with their latest values. */
  activeAlerts(): Alert[];
  /** Adds a remote host, trusting `acceptKey` (a fingerprint) when the host offers it. */
  addHost(spec: HostSpec, secret: string | undefined, acceptKey: string | undefined): HostStatus;
  /**
   * Stops watching a remote host; with `deleteHistory`, deletes its alerts and, in the background in
   * bounded steps, its samples.
   */
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
  /** The history store's state, size, each host's share and the retention per tier. */
  storage(): StorageStatus;
  /** Stores the retention per tier and starts a cleanup pass that applies it. */
  setRetention(retention: Retention): StorageStatus;
  /** What reports are made from: the store, alerts, hosts and this version. */
  reportSources(): ReportSources;
  /** What a report of `request` reports its progress to: `reportProgress` events, when it has a token. */
  reportProgress(request: ReportRequest): ((done: number, total: number) => void) | undefined;
  reportSchedule(): ReportSchedule;
  /**
   * Saves the report schedule. Throws an Error in the user's words when the folder does not exist or
   * the engine cannot write there.
   */
  setReportSchedule(schedule: ReportSchedule): ReportSchedule;
  /** Stops polling, flushes what is buffered and closes the database. */
  stop(): Promise<void>;
}

export const DB_FILE = 'hostwatch.db';

/** Samples are written once a second: a crash loses at most the last second. */
const FLUSH_INTERVAL_MS = 1000;
/** How often ended hour windows are looked for and sealed. */
const SEAL_INTERVAL_MS = 60_000;
/** How often the report schedule is looked at: a daily report is written within this after midnight. */
const REPORT_CHECK_MS = 10 * 60_000;
/** Per-host sizes need a scan of every block's length: computed at most this often. */
const USAGE_TTL_MS = 60_000;

/**
 * Opens the database in `dataDir`, starts polling and returns the running engine.
 * Throws when the database cannot be opened (the error names the file and the reason).
 */
export async function startEngine(options: EngineOptions): Promise<Engine> {
  const file = `${options.dataDir}/${DB_FILE}`;
  const db: Database = openDatabase(file, { check: true });
  let samples: SampleStore;
  try {
    samples = new SampleStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const rules = new RuleRepository(db);
  const alerts = new AlertRepository(db);
  const bus = new EventBus();
  const startedAt = Date.now();
  // The fleet is made below; names are asked only once snapshots flow.
  const silences = new SilenceRepository(db);
  const maintenance = new MaintenanceRepository(db);
  const manager = new AlertManager(alerts, bus, {
    hostName: (id) => fleet.statuses().find((h) => h.id === id)?.name ?? id,
    processes: (id) => (fleet.statuses().some((h) => h.id === id) ? fleet.processes(id) : null),
    silenced: (labels) => {
      const now = Date.now();
      return silences.active(now).some((s) => matchesAll(s.matchers, labels))
        || maintenance.list().some((w) => inMaintenance(w.schedule, now) && matchesAll(w.matchers, labels));
    },
  });
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
    samples.reloadRetention();
    ruleCache = rules.list();
    bus.emit('rules', ruleCache);
    fleet.reload();
    checks.reload();
  };
  const rulesChanged = () => {
    ruleCache = rules.list();
    bus.emit('rules', ruleCache);
  };

  let storageState: StorageState = 'ok';
  let storageMessage: string | null = null;
  let storageSince = Date.now();
  const setStorageState = (state: StorageState, message: string | null) => {
    if (state === storageState && message === storageMessage) return;
    storageState = state;
    storageMessage = message;
    storageSince = Date.now();
    bus.emit('storage', storage());
  };
  /** A write failed: a full disk pauses writing (samples wait in memory); anything else is an error. */
  const writeFailed = (what: string, error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_FULL') {
      setStorageState('full', `The disk holding ${file} is full: writing history is paused until space is freed.`);
    } else {
      if (storageState !== 'error') console.error(`hostwatch: ${what} failed:`, error);
      setStorageState('error', `Writing history failed: ${(error as Error).message}`);
    }
  };

  const flush = () => {
    try {
      samples.flush();
      if (storageState !== 'ok') setStorageState('ok', null);
    } catch (error) {
      writeFailed('writing samples', error);
    }
  };
  const flushTimer = setInterval(flush, FLUSH_INTERVAL_MS);

  let sealing: Promise<unknown> = Promise.resolve();
  const seal = () => {
    if (storageState === 'full') return;
    sealing = sealing
      .then(() => samples.seal())
      .then((sealed) => { if (sealed.windows > 0) usage = null; })
      .catch((error: unknown) => writeFailed('sealing history', error));
  };
  seal();
  const sealTimer = setInterval(seal, SEAL_INTERVAL_MS);

  const onSnapshot = (snapshot: Snapshot) => {
    if (snapshot.host === LOCAL_HOST_ID) {
      snapshot = {
        ...snapshot,
        samples: [...snapshot.samples, { metric: 'hostwatch.storage.full', attributes: {}, value: storageState === 'full' ? 1 : 0 }],
      };
    }
    samples.append(snapshot);
    bus.emit('snapshot', snapshot);
    syncExternalChanges();
    manager.evaluate(snapshot, ruleCache, (metric) => !isCheckMetric(metric));
  };

  // Retention: a minute after start (not delaying it), then daily, and when the settings change.
  let pruning: Promise<unknown> = Promise.resolve();
  const prune = () => {
    pruning = pruning
      .then(() => pruneHistory(db, samples.retention, Date.now(), { keep: () => samples.liveSeriesIds() }))
      .then((result) => {
        samples.forgetSeries(result.series);
        usage = null;
      })
      .catch((error: unknown) => console.error('hostwatch: deleting old history failed:', error));
  };
  const firstPrune = setTimeout(prune, 60_000);
  const dailyPrune = setInterval(prune, 86_400_000);

  let usage: { at: number; hosts: Map<string, number> } | null = null;
  const fileSize = (path: string) => {
    try {
      return fs.statSync(path).size;
    } catch {
      return 0;
    }
  };
  const storage = (): StorageStatus => {
    if (!usage || Date.now() - usage.at > USAGE_TTL_MS) {
      try {
        usage = { at: Date.now(), hosts: samples.bytesByHost() };
      } catch (error) {
        // A damaged file fails here too; the status must still say why writing stopped.
        console.error('hostwatch: measuring history per host failed:', error);
        usage = { at: Date.now(), hosts: usage?.hosts ?? new Map() };
      }
    }
    const total = [...usage.hosts.values()].reduce((sum, bytes) => sum + bytes, 0);
    const names = new Map(fleet.statuses().map((h) => [h.id, h.name]));
    return {
      state: storageState,
      message: storageMessage,
      since: storageSince,
      file,
      bytes: fileSize(file) + fileSize(`${file}-wal`),
      pendingSnapshots: samples.buffered,
      hosts: [...usage.hosts].sort((a, b) => b[1] - a[1]).map(([host, bytes]) => ({
        host, name: names.get(host) ?? host, bytes, share: total > 0 ? bytes / total : 0,
      })),
      retention: samples.retention,
    };
  };

  const deletions = new Set<Promise<unknown>>();

  const settings = new SettingsRepository(db);
  const checkRepository = new CheckRepository(db);
  const reportSources = (): ReportSources => ({ samples, alerts, hosts: hostRepository, checks: checkRepository, version: options.version });
  let reporting: Promise<unknown> = Promise.resolve();
  /** Writes the scheduled report that is due, if any; a failure is told to the user and retried later. */
  const writeScheduledReport = () => {
    reporting = reporting.then(async () => {
      const schedule = settings.reportSchedule();
      const period = duePeriod(schedule, settings.lastReportTo(), new Date());
      if (!period || !schedule.folder) return;
      const file = path.join(schedule.folder, reportFileName(schedule, period, REPORT_FILE_TYPES[schedule.format].extension));
      try {
        await writeReportFile(reportSources(), { ...period, hosts: schedule.hosts, sections: [...REPORT_SECTIONS] }, schedule.format, file);
        settings.setLastReportTo(period.to);
      } catch (error) {
        console.error(`hostwatch: writing the scheduled report ${file} failed:`, error);
        bus.emit('notification', {
          title: 'Scheduled report failed',
          body: `${file}: ${(error as Error).message}`,
          severity: 'warning', host: null, hostName: null, alertId: null,
        });
      }
    });
  };
  const firstReport = setTimeout(writeScheduledReport, 60_000);
  const reportTimer = setInterval(writeScheduledReport, REPORT_CHECK_MS);

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

  // A host that cannot be reached makes its checks unknown, never down.
  const unavailable = (error: unknown): never => {
    throw error instanceof HostUnavailableError ? new CheckUnavailableError(error.message, { cause: error }) : error;
  };
  const checks = new CheckService({
    repository: checkRepository,
    samples,
    bus,
    evaluate: (snapshot) => manager.evaluate(snapshot, ruleCache, isCheckMetric),
    hasHost: (id) => fleet.statuses().some((h) => h.id === id),
    forwardOut: (host, address, port) => fleet.forwardOut(host, address, port).catch(unavailable),
    forwardOutStreamLocal: (host, path) => fleet.forwardOutStreamLocal(host, path).catch(unavailable),
    runScript: (host, script, signal, limitMs) => fleet.runScript(host, script, signal, limitMs).catch(unavailable),
    hostCommands: (host) => (fleet.statuses().some((h) => h.id === host) ? fleet.settings(host).spec?.commands ?? [] : []),
  });

  return {
    dataDir: options.dataDir,
    rules,
    alerts,
    activeAlerts: () => manager.active(),
    onEvent: (listener) => bus.subscribe(listener),
    info: () => ({ version: options.version, dataDir: options.dataDir, startedAt, platform: process.platform }),
    fleet,
    checks,
    silences,
    maintenance,
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
      if (removed) checks.removeHost(id);
      manager.closeHost(id, Date.now());
      if (deleteHistory) {
        alerts.deleteHost(id);
        const deletion = samples.deleteHost(id)
          .then(() => { usage = null; })
          .catch((error: unknown) => console.error(`hostwatch: deleting the history of ${id} failed:`, error))
          .finally(() => deletions.delete(deletion));
        deletions.add(deletion);
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
    storage,
    reportSources,
    reportProgress: (request) => {
      const { progress } = request;
      return progress === undefined ? undefined : (done, total) => bus.emit('reportProgress', { progress, done, total });
    },
    reportSchedule: () => settings.reportSchedule(),
    setReportSchedule(schedule) {
      if (schedule.frequency !== 'off' && schedule.folder) {
        try {
          if (!fs.statSync(schedule.folder).isDirectory()) throw new Error('not a folder');
          fs.accessSync(schedule.folder, fs.constants.W_OK);
        } catch (error) {
          throw new InvalidRequestError(`Reports cannot be written to ${schedule.folder}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message}`, { cause: error });
        }
      }
      settings.setReportSchedule(schedule);
      writeScheduledReport();
      return settings.reportSchedule();
    },
    setRetention(retention) {
      samples.setRetention(retention);
      usage = null;
      prune();
      return storage();
    },
    async stop() {
      clearTimeout(firstPrune);
      clearInterval(dailyPrune);
      clearInterval(flushTimer);
      clearInterval(sealTimer);
      clearTimeout(firstReport);
      clearInterval(reportTimer);
      await Promise.all([fleet.stop(), checks.stop()]);
      await Promise.all([pruning, sealing, reporting, ...deletions]);
      try {
        samples.flush();
      } catch (error) {
        console.error('hostwatch: writing the last samples failed; they are lost:', error);
      }
      db.close();
    },
  };
}
