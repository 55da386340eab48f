/**
 * The local host on macOS and Windows, where there is no /proc: systeminformation and Node's os module,
 * mapped to the same metric names as on Linux. CPU utilization comes from os.cpus() tick deltas and
 * network and disk rates from raw counters, with this collector's own baselines, as on Linux.
 * Not measured here (the test machines run Linux); it spawns processes, so it costs more per poll.
 */
import os from 'node:os';
import si from 'systeminformation';
import type { CollectionError, Inventory, ProcessInfo, ProcessList, Sample, Snapshot } from '../../../shared/api.ts';
import { Attr, type Attributes, type MetricName } from '../../../shared/metrics.ts';
import type { Collector } from './collector.ts';
import { filesystemUtilization, usageFromDf } from './filesystem-usage.ts';
import { readInventory } from './inventory.ts';
import { DEFAULT_EXCLUDED_INTERFACES, nameMatcher } from './linux/netdev.ts';
import { CounterRates, cpuUtilization } from './rates.ts';
import type { CpuTimes } from './linux/stat.ts';

/** Interfaces left out on macOS and Windows: the Linux defaults plus macOS's loopback and tunnels. */
const EXCLUDED_INTERFACES = [...DEFAULT_EXCLUDED_INTERFACES, 'lo0', 'utun*', 'awdl*', 'llw*', 'anpi*'];
/** Device attribute of disk rates: systeminformation only gives totals over all disks here. */
const ALL_DISKS = 'total';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** os.cpus() times (ms) in /proc/stat's shape, so the same utilization formula applies. */
function cpuTimes(t: os.CpuInfo['times']): CpuTimes {
  return { user: t.user, nice: t.nice, system: t.sys, idle: t.idle, iowait: 0, irq: t.irq, softirq: 0,
    steal: 0, guest: 0, guestNice: 0 };
}

/** Collector of the local macOS or Windows host (see createLocalCollector). */
export class SystemInformationCollector implements Collector {
  readonly host: string;
  readonly #isExcludedInterface = nameMatcher(EXCLUDED_INTERFACES);
  readonly #network = new CounterRates();
  readonly #disk = new CounterRates();
  #cpus: CpuTimes[] = [];
  #inventory: Promise<Inventory> | null = null;

  constructor(host: string) {
    this.host = host;
  }

