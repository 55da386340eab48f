/**
 * What a report says, as plain (unescaped) text, shared by the HTML and Markdown renderers so both
 * formats say the same thing the same way: times in UTC, figures in their units, status words, trend
 * sentences, the fleet summary. Each renderer escapes what it takes from here.
 */
import { formatAvailability, formatBytes, formatDuration, formatLatency, formatPercent, formatValue } from '../../../shared/format.ts';
import { METRICS } from '../../../shared/metrics.ts';
import type { MetricUnit } from '../../../shared/metrics.ts';
import { REPORT_SECTIONS } from '../../../shared/report.ts';
import type {
  HealthStatus, HostReport, Recommendation, Report, ReportAlert, ReportCheck, ReportSection, ResourceSummary,
} from '../../../shared/report.ts';

/** Stands for an unknown figure: unknown is not zero. */
export const UNKNOWN = '—';

/** An instant as `2026-03-04 14:05 UTC`, whatever the machine's locale and time zone. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The report's range: `2026-03-02 00:00 UTC – 2026-03-09 00:00 UTC (7 d)`. */
export function formatRange(report: Report): string {
  return `${formatTime(report.from)} – ${formatTime(report.to)} (${formatDuration((report.to - report.from) / 1000)})`;
}

/** The three states of the UI's palette a report uses, with the icon and word that go with the colour. */
export type Tone = 'ok' | 'warning' | 'critical' | 'info';
export interface Look { tone: Tone; icon: string; word: string }

const STATUS: Record<HealthStatus, Look> = {
  healthy: { tone: 'ok', icon: '✓', word: 'Healthy' },
  degraded: { tone: 'warning', icon: '▲', word: 'Degraded' },
  critical: { tone: 'critical', icon: '✖', word: 'Critical' },
};
const SEVERITY: Record<ReportAlert['severity'], Look> = {
  info: { tone: 'info', icon: 'ℹ', word: 'Info' },
  warning: { tone: 'warning', icon: '▲', word: 'Warning' },
  critical: { tone: 'critical', icon: '✖', word: 'Critical' },
};

/** How a health status looks: tone, icon and word (never colour alone). */
export function statusLook(status: HealthStatus): Look {
  return STATUS[status];
}

/** How an alert or recommendation severity looks. */
export function severityLook(severity: ReportAlert['severity']): Look {
  return SEVERITY[severity];
}

/** Severities, worst first. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;

const STATUS_RANK: Record<HealthStatus, number> = { critical: 0, degraded: 1, healthy: 2 };
const SEVERITY_RANK: Record<ReportAlert['severity'], number> = { critical: 0, warning: 1, info: 2 };

/** The hosts worst first (as the fleet view sorts them), in the report's order otherwise. */
export function hostsWorstFirst(report: Report): HostReport[] {
  return [...report.hosts].sort((a, b) => STATUS_RANK[a.verdict.status] - STATUS_RANK[b.verdict.status]);
}

/** Every alert of the range in the order it started. */
export function alertsByStart(report: Report): ReportAlert[] {
  return [...report.alerts.items].sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
}

/** Firings per rule, noisiest first. */
export function rulesNoisiestFirst(report: Report): Report['alerts']['byRule'] {
  return [...report.alerts.byRule].sort((a, b) => b.count - a.count);
}

