/**
 * A realistic health report for the renderers' tests and screenshots: a week (2026-03-02 to 03-09 UTC)
 * of three hosts. `web-1` is healthy; `db-primary` is degraded (memory high, /var/lib/postgresql grows
 * 1.2 GiB/day and fills in ~9 days, one reboot); the third is critical: added mid-range, unreachable for
 * 9 h 20 min, a filesystem at 97 %, and hostile strings (HOSTILE) in its name, id, mount point, alert
 * rule and summaries. Charts are deterministic (a seeded generator), so screenshots compare. Also: an
 * empty report, and a host without data, for the states with nothing to show.
 */
import { REPORT_SECTIONS, REPORT_VERSION } from '../../shared/report.ts';
import type { HostReport, Recommendation, Report, ReportAlert, ResourceSummary } from '../../shared/report.ts';

/** Strings a hostile host or rule could carry, as they appear in the fixture. */
export const HOSTILE = {
  hostName: '<img src=x onerror=alert(1)>',
  hostId: 'edge-3"\'><script>alert(2)</script>',
  mount: '/srv/"quotes" & <tags>',
  rule: 'Disk *almost* full | [click](http://evil.example) `rm -rf` _x_',
  summary: '<b>Disk</b> on <img src=x onerror=alert(1)>\n# injected heading',
  address: '10.0.0.13"><svg onload=alert(3)>',
  check: '=HYPERLINK("http://evil.example") <i>port</i> | `x`',
  target: '[edge"><b>]:5432',
} as const;

export const FROM = Date.UTC(2026, 2, 2);
export const TO = Date.UTC(2026, 2, 9);
const DAY = 86_400_000;
const MIN = 60_000;
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** 120 chart buckets over the week: 84 minutes each. */
const BUCKET = (TO - FROM) / 120;

/** A seeded generator in [0, 1) (mulberry32): the same "noise" every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A day's rhythm: 0 at night, 1 in the afternoon (UTC). */
function daily(t: number): number {
  return 0.5 - 0.5 * Math.cos(((t % DAY) / DAY) * 2 * Math.PI - 0.6);
}

