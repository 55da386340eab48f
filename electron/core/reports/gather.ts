/**
 * Gathers a health report (shared/report.ts) from the history store, the alert history and the hosts
 * table: per host the resources over the range, its trend, availability and reboots; the alerts of the
 * range; verdicts and recommendations derived from those figures. buildReport is synchronous, like the
 * store; gatherReport does the same host by host, letting the event loop run in between.
 *
 * Every resource is read once, as the store's buckets of a minute (ranges up to 7 days) or an hour
 * (longer ones), one query per metric and host, matchers narrowing it to the series needed; the
 * filesystem trends read about 240 coarser buckets. Reading rollups is most of the time.
 */
import type { Alert, Point, SeriesData } from '../../../shared/api.ts';
import { formatAvailability, formatBytes, formatDuration, formatPercent } from '../../../shared/format.ts';
import { Attr, metricDefinition, type Attributes } from '../../../shared/metrics.ts';
import {
  REPORT_SECTIONS, REPORT_VERSION, type HealthStatus, type ReportSection, type HostReport, type Recommendation, type Report, type ReportAlert,
  type ReportCheck,
  type ResourceSummary, type Verdict,
} from '../../../shared/report.ts';
import { ANY } from '../../../shared/rules.ts';
import type { AlertRepository } from '../store/alerts.ts';
import { NotFoundError } from '../store/errors.ts';
import type { HostRepository } from '../store/hosts.ts';
import type { QueryResult, SampleStore } from '../store/samples.ts';
import { gatherChecks, type ReportCheckSource } from './checks.ts';
import { chartPoints, linearFit, percentile, sumColumns, summarize, toColumns, type Columns } from './stats.ts';

/** A host as a report names it; `address` (or a remote host's `spec.address`) is shown in the header. */
export interface ReportHost {
  id: string;
  name: string;
  kind: 'local' | 'ssh';
  address?: string | null;
  spec?: { address: string } | null;
}

/**
 * Where a report's data comes from. `hosts`: the hosts table, or its rows already read; `checks`: the
 * service checks and their state changes (store/checks.ts), none when left out.
 */
export interface ReportSources {
  samples: SampleStore;
  alerts: AlertRepository;
  hosts: HostRepository | readonly ReportHost[];
  checks?: ReportCheckSource;
  /** Hostwatch's version, for the header. */
  version: string;
}

/**
 * The range (ms since epoch, from < to, both inclusive) and host ids of a report (none: every host), and
 * the sections to include (default all).
 */
export interface ReportRange {
  from: number;
  to: number;
  hosts?: readonly string[];
  sections?: readonly ReportSection[];
}

/** The thresholds verdicts and recommendations use (ratios 0–1, days, counts). */
export const THRESHOLDS = {
  /** Critical when unreachable more than this share of the time the host was polled. */
  unreachableCritical: 0.1,
  /** Recommend looking at a host unreachable more than this share of the time. */
  unreachableNotice: 0.01,
  /** Degraded when unreachable longer than this, seconds: a missed poll or two is not a finding. */
  unreachableDegradedSeconds: 300,
  /** A filesystem full within this many days is critical… */
  fullCriticalDays: 7,
  /** …and within this many, degraded and recommended. */
  fullWarningDays: 30,
  /** 95th percentile of CPU above this: degraded, recommended. */
  cpuP95: 0.9,
  /** Average memory above this: degraded. */
  memoryDegraded: 0.9,
  /** Average memory above this: recommended. */
  memoryNotice: 0.85,
  /** Average swap above this: recommended. */
  swapNotice: 0.5,
  /** A rule is noisy when it fired more than this many times in the range… */
  noisyFirings: 10,
  /** …or more than this many a day on average (a range shorter than a day counts as a day). */
  noisyPerDay: 5,
  /** A service check up less than this share of its runs: degraded, recommended. */
  checkAvailability: 0.99,
} as const;

/**
 * Bucket width by range: a minute up to a week (raw samples or 1-minute rollups), an hour beyond (the
 * 1-hour rollups: 30 days of 1-minute rollups are 720 blocks a series, 30 times the reading).
 */
