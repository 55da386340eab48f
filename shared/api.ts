/**
 * The API contract between the engine (core) and its clients (the renderer, over a MessagePort in the
 * app or a WebSocket in the browser). One map of request methods and one of events, as zod schemas:
 * the engine validates every request's params at run time, and both sides compile against the
 * inferred types, so a method name or payload cannot drift.
 *
 * Wire messages (JSON over either transport):
 * - request  `{ id, method, params }`
 * - response `{ id, result }` or `{ id, error: { code, message } }`
 * - event    `{ event, data }` pushed by the engine to every connected client.
 *
 * Times are milliseconds since the Unix epoch; durations are seconds unless named otherwise.
 */
import { z } from 'zod';
import { HostKey, HostSecret, HostSpec } from './hosts.ts';
import { CheckEvent, CheckResult, CheckSpec, CheckStatus, ContainerCheck, Discovery } from './checks/index.ts';
import { ReportSchedule } from './report.ts';
import { Silence, SilenceSpec } from './silences.ts';
import { MaintenanceSpec, MaintenanceWindow } from './maintenance.ts';
import { Rule, RuleSpec, Severity } from './rules.ts';

const Attributes = z.record(z.string(), z.string());
const EpochMs = z.number().int().nonnegative();

/**
 * Connection state of a host. `host_key_unknown`: the host offered a key not yet trusted, waiting for
 * the user to accept it; `host_key_changed`: the key differs from the known one, and nothing is sent
 * to the host until the user resolves it; `paused`: the user disabled the host.
 */
export const HostState = z.enum([
  'connecting', 'online', 'unreachable', 'auth_failed', 'host_key_unknown', 'host_key_changed', 'error', 'paused',
]);
export type HostState = z.infer<typeof HostState>;

/** A watched host and how its collection is going. */
export const HostStatus = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['local', 'ssh']),
  state: HostState,
  /** Why the host is not online, in the user's words; null when online. */
  lastError: z.string().nullable(),
  /** When the host entered its current state. */
  since: EpochMs,
  /** When its last complete snapshot was taken; null before the first. */
  lastSnapshotAt: EpochMs.nullable(),
  intervalSeconds: z.number().positive(),
  /** `user@address:port` of a remote host; null for this machine. */
  address: z.string().nullable(),
  /** The key the host offered, when it is unknown or changed (for the user to compare); else null. */
  offeredKey: HostKey.nullable(),
  enabled: z.boolean(),
});
export type HostStatus = z.infer<typeof HostStatus>;

/** One value of one series at a snapshot's time. */
export const Sample = z.object({ metric: z.string(), attributes: Attributes, value: z.number() });
export type Sample = z.infer<typeof Sample>;

/** A source that could not be read in a snapshot: its metrics are unknown, not zero. */
export const CollectionError = z.object({ source: z.string(), message: z.string() });
export type CollectionError = z.infer<typeof CollectionError>;

/**
 * How long each tier of history is kept, in days. `rawDays`: every sample as collected; `minuteDays`
 * and `hourDays`: the 1-minute and 1-hour rollups (min, max, avg, count, last) that long charts read.
 */
export const Retention = z.object({
  rawDays: z.number().int().min(1, 'Keep raw samples at least a day').max(3660),
  minuteDays: z.number().int().min(1, 'Keep 1-minute rollups at least a day').max(3660),
  hourDays: z.number().int().min(1, 'Keep 1-hour rollups at least a day').max(36600),
});
export type Retention = z.infer<typeof Retention>;

/**
 * The history store's health. `ok`: writing; `full`: the disk is full, writing is paused and samples
 * wait in memory (the newest kept) until space returns; `error`: writing fails for another reason.
 */
export const StorageState = z.enum(['ok', 'full', 'error']);
export type StorageState = z.infer<typeof StorageState>;

export const StorageStatus = z.object({
  state: StorageState,
  /** Why writing is paused, in the user's words; null when ok. */
  message: z.string().nullable(),
  /** Since when the store is in this state. */
  since: EpochMs,
  /** The database file. */
  file: z.string(),
  /** Bytes of the database file and its write-ahead log. */
  bytes: z.number().nonnegative(),
  /** Snapshots collected but not yet written (waiting while the disk is full). */
  pendingSnapshots: z.number().int().nonnegative(),
  /** Each host's share of stored history, bytes and ratio (0–1) of all history; biggest first. */
  hosts: z.array(z.object({ host: z.string(), name: z.string(), bytes: z.number(), share: z.number() })),
  retention: Retention,
});
export type StorageStatus = z.infer<typeof StorageStatus>;