interface Shape {
  key: string;
  label: string;
  metric: string;
  unit: string;
  /** The value at bucket start `t`, or null for no data then. */
  value: (t: number, noise: number) => number | null;
  /** How far the true extremes reach beyond the bucket averages (spikes the averages hide). */
  spike?: number;
  trend?: ResourceSummary['trend'];
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function resource(seed: number, shape: Shape): ResourceSummary {
  const noise = random(seed);
  const chart: ResourceSummary['chart'] = [];
  for (let t = FROM; t < TO; t += BUCKET) {
    const v = shape.value(t, noise());
    if (v !== null) chart.push({ t, value: v });
  }
  const values = chart.map((p) => p.value).sort((a, b) => a - b);
  const empty = values.length === 0;
  const spike = shape.spike ?? 0;
  const cap = shape.unit === '1' ? 1 : Infinity;
  return {
    key: shape.key, label: shape.label, metric: shape.metric, unit: shape.unit,
    min: empty ? null : Math.max(0, values[0]! * (1 - spike)),
    avg: empty ? null : values.reduce((s, v) => s + v, 0) / values.length,
    p95: empty ? null : quantile(values, 0.95),
    max: empty ? null : Math.min(cap, values.at(-1)! * (1 + spike)),
    chart,
    trend: shape.trend ?? null,
  };
}

/** A host's resources around its `base` levels, with its filesystems; no data where `covered` is false. */
function resources(seed: number, base: { cpu: number; memory: number; swap: number; net: number; disk: number },
  filesystems: Shape[], covered: (t: number) => boolean): ResourceSummary[] {
  const when = (f: (t: number, n: number) => number | null) => (t: number, n: number) => covered(t) ? f(t, n) : null;
  const shapes: Shape[] = [
    { key: 'cpu', label: 'CPU', metric: 'system.cpu.utilization', unit: '1', spike: 0.25,
      value: when((t, n) => Math.min(1, base.cpu * (0.45 + daily(t)) + 0.04 * n)) },
    { key: 'memory', label: 'Memory', metric: 'system.memory.utilization', unit: '1', spike: 0.02,
      value: when((t, n) => Math.min(0.99, base.memory + 0.03 * daily(t) + 0.01 * n)) },
    { key: 'swap', label: 'Swap', metric: 'system.paging.utilization', unit: '1',
      value: when(() => base.swap) },
    ...filesystems.map((f) => ({ ...f, value: when(f.value) })),
    { key: 'net:receive', label: 'Network receive', metric: 'system.network.io', unit: 'By/s', spike: 0.6,
      value: when((t, n) => base.net * (0.3 + daily(t)) * (0.8 + 0.4 * n)) },
    { key: 'net:transmit', label: 'Network transmit', metric: 'system.network.io', unit: 'By/s', spike: 0.6,
      value: when((t, n) => base.net * 2.6 * (0.3 + daily(t)) * (0.8 + 0.4 * n)) },
    { key: 'disk:read', label: 'Disk read', metric: 'system.disk.io', unit: 'By/s', spike: 1.5,
      value: when((t, n) => base.disk * (0.2 + daily(t) * n)) },
    { key: 'disk:write', label: 'Disk write', metric: 'system.disk.io', unit: 'By/s', spike: 1.2,
      value: when((t, n) => base.disk * 1.8 * (0.3 + 0.7 * n)) },
  ];
  return shapes.map((s, i) => resource(seed * 100 + i, s));
}

/** A filesystem whose used bytes grow linearly, `usedAtEnd` at TO, on a disk of `limit` bytes. */
function filesystem(mount: string, limit: number, usedAtEnd: number, slopePerDay: number, wobble: number): Shape {
  const growing = slopePerDay > 0;
  const daysToFull = growing ? (limit - usedAtEnd) / slopePerDay : Infinity;
  return {
    key: `fs:${mount}`, label: `Filesystem ${mount}`, metric: 'system.filesystem.utilization', unit: '1', spike: 0.002,
    value: (t, n) => (usedAtEnd + slopePerDay * ((t - TO) / DAY) + wobble * (n - 0.5)) / limit,
    trend: {
      slopePerDay, usedBytes: usedAtEnd, freeBytes: limit - usedAtEnd, limitBytes: limit,
      fullAt: daysToFull <= 365 ? TO + Math.round(daysToFull * DAY) : null,
    },
  };
}

const EDGE_FROM = Date.UTC(2026, 2, 3, 12);
const EDGE_DOWN = [Date.UTC(2026, 2, 6, 6), Date.UTC(2026, 2, 6, 15, 20)] as const;
const DB_REBOOT = Date.UTC(2026, 2, 5, 3, 12);

function hosts(): HostReport[] {
  const web: HostReport = {
    id: 'web-1', name: 'web-1', kind: 'ssh', address: '10.0.0.11',
    verdict: { status: 'healthy', reasons: [] },
    dataFrom: FROM + 3000, dataTo: TO - 2000, unreachableSeconds: 0, availability: 1, reboots: [],
    uptimeSeconds: 48 * 86400 + 5 * 3600,
    resources: resources(1, { cpu: 0.22, memory: 0.52, swap: 0, net: 2.1 * MIB, disk: 0.6 * MIB },
      [filesystem('/', 50 * GIB, 20.6 * GIB, 20 * MIB, 0.05 * GIB)], () => true),
    checks: [
      { id: 1, name: 'Shop front', type: 'http', typeLabel: 'HTTP(S)', target: 'https://shop.example.com/', availability: 0.9992,
        latencyP50Seconds: 0.182, latencyP95Seconds: 0.431, downSeconds: 360, downCount: 1, state: 'up' },
      { id: 2, name: 'nginx', type: 'systemd', typeLabel: 'systemd unit', target: 'nginx.service', availability: 1,
        latencyP50Seconds: 0.021, latencyP95Seconds: 0.034, downSeconds: 0, downCount: 0, state: 'up' },
    ],
  };
  const db: HostReport = {
    id: 'db-primary', name: 'db-primary', kind: 'ssh', address: 'db-primary.internal',
    verdict: { status: 'degraded', reasons: [
      'Filesystem /var/lib/postgresql grows 1.2 GiB/day and will be full in ~9 days',
      'Memory averaged 89%, above the 85% threshold most of the range',
    ] },
    dataFrom: FROM + 1000, dataTo: TO - 4000, unreachableSeconds: 240, availability: 0.9996, reboots: [DB_REBOOT],
    uptimeSeconds: (TO - DB_REBOOT) / 1000 - 30,
    resources: resources(2, { cpu: 0.41, memory: 0.87, swap: 0.12, net: 6.5 * MIB, disk: 14 * MIB }, [
      filesystem('/', 40 * GIB, 13.1 * GIB, 2 * MIB, 0.02 * GIB),
      filesystem('/var/lib/postgresql', 120 * GIB, 109.2 * GIB, 1.2 * GIB, 0.15 * GIB),
    ], (t) => t < DB_REBOOT - 2 * MIN || t > DB_REBOOT + 2 * MIN),
    checks: [],
  };
  const edge: HostReport = {
    id: HOSTILE.hostId, name: HOSTILE.hostName, kind: 'ssh', address: HOSTILE.address,
    verdict: { status: 'critical', reasons: [
      'Unreachable for 9 h 20 min (availability 93%)',
      `Filesystem ${HOSTILE.mount} is 97% full`,
      'CPU p95 at 95%',
    ] },
    dataFrom: EDGE_FROM, dataTo: TO - 5000, unreachableSeconds: 33600, availability: 0.9293, reboots: [],
    uptimeSeconds: 11 * 86400 + 2 * 3600,
    resources: resources(3, { cpu: 0.62, memory: 0.64, swap: 0.02, net: 0.9 * MIB, disk: 2.2 * MIB }, [
      filesystem('/', 30 * GIB, 15.5 * GIB, 0, 0.01 * GIB),
      filesystem(HOSTILE.mount, 200 * GIB, 194 * GIB, 300 * MIB, 0.2 * GIB),
    ], (t) => t >= EDGE_FROM && (t < EDGE_DOWN[0] - BUCKET || t >= EDGE_DOWN[1])),
    checks: [
      { id: 3, name: HOSTILE.check, type: 'tcp', typeLabel: 'TCP port', target: HOSTILE.target, availability: 0.9314,
        latencyP50Seconds: 0.0012, latencyP95Seconds: 0.0049, downSeconds: 33_600, downCount: 2, state: 'down' },
    ],
  };
  return [web, db, edge];
}

function alert(id: number, a: Omit<ReportAlert, 'id' | 'durationSeconds' | 'resolved'>): ReportAlert {
  const end = a.resolvedAt ?? TO;
  return { id, ...a, durationSeconds: (end - a.startedAt) / 1000, resolved: a.resolvedAt !== null };
}

function alerts(): ReportAlert[] {
  const memory = (id: number, start: number, minutes: number, value: number) => alert(id, {
    rule: 'Memory high', ruleId: 3, host: 'db-primary', hostName: 'db-primary', severity: 'warning',
    summary: `Memory at ${Math.round(value * 100)}% on db-primary`, value, threshold: 0.85,
    metric: 'system.memory.utilization', unit: '1', startedAt: start, resolvedAt: start + minutes * MIN,
  });
  return [
    alert(101, {
      rule: 'Host down', ruleId: 1, host: HOSTILE.hostId, hostName: HOSTILE.hostName, severity: 'critical',
      summary: `${HOSTILE.hostName} is unreachable`, value: 0, threshold: 1, metric: 'up', unit: '{count}',
      startedAt: EDGE_DOWN[0] + MIN, resolvedAt: EDGE_DOWN[1],
    }),
    alert(102, {
      rule: HOSTILE.rule, ruleId: 2, host: HOSTILE.hostId, hostName: HOSTILE.hostName, severity: 'critical',
      summary: HOSTILE.summary, value: 0.9702, threshold: 0.95, metric: 'system.filesystem.utilization', unit: '1',
      startedAt: Date.UTC(2026, 2, 7, 21, 40), resolvedAt: null,
    }),
    memory(103, Date.UTC(2026, 2, 2, 14, 5), 95, 0.912),
    memory(104, Date.UTC(2026, 2, 3, 15, 30), 140, 0.925),
    memory(105, Date.UTC(2026, 2, 4, 13, 50), 62, 0.903),
    memory(106, Date.UTC(2026, 2, 6, 16, 10), 181, 0.931),
    alert(107, {
      rule: 'Filesystem above 90%', ruleId: 4, host: 'db-primary', hostName: 'db-primary', severity: 'warning',
      summary: 'Filesystem /var/lib/postgresql at 91% on db-primary', value: 0.9004, threshold: 0.9,
      metric: 'system.filesystem.utilization', unit: '1', startedAt: Date.UTC(2026, 2, 8, 9, 30), resolvedAt: null,
    }),
    alert(108, {
      rule: 'CPU busy', ruleId: 5, host: 'web-1', hostName: 'web-1', severity: 'info',
      summary: 'CPU at 93% on web-1', value: 0.93, threshold: 0.9, metric: 'system.cpu.utilization', unit: '1',
      startedAt: Date.UTC(2026, 2, 4, 15, 2), resolvedAt: Date.UTC(2026, 2, 4, 15, 14),
    }),
    alert(109, {
      rule: 'CPU busy', ruleId: 5, host: HOSTILE.hostId, hostName: HOSTILE.hostName, severity: 'info',
      summary: `CPU at 97% on ${HOSTILE.hostName}`, value: 0.97, threshold: 0.9, metric: 'system.cpu.utilization',
      unit: '1', startedAt: Date.UTC(2026, 2, 8, 14, 41), resolvedAt: Date.UTC(2026, 2, 8, 16, 3),
    }),
  ];
}

function recommendations(): Recommendation[] {
  return [
    { kind: 'filesystem_filling', severity: 'warning', host: 'db-primary',
      message: 'Filesystem /var/lib/postgresql on db-primary will be full in ~9 days at this rate: free space or grow it.',
      figures: { fullInDays: 9, slopeBytesPerDay: 1.2 * GIB, usedRatio: 0.91, freeBytes: 10.8 * GIB } },
    { kind: 'host_unreachable', severity: 'critical', host: HOSTILE.hostId,
      message: `${HOSTILE.hostName} was unreachable for 9 h 20 min: check its network and power.`,
      figures: { unreachableSeconds: 33600, availabilityRatio: 0.9293 } },
    { kind: 'filesystem_filling', severity: 'critical', host: HOSTILE.hostId,
      message: `Filesystem ${HOSTILE.mount} on ${HOSTILE.hostName} is 97% full: free space now.`,
      figures: { usedRatio: 0.97, fullInDays: 20, slopeBytesPerDay: 300 * MIB, mount: HOSTILE.mount } },
    { kind: 'memory_high', severity: 'warning', host: 'db-primary',
      message: 'Memory on db-primary stayed above 85% most of the range: add memory or find what holds it.',
      figures: { avgRatio: 0.887, thresholdRatio: 0.85, aboveSeconds: 5.2 * 86400 } },
    { kind: 'noisy_rule', severity: 'info', host: null,
      message: 'Rule "Memory high" fired 4 times in 7 days: raise its threshold or its `for`.',
      figures: { firings: 4, hosts: 1, rule: 'Memory high' } },
  ];
}

/** The fixture report (a fresh object each call: tests may change it). */
export function reportFixture(): Report {
  const items = alerts();
  const bySeverity = { info: 0, warning: 0, critical: 0 };
  const rules = new Map<string, { rule: string; count: number; hosts: Set<string> }>();
  for (const a of items) {
    bySeverity[a.severity]++;
    const r = rules.get(a.rule) ?? { rule: a.rule, count: 0, hosts: new Set<string>() };
    r.count++;
    r.hosts.add(a.host);
    rules.set(a.rule, r);
  }
  return {
    schema: 'hostwatch.report',
    version: REPORT_VERSION,
    generatedAt: TO + 3 * MIN + 12_000,
    hostwatchVersion: '0.1.0',
    from: FROM,
    to: TO,
    bucketSeconds: 60,
    sections: [...REPORT_SECTIONS],
    verdict: { status: 'critical', reasons: [
      `${HOSTILE.hostName} was unreachable for 9 h 20 min`,
      `Filesystem ${HOSTILE.mount} on ${HOSTILE.hostName} is 97% full`,
      'db-primary: Filesystem /var/lib/postgresql will be full in ~9 days',
    ] },
    hosts: hosts(),
    alerts: {
      items,
      bySeverity,
      byRule: [...rules.values()].map((r) => ({ rule: r.rule, count: r.count, hosts: r.hosts.size }))
        .sort((a, b) => b.count - a.count),
    },
    recommendations: recommendations(),
  };
}

/** A report with nothing in it: no hosts, no alerts, no recommendations. */
export function emptyReportFixture(): Report {
  return {
    ...reportFixture(),
    verdict: { status: 'healthy', reasons: [] },
    hosts: [],
    alerts: { items: [], bySeverity: { info: 0, warning: 0, critical: 0 }, byRule: [] },
    recommendations: [],
  };
}

/** A host added after the range: no sample, every figure unknown (degraded, as gather.ts says it). */
export function noDataHost(): HostReport {
  const host = hosts()[0]!;
  return {
    ...host, id: 'new-1', name: 'new-1', verdict: { status: 'degraded', reasons: ['No data in the range'] },
    dataFrom: null, dataTo: null, unreachableSeconds: null, availability: null, reboots: [], uptimeSeconds: null,
    resources: host.resources.map((r) => ({ ...r, min: null, avg: null, p95: null, max: null, chart: [], trend: null })),
  };
}