const MINUTE_BUCKET_MS = 60_000;
const HOUR_BUCKET_MS = 3_600_000;
const MINUTE_BUCKETS_UP_TO_MS = 7 * 86_400_000;
/** Buckets of the filesystem fit: 3 h over 30 days (1-hour rollups), 6 min over a day. */
const TREND_POINTS = 240;
/** A fit needs this many buckets over at least TREND_MIN_SPAN_MS. */
const TREND_MIN_POINTS = 12;
const TREND_MIN_SPAN_MS = 3_600_000;
const CHART_POINTS = 120;
const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
/** Device-mapper and software RAID stack on disks whose I/O is counted already. */
const STACKED_DISK = /^(?:dm-\d+|md\d+)$/;
const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;
const STATUS_RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, critical: 2 };

/** What a host's figures say, for its verdict and the recommendations. */
interface HostFacts {
  report: HostReport;
  cpu: ResourceSummary;
  memory: ResourceSummary;
  swap: ResourceSummary;
  /** Share of the polled time the host was unreachable; null without polls. */
  unreachableShare: number | null;
  /** Filesystems with a trend that reaches full: mount point, days from the range's end (≤ 0: full). */
  filling: { mountpoint: string; days: number; resource: ResourceSummary }[];
}

/** How a query's buckets are laid out: every query of one report gets the same. */
interface Grid {
  step: number;
  origin: number;
}

/**
 * The health report of `request` as of `now` (ms; it decides which history tiers retention still
 * keeps): hosts `request.hosts` (ids, in the hosts table's order), or every host of the table when none
 * are given. Throws a RangeError when from ≥ to, and NotFoundError for a host id not in the table.
 *
 * Figures are in the catalog's units (ratios 0–1, bytes, bytes per second, seconds); times ms since epoch.
 * Synchronous: tens of ms per host; in the engine's process use gatherReport, which lets polling run
 * between hosts.
 */
