/**
 * A health report: what happened to the chosen hosts over a range, as one JSON document. Every output
 * format (HTML, PDF, Markdown, CSV) is rendered from it, and the JSON format is this document itself,
 * so its schema is versioned: `version` changes when a field changes meaning or goes away (adding an
 * optional field does not).
 *
 * Times are ms since the Unix epoch; durations seconds; ratios 0–1; sizes bytes; rates per second.
 * Every string that came from a host (names, mount points, device names, alert summaries) is data, to
 * be escaped by each renderer.
 */
import { z } from 'zod';

export const REPORT_VERSION = 1;

const EpochMs = z.number().int().nonnegative();

/** healthy: nothing needs attention; degraded: something should be looked at; critical: act now. */
export const HealthStatus = z.enum(['healthy', 'degraded', 'critical']);
export type HealthStatus = z.infer<typeof HealthStatus>;

/**
 * A verdict with the reasons for it, most serious first (empty when healthy). A host without any data in
 * the range is `degraded` with the reason "No data in the range": nothing can be said about it, and that
 * is worth a look.
 */
export const Verdict = z.object({ status: HealthStatus, reasons: z.array(z.string()) });
export type Verdict = z.infer<typeof Verdict>;

/** One point of a report chart: the mean of the bucket averages (see Report.bucketSeconds) in [t, next point's t). */
export const ChartPoint = z.object({ t: EpochMs, value: z.number() });

/**
 * One resource line of a host (CPU, memory, swap, a filesystem, network or disk I/O in one direction),
 * summarised over the buckets of the range (Report.bucketSeconds wide: 1 minute for ranges up to 7 days,
 * 1 hour for longer ones): min and max are the lowest and highest sample (rollups keep them
 * exactly); avg is the mean of the bucket averages, each bucket weighing the same (they are equally
 * wide; a gap in the data is left out, not counted as zero); p95 is the 95th percentile (nearest rank) of
 * the bucket averages. Network and disk I/O are summed over devices (stacked dm-N/mdN disks left out,
 * they would count their disks' I/O twice): a bucket's average is the sum of the devices' averages, its
 * min and max the sums of theirs (exact for one device, a bound for several).
 * Null figures: no data in the range.
 */
export const ResourceSummary = z.object({
  /** Stable id within the host: `cpu`, `memory`, `swap`, `fs:/var`, `net:receive`, `disk:write`… */
  key: z.string(),
  /** What a person reads: "CPU", "Memory", "Filesystem /var", "Network receive". */
  label: z.string(),
  metric: z.string(),
  /** The catalog unit of the figures ('1' ratio, 'By/s' …). */
  unit: z.string(),
  min: z.number().nullable(),
  avg: z.number().nullable(),
  p95: z.number().nullable(),
  max: z.number().nullable(),
  /** At most ~120 points over the range, for a small chart. */
  chart: z.array(ChartPoint),
  /**
   * Filesystems: least-squares line through the used bytes over the range (null with less than 12
   * points over an hour). slopePerDay: growth, bytes per day (negative when shrinking); usedBytes,
   * freeBytes (left to unprivileged users, what df counts), limitBytes (the filesystem's size): the last
   * values in the range, null when not collected. fullAt: when free space would run out at that rate,
   * from the last sample on (the time of that sample or earlier when it is full already); null when not
   * growing or not within a year of the range's end.
   */
  trend: z.object({
    slopePerDay: z.number(),
    usedBytes: z.number(),
    freeBytes: z.number().nullable(),
    limitBytes: z.number().nullable(),
    fullAt: EpochMs.nullable(),
  }).nullable(),
});
export type ResourceSummary = z.infer<typeof ResourceSummary>;

/**
 * One service check of a host over the range, from its probe_success and probe_duration_seconds
 * buckets and its state changes. availability: the mean of the buckets' success ratios (each bucket
 * weighing the same: exact while a check runs about as often in every bucket); latency percentiles
 * (nearest rank) of the bucket averages of its run times, seconds, exact when it runs at most once a
 * bucket. downSeconds: time the check spent `down` within the range (from its state changes) and
 * downCount how often it went down in the range. state: where it stood at the end of the range (null:
 * no state known by then). Null figures: it did not run in the range.
 */
export const ReportCheck = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  /** What a person reads for the type: "HTTP(S)", "systemd unit". */
  typeLabel: z.string(),
  /** What it looks at: the URL, host:port, unit… (shared/checks checkTarget). */
  target: z.string(),
  availability: z.number().nullable(),
  latencyP50Seconds: z.number().nullable(),
  latencyP95Seconds: z.number().nullable(),
  downSeconds: z.number().nonnegative(),
  downCount: z.number().int().nonnegative(),
  state: z.string().nullable(),
});
export type ReportCheck = z.infer<typeof ReportCheck>;

export const HostReport = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['local', 'ssh']),
  address: z.string().nullable(),
  verdict: Verdict,
  /**
   * Start of the first and end of the last bucket holding a sample of the host, within the range (so
   * up to a bucket off the first and last sample); null when it has none (added later, or no data).
   */
  dataFrom: EpochMs.nullable(),
  dataTo: EpochMs.nullable(),
  /**
   * Time within the range the host's polls failed, seconds: per bucket of `up`, (1 − its average) × the
   * time it stands for (a bucket, or the poll interval when polls are further apart). Time Hostwatch was
   * not polling at all is neither reachable nor unreachable. Null without any poll in the range.
   */
  unreachableSeconds: z.number().nonnegative().nullable(),
  /** Share of polls that succeeded (0–1), weighted as unreachableSeconds; null without any poll in the range. */
  availability: z.number().nullable(),
  /** Boot times seen in the range (uptime went backwards), to within a bucket. */
  reboots: z.array(EpochMs),
  /** Uptime at the last sample in the range, seconds; null when unknown. */
  uptimeSeconds: z.number().nullable(),
  resources: z.array(ResourceSummary),
  /** The host's service checks (added in version 1 as the checks came; absent in older documents). */
  checks: z.array(ReportCheck).default([]),
});
export type HostReport = z.infer<typeof HostReport>;