/** Recommendations, most severe first. */
export function recommendationsBySeverity(report: Report): Recommendation[] {
  return [...report.recommendations].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/** The name of host `id`, or the id itself when the report has no such host. */
export function hostName(report: Report, id: string): string {
  return report.hosts.find((h) => h.id === id)?.name ?? id;
}

const UNITS = new Set<string>(METRICS.map((m) => m.unit));

/** A figure in its catalog unit (formatValue); "—" when unknown; the unit written out when not in the catalog. */
export function formatFigure(value: number | null, unit: string): string {
  if (value === null) return UNKNOWN;
  return UNITS.has(unit) ? formatValue(value, unit as MetricUnit) : `${value} ${unit}`;
}

/** A ratio (0–1) as a percentage, "—" when unknown. */
export function percentOrUnknown(ratio: number | null): string {
  return ratio === null ? UNKNOWN : formatPercent(ratio);
}

/** A check's run time ("182 ms"), "—" when unknown. */
export function latencyOrUnknown(seconds: number | null): string {
  return seconds === null ? UNKNOWN : formatLatency(seconds);
}

/** A duration in seconds ("9 h 20 min"), "—" when unknown. */
export function durationOrUnknown(seconds: number | null): string {
  return seconds === null ? UNKNOWN : formatDuration(seconds);
}

/** Seconds from now to a point in time as a person would say it: "~9 days", "~1 d 4 h". */
function inAbout(seconds: number): string {
  const days = seconds / 86400;
  return days >= 2 ? `~${Math.round(days)} days` : `~${formatDuration(seconds)}`;
}

/**
 * The trend of a filesystem as a sentence, from the linear fit over the range: "Filesystem /var grows
 * 1.2 GiB/day, full in ~9 days (2026-03-18 04:00 UTC)". Null without a trend. "Full in" counts from
 * `now`, the report's end (fullAt counts from the last sample, at most a bucket or so earlier).
 */
export function trendSentence(resource: ResourceSummary, now: number): string | null {
  const trend = resource.trend;
  if (!trend) return null;
  const { slopePerDay, freeBytes, fullAt } = trend;
  if (slopePerDay === 0) return `${resource.label} is steady`;
  const rate = `${formatBytes(Math.abs(slopePerDay))}/day`;
  if (slopePerDay < 0) return `${resource.label} shrinks ${rate}`;
  const grows = `${resource.label} grows ${rate}`;
  if (fullAt !== null) {
    return fullAt <= now ? `${grows}, already full` : `${grows}, full in ${inAbout((fullAt - now) / 1000)} (${formatTime(fullAt)})`;
  }
  // Without the free space nothing can be said about when it fills; with it, fullAt is null past a year.
  return freeBytes === null ? grows : `${grows}, not full within a year at this rate`;
}

/**
 * What the host's data covers when it is not the whole range: "No data in this range", or when the data
 * starts late or ends early. Null when it covers the range. dataFrom and dataTo are bucket edges, and a
 * poll lands a little after the range starts, so only a gap of more than a bucket (5 minutes at least)
 * counts.
 */
export function coverageNote(host: HostReport, report: Report): string | null {
  if (host.dataFrom === null || host.dataTo === null) return 'No data in this range';
  const slack = Math.max(5 * 60_000, report.bucketSeconds * 1000);
  const late = host.dataFrom - report.from > slack;
  const early = report.to - host.dataTo > slack;
  if (late && early) return `Data only from ${formatTime(host.dataFrom)} to ${formatTime(host.dataTo)}`;
  if (late) return `Data starts ${formatTime(host.dataFrom)}, after the range starts (added later, or not collected before)`;
  if (early) return `Data ends ${formatTime(host.dataTo)}, before the range ends`;
  return null;
}

const REBOOTS_LISTED = 5;

/**
 * A host's reboots as text: "none", "1 (2026-03-05 03:12 UTC)", "3 (…, …, …)", the first few times
 * listed; "—" without data, when none could have been seen.
 */
export function rebootsText(host: HostReport): string {
  const { reboots } = host;
  if (host.dataFrom === null) return UNKNOWN;
  if (reboots.length === 0) return 'none';
  const times = reboots.slice(0, REBOOTS_LISTED).map(formatTime);
  if (reboots.length > REBOOTS_LISTED) times.push(`${reboots.length - REBOOTS_LISTED} more`);
  return `${reboots.length} (${times.join(', ')})`;
}

/** The fullest filesystem of a host as its mount point and the highest utilization seen: "/var 91%"; null without one. */
export function fullestFilesystem(host: HostReport): string | null {
  let best: { mount: string; max: number } | null = null;
  for (const r of host.resources) {
    if (!r.key.startsWith('fs:') || r.unit !== '1' || r.max === null) continue;
    if (best === null || r.max > best.max) best = { mount: r.key.slice('fs:'.length), max: r.max };
  }
  return best && `${best.mount} ${formatPercent(best.max)}`;
}

/** One row of the fleet summary, as text. */
export interface FleetRow {
  availability: string;
  unreachable: string;
  reboots: string;
  cpuP95: string;
  memoryAvg: string;
  fullestFilesystem: string;
}

/** The fleet summary's row for a host. */
export function fleetRow(host: HostReport): FleetRow {
  const cpu = host.resources.find((r) => r.key === 'cpu');
  const memory = host.resources.find((r) => r.key === 'memory');
  return {
    availability: percentOrUnknown(host.availability),
    unreachable: durationOrUnknown(host.unreachableSeconds),
    reboots: host.dataFrom === null ? UNKNOWN : String(host.reboots.length),
    cpuP95: cpu ? formatFigure(cpu.p95, cpu.unit) : UNKNOWN,
    memoryAvg: memory ? formatFigure(memory.avg, memory.unit) : UNKNOWN,
    fullestFilesystem: fullestFilesystem(host) ?? UNKNOWN,
  };
}

/** Alert counts by severity, worst first, as "2 critical, 5 warning, 1 info". */
export function severityCounts(report: Report): string {
  return SEVERITIES.map((s) => `${report.alerts.bySeverity[s]} ${s}`).join(', ');
}

/** When an alert resolved, or null while it still fires at the end of the range. */
export function resolvedAt(alert: ReportAlert): number | null {
  return alert.resolved ? alert.resolvedAt : null;
}

/** How many of a host's alerts fired in the range and how many still fire: "3 (1 still firing)", "none". */
export function hostAlertCount(report: Report, host: HostReport): string {
  const mine = report.alerts.items.filter((a) => a.host === host.id);
  if (mine.length === 0) return 'none';
  const firing = mine.filter((a) => !a.resolved).length;
  return firing > 0 ? `${mine.length} (${firing} still firing)` : String(mine.length);
}

/**
 * A recommendation's figure as a label and a value. The name's suffix says the unit: `…Ratio` (0–1),
 * `…Bytes`, `…BytesPerDay`, `…Seconds`, `…Days`, `…At` (epoch ms); other numbers are shown as they are,
 * strings as text; `availabilityRatio` rounds down, `latencyP95Seconds` shows milliseconds. The label is
 * the rest of the name in words: `fullInDays: 9.4` → "full in", "9.4 days".
 */
export function figureText(name: string, value: number | string): { label: string; value: string } {
  const suffix = typeof value === 'number' ? FIGURE_SUFFIXES.find(([s]) => name.endsWith(s) && name.length > s.length) : undefined;
  const base = suffix ? name.slice(0, -suffix[0].length) : name;
  const label = base.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  if (typeof value === 'string') return { label, value };
  const format = FIGURE_NAMES[name] ?? suffix?.[1] ?? plainNumber;
  return { label, value: format(value) };
}

/** Figures that read better than their suffix says: availabilities never rounded up, run times in ms. */
const FIGURE_NAMES: Record<string, (v: number) => string> = {
  availabilityRatio: formatAvailability,
  latencyP95Seconds: formatLatency,
};

const FIGURE_SUFFIXES: [string, (v: number) => string][] = [
  ['BytesPerDay', (v) => `${formatBytes(v)}/day`],
  ['Ratio', formatPercent],
  ['Bytes', formatBytes],
  ['Seconds', formatDuration],
  ['Days', (v) => `${plainNumber(v)} days`],
  ['At', formatTime],
];

/** A number without a unit, at most two decimals, locale-independent: "4", "9.4", "0.33". */
function plainNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

const CHECK_STATES: Record<string, Look> = {
  up: { tone: 'ok', icon: '✓', word: 'Up' },
  degraded: { tone: 'warning', icon: '▲', word: 'Degraded' },
  pending: { tone: 'warning', icon: '…', word: 'Pending' },
  down: { tone: 'critical', icon: '✖', word: 'Down' },
  unknown: { tone: 'info', icon: '?', word: 'Unknown' },
  maintenance: { tone: 'info', icon: '⚒', word: 'Maintenance' },
};

/** How a check's state at the end of the range looks; null when no state was known. */
export function checkStateLook(state: string | null): Look | null {
  return state === null ? null : CHECK_STATES[state] ?? { tone: 'info', icon: '?', word: state };
}

/** A check's time down in the range: "2 h 3 min (4 times)", "none". */
export function checkDownText(c: ReportCheck): string {
  if (c.downCount === 0 && c.downSeconds === 0) return 'none';
  return `${formatDuration(c.downSeconds)} (${c.downCount === 1 ? 'once' : `${c.downCount} times`})`;
}

/** Whether `report` includes `section` (see ReportSection). */
export function includes(report: Report, section: ReportSection): boolean {
  return report.sections.includes(section);
}

const SECTION_NAMES: Record<ReportSection, string> = {
  resources: 'resources', charts: 'charts', checks: 'service checks', alerts: 'alerts', recommendations: 'recommendations',
};

/** "Left out at the reader's request: charts, alerts", or null when nothing was. */
export function leftOutNote(report: Report): string | null {
  const out = REPORT_SECTIONS.filter((s) => !report.sections.includes(s)
    && !(s === 'charts' && !report.sections.includes('resources')));
  return out.length === 0 ? null : `Left out of this report on request: ${out.map((s) => SECTION_NAMES[s]).join(', ')}`;
}
