/**
 * Parser of /proc/self/mountinfo, and the choice of which mounts are filesystems a person watches
 * (disks and network shares, not the kernel's pseudo filesystems). Source: proc(5), "/proc/[pid]/mountinfo".
 */
import { splitFields, type Parsed } from './text.ts';

/** One mount. Paths have the kernel's octal escapes (`\040` for a space) decoded. */
export interface Mount {
  /** `major:minor` of the device: the same filesystem mounted twice has the same one. */
  readonly device: string;
  /** The directory of the filesystem mounted here (`/` unless a bind mount of a subdirectory). */
  readonly root: string;
  readonly mountpoint: string;
  readonly fstype: string;
  /** Filesystem-specific source: `/dev/sda1`, `server:/export`, `tmpfs`. */
  readonly source: string;
}

/** Decodes the `\ooo` octal escapes the kernel writes for space, tab, newline and backslash. */
export function unescapeMountPath(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 3 < text.length && isOctal(text, i + 1)) {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      out += c;
    }
  }
  return out;
}

function isOctal(text: string, at: number): boolean {
  for (let k = at; k < at + 3; k++) {
    const c = text.charCodeAt(k);
    if (!(c >= 48 && c <= 55)) return false;
  }
  return true;
}

/**
 * Parses mountinfo lines: `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
 * (id, parent id, major:minor, root, mount point, options, optional fields, `-`, type, source, super
 * options). Never throws; malformed lines are skipped and counted in `error`.
 */
export function parseMountinfo(text: string): Parsed<Mount[]> {
  const out: Mount[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    const f = splitFields(line);
    if (f.length === 0) continue;
    const sep = f.indexOf('-', 6);
    if (sep < 0 || sep + 2 >= f.length || !f[2]!.includes(':')) {
      bad++;
      continue;
    }
    out.push({
      device: f[2]!,
      root: unescapeMountPath(f[3]!),
      mountpoint: unescapeMountPath(f[4]!),
      fstype: f[sep + 1]!,
      source: unescapeMountPath(f[sep + 2]!),
    });
  }
  return { value: out, error: bad > 0 ? `${bad} malformed mount line(s)` : null };
}

/**
 * Filesystem types that hold no user data, or whose space is not disk space: kernel interfaces,
 * memory-backed filesystems (tmpfs is RAM and swap, charted as memory), container layers (overlay,
 * whose space is the underlying disk's) and read-only images (squashfs: snaps, live media;
 * iso9660: optical media; both always 100 % full).
 */
export const PSEUDO_FILESYSTEMS: ReadonlySet<string> = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'ramfs', 'rootfs', 'securityfs', 'debugfs', 'tracefs',
  'configfs', 'fusectl', 'pstore', 'bpf', 'mqueue', 'hugetlbfs', 'autofs', 'binfmt_misc', 'efivarfs',
  'nsfs', 'rpc_pipefs', 'nfsd', 'selinuxfs', 'cgroup', 'cgroup2', 'overlay', 'aufs', 'squashfs',
  'iso9660', 'fuse.lxcfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'fuse.snapfuse', 'devfs',
]);

/**
 * The mounts worth watching: not a pseudo filesystem (PSEUDO_FILESYSTEMS; but an overlay mounted at
 * `/` is kept: it is a container's root, which fills as its host's disk does), and one mount per device:
 * of several mounts of the same filesystem (bind mounts, a container's /etc/hosts), the one of its root
 * directory with the shortest mount point is kept, as `df` does. Order follows `mounts`.
 */
export function selectFilesystems(mounts: readonly Mount[]): Mount[] {
  const best = new Map<string, Mount>();
  for (const m of mounts) {
    if (PSEUDO_FILESYSTEMS.has(m.fstype) && !(m.fstype === 'overlay' && m.mountpoint === '/')) continue;
    const seen = best.get(m.device);
    if (seen === undefined || better(m, seen)) best.set(m.device, m);
  }
  return mounts.filter((m) => best.get(m.device) === m);
}

function better(a: Mount, b: Mount): boolean {
  const aRoot = a.root === '/';
  const bRoot = b.root === '/';
  if (aRoot !== bRoot) return aRoot;
  return a.mountpoint.length < b.mountpoint.length;
}