export function buildReport(sources: ReportSources, request: ReportRange, now: number = Date.now()): Report {
  const steps = reportSteps(sources, request, now);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Options of gatherReport. */
export interface GatherOptions {
  /** Awaited after each host (default: the next turn of the event loop), so polling goes on. */
  pause?: () => Promise<void>;
  /** Called after each host with the hosts done and their total, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** buildReport, host by host: awaits `options.pause()` between hosts and reports progress. Same result. */
export async function gatherReport(
  sources: ReportSources, request: ReportRange, now: number = Date.now(), options: GatherOptions = {},
): Promise<Report> {
  const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const steps = reportSteps(sources, request, now);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    options.onProgress?.(step.value.done, step.value.total);
    await pause();
  }
}

/** The report, yielding after each host gathered (the long part: its queries). */
function* reportSteps(sources: ReportSources, request: ReportRange, now: number): Generator<{ done: number; total: number }, Report> {
  const { from, to } = request;
  if (!(from < to)) throw new RangeError('`from` must be before `to`');
  const hosts = chooseHosts(sources.hosts, request.hosts ?? []);
  const store = sources.samples;
  const bucket = to - from <= MINUTE_BUCKETS_UP_TO_MS ? MINUTE_BUCKET_MS : HOUR_BUCKET_MS;
  const maxPoints = Math.ceil((to - from) / bucket) + 1;
  // Every query of the report gets the same buckets; a host without series tells which.
  const grid = gridOf(store.query({ host: '', metric: 'up', from, to, maxPoints }, now), from);

  const alerts = gatherAlerts(sources.alerts, hosts, from, to);
  const facts: HostFacts[] = [];
  for (const host of hosts) {
    const f = gatherHost(store, host, { from, to, now, maxPoints, grid });
    if (sources.checks) f.report.checks = gatherChecks(store, sources.checks, host.id, { from, to, now, maxPoints });
    facts.push(f);
    yield { done: facts.length, total: hosts.length };
  }
  for (const f of facts) f.report.verdict = hostVerdict(f, alerts.items.filter((a) => a.host === f.report.id), to);

  return leaveOut(request.sections ?? REPORT_SECTIONS, {
    schema: 'hostwatch.report',
    version: REPORT_VERSION,
    generatedAt: now,
    hostwatchVersion: sources.version,
    from,
    to,
    bucketSeconds: grid.step / 1000,
    verdict: fleetVerdict(facts.map((f) => f.report)),
    hosts: facts.map((f) => f.report),
    alerts,
    sections: [...REPORT_SECTIONS],
    recommendations: [
      ...facts.flatMap((f) => hostRecommendations(f)),
      ...noisyRules(alerts.items, from, to),
    ],
  });
}

/** `report` with the sections not in `sections` emptied (the verdicts were made from everything). */
function leaveOut(sections: readonly ReportSection[], report: Report): Report {
  const keep = new Set(sections);
  report.sections = REPORT_SECTIONS.filter((s) => keep.has(s));
  if (!keep.has('resources')) for (const h of report.hosts) h.resources = [];
  else if (!keep.has('charts')) for (const h of report.hosts) for (const r of h.resources) r.chart = [];
  if (!keep.has('checks')) for (const h of report.hosts) h.checks = [];
  if (!keep.has('alerts')) report.alerts = { items: [], bySeverity: { info: 0, warning: 0, critical: 0 }, byRule: [] };
  if (!keep.has('recommendations')) report.recommendations = [];
  return report;
}

function chooseHosts(source: ReportSources['hosts'], ids: readonly string[]): ReportHost[] {
  const all: readonly ReportHost[] = 'list' in source ? source.list() : source;
  if (ids.length === 0) return [...all];
  for (const id of ids) if (!all.some((h) => h.id === id)) throw new NotFoundError(`No host ${id}`);
  return all.filter((h) => ids.includes(h.id));
}

/** Buckets start at `from` on raw samples, at a multiple of the step on rollups (samplestore.query). */
function gridOf(result: QueryResult, from: number): Grid {
  return { step: result.step, origin: result.tier === 'raw' ? from : Math.floor(from / result.step) * result.step };
}

interface HostQuery {
  from: number;
  to: number;
  now: number;
  maxPoints: number;
  grid: Grid;
}

function gatherHost(store: SampleStore, host: ReportHost, q: HostQuery): HostFacts {
  const { from, to, grid } = q;
  const query = (metric: string, matchers?: Attributes): SeriesData[] =>
    store.query({ host: host.id, metric, ...(matchers ? { matchers } : {}), from, to, maxPoints: q.maxPoints }, q.now).series;
  const only = (series: SeriesData[]): Columns => toColumns(series.find((s) => Object.keys(s.attributes).length === 0)?.points ?? []);

  const cpu = only(query('system.cpu.utilization', { [Attr.cpu]: '' }));
  const memory = only(query('system.memory.utilization'));
  const swap = only(query('system.paging.utilization'));
  const filesystems = query('system.filesystem.utilization', { [Attr.mountpoint]: ANY });
  const network = query('system.network.io');
  const allDisks = query('system.disk.io');
  const physical = allDisks.filter((s) => !STACKED_DISK.test(s.attributes[Attr.device] ?? ''));
  const disks = physical.length > 0 ? physical : allDisks;
  const up = only(query('up'));
  const uptime = only(query('system.uptime'));

  const resource = (key: string, label: string, metric: string, c: Columns): ResourceSummary => ({
    key, label, metric, unit: metricDefinition(metric)?.unit ?? '', ...summarize(c),
    chart: chartPoints(c, grid.origin, grid.step, to, CHART_POINTS), trend: null,
  });
  const byDirection = (series: SeriesData[], attr: string, direction: string): Columns =>
    sumColumns(series.filter((s) => s.attributes[attr] === direction).map((s) => toColumns(s.points)), grid.step);

  const resources: ResourceSummary[] = [
    resource('cpu', 'CPU', 'system.cpu.utilization', cpu),
    resource('memory', 'Memory', 'system.memory.utilization', memory),
    resource('swap', 'Swap', 'system.paging.utilization', swap),
  ];
  const trends = filesystems.length > 0 ? filesystemTrends(store, host.id, q) : new Map<string, ResourceSummary['trend']>();
  for (const s of filesystems) {
    const mount = s.attributes[Attr.mountpoint]!;
    resources.push({ ...resource(`fs:${mount}`, `Filesystem ${mount}`, s.metric, toColumns(s.points)), trend: trends.get(mount) ?? null });
  }
  resources.push(
    resource('net:receive', 'Network receive', 'system.network.io', byDirection(network, Attr.networkDirection, 'receive')),
    resource('net:transmit', 'Network transmit', 'system.network.io', byDirection(network, Attr.networkDirection, 'transmit')),
    resource('disk:read', 'Disk read', 'system.disk.io', byDirection(disks, Attr.diskDirection, 'read')),
    resource('disk:write', 'Disk write', 'system.disk.io', byDirection(disks, Attr.diskDirection, 'write')),
  );

  // The data's extent over every series read: `up` is written on every poll, failed or not, but a
  // history without it (an older file) still has the others.
  let first = Infinity;
  let last = -Infinity;
  const extend = (a: number | undefined, b: number | undefined) => {
    if (a !== undefined) first = Math.min(first, a);
    if (b !== undefined) last = Math.max(last, b);
  };
  for (const c of [cpu, memory, swap, up, uptime]) extend(c.t[0], c.t[c.t.length - 1]);
  for (const s of [...filesystems, ...network, ...allDisks]) extend(s.points[0]?.t, s.points.at(-1)?.t);
  const reach = reachability(up, grid.step, from, to);
  const boots = reboots(uptime, grid.step, from, to);
  const report: HostReport = {
    id: host.id,
    name: host.name,
    kind: host.kind,
    address: host.address ?? host.spec?.address ?? null,
    verdict: { status: 'healthy', reasons: [] },
    dataFrom: first === Infinity ? null : Math.max(from, first),
    dataTo: last === -Infinity ? null : Math.min(to, last + grid.step),
    unreachableSeconds: reach?.unreachableSeconds ?? null,
    availability: reach?.availability ?? null,
    reboots: boots.times,
    uptimeSeconds: boots.uptimeSeconds,
    resources,
    checks: [],
  };
  const filling: HostFacts['filling'] = [];
  for (const r of resources) {
    const fullAt = r.trend?.fullAt;
    if (fullAt === null || fullAt === undefined) continue;
    filling.push({ mountpoint: r.key.slice(3), days: (fullAt - to) / DAY_MS, resource: r });
  }
  filling.sort((a, b) => a.days - b.days);
  return {
    report, cpu: resources[0]!, memory: resources[1]!, swap: resources[2]!, filling,
    unreachableShare: reach && reach.polledSeconds > 0 ? reach.unreachableSeconds / reach.polledSeconds : reach ? 1 - reach.availability : null,
  };
}

/**
 * Unreachable time and availability from the `up` buckets (a bucket's average is the share of its polls
 * that succeeded). Each bucket stands for the time to the next one, at most the typical spacing of
 * buckets (the bucket, or the poll interval of a host polled less often than once a bucket), cut to the
 * range; longer gaps are time nobody polled. Null without buckets.
 */
function reachability(up: Columns, step: number, from: number, to: number):
  { unreachableSeconds: number; availability: number; polledSeconds: number } | null {
  const n = up.t.length;
  if (n === 0) return null;
  const gaps = new Float64Array(Math.max(0, n - 1));
  for (let i = 0; i + 1 < n; i++) gaps[i] = up.t[i + 1]! - up.t[i]!;
  const typical = Math.max(step, gaps.length > 0 ? percentile(gaps, 0.5) : step);
  let polled = 0;
  let down = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = up.t[i]!;
    const span = Math.min(typical, i + 1 < n ? up.t[i + 1]! - t : typical);
    const ms = Math.max(0, Math.min(t + span, to) - Math.max(t, from));
    const share = upShare(up.avg[i]!, up.min[i]!, up.max[i]!);
    polled += ms;
    down += (1 - share) * ms;
    sum += share;
  }
  return {
    unreachableSeconds: down / 1000,
    // Weighted as the unreachable time, so the two agree; a lone bucket at `to` weighs nothing, then each counts once.
    availability: polled > 0 ? 1 - down / polled : sum / n,
    polledSeconds: polled / 1000,
  };
}