/** Everything one poll of one host produced. */
export const Snapshot = z.object({
  host: z.string(),
  time: EpochMs,
  samples: z.array(Sample),
  errors: z.array(CollectionError),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** One process in a top-processes list. `cpu` is a ratio of one core (2 cores busy = 2). */
export const ProcessInfo = z.object({
  pid: z.number().int(),
  name: z.string(),
  command: z.string(),
  user: z.string().nullable(),
  cpu: z.number(),
  /** Resident set size, bytes. */
  memory: z.number(),
});
export type ProcessInfo = z.infer<typeof ProcessInfo>;

/** The busiest processes of a host: the top by CPU and the top by memory, together. */
export const ProcessList = z.object({ host: z.string(), time: EpochMs, processes: z.array(ProcessInfo) });
export type ProcessList = z.infer<typeof ProcessList>;

/** What a host is: read once at start (systeminformation locally). Sizes in bytes. */
export const Inventory = z.object({
  host: z.string(),
  hostname: z.string(),
  os: z.string(),
  kernel: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  logicalCpus: z.number().int(),
  memoryTotal: z.number(),
  disks: z.array(z.object({ device: z.string(), model: z.string(), size: z.number() })),
  interfaces: z.array(z.object({ name: z.string(), mac: z.string(), addresses: z.array(z.string()) })),
});
export type Inventory = z.infer<typeof Inventory>;

/**
 * One bucket of a downsampled series: `t` is the bucket's start; avg/min/max are of the raw samples
 * in [t, t + step). Buckets without samples are absent, so a gap in the data is a gap in the points.
 */
export const Point = z.object({ t: EpochMs, avg: z.number(), min: z.number(), max: z.number() });
export type Point = z.infer<typeof Point>;

export const SeriesData = z.object({ metric: z.string(), attributes: Attributes, points: z.array(Point) });
export type SeriesData = z.infer<typeof SeriesData>;

/** Alert states, as Prometheus names them; `resolved` is a firing alert whose condition cleared. */
export const AlertState = z.enum(['pending', 'firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

/** One alert: one rule on one series of one host, from the moment its condition first held. */
export const Alert = z.object({
  id: z.number().int(),
  ruleId: z.number().int(),
  ruleName: z.string(),
  host: z.string(),
  metric: z.string(),
  attributes: Attributes,
  severity: Severity,
  state: AlertState,
  /** The last value evaluated while the condition held, in the metric's unit. */
  value: z.number(),
  threshold: z.number(),
  summary: z.string(),
  activeAt: EpochMs,
  firedAt: EpochMs.nullable(),
  resolvedAt: EpochMs.nullable(),
  /**
   * The host's busiest processes (by CPU and by memory) as they were when the alert fired, so "what was
   * eating the CPU?" has an answer later; absent when none were known then.
   */
  processes: ProcessList.optional(),
});
export type Alert = z.infer<typeof Alert>;

/** Something the user should be told, raised on firing and resolving and by the test button. */
export const Notification = z.object({
  title: z.string(),
  body: z.string(),
  severity: Severity,
  /** The host's id (for links) and its name as the user knows it; null when about no host. */
  host: z.string().nullable(),
  hostName: z.string().nullable(),
  alertId: z.number().int().nullable(),
});
export type Notification = z.infer<typeof Notification>;

const MaxPoints = z.number().int().min(2).max(5000);
const NoParams = z.object({}).strict().default({});

/** Request methods: params schema (validated by the engine) and result schema. */
export const methods = {
  'engine.info': {
    params: NoParams,
    result: z.object({
      version: z.string(), dataDir: z.string(), startedAt: EpochMs, platform: z.string(),
    }),
  },
  'hosts.list': { params: NoParams, result: z.array(HostStatus) },
  /** Changes a host's interval or pauses it; the engine applies it at once. */
  'hosts.update': {
    params: z.object({
      id: z.string(),
      intervalSeconds: z.number().min(1, 'Poll at most once a second').max(3600, 'Poll at least once an hour').optional(),
      enabled: z.boolean().optional(),
    }).strict(),
    result: HostStatus,
  },
  /** A remote host's settings (never its secret: only whether one is stored). */
  'hosts.get': {
    params: z.object({ id: z.string() }).strict(),
    result: z.object({ status: HostStatus, spec: HostSpec.nullable(), hasSecret: z.boolean() }),
  },
  /**
   * Adds a remote host. `secret` is its password or key passphrase (stored encrypted, never returned).
   * `acceptKey` trusts the host key with this `SHA256:` fingerprint if the host offers it (after a test).
   */
  'hosts.add': {
    params: z.object({ spec: HostSpec, secret: HostSecret.optional(), acceptKey: HostKey.shape.fingerprint.optional() }).strict(),
    result: HostStatus,
  },
  /** Replaces a remote host's settings; `secret`: a new one, null to forget it, absent to keep it. */
  'hosts.edit': {
    params: z.object({ id: z.string(), spec: HostSpec, secret: HostSecret.nullable().optional() }).strict(),
    result: HostStatus,
  },
  /** Removes a remote host; with `deleteHistory`, its samples and alerts too. */
  'hosts.remove': {
    params: z.object({ id: z.string(), deleteHistory: z.boolean().default(false) }).strict(),
    result: z.object({ removed: z.boolean() }),
  },
  /** Trusts the key a host offered (its `SHA256:` fingerprint, as shown to the user) and reconnects. */
  'hosts.acceptKey': {
    params: z.object({ id: z.string(), fingerprint: HostKey.shape.fingerprint }).strict(),
    result: HostStatus,
  },
  /**
   * Tries a host's settings without saving them: resolving, connecting, host key, authentication, first
   * poll, each with its outcome. Stops at the first stage that fails.
   */
  'hosts.test': {
    params: z.object({ spec: HostSpec, secret: HostSecret.optional() }).strict(),
    result: z.object({
      stages: z.array(z.object({
        stage: z.enum(['resolve', 'connect', 'host_key', 'auth', 'first_poll']),
        ok: z.boolean(),
        message: z.string(),
        ms: z.number(),
      })),
      offeredKey: HostKey.nullable(),
      /** How the offered key compares with the trusted ones; null when no key was offered. */
      keyVerdict: z.enum(['trusted', 'unknown', 'changed', 'revoked']).nullable(),
    }),
  },
  /**
   * The hosts of an OpenSSH client config (default `~/.ssh/config` of the engine's user), as specs to add
   * with hosts.add: `exists` when a host with this name or address:port is watched already; what cannot be
   * imported (patterns, ProxyCommand, Include, invalid settings) is in `skipped` with the reason. A missing
   * file gives empty lists; a file over 1 MiB is refused.
   */
  'hosts.sshConfig': {
    params: z.object({ path: z.string().trim().min(1).max(4096).optional() }).strict().default({}),
    result: z.object({
      path: z.string(),
      candidates: z.array(z.object({ spec: HostSpec, exists: z.boolean() })),
      skipped: z.array(z.object({ pattern: z.string(), reason: z.string() })),
    }),
  },
  'hosts.inventory': { params: z.object({ host: z.string() }).strict(), result: Inventory.nullable() },
  'metrics.catalog': {
    params: NoParams,
    result: z.array(z.object({
      name: z.string(), unit: z.string(), description: z.string(), attributes: z.array(z.string()),
    })),
  },
  /** The latest snapshot of each host (or of one). */
  'metrics.latest': {
    params: z.object({ host: z.string().optional() }).strict().default({}),
    result: z.array(Snapshot),
  },
  /**
   * Series of one metric on one host over [from, to], downsampled to at most `maxPoints` buckets.
   * `matchers` filters series by attribute: a value keeps series with that value, `*` keeps series
   * that have the attribute, `''` keeps series without it (as in Prometheus); unnamed attributes: any.
   */
  'metrics.query': {
    params: z.object({
      host: z.string(),
      metric: z.string(),
      matchers: Attributes.default({}),
      from: EpochMs,
      to: EpochMs,
      maxPoints: MaxPoints.default(600),
    }).strict().refine((p) => p.from < p.to, { message: '`from` must be before `to`' }),
    result: z.object({ step: z.number(), series: z.array(SeriesData) }),
  },
  'processes.top': { params: z.object({ host: z.string() }).strict(), result: ProcessList.nullable() },
  /** Pending and firing alerts. */
  'alerts.active': { params: NoParams, result: z.array(Alert) },
  /** Alerts that fired, newest first, filtered. */
  'alerts.history': {
    params: z.object({
      from: EpochMs.optional(),
      to: EpochMs.optional(),
      host: z.string().optional(),
      severity: Severity.optional(),
      state: AlertState.optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }).strict().default({ limit: 200 }),
    result: z.array(Alert),
  },
  'rules.list': { params: NoParams, result: z.array(Rule) },
  'rules.create': { params: RuleSpec, result: Rule },
  'rules.update': { params: z.object({ id: z.number().int(), rule: RuleSpec }).strict(), result: Rule },
  'rules.delete': { params: z.object({ id: z.number().int() }).strict(), result: z.object({ deleted: z.boolean() }) },
  /** The history store's state, size and each host's share of it, and the retention per tier. */
  'storage.status': { params: NoParams, result: StorageStatus },
  /** Sets the retention per tier; history older than it is deleted by the next cleanup pass (started at once). */
  'storage.setRetention': { params: Retention.strict(), result: StorageStatus },
  /** When reports are written on their own (off by default). */
  'reports.schedule': { params: NoParams, result: ReportSchedule },
  /** Changes the report schedule; the folder must exist and be writable by the engine. */
  'reports.setSchedule': { params: ReportSchedule, result: ReportSchedule },
  /** Every service check with its state and last result. */
  'checks.list': { params: NoParams, result: z.array(CheckStatus) },
  /** Adds a check; it starts running at once (after its initial delay). */
  'checks.create': { params: CheckSpec, result: CheckStatus },
  'checks.update': { params: z.object({ id: z.number().int(), spec: CheckSpec }).strict(), result: CheckStatus },
  'checks.delete': { params: z.object({ id: z.number().int() }).strict(), result: z.object({ deleted: z.boolean() }) },
  /** A check's newest state changes, newest first. */
  'checks.events': {
    params: z.object({ id: z.number().int(), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    result: z.array(CheckEvent),
  },
  /** Runs a check's settings once, storing nothing ("test now"). */
  'checks.test': { params: CheckSpec, result: CheckResult },
  /** Every silence with its state (pending, active, expired), those ending last first. */
  'silences.list': { params: NoParams, result: z.array(Silence) },
  /** Adds a silence: the alerts its matchers match notify nobody from startsAt to endsAt. */
  'silences.create': { params: SilenceSpec, result: Silence },
  /** Ends a silence now. */
  'silences.expire': { params: z.object({ id: z.number().int() }).strict(), result: Silence },
  /** Every maintenance window, oldest first. */
  'maintenance.list': { params: NoParams, result: z.array(MaintenanceWindow) },
  /** Adds a maintenance window: the alerts its matchers match notify nobody while it is on. */
  'maintenance.create': { params: MaintenanceSpec, result: MaintenanceWindow },
  /** Removes a maintenance window. */
  'maintenance.delete': { params: z.object({ id: z.number().int() }).strict(), result: z.object({ deleted: z.boolean() }) },
  /**
   * Lists what runs on a host, for the user to tick what to check: its running and failed systemd
   * services, and its containers through the Docker Engine API at `socket` (default Docker's).
   */
  'checks.discover': {
    params: z.object({ host: z.string().min(1).max(200), socket: ContainerCheck.shape.socket }).strict(),
    result: Discovery,
  },
  /** Raises a test notification through every channel. */
  'notifications.test': { params: NoParams, result: z.object({ sent: z.boolean() }) },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;

/** Events the engine pushes to every client. */
export const events = {
  snapshot: Snapshot,
  hosts: z.array(HostStatus),
  processes: ProcessList,
  /** An alert changed state (entered pending, fired, resolved, or a pending one was dropped). */
  alert: z.object({ alert: Alert, transition: z.enum(['pending', 'firing', 'resolved', 'dropped']) }),
  rules: z.array(Rule),
  notification: Notification,
  /** The store's state changed (the disk filled up or space came back). */
  storage: StorageStatus,
  /** A check ran: its status with that run's result. */
  check: CheckStatus,
  /** A report asked for with a progress token gathered `done` of its `total` hosts. */
  reportProgress: z.object({ progress: z.string(), done: z.number().int(), total: z.number().int() }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventData<E extends EventName> = z.output<Events[E]>;

/** Error codes a response may carry. */
export type ErrorCode = 'bad_request' | 'not_found' | 'unknown_method' | 'internal';

export interface RequestMessage { id: number; method: string; params?: unknown }
export type ResponseMessage =
  | { id: number; result: unknown }
  | { id: number; error: { code: ErrorCode; message: string } };
export interface EventMessage { event: EventName; data: unknown }