  /** One snapshot (see Collector.collect). system.process.count and hw.temperature are not collected here. */
  async collect(now: number): Promise<Snapshot> {
    const samples: Sample[] = [];
    const errors: CollectionError[] = [];
    const push = (metric: MetricName, attributes: Attributes, value: number): void => {
      if (Number.isFinite(value)) samples.push({ metric, attributes, value });
    };
    const attempt = async <T>(source: string, read: () => Promise<T>): Promise<T | null> => {
      try {
        return await read();
      } catch (error) {
        errors.push({ source, message: message(error) });
        return null;
      }
    };

    const cpus = os.cpus().map((c) => cpuTimes(c.times));
    push('system.cpu.logical.count', {}, cpus.length);
    if (this.#cpus.length === cpus.length) {
      const sum = (list: CpuTimes[]): CpuTimes => list.reduce((a, t) => ({
        ...a, user: a.user + t.user, nice: a.nice + t.nice, system: a.system + t.system, idle: a.idle + t.idle,
        irq: a.irq + t.irq,
      }));
      const total = cpuUtilization(sum(this.#cpus), sum(cpus));
      if (total !== undefined) push('system.cpu.utilization', {}, total);
      cpus.forEach((t, i) => {
        const u = cpuUtilization(this.#cpus[i]!, t);
        if (u !== undefined) push('system.cpu.utilization', { [Attr.cpu]: String(i) }, u);
      });
    }
    this.#cpus = cpus;
    if (process.platform !== 'win32') {
      // Windows has no load average; os.loadavg() returns zeros there, which would be a lie.
      const [l1, l5, l15] = os.loadavg();
      push('system.cpu.load_average.1m', {}, l1 ?? Number.NaN);
      push('system.cpu.load_average.5m', {}, l5 ?? Number.NaN);
      push('system.cpu.load_average.15m', {}, l15 ?? Number.NaN);
    }
    push('system.uptime', {}, os.uptime());

    const [mem, filesystems, interfaces, disksIo, fsStats] = await Promise.all([
      attempt('memory', () => si.mem()),
      attempt('filesystems', () => si.fsSize()),
      attempt('network', () => si.networkStats('*')),
      attempt('disks', () => si.disksIO()),
      attempt('disks', () => si.fsStats()),
    ]);
    if (mem) {
      const used = Math.max(0, mem.total - mem.available);
      push('system.memory.limit', {}, mem.total);
      push('system.memory.usage', { [Attr.memoryState]: 'used' }, used);
      push('system.memory.usage', { [Attr.memoryState]: 'free' }, mem.free);
      push('system.memory.usage', { [Attr.memoryState]: 'cached' }, mem.cached);
      push('system.memory.usage', { [Attr.memoryState]: 'buffers' }, mem.buffers);
      if (mem.total > 0) push('system.memory.utilization', {}, used / mem.total);
      push('system.paging.usage', { [Attr.pagingState]: 'used' }, mem.swapused);
      push('system.paging.usage', { [Attr.pagingState]: 'free' }, mem.swapfree);
      push('system.paging.utilization', {}, mem.swaptotal > 0 ? mem.swapused / mem.swaptotal : 0);
    }
    for (const f of filesystems ?? []) {
      if (!(f.size > 0)) continue;
      const u = usageFromDf({ source: f.fs, mountpoint: f.mount, size: f.size, used: f.used, available: f.available });
      push('system.filesystem.limit', { [Attr.mountpoint]: u.mountpoint }, u.size);
      for (const [state, value] of [['used', u.used], ['free', u.free], ['reserved', u.reserved]] as const) {
        push('system.filesystem.usage', { [Attr.mountpoint]: u.mountpoint, [Attr.filesystemState]: state }, value);
      }
      push('system.filesystem.utilization', { [Attr.mountpoint]: u.mountpoint }, filesystemUtilization(u));
    }
    if (interfaces) {
      this.#network.begin(now);
      for (const i of interfaces) {
        if (this.#isExcludedInterface(i.iface)) continue;
        const rx = this.#network.rate(`${i.iface}\0rx`, i.rx_bytes);
        const tx = this.#network.rate(`${i.iface}\0tx`, i.tx_bytes);
        const device = { [Attr.device]: i.iface };
        if (rx !== undefined) push('system.network.io', { ...device, [Attr.networkDirection]: 'receive' }, rx);
        if (tx !== undefined) push('system.network.io', { ...device, [Attr.networkDirection]: 'transmit' }, tx);
      }
      this.#network.end();
    }
    this.#disk.begin(now);
    const read = { [Attr.device]: ALL_DISKS, [Attr.diskDirection]: 'read' };
    const write = { [Attr.device]: ALL_DISKS, [Attr.diskDirection]: 'write' };
    const rate = (metric: MetricName, attributes: Attributes, key: string, value: number | undefined): void => {
      if (typeof value !== 'number') return;
      const r = this.#disk.rate(key, value);
      if (r !== undefined) push(metric, attributes, r);
    };
    rate('system.disk.operations', read, 'r', disksIo?.rIO);
    rate('system.disk.operations', write, 'w', disksIo?.wIO);
    rate('system.disk.io', read, 'rb', fsStats?.rx);
    rate('system.disk.io', write, 'wb', fsStats?.wx);
    this.#disk.end();
    return { host: this.host, time: now, samples, errors };
  }

  /**
   * Top processes from systeminformation (`ps` on macOS, PowerShell on Windows). Its `cpu` is a
   * percentage of one core as ps prints it, turned into a ratio; memory is RSS.
   */
  async processes(now: number): Promise<ProcessList> {
    const data = await si.processes();
    const all: ProcessInfo[] = data.list.map((p) => ({
      pid: p.pid,
      name: p.name,
      command: p.params ? `${p.command} ${p.params}` : p.command,
      user: p.user || null,
      cpu: Number.isFinite(p.cpu) ? p.cpu / 100 : 0,
      memory: Number.isFinite(p.memRss) ? p.memRss * 1024 : 0,
    }));
    const byCpu = all.filter((p) => p.cpu > 0).sort((a, b) => b.cpu - a.cpu).slice(0, 10);
    const byMemory = [...all].sort((a, b) => b.memory - a.memory).slice(0, 10);
    return { host: this.host, time: now, processes: [...new Set([...byCpu, ...byMemory])] };
  }

  /** See readInventory; read once and kept. */
  inventory(): Promise<Inventory> {
    this.#inventory ??= readInventory(this.host);
    return this.#inventory;
  }

  /** Nothing to release: systeminformation holds no handles between calls. */
  async close(): Promise<void> {}
}