/**
 * The share of successful polls in an `up` bucket. Rollups sealed before averages kept four digits
 * (store/blocks.ts encodeRollupBlock) stored the average of `up` as a whole number, so a minute with 3
 * failed polls of 12 reads 1: a bucket with both outcomes whose average is 0 or 1 is such a rounded one,
 * and the middle of what rounds to it (0.25 or 0.75) is the best guess. An exact average always lies
 * strictly between a mixed bucket's 0 and 1, and is taken as it is.
 */
export function upShare(avg: number, min: number, max: number): number {
  if (min < max && (avg === min || avg === max)) return avg === max ? 0.75 * max + 0.25 * min : 0.25 * max + 0.75 * min;
  return avg;
}

/**
 * Boots seen in the `system.uptime` buckets: uptime lower than the previous bucket's highest, or a
 * bucket whose uptime spans more than the bucket itself (a reboot inside it). The boot time is the
 * middle of where the lowest uptime of the bucket places it (to within half a bucket). Also the uptime
 * at the last sample (the last bucket's highest, or lowest after a reboot there).
 */
function reboots(uptime: Columns, step: number, from: number, to: number): { times: number[]; uptimeSeconds: number | null } {
  const n = uptime.t.length;
  const times: number[] = [];
  let rebootInLast = false;
  for (let i = 0; i < n; i++) {
    const min = uptime.min[i]!;
    const max = uptime.max[i]!;
    // Uptime is stored to 6 significant digits: a 200-day uptime moves in 100 s steps.
    const quantum = max > 0 ? 10 ** (Math.floor(Math.log10(max)) - 5) : 0;
    const backwards = i > 0 && min < uptime.max[i - 1]!;
    const inside = max - min > step / 1000 + 2 * quantum + 1;
    if (!backwards && !inside) continue;
    const boot = Math.round(uptime.t[i]! + step / 2 - min * 1000);
    times.push(Math.min(to, Math.max(from, i > 0 ? uptime.t[i - 1]! : from, boot)));
    if (i === n - 1) rebootInLast = true;
  }
  return { times, uptimeSeconds: n === 0 ? null : rebootInLast ? uptime.min[n - 1]! : uptime.max[n - 1]! };
}

