/**
 * Parser of /proc/meminfo: memory and swap sizes, converted from the kernel's kB (KiB) to bytes.
 * Source: proc(5), "/proc/meminfo".
 */
import { parseUint, splitFields, type Parsed } from './text.ts';

/** The /proc/meminfo fields Hostwatch uses, in bytes. */
export interface Meminfo {
  readonly memTotal: number;
  readonly memFree: number;
  /**
   * MemAvailable: the kernel's estimate of memory available for new work without swapping. Kernels
   * before 3.14 do not print it; then it is estimated as MemFree + Buffers + Cached and
   * `availableEstimated` is true (an overestimate: not all page cache can be dropped).
   */
  readonly memAvailable: number;
  readonly availableEstimated: boolean;
  readonly buffers: number;
  readonly cached: number;
  /** Reclaimable slab (dentries, inodes); 0 on kernels that do not print it. */
  readonly sReclaimable: number;
  readonly swapTotal: number;
  readonly swapFree: number;
}

const WANTED = new Set([
  'MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SReclaimable', 'SwapTotal', 'SwapFree',
]);

/**
 * Parses /proc/meminfo (`MemTotal:       24684084 kB` lines). Never throws. `value` is null, with an
 * error, when MemTotal or MemFree is missing; other missing fields count as 0 and are named in `error`.
 */
export function parseMeminfo(text: string): Parsed<Meminfo | null> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    if (!WANTED.has(key)) continue;
    const fields = splitFields(line.slice(colon + 1));
    const kib = parseUint(fields[0] ?? '');
    // Every size field is in kB; a line without the unit is not one we understand.
    if (kib < 0 || fields[1] !== 'kB') continue;
    found.set(key, kib * 1024);
  }
  const memTotal = found.get('MemTotal');
  const memFree = found.get('MemFree');
  if (memTotal === undefined || memFree === undefined) {
    return { value: null, error: 'MemTotal or MemFree missing' };
  }
  const missing: string[] = [];
  const get = (key: string): number => {
    const v = found.get(key);
    if (v === undefined) missing.push(key);
    return v ?? 0;
  };
  const buffers = get('Buffers');
  const cached = get('Cached');
  const swapTotal = get('SwapTotal');
  const swapFree = get('SwapFree');
  const sReclaimable = found.get('SReclaimable') ?? 0;
  const available = found.get('MemAvailable');
  const value: Meminfo = {
    memTotal,
    memFree,
    memAvailable: available ?? Math.min(memTotal, memFree + buffers + cached),
    availableEstimated: available === undefined,
    buffers,
    cached,
    sReclaimable,
    swapTotal,
    swapFree,
  };
  return { value, error: missing.length > 0 ? `missing ${missing.join(', ')}` : null };
}
