/**
 * The collector of the machine Hostwatch runs on. On Linux it reads /proc, /sys and statfs(2) through
 * the same parsers the SSH collector feeds with remote text; elsewhere it uses systeminformation.
 */
import type { Inventory, ProcessList, Snapshot } from '../../../shared/api.ts';
import type { Collector } from './collector.ts';
import { readInventory } from './inventory.ts';
import { LinuxSectionReader } from './linux-reader.ts';
import { LinuxProcessSampler } from './processes.ts';
import { SystemInformationCollector } from './si-collector.ts';
import { LinuxSnapshotter, type SnapshotterOptions } from './snapshotter.ts';

/** Options of createLocalCollector. */
export interface LocalCollectorOptions extends SnapshotterOptions {
  /** Host id of the snapshots; default 'local'. */
  readonly host?: string;
}

/**
 * The local host's collector: LocalCollector on Linux, SystemInformationCollector on macOS and
 * Windows. The snapshotter options (interfaces, disks) apply on Linux only.
 */
export function createLocalCollector(options: LocalCollectorOptions = {}): Collector {
  const host = options.host ?? 'local';
  return process.platform === 'linux' ? new LocalCollector(host, options) : new SystemInformationCollector(host);
}

/** How many processes each of the two top lists (by CPU, by memory) holds. */
const TOP_PROCESSES = 10;

/**
 * The local Linux host. Its counter baselines (CPU ticks, disk and network bytes, process CPU time)
 * belong to this instance: create one per polling interval.
 */
export class LocalCollector implements Collector {
  readonly host: string;
  readonly #reader = new LinuxSectionReader();
  readonly #snapshotter: LinuxSnapshotter;
  readonly #processes = new LinuxProcessSampler();
  #inventory: Promise<Inventory> | null = null;

  constructor(host: string, options: SnapshotterOptions = {}) {
    this.host = host;
    this.#snapshotter = new LinuxSnapshotter(options);
  }

  /** See Collector.collect. Never throws; the first snapshot has no CPU utilization, disk or network rates. */
  async collect(now: number): Promise<Snapshot> {
    try {
      const { sections, errors } = await this.#reader.read(now);
      const parts = this.#snapshotter.snapshot(sections, now);
      return { host: this.host, time: now, samples: parts.samples, errors: [...parts.errors, ...errors] };
    } catch (error) {
      // Reached only by a bug: the reader and snapshotter report failures as errors themselves.
      return { host: this.host, time: now, samples: [],
        errors: [{ source: 'collector', message: error instanceof Error ? error.message : String(error) }] };
    }
  }

  /**
   * The top 10 processes by CPU and the top 10 by memory (see LinuxProcessSampler.top: the first call
   * knows no CPU use yet and lists by memory only). Rejects when /proc cannot be listed.
   */
  async processes(now: number): Promise<ProcessList> {
    return { host: this.host, time: now, processes: await this.#processes.top(now, TOP_PROCESSES) };
  }

  /** See readInventory; read once and kept. */
  inventory(): Promise<Inventory> {
    this.#inventory ??= readInventory(this.host);
    return this.#inventory;
  }

  /** Nothing to release: files are opened and closed within each read. */
  async close(): Promise<void> {}
}