/**
 * Per mount point, the least-squares line through `system.filesystem.usage{state=used}` over about
 * TREND_POINTS buckets, with the last used, free and limit values and when free space runs out.
 */
function filesystemTrends(store: SampleStore, host: string, q: HostQuery): Map<string, ResourceSummary['trend']> {
  const ask = (metric: string, matchers: Attributes) =>
    store.query({ host, metric, matchers, from: q.from, to: q.to, maxPoints: TREND_POINTS }, q.now);
  const usage = ask('system.filesystem.usage', { [Attr.mountpoint]: ANY, [Attr.filesystemState]: ANY });
  const limits = ask('system.filesystem.limit', { [Attr.mountpoint]: ANY });
  const step = usage.step;
  const lastOf = (series: SeriesData[], mount: string, state?: string): Point | null => {
    const s = series.find((x) => x.attributes[Attr.mountpoint] === mount && (state === undefined || x.attributes[Attr.filesystemState] === state));
    return s?.points.at(-1) ?? null;
  };
  const out = new Map<string, ResourceSummary['trend']>();
  for (const s of usage.series) {
    if (s.attributes[Attr.filesystemState] !== 'used') continue;
    const mount = s.attributes[Attr.mountpoint]!;
    const points = s.points;
    if (points.length < TREND_MIN_POINTS || points.at(-1)!.t - points[0]!.t < TREND_MIN_SPAN_MS) continue;
    const fit = linearFit(points.map((p) => p.t), points.map((p) => p.avg));
    if (!fit) continue;
    const last = points.at(-1)!;
    const free = lastOf(usage.series, mount, 'free')?.avg ?? null;
    const limit = lastOf(limits.series, mount)?.avg ?? null;
    const left = free ?? (limit === null ? null : limit - last.avg);
    // The last bucket's average stands for its middle, or `to` when the bucket runs past it.
    const at = Math.min(last.t + step / 2, q.to);
    let fullAt: number | null = null;
    if (fit.slope > 0 && left !== null) {
      const full = at + Math.max(0, left) / fit.slope;
      if (full - q.to <= YEAR_MS) fullAt = Math.round(full);
    }
    out.set(mount, { slopePerDay: fit.slope * DAY_MS, usedBytes: last.avg, freeBytes: free, limitBytes: limit, fullAt });
  }
  return out;
}

