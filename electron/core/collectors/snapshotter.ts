/**
 * Turns the texts of a Linux host's /proc, /sys and `df` into samples of the metric catalog, keeping
 * the counter baselines that rates need between calls. The local collector feeds it files it reads; an
 * SSH collector feeds it the same texts read remotely, so both hosts' numbers come from the same code.
 */
import type { CollectionError, Sample } from '../../../shared/api.ts';
import { Attr, type Attributes, type MetricName } from '../../../shared/metrics.ts';
import { parseDf, selectDfEntries } from './linux/df.ts';
import { isWholeDisk, parseDiskstats } from './linux/diskstats.ts';
import { parseLoadavg } from './linux/loadavg.ts';
import { parseMeminfo } from './linux/meminfo.ts';
import { parseMountinfo, selectFilesystems } from './linux/mountinfo.ts';
import { DEFAULT_EXCLUDED_INTERFACES, nameMatcher, parseNetDev } from './linux/netdev.ts';
import { countProcesses } from './linux/proc-listing.ts';
import { parseProcStat, type CpuTimes } from './linux/stat.ts';
import type { Parsed } from './linux/text.ts';
import { parseThermal } from './linux/thermal.ts';
import { parseUptime } from './linux/uptime.ts';
import { filesystemUtilization, usageFromDf, type FilesystemUsage } from './filesystem-usage.ts';
import { CounterRates, cpuUtilization } from './rates.ts';

/** A section as read: its text, or why it could not be read. */
export type Section = string | { readonly error: string };

/**
 * What one poll read from a Linux host. A section left undefined is reported as missing and its
 * metrics are absent; every section is independent of the others.
 */
export interface LinuxSections {
  /** /proc/stat */
  readonly stat?: Section;
  /** /proc/meminfo */
  readonly meminfo?: Section;
  /** /proc/loadavg */
  readonly loadavg?: Section;
  /** /proc/uptime */
  readonly uptime?: Section;
  /** /proc/net/dev */
  readonly netdev?: Section;
  /** /proc/diskstats */
  readonly diskstats?: Section;
  /** The names in /proc, one a line (`ls -1 /proc`), for system.process.count. */
  readonly proc?: Section;
  /** `grep -H . FILES` of the thermal zone and hwmon files (see linux/thermal.ts); '' without sensors. */
  readonly thermal?: Section;
  /**
   * Filesystem space measured with statfs(2) (local host). When given, `df` and `mountinfo` are not used.
   * The caller selects the mounts (selectFilesystems) and reports its own statfs errors.
   */
  readonly filesystems?: readonly FilesystemUsage[];
  /** `df -kP` output (remote hosts). */
  readonly df?: Section;
  /** /proc/self/mountinfo, optional with `df`: it selects df's lines by filesystem type. */
  readonly mountinfo?: Section;
}

/** Error `source` names, one per section; the local collector uses the paths it reads. */
export const SOURCES = {
  stat: '/proc/stat',
  meminfo: '/proc/meminfo',
  loadavg: '/proc/loadavg',
  uptime: '/proc/uptime',
  netdev: '/proc/net/dev',
  diskstats: '/proc/diskstats',
  proc: '/proc',
  thermal: 'sensors',
  filesystems: 'filesystems',
} as const;

/** Options of a snapshotter. */
export interface SnapshotterOptions {
  /** Interfaces left out, exact names or prefixes ending in `*`; default DEFAULT_EXCLUDED_INTERFACES. */
  readonly excludeInterfaces?: readonly string[];
  /** Which /proc/diskstats devices to chart; default isWholeDisk. */
  readonly includeDisk?: (name: string) => boolean;
}

/** Samples and errors of one poll, for Snapshot's fields of the same names. */
export interface SnapshotParts {
  readonly samples: Sample[];
  readonly errors: CollectionError[];
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});
const memoryState = (state: string): Attributes => Object.freeze({ [Attr.memoryState]: state });
const MEMORY_USED = memoryState('used');
const MEMORY_FREE = memoryState('free');
const MEMORY_CACHED = memoryState('cached');
const MEMORY_BUFFERS = memoryState('buffers');
const PAGING_USED = Object.freeze({ [Attr.pagingState]: 'used' });
const PAGING_FREE = Object.freeze({ [Attr.pagingState]: 'free' });

/** Where one poll's samples and errors accumulate. */
class Poll implements SnapshotParts {
  readonly samples: Sample[] = [];
  readonly errors: CollectionError[] = [];

  /** Adds a sample; a value that is not finite is dropped, so none ever leaves a collector. */
  push(metric: MetricName, attributes: Attributes, value: number): void {
    if (Number.isFinite(value)) this.samples.push({ metric, attributes, value });
  }

