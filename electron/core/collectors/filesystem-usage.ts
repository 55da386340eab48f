/**
 * Filesystem space in the one shape the snapshotter charts, from either source: statfs(2) on the local
 * host, or a `df -kP` line from a remote one. The numbers are df's, so they match what `df` prints.
 */
import type { DfEntry } from './linux/df.ts';

/** Space of one mounted filesystem, bytes. used + free + reserved = size. */
export interface FilesystemUsage {
  readonly mountpoint: string;
  readonly size: number;
  readonly used: number;
  /** Free to unprivileged users (df's "Available"). */
  readonly free: number;
  /** Free but reserved for root (ext4 keeps 5 % by default). */
  readonly reserved: number;
}

/** The fields of a statfs result used here (Node's fs.StatFs has them, in blocks of `bsize` bytes). */
export interface StatfsBlocks {
  readonly bsize: number;
  readonly blocks: number;
  readonly bfree: number;
  readonly bavail: number;
}

/**
 * Usage from statfs(2): size = blocks × bsize, used = (blocks − bfree) × bsize, free = bavail × bsize,
 * reserved = (bfree − bavail) × bsize. Differences saturate at 0 (some filesystems report bavail > bfree).
 */
export function usageFromStatfs(mountpoint: string, s: StatfsBlocks): FilesystemUsage {
  return {
    mountpoint,
    size: s.blocks * s.bsize,
    used: Math.max(0, s.blocks - s.bfree) * s.bsize,
    free: s.bavail * s.bsize,
    reserved: Math.max(0, s.bfree - s.bavail) * s.bsize,
  };
}

/** Usage from a df line: reserved is what size leaves after used and available (never negative). */
export function usageFromDf(e: DfEntry): FilesystemUsage {
  return {
    mountpoint: e.mountpoint,
    size: e.size,
    used: e.used,
    free: e.available,
    reserved: Math.max(0, e.size - e.used - e.available),
  };
}

/**
 * Share of space used as df's Use% computes it: used / (used + free), so the space reserved for root
 * does not count (a disk is "100 %" when unprivileged users cannot write). 0 for an empty filesystem.
 * Unlike df this is not rounded up.
 */
export function filesystemUtilization(u: FilesystemUsage): number {
  const denominator = u.used + u.free;
  return denominator > 0 ? u.used / denominator : 0;
}