/**
 * Alerts firing at some time in [from, to] on the chosen hosts (pending ones that never fired left
 * out), as they stood at `to`, in the order they fired; counts by severity and by rule.
 */
function gatherAlerts(repo: AlertRepository, hosts: readonly ReportHost[], from: number, to: number): Report['alerts'] {
  const names = new Map(hosts.map((h) => [h.id, h.name]));
  // history() keeps alerts active in [from, to] by active_at; firing is what counts here.
  const rows = repo.history({ from, to, limit: Number.MAX_SAFE_INTEGER })
    .filter((a): a is Alert & { firedAt: number } =>
      a.firedAt !== null && a.firedAt <= to && (a.resolvedAt === null || a.resolvedAt >= from) && names.has(a.host))
    .sort((a, b) => a.firedAt - b.firedAt || a.id - b.id);
  const items: ReportAlert[] = rows.map((a) => {
    const resolved = a.resolvedAt !== null && a.resolvedAt <= to;
    return {
      id: a.id, rule: a.ruleName, ruleId: a.ruleId, host: a.host, hostName: names.get(a.host)!, severity: a.severity,
      summary: a.summary, value: a.value, threshold: a.threshold, metric: a.metric,
      unit: metricDefinition(a.metric)?.unit ?? '',
      startedAt: a.firedAt,
      resolvedAt: resolved ? a.resolvedAt : null,
      durationSeconds: Math.max(0, ((resolved ? a.resolvedAt! : to) - a.firedAt) / 1000),
      resolved,
    };
  });
  const bySeverity = { info: 0, warning: 0, critical: 0 };
  const rules = new Map<number, { rule: string; count: number; hosts: Set<string> }>();
  for (const a of items) {
    bySeverity[a.severity]++;
    let r = rules.get(a.ruleId);
    if (!r) rules.set(a.ruleId, (r = { rule: a.rule, count: 0, hosts: new Set() }));
    // Items are in firing order: the newest name of a renamed rule wins.
    r.rule = a.rule;
    r.count++;
    r.hosts.add(a.host);
  }
  const byRule = [...rules.values()]
    .map((r) => ({ rule: r.rule, count: r.count, hosts: r.hosts.size }))
    .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return { items, bySeverity, byRule };
}

/** "~9 days", "~1 d 4 h", "~35 min". */
function inAbout(days: number): string {
  return days >= 2 ? `~${Math.round(days)} days` : `~${formatDuration(days * 86400)}`;
}

function fillingText(f: HostFacts['filling'][number]): string {
  const trend = f.resource.trend!;
  const grows = `grows ${formatBytes(trend.slopePerDay)}/day`;
  return f.days <= 0 ? `Filesystem ${f.mountpoint} is full (${grows})` : `Filesystem ${f.mountpoint} fills in ${inAbout(f.days)} (${grows})`;
}

