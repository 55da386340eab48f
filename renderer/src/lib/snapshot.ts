/**
 * Reading "now" values out of a snapshot. Every function returns undefined when the sample is absent:
 * unknown is not zero, and the caller shows "—" with `unknownReason()` on hover.
 */
import type { Sample, Snapshot } from '../../../shared/api.ts';
import { Attr } from '../../../shared/metrics.ts';

function sameAttributes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** The value of the series `metric{attributes}` (attributes matched exactly). */
export function sampleValue(
  snap: Snapshot | undefined, metric: string, attributes: Readonly<Record<string, string>> = {},
): number | undefined {
  if (!snap) return undefined;
  for (const s of snap.samples) {
    if (s.metric === metric && sameAttributes(s.attributes, attributes)) return s.value;
  }
  return undefined;
}

/** Every sample of `metric`. */
export function samplesOf(snap: Snapshot | undefined, metric: string): Sample[] {
  return snap ? snap.samples.filter((s) => s.metric === metric) : [];
}

/** Why a value is missing from `snap`, in words for a tooltip. */
export function unknownReason(snap: Snapshot | undefined): string {
  if (!snap) return 'No data from this host yet';
  if (snap.errors.length === 0) return 'Not in the latest snapshot';
  return 'Could not be collected: ' + snap.errors.map((e) => `${e.source}: ${e.message}`).join('; ');
}

export function cpuNow(snap: Snapshot | undefined): number | undefined {
  return sampleValue(snap, 'system.cpu.utilization');
}

export function cpuCount(snap: Snapshot | undefined): number | undefined {
  return sampleValue(snap, 'system.cpu.logical.count');
}

export interface UsageNow { utilization: number | undefined; used: number | undefined; total: number | undefined }

export function memoryNow(snap: Snapshot | undefined): UsageNow {
  return {
    utilization: sampleValue(snap, 'system.memory.utilization'),
    used: sampleValue(snap, 'system.memory.usage', { [Attr.memoryState]: 'used' }),
    total: sampleValue(snap, 'system.memory.limit'),
  };
}

export function swapNow(snap: Snapshot | undefined): UsageNow {
  const used = sampleValue(snap, 'system.paging.usage', { [Attr.pagingState]: 'used' });
  const free = sampleValue(snap, 'system.paging.usage', { [Attr.pagingState]: 'free' });
  return {
    utilization: sampleValue(snap, 'system.paging.utilization'),
    used,
    total: used !== undefined && free !== undefined ? used + free : undefined,
  };
}

export interface FilesystemNow extends UsageNow { mountpoint: string | undefined }

/** The fullest filesystem (highest utilization). */
export function busiestFilesystem(snap: Snapshot | undefined): FilesystemNow {
  let best: Sample | undefined;
  for (const s of samplesOf(snap, 'system.filesystem.utilization')) {
    if (!best || s.value > best.value) best = s;
  }
  const mountpoint = best?.attributes[Attr.mountpoint];
  if (!best || mountpoint === undefined) return { utilization: best?.value, used: undefined, total: undefined, mountpoint };
  return {
    mountpoint,
    utilization: best.value,
    used: sampleValue(snap, 'system.filesystem.usage', { [Attr.mountpoint]: mountpoint, [Attr.filesystemState]: 'used' }),
    total: sampleValue(snap, 'system.filesystem.limit', { [Attr.mountpoint]: mountpoint }),
  };
}
