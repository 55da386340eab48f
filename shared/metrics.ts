/**
 * The metric catalog: every metric Hostwatch collects, named after the OpenTelemetry semantic
 * conventions for system metrics (https://opentelemetry.io/docs/specs/semconv/system/system-metrics/).
 *
 * Counters (bytes, ticks, operations) are turned into rates at collection, so every value stored
 * and charted is what a person reads: a ratio, a size, a rate per second.
 */

/**
 * Units, as UCUM strings the way OpenTelemetry writes them.
 * - `1` a ratio 0–1 (the UI shows %); `By` bytes; `By/s` bytes per second; `s` seconds;
 * - `Cel` degrees Celsius; `{count}` a plain count; `{operation}/s` operations per second;
 * - `{thread}` load average (runnable + uninterruptible threads, averaged).
 */
export type MetricUnit = '1' | 'By' | 'By/s' | 's' | 'Cel' | '{count}' | '{operation}/s' | '{thread}';

/** One catalog entry. `attributes` lists the attribute keys a series of this metric may carry. */
export interface MetricDefinition {
  readonly name: string;
  readonly unit: MetricUnit;
  readonly description: string;
  readonly attributes: readonly string[];
}

/** Attribute keys, as OpenTelemetry names them. */
export const Attr = {
  cpu: 'cpu.logical_number',
  memoryState: 'system.memory.state',
  pagingState: 'system.paging.state',
  mountpoint: 'system.filesystem.mountpoint',
  filesystemState: 'system.filesystem.state',
  device: 'system.device',
  diskDirection: 'disk.io.direction',
  networkDirection: 'network.io.direction',
  sensor: 'hw.id',
  /** The service check a probe_* series belongs to: its name. */
  check: 'hostwatch.check',
  /** A dependency a readiness endpoint reported. */
  dependency: 'hostwatch.check.dependency',
  /** A container's name (OpenTelemetry's container.name). */
  containerName: 'container.name',
} as const;