/** The verdict on one host from its figures and its alerts of the range (see THRESHOLDS). */
function hostVerdict(f: HostFacts, alerts: readonly ReportAlert[], to: number): Verdict {
  const critical: string[] = [];
  const degraded: string[] = [];
  const r = f.report;
  // Without data every figure below is null; alerts (stored while it was watched) still count.
  if (r.dataFrom === null) degraded.push('No data in the range');

  const firing = alerts.filter((a) => a.severity === 'critical' && !a.resolved && a.startedAt <= to);
  if (firing.length === 1) critical.push(`Critical alert still firing: ${firing[0]!.summary}`);
  else if (firing.length > 1) critical.push(`${firing.length} critical alerts still firing: ${firing.map((a) => a.summary).join('; ')}`);
  const share = f.unreachableShare;
  const unreachable = `Unreachable ${formatDuration(r.unreachableSeconds ?? 0)} (${formatPercent(share ?? 0)} of the time polled)`;
  if (share !== null && share > THRESHOLDS.unreachableCritical) critical.push(unreachable);
  for (const fs of f.filling) {
    if (fs.days <= THRESHOLDS.fullCriticalDays) critical.push(fillingText(fs));
    else if (fs.days <= THRESHOLDS.fullWarningDays) degraded.push(fillingText(fs));
  }

  const fired = new Map<string, number>();
  for (const a of alerts) if (a.severity !== 'info') fired.set(a.rule, (fired.get(a.rule) ?? 0) + 1);
  if (fired.size > 0) {
    const total = [...fired.values()].reduce((s, n) => s + n, 0);
    degraded.push(`${total} ${total === 1 ? 'alert' : 'alerts'} fired: ${[...fired].map(([rule, n]) => n > 1 ? `${rule} (${n})` : rule).join(', ')}`);
  }
  if (f.cpu.p95 !== null && f.cpu.p95 > THRESHOLDS.cpuP95) {
    degraded.push(`CPU busy: 95th percentile ${formatPercent(f.cpu.p95)} (average ${formatPercent(f.cpu.avg!)})`);
  }
  if (f.memory.avg !== null && f.memory.avg > THRESHOLDS.memoryDegraded) {
    degraded.push(`Memory high: average ${formatPercent(f.memory.avg)} (max ${formatPercent(f.memory.max!)})`);
  }
  if (share !== null && share <= THRESHOLDS.unreachableCritical && (r.unreachableSeconds ?? 0) > THRESHOLDS.unreachableDegradedSeconds) {
    degraded.push(unreachable);
  }
  for (const c of r.checks) {
    if (c.state === 'down') critical.push(`Check ${c.name} was down at the end of the range`);
    else if (c.availability !== null && c.availability < THRESHOLDS.checkAvailability) degraded.push(checkText(c));
  }

  if (critical.length > 0) return { status: 'critical', reasons: [...critical, ...degraded] };
  if (degraded.length > 0) return { status: 'degraded', reasons: degraded };
  return { status: 'healthy', reasons: [] };
}

/** "Check Shop up 93.8 % of the time (down 2 h 3 min, 4 times)". */
function checkText(c: ReportCheck): string {
  const down = c.downCount > 0 ? ` (down ${formatDuration(c.downSeconds)}, ${c.downCount === 1 ? 'once' : `${c.downCount} times`})` : '';
  return `Check ${c.name} up ${formatAvailability(c.availability!)} of the time${down}`;
}

/** The worst host verdict, with the reasons of every host not healthy (worst hosts first) named by host. */
function fleetVerdict(hosts: readonly HostReport[]): Verdict {
  let status: HealthStatus = 'healthy';
  for (const h of hosts) if (STATUS_RANK[h.verdict.status] > STATUS_RANK[status]) status = h.verdict.status;
  const reasons = [...hosts]
    .sort((a, b) => STATUS_RANK[b.verdict.status] - STATUS_RANK[a.verdict.status])
    .flatMap((h) => h.verdict.reasons.map((reason) => `${h.name}: ${reason}`));
  return { status, reasons };
}