  /**
   * The section's parsed value, or undefined after recording why there is none: the section is
   * missing, unreadable, or its parser found nothing usable. A partial parse records its error too.
   */
  read<T>(key: keyof typeof SOURCES, section: Section | undefined, parse: (text: string) => Parsed<T>): T | undefined {
    const source = SOURCES[key];
    if (section === undefined) {
      this.errors.push({ source, message: 'not read' });
      return undefined;
    }
    if (typeof section !== 'string') {
      this.errors.push({ source, message: section.error });
      return undefined;
    }
    const parsed = parse(section);
    if (parsed.error !== null) this.errors.push({ source, message: parsed.error });
    return parsed.value;
  }
}

/**
 * Snapshots of one Linux host. Keep one instance per host and per polling interval: it holds the
 * previous counters, so the first call has no rates (CPU utilization, disk and network I/O are absent).
 */
export class LinuxSnapshotter {
  readonly #isExcludedInterface: (name: string) => boolean;
  readonly #includeDisk: (name: string) => boolean;
  readonly #networkRates = new CounterRates();
  readonly #diskRates = new CounterRates();
  #cpuTotal: CpuTimes | null = null;
  #cpuCores = new Map<number, CpuTimes>();
  readonly #coreAttributes: Attributes[] = [];

  constructor(options: SnapshotterOptions = {}) {
    this.#isExcludedInterface = nameMatcher(options.excludeInterfaces ?? DEFAULT_EXCLUDED_INTERFACES);
    this.#includeDisk = options.includeDisk ?? isWholeDisk;
  }

  /**
   * Parses every section of one poll taken at `now` (ms since epoch) into samples. Never throws: a
   * missing, unreadable or malformed section adds an error for its source, and its metrics are absent.
   * Partly malformed sections give what parsed and an error.
   */
  snapshot(sections: LinuxSections, now: number): SnapshotParts {
    const poll = new Poll();
    this.#cpu(poll, sections.stat);
    memory(poll, sections.meminfo);
    const load = poll.read('loadavg', sections.loadavg, parseLoadavg);
    if (load) {
      poll.push('system.cpu.load_average.1m', NO_ATTRIBUTES, load.load1);
      poll.push('system.cpu.load_average.5m', NO_ATTRIBUTES, load.load5);
      poll.push('system.cpu.load_average.15m', NO_ATTRIBUTES, load.load15);
    }
    const uptime = poll.read('uptime', sections.uptime, parseUptime);
    if (uptime != null) poll.push('system.uptime', NO_ATTRIBUTES, uptime);
    const processes = poll.read('proc', sections.proc, (text) => {
      const count = countProcesses(text);
      return { value: count, error: count > 0 ? null : 'no process entries' };
    });
    if (processes) poll.push('system.process.count', NO_ATTRIBUTES, processes);
    this.#network(poll, sections.netdev, now);
    this.#disks(poll, sections.diskstats, now);
    const temperatures = poll.read('thermal', sections.thermal, parseThermal);
    for (const t of temperatures ?? []) poll.push('hw.temperature', { [Attr.sensor]: t.sensor }, t.celsius);
    filesystems(poll, sections);
    return { samples: poll.samples, errors: poll.errors };
  }

  #cpu(poll: Poll, section: Section | undefined): void {
    const stat = poll.read('stat', section, parseProcStat);
    if (stat === undefined) return;
    if (stat.cores.length > 0) poll.push('system.cpu.logical.count', NO_ATTRIBUTES, stat.cores.length);
    if (stat.total !== null) {
      const u = this.#cpuTotal === null ? undefined : cpuUtilization(this.#cpuTotal, stat.total);
      if (u !== undefined) poll.push('system.cpu.utilization', NO_ATTRIBUTES, u);
      this.#cpuTotal = stat.total;
    }
    const cores = new Map<number, CpuTimes>();
    for (const { cpu, times } of stat.cores) {
      cores.set(cpu, times);
      const before = this.#cpuCores.get(cpu);
      const u = before === undefined ? undefined : cpuUtilization(before, times);
      if (u !== undefined) poll.push('system.cpu.utilization', this.#coreAttribute(cpu), u);
    }
    this.#cpuCores = cores;
  }

  #network(poll: Poll, section: Section | undefined, now: number): void {
    const interfaces = poll.read('netdev', section, parseNetDev);
    if (interfaces === undefined) return;
    const rates = this.#networkRates;
    rates.begin(now);
    for (const i of interfaces) {
      if (this.#isExcludedInterface(i.name)) continue;
      const rx = rates.rate(`${i.name}\0rx`, i.receiveBytes);
      const tx = rates.rate(`${i.name}\0tx`, i.transmitBytes);
      if (rx !== undefined) poll.push('system.network.io', ioAttributes(i.name, Attr.networkDirection, 'receive'), rx);
      if (tx !== undefined) poll.push('system.network.io', ioAttributes(i.name, Attr.networkDirection, 'transmit'), tx);
    }
    rates.end();
  }

