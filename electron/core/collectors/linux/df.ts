/**
 * Parser of `df -kP` output, the POSIX portable format GNU coreutils and BusyBox both print, which is
 * how filesystem space is read on remote hosts. Source: POSIX df(1) ("-P" output format) and GNU df(1).
 */
import { parseUint, splitFields, type Parsed } from './text.ts';

/** One line of df: sizes in bytes. */
export interface DfEntry {
  /** The "Filesystem" column: a device (`/dev/sda1`), `server:/export`, a pool, or `tmpfs`. */
  readonly source: string;
  /** Mount point, spaces kept (`/media/My Disk`). */
  readonly mountpoint: string;
  readonly size: number;
  readonly used: number;
  /** Free space an unprivileged user can use (df's "Available"). */
  readonly available: number;
}

/**
 * Block size from the header's second column: `1024-blocks` (-kP), `512-blocks` (-P alone),
 * `1K-blocks` (GNU without -P). Returns -1 when it is not recognised.
 */
function headerBlockSize(column: string): number {
  const dash = column.indexOf('-blocks');
  if (dash <= 0) return -1;
  let num = column.slice(0, dash);
  let scale = 1;
  const suffix = num[num.length - 1];
  if (suffix === 'K' || suffix === 'k') scale = 1024;
  else if (suffix === 'M') scale = 1024 * 1024;
  if (scale !== 1) num = num.slice(0, -1);
  const n = num === '' ? 1 : parseUint(num);
  return n > 0 ? n * scale : -1;
}

function isCapacity(field: string): boolean {
  // "23%", or "-" where GNU df cannot compute it (size 0).
  return field === '-' || (field.endsWith('%') && parseUint(field.slice(0, -1)) >= 0);
}

/**
 * Parses `df -kP` text: a header `Filesystem 1024-blocks Used Available Capacity Mounted on`, then one
 * line per filesystem. A mount point may contain spaces (everything after the Capacity column is it);
 * a source too long for its column that a df wrapped onto its own line is joined with the next line.
 * Filesystems of size 0 are left out. Never throws: without a recognisable header nothing is returned
 * (the block size would be a guess); malformed lines are skipped and counted in `error`.
 */
export function parseDf(text: string): Parsed<DfEntry[]> {
  const lines = text.split('\n');
  const out: DfEntry[] = [];
  let blockSize = -1;
  let i = 0;
  for (; i < lines.length; i++) {
    const f = splitFields(lines[i]!);
    if (f.length === 0) continue;
    if (f[0] === 'Filesystem') blockSize = headerBlockSize(f[1] ?? '');
    i++;
    break;
  }
  if (blockSize < 0) return { value: out, error: 'no df header with a block size' };
  let bad = 0;
  let pendingSource = '';
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const f = splitFields(line);
    if (f.length === 0) continue;
    if (f.length === 1) {
      pendingSource = f[0]!;
      continue;
    }
    // Find the Capacity column: the first field after three numbers that looks like "NN%".
    let cap = -1;
    for (let k = 3; k < f.length; k++) {
      if (isCapacity(f[k]!) && parseUint(f[k - 1]!) >= 0 && parseUint(f[k - 2]!) >= 0
        && parseUint(f[k - 3]!) >= 0) {
        cap = k;
        break;
      }
    }
    const mountStart = cap < 0 ? -1 : mountpointStart(line, cap + 1);
    if (cap < 0 || mountStart < 0) {
      bad++;
      pendingSource = '';
      continue;
    }
    const sourceFields = f.slice(0, cap - 3);
    const source = sourceFields.length > 0 ? sourceFields.join(' ') : pendingSource;
    pendingSource = '';
    const size = parseUint(f[cap - 3]!) * blockSize;
    if (size === 0) continue;
    out.push({
      source,
      mountpoint: line.slice(mountStart).trimEnd(),
      size,
      used: parseUint(f[cap - 2]!) * blockSize,
      available: parseUint(f[cap - 1]!) * blockSize,
    });
  }
  return { value: out, error: bad > 0 ? `${bad} malformed df line(s)` : null };
}

/** Index in `line` where its field number `index` (0-based) starts, or -1 when there is none. */
function mountpointStart(line: string, index: number): number {
  let field = -1;
  let inField = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const blank = c === 32 || c === 9 || c === 13;
    if (!blank && !inField) {
      field++;
      if (field === index) return i;
    }
    inField = !blank;
  }
  return -1;
}

// df sources that are not disks, for hosts where no mount table tells the filesystem types.
const PSEUDO_DF_SOURCES: ReadonlySet<string> = new Set([
  'tmpfs', 'devtmpfs', 'udev', 'none', 'shm', 'overlay', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'run',
  'efivarfs', 'devfs', 'rootfs', 'map auto_home', 'map -hosts',
]);

/**
 * The df lines worth watching. With `mountpoints` (the mount points selectFilesystems kept from the
 * host's mountinfo), exactly those. Without, by source name: pseudo sources (tmpfs, udev, overlay, …)
 * and loop devices (snap images, always full) are dropped, and of a source mounted several times the
 * shortest mount point is kept. Order follows `entries`.
 */
export function selectDfEntries(entries: readonly DfEntry[], mountpoints?: ReadonlySet<string>): DfEntry[] {
  if (mountpoints !== undefined) return entries.filter((e) => mountpoints.has(e.mountpoint));
  const best = new Map<string, DfEntry>();
  for (const e of entries) {
    if (PSEUDO_DF_SOURCES.has(e.source) || e.source.startsWith('/dev/loop')) continue;
    const seen = best.get(e.source);
    if (seen === undefined || e.mountpoint.length < seen.mountpoint.length) best.set(e.source, e);
  }
  return entries.filter((e) => best.get(e.source) === e);
}