/** What to look at on one host, each with the figures that triggered it (see THRESHOLDS). */
function hostRecommendations(f: HostFacts): Recommendation[] {
  const out: Recommendation[] = [];
  const host = f.report.id;
  for (const fs of f.filling) {
    if (fs.days > THRESHOLDS.fullWarningDays) continue;
    const t = fs.resource.trend!;
    out.push({
      kind: 'filesystem_filling', severity: fs.days <= THRESHOLDS.fullCriticalDays ? 'critical' : 'warning', host,
      message: `${fillingText(fs)}: free space or move data off it before it fills.`,
      figures: {
        mountpoint: fs.mountpoint, fullInDays: round(Math.max(0, fs.days), 1), growthBytesPerDay: Math.round(t.slopePerDay),
        usedBytes: t.usedBytes, ...(t.freeBytes !== null ? { freeBytes: t.freeBytes } : {}),
        ...(t.limitBytes !== null ? { limitBytes: t.limitBytes } : {}), fullAt: t.fullAt!,
      },
    });
  }
  const { cpu, memory, swap } = f;
  if (memory.avg !== null && memory.avg > THRESHOLDS.memoryNotice) {
    out.push({
      kind: 'memory_high', severity: 'warning', host,
      message: `Memory averaged ${formatPercent(memory.avg)} over the range: add memory or find what holds it.`,
      figures: { averageRatio: memory.avg, p95Ratio: memory.p95!, maxRatio: memory.max! },
    });
  }
  if (cpu.p95 !== null && cpu.p95 > THRESHOLDS.cpuP95) {
    out.push({
      kind: 'cpu_high', severity: 'warning', host,
      message: `CPU was above ${formatPercent(cpu.p95)} 5% of the time: add capacity or spread the load.`,
      figures: { p95Ratio: cpu.p95, averageRatio: cpu.avg!, maxRatio: cpu.max! },
    });
  }
  if (swap.avg !== null && swap.avg > THRESHOLDS.swapNotice) {
    out.push({
      kind: 'swap_high', severity: 'warning', host,
      message: `Swap averaged ${formatPercent(swap.avg)} in use: the host is short of memory.`,
      figures: { averageRatio: swap.avg, maxRatio: swap.max! },
    });
  }
  for (const c of f.report.checks) {
    if (c.availability === null || c.availability >= THRESHOLDS.checkAvailability) continue;
    out.push({
      kind: 'check_unavailable', severity: c.state === 'down' ? 'critical' : 'warning', host,
      message: `${checkText(c)}: its state changes in Hostwatch say why; fix the service or the check's thresholds.`,
      figures: {
        check: c.name, availabilityRatio: c.availability, downSeconds: c.downSeconds, downCount: c.downCount,
        ...(c.latencyP95Seconds !== null ? { latencyP95Seconds: c.latencyP95Seconds } : {}),
      },
    });
  }
  const share = f.unreachableShare;
  if (share !== null && share > THRESHOLDS.unreachableNotice) {
    out.push({
      kind: 'host_unreachable', severity: share > THRESHOLDS.unreachableCritical ? 'critical' : 'warning', host,
      message: `Unreachable ${formatPercent(share)} of the time polled (${formatDuration(f.report.unreachableSeconds!)}): check its network and SSH access.`,
      figures: { unreachableSeconds: f.report.unreachableSeconds!, unreachableRatio: share, availabilityRatio: f.report.availability! },
    });
  }
  return out;
}

/** Rules that fired too often in the range (see THRESHOLDS), noisiest first. */
function noisyRules(items: readonly ReportAlert[], from: number, to: number): Recommendation[] {
  const days = Math.max(1, (to - from) / DAY_MS);
  const rules = new Map<number, { rule: string; firings: number; hosts: Set<string>; worst: ReportAlert['severity'] }>();
  for (const a of items) {
    if (a.startedAt < from) continue;
    let r = rules.get(a.ruleId);
    if (!r) rules.set(a.ruleId, (r = { rule: a.rule, firings: 0, hosts: new Set(), worst: a.severity }));
    r.rule = a.rule;
    r.firings++;
    r.hosts.add(a.host);
    if (SEVERITY_RANK[a.severity] > SEVERITY_RANK[r.worst]) r.worst = a.severity;
  }
  return [...rules.values()]
    .filter((r) => r.firings > THRESHOLDS.noisyFirings || r.firings / days > THRESHOLDS.noisyPerDay)
    .sort((a, b) => b.firings - a.firings)
    .map((r) => ({
      kind: 'noisy_rule' as const, severity: 'info' as const, host: null,
      message: `Rule “${r.rule}” fired ${r.firings} times (${round(r.firings / days, 1)} a day) on ${r.hosts.size} ${r.hosts.size === 1 ? 'host' : 'hosts'}: ` +
        'raise its threshold or its duration, or fix the cause, so its alerts mean something.',
      figures: { rule: r.rule, firings: r.firings, firingsPerDay: round(r.firings / days, 2), hosts: r.hosts.size },
    }));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