  #disks(poll: Poll, section: Section | undefined, now: number): void {
    const disks = poll.read('diskstats', section, parseDiskstats);
    if (disks === undefined) return;
    const rates = this.#diskRates;
    rates.begin(now);
    for (const d of disks) {
      if (!this.#includeDisk(d.name)) continue;
      const readBytes = rates.rate(`${d.name}\0rb`, d.readBytes);
      const writeBytes = rates.rate(`${d.name}\0wb`, d.writeBytes);
      const reads = rates.rate(`${d.name}\0r`, d.readsCompleted);
      const writes = rates.rate(`${d.name}\0w`, d.writesCompleted);
      if (readBytes === undefined && writeBytes === undefined && reads === undefined && writes === undefined) continue;
      const read = ioAttributes(d.name, Attr.diskDirection, 'read');
      const write = ioAttributes(d.name, Attr.diskDirection, 'write');
      if (readBytes !== undefined) poll.push('system.disk.io', read, readBytes);
      if (writeBytes !== undefined) poll.push('system.disk.io', write, writeBytes);
      if (reads !== undefined) poll.push('system.disk.operations', read, reads);
      if (writes !== undefined) poll.push('system.disk.operations', write, writes);
    }
    rates.end();
  }

  /** The attributes of core `cpu`, made once: they are the same every second. */
  #coreAttribute(cpu: number): Attributes {
    let a = this.#coreAttributes[cpu];
    if (a === undefined) {
      a = Object.freeze({ [Attr.cpu]: String(cpu) });
      this.#coreAttributes[cpu] = a;
    }
    return a;
  }
}

function memory(poll: Poll, section: Section | undefined): void {
  const m = poll.read('meminfo', section, parseMeminfo);
  if (!m) return;
  // "Used" is what a person means by it, and what free(1) prints: total less available.
  const used = Math.max(0, m.memTotal - m.memAvailable);
  poll.push('system.memory.limit', NO_ATTRIBUTES, m.memTotal);
  poll.push('system.memory.usage', MEMORY_USED, used);
  poll.push('system.memory.usage', MEMORY_FREE, m.memFree);
  // free(1)'s "cache": page cache plus reclaimable slab.
  poll.push('system.memory.usage', MEMORY_CACHED, m.cached + m.sReclaimable);
  poll.push('system.memory.usage', MEMORY_BUFFERS, m.buffers);
  if (m.memTotal > 0) poll.push('system.memory.utilization', NO_ATTRIBUTES, used / m.memTotal);
  // /proc/meminfo may change while it is read: saturate instead of going negative.
  const swapUsed = Math.max(0, m.swapTotal - m.swapFree);
  poll.push('system.paging.usage', PAGING_USED, swapUsed);
  poll.push('system.paging.usage', PAGING_FREE, Math.min(m.swapFree, m.swapTotal));
  poll.push('system.paging.utilization', NO_ATTRIBUTES, m.swapTotal > 0 ? swapUsed / m.swapTotal : 0);
}

/** Filesystem samples from statfs usage when given, else from the `df` section (selected by `mountinfo`). */
function filesystems(poll: Poll, sections: LinuxSections): void {
  let usage: readonly FilesystemUsage[] | undefined = sections.filesystems;
  if (usage === undefined) {
    const entries = poll.read('filesystems', sections.df, parseDf);
    if (entries === undefined) return;
    let mountpoints: Set<string> | undefined;
    if (typeof sections.mountinfo === 'string') {
      const mounts = parseMountinfo(sections.mountinfo).value;
      if (mounts.length > 0) mountpoints = new Set(selectFilesystems(mounts).map((m) => m.mountpoint));
    }
    usage = selectDfEntries(entries, mountpoints).map(usageFromDf);
  }
  for (const u of usage) {
    const mountpoint = { [Attr.mountpoint]: u.mountpoint };
    const state = (s: string): Attributes => ({ [Attr.mountpoint]: u.mountpoint, [Attr.filesystemState]: s });
    poll.push('system.filesystem.limit', mountpoint, u.size);
    poll.push('system.filesystem.usage', state('used'), u.used);
    poll.push('system.filesystem.usage', state('free'), u.free);
    poll.push('system.filesystem.usage', state('reserved'), u.reserved);
    poll.push('system.filesystem.utilization', mountpoint, filesystemUtilization(u));
  }
}

function ioAttributes(device: string, directionKey: string, direction: string): Attributes {
  return { [Attr.device]: device, [directionKey]: direction };
}