/**
 * One alert firing at some time in the range (pending ones that never fired are left out), as things
 * stood at the end of the range: an alert resolved after `to` is unresolved here.
 */
export const ReportAlert = z.object({
  id: z.number().int(),
  rule: z.string(),
  ruleId: z.number().int(),
  host: z.string(),
  hostName: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  summary: z.string(),
  /** The value when it last changed state, in the metric's unit. */
  value: z.number(),
  threshold: z.number(),
  metric: z.string(),
  unit: z.string(),
  /** When it fired (possibly before the range). */
  startedAt: EpochMs,
  /** When it resolved, if by the end of the range. */
  resolvedAt: EpochMs.nullable(),
  /** From startedAt to resolvedAt, or to the end of the range while unresolved; seconds. */
  durationSeconds: z.number().nonnegative(),
  resolved: z.boolean(),
});
export type ReportAlert = z.infer<typeof ReportAlert>;

export const Recommendation = z.object({
  kind: z.enum(['filesystem_filling', 'memory_high', 'cpu_high', 'swap_high', 'noisy_rule', 'host_unreachable', 'check_unavailable']),
  severity: z.enum(['info', 'warning', 'critical']),
  /** The host it is about, or null for the whole fleet (a rule). */
  host: z.string().nullable(),
  /** One sentence a person acts on. */
  message: z.string(),
  /**
   * The figures that triggered it, named with their unit as a suffix: `…Ratio` (0–1), `…Bytes`,
   * `…BytesPerDay`, `…Seconds`, `…Days`, `…At` (epoch ms); plain counts and strings otherwise
   * (e.g. { mountpoint: '/var', fullInDays: 9.2, growthBytesPerDay: 1.2e9 }).
   */
  figures: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type Recommendation = z.infer<typeof Recommendation>;

/**
 * Parts of a report the user may leave out: `resources` (each host's utilization table and trends),
 * `charts` (the small chart of each resource), `checks` (each host's service checks), `alerts` (the
 * alert list and counts), `recommendations`. The verdicts always count everything.
 */
export const ReportSection = z.enum(['resources', 'charts', 'checks', 'alerts', 'recommendations']);
export type ReportSection = z.infer<typeof ReportSection>;
export const REPORT_SECTIONS: readonly ReportSection[] = ReportSection.options;

export const Report = z.object({
  schema: z.literal('hostwatch.report'),
  version: z.literal(REPORT_VERSION),
  generatedAt: EpochMs,
  hostwatchVersion: z.string(),
  from: EpochMs,
  to: EpochMs,
  /** Width of the buckets the figures are computed over (see ResourceSummary), seconds. */
  bucketSeconds: z.number().positive(),
  /** The sections asked for; those left out are empty here (no resources, charts, checks, alerts, recommendations). */
  sections: z.array(ReportSection),
  verdict: Verdict,
  hosts: z.array(HostReport),
  alerts: z.object({
    items: z.array(ReportAlert),
    bySeverity: z.object({ info: z.number().int(), warning: z.number().int(), critical: z.number().int() }),
    /** Alerts per rule (as in items) and the hosts they were on, most first. */
    byRule: z.array(z.object({ rule: z.string(), count: z.number().int(), hosts: z.number().int() })),
  }),
  recommendations: z.array(Recommendation),
});
export type Report = z.infer<typeof Report>;

/**
 * What the user asks for. `hosts`: ids; empty means every host. `sections`: what to include (default
 * all). `progress`: a token the client chose; while the report is gathered the engine emits
 * `reportProgress` events carrying it.
 */
export const ReportRequest = z.object({
  from: EpochMs,
  to: EpochMs,
  hosts: z.array(z.string()).default([]),
  sections: z.array(ReportSection).default([...ReportSection.options]),
  progress: z.string().regex(/^[\w-]{1,64}$/, 'a progress token is 1 to 64 letters, digits, _ or -').optional(),
}).refine((r) => r.from < r.to, { message: '`from` must be before `to`' });
export type ReportRequest = z.infer<typeof ReportRequest>;

/** File formats a report is written in. */
export const ReportFormat = z.enum(['html', 'pdf', 'md', 'json', 'csv']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/**
 * Reports written on their own: `daily` after each local midnight for the day before, `weekly` after
 * Monday's midnight for the week before, into `folder` (a path on the engine's machine), in `format`,
 * for `hosts` (ids; empty: all). Off by default.
 */
export const ReportSchedule = z.object({
  frequency: z.enum(['off', 'daily', 'weekly']),
  folder: z.string().trim().max(4096).nullable(),
  format: ReportFormat,
  hosts: z.array(z.string()).default([]),
}).refine((s) => s.frequency === 'off' || (s.folder !== null && s.folder.length > 0), {
  message: 'Choose the folder scheduled reports go to', path: ['folder'],
});
export type ReportSchedule = z.infer<typeof ReportSchedule>;

export const DEFAULT_REPORT_SCHEDULE: ReportSchedule = { frequency: 'off', folder: null, format: 'html', hosts: [] };