const catalog = [
  { name: 'system.cpu.utilization', unit: '1', attributes: [Attr.cpu],
    description: 'Share of CPU time not idle (all cores; per core with cpu.logical_number)' },
  { name: 'system.cpu.logical.count', unit: '{count}', attributes: [],
    description: 'Number of logical CPUs' },
  { name: 'system.cpu.load_average.1m', unit: '{thread}', attributes: [],
    description: 'Load average over 1 minute' },
  { name: 'system.cpu.load_average.5m', unit: '{thread}', attributes: [],
    description: 'Load average over 5 minutes' },
  { name: 'system.cpu.load_average.15m', unit: '{thread}', attributes: [],
    description: 'Load average over 15 minutes' },
  { name: 'system.memory.usage', unit: 'By', attributes: [Attr.memoryState],
    description: 'Memory by state: used, free, cached, buffers' },
  { name: 'system.memory.limit', unit: 'By', attributes: [],
    description: 'Total usable memory' },
  { name: 'system.memory.utilization', unit: '1', attributes: [],
    description: 'Share of memory in use (total less available)' },
  { name: 'system.paging.usage', unit: 'By', attributes: [Attr.pagingState],
    description: 'Swap by state: used, free' },
  { name: 'system.paging.utilization', unit: '1', attributes: [],
    description: 'Share of swap in use (0 when there is no swap)' },
  { name: 'system.filesystem.usage', unit: 'By', attributes: [Attr.mountpoint, Attr.filesystemState],
    description: 'Filesystem space by state: used, free (to unprivileged users), reserved' },
  { name: 'system.filesystem.limit', unit: 'By', attributes: [Attr.mountpoint],
    description: 'Filesystem size' },
  { name: 'system.filesystem.utilization', unit: '1', attributes: [Attr.mountpoint],
    description: 'Share of filesystem space used, as df reports it' },
  { name: 'system.disk.io', unit: 'By/s', attributes: [Attr.device, Attr.diskDirection],
    description: 'Disk throughput per device: read, write' },
  { name: 'system.disk.operations', unit: '{operation}/s', attributes: [Attr.device, Attr.diskDirection],
    description: 'Disk operations per device: read, write' },
  { name: 'system.network.io', unit: 'By/s', attributes: [Attr.device, Attr.networkDirection],
    description: 'Network throughput per interface: receive, transmit' },
  { name: 'system.uptime', unit: 's', attributes: [],
    description: 'Time since the system booted' },
  { name: 'system.process.count', unit: '{count}', attributes: [],
    description: 'Number of processes' },
  { name: 'hw.temperature', unit: 'Cel', attributes: [Attr.sensor],
    description: 'Temperature per sensor (CPU package or thermal zone)' },
  { name: 'up', unit: '{count}', attributes: [],
    description: 'Whether the last poll of the host succeeded: 1, or 0 (as Prometheus names it)' },
  { name: 'hostwatch.ssh.host_key_changed', unit: '{count}', attributes: [],
    description: 'Whether the host offered a key other than the trusted one: 1, else 0' },
  { name: 'hostwatch.storage.full', unit: '{count}', attributes: [],
    description: "Whether Hostwatch's history store cannot write because the disk is full: 1, else 0 (this machine only)" },
  // Service checks, named as Prometheus's blackbox_exporter names its probe metrics.
  { name: 'probe_success', unit: '1', attributes: [Attr.check],
    description: 'Whether the check\'s last run succeeded: 1 (up or degraded), else 0; its average is the availability' },
  { name: 'probe_duration_seconds', unit: 's', attributes: [Attr.check],
    description: 'How long the check\'s run took' },
  { name: 'probe_http_status_code', unit: '{count}', attributes: [Attr.check],
    description: 'Status code of the HTTP response (after redirects), 0 without a response' },
  { name: 'probe_ssl_earliest_cert_expiry', unit: 's', attributes: [Attr.check],
    description: 'When the earliest certificate of the TLS chain expires, seconds since the epoch' },
  { name: 'probe_dependency_success', unit: '1', attributes: [Attr.check, Attr.dependency],
    description: 'Whether a dependency a health endpoint reports is healthy: 1, else 0' },
  { name: 'probe_dns_answer_rrs', unit: '{count}', attributes: [Attr.check],
    description: 'Records in the DNS answer' },
  { name: 'probe_icmp_loss_ratio', unit: '1', attributes: [Attr.check],
    description: 'Share of echo requests without a reply' },
  { name: 'hostwatch.check.down', unit: '{count}', attributes: [Attr.check],
    description: 'Whether the check is down (failed as many times in a row as its failure threshold): 1, else 0' },
  { name: 'hostwatch.check.tls.time_to_expiry', unit: 's', attributes: [Attr.check],
    description: 'Time left until the earliest certificate of the TLS chain expires' },
  { name: 'hostwatch.systemd.unit.restarts', unit: '{count}', attributes: [Attr.check],
    description: 'Times systemd restarted the unit automatically since it was last started by hand (NRestarts)' },
  { name: 'hostwatch.systemd.unit.active', unit: '1', attributes: [Attr.check],
    description: 'Whether the unit is active: 1, else 0' },
  { name: 'hostwatch.check.process.count', unit: '{count}', attributes: [Attr.check],
    description: 'Processes that match the check' },
  { name: 'hostwatch.check.process.cpu.utilization', unit: '1', attributes: [Attr.check],
    description: 'CPU time of the matching processes over their lifetime, as a share of one core' },
  { name: 'hostwatch.check.process.memory.usage', unit: 'By', attributes: [Attr.check],
    description: 'Resident memory of the matching processes' },
  { name: 'hostwatch.container.restarts', unit: '{count}', attributes: [Attr.check, Attr.containerName],
    description: 'Times the engine restarted the container (RestartCount)' },
  { name: 'hostwatch.container.running', unit: '1', attributes: [Attr.check, Attr.containerName],
    description: 'Whether the container runs (and is not unhealthy): 1, else 0' },
  { name: 'hostwatch.container.health.failing_streak', unit: '{count}', attributes: [Attr.check, Attr.containerName],
    description: 'Failed health checks of the container in a row' },
  { name: 'hostwatch.check.command.exit_code', unit: '{count}', attributes: [Attr.check],
    description: 'Exit code of the check\'s command (Nagios: 0 OK, 1 warning, 2 critical, 3 unknown)' },
  { name: 'hostwatch.check.log.matches', unit: '{count}', attributes: [Attr.check],
    description: 'Lines that matched the check\'s pattern over its window' },
] as const satisfies readonly MetricDefinition[];

/** A metric name from the catalog. */
export type MetricName = (typeof catalog)[number]['name'];

/** All catalog entries, in display order. */
export const METRICS: readonly MetricDefinition[] = catalog;

const byName = new Map<string, MetricDefinition>(catalog.map((m) => [m.name, m]));

/** The catalog entry for `name`, or undefined when the name is not in the catalog. */
export function metricDefinition(name: string): MetricDefinition | undefined {
  return byName.get(name);
}

/** Whether `metric` comes from the service checks (its series carry `hostwatch.check`), not from polling a host. */
export function isCheckMetric(metric: string): boolean {
  return byName.get(metric)?.attributes.includes(Attr.check) ?? false;
}

/** Attributes of one series: string keys and values, as OpenTelemetry attributes. */
export type Attributes = Readonly<Record<string, string>>;

/**
 * A series' identity as one string, in Prometheus notation with keys sorted:
 * `system.network.io{network.io.direction="receive",system.device="eth0"}`; no braces when empty.
 */
export function seriesKey(metric: string, attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  if (keys.length === 0) return metric;
  const parts = keys.map((k) => `${k}=${JSON.stringify(attributes[k])}`);
  return `${metric}{${parts.join(',')}}`;
}
