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

/** A verdict with the reasons for it, most serious first (empty when healthy). */
export const Verdict = z.object({ status: HealthStatus, reasons: z.array(z.string()) });
export type Verdict = z.infer<typeof Verdict>;

/** One point of a report chart: the average over a bucket starting at `t`. */
export const ChartPoint = z.object({ t: EpochMs, value: z.number() });

/**
 * One resource line of a host (CPU, memory, swap, a filesystem, network or disk I/O in one direction),
 * summarised over the range. min/avg/max are over every sample (from the finest history kept); p95 is
 * the 95th percentile of the 1-minute averages. Null figures: no data in the range.
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
   * Linear fit of the used bytes (filesystems) over the range: growth per day (bytes, negative when
   * shrinking) and, when it grows, when it would be full at that rate (null when not growing or > 1 year).
   */
  trend: z.object({
    slopePerDay: z.number(),
    usedBytes: z.number(),
    limitBytes: z.number().nullable(),
    fullAt: EpochMs.nullable(),
  }).nullable(),
});
export type ResourceSummary = z.infer<typeof ResourceSummary>;

export const HostReport = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['local', 'ssh']),
  address: z.string().nullable(),
  verdict: Verdict,
  /** First and last sample of the host in the range; null when it has none (added later, or no data). */
  dataFrom: EpochMs.nullable(),
  dataTo: EpochMs.nullable(),
  /** Time within the range the host's polls failed (`up` = 0), seconds. */
  unreachableSeconds: z.number().nonnegative(),
  /** Share of polls that succeeded (0–1); null without any poll in the range. */
  availability: z.number().nullable(),
  /** Boot times seen in the range (uptime went backwards). */
  reboots: z.array(EpochMs),
  /** Uptime at the end of the range (or at the last sample), seconds; null when unknown. */
  uptimeSeconds: z.number().nullable(),
  resources: z.array(ResourceSummary),
});
export type HostReport = z.infer<typeof HostReport>;

/** One alert active at some time in the range. */
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
  /** When it fired (or became pending, if it never fired). */
  startedAt: EpochMs,
  resolvedAt: EpochMs.nullable(),
  /** From startedAt to resolvedAt, or to the end of the range while unresolved; seconds. */
  durationSeconds: z.number().nonnegative(),
  resolved: z.boolean(),
});
export type ReportAlert = z.infer<typeof ReportAlert>;

export const Recommendation = z.object({
  kind: z.enum(['filesystem_filling', 'memory_high', 'cpu_high', 'swap_high', 'noisy_rule', 'host_unreachable']),
  severity: z.enum(['info', 'warning', 'critical']),
  /** The host it is about, or null for the whole fleet (a rule). */
  host: z.string().nullable(),
  /** One sentence a person acts on. */
  message: z.string(),
  /** The figures that triggered it, named, in their units (e.g. { fullInDays: 9, slopePerDay: 1.2e9 }). */
  figures: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const Report = z.object({
  schema: z.literal('hostwatch.report'),
  version: z.literal(REPORT_VERSION),
  generatedAt: EpochMs,
  hostwatchVersion: z.string(),
  from: EpochMs,
  to: EpochMs,
  verdict: Verdict,
  hosts: z.array(HostReport),
  alerts: z.object({
    items: z.array(ReportAlert),
    bySeverity: z.object({ info: z.number().int(), warning: z.number().int(), critical: z.number().int() }),
    /** Firings per rule, most first. */
    byRule: z.array(z.object({ rule: z.string(), count: z.number().int(), hosts: z.number().int() })),
  }),
  recommendations: z.array(Recommendation),
});
export type Report = z.infer<typeof Report>;

/** What the user asks for. `hosts`: ids; empty means every host. */
export const ReportRequest = z.object({
  from: EpochMs,
  to: EpochMs,
  hosts: z.array(z.string()).default([]),
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
