/**
 * Parser of /proc/diskstats: cumulative reads, writes and sectors per block device. Source: the
 * kernel's Documentation/admin-guide/iostats.rst (fields) and proc(5), "/proc/diskstats".
 */
import { parseUint, splitFields, type Parsed } from './text.ts';

/** The kernel counts sectors of 512 bytes in /proc/diskstats whatever the device's own sector size. */
export const SECTOR_BYTES = 512;

/** One block device's counters since boot (they wrap at 2^32 on 32-bit kernels). */
export interface DiskCounters {
  readonly name: string;
  readonly readsCompleted: number;
  readonly readBytes: number;
  readonly writesCompleted: number;
  readonly writeBytes: number;
}

/**
 * Parses /proc/diskstats lines: `major minor name reads merged sectors_read ms writes merged
 * sectors_written …` (14 fields since 2.6.25, 18 with discards since 4.18, 20 with flushes since 5.5).
 * Sectors become bytes (× 512). Every device is returned; see isWholeDisk for the usual selection.
 * Partitions of kernels before 2.6.25 have 7 fields (4 counters) and are skipped. Never throws; other
 * lines with fewer than 14 fields or non-numeric counters are skipped and counted in `error`.
 */
export function parseDiskstats(text: string): Parsed<DiskCounters[]> {
  const out: DiskCounters[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    const f = splitFields(line);
    if (f.length === 0 || f.length === 7) continue;
    const reads = parseUint(f[3] ?? '');
    const sectorsRead = parseUint(f[5] ?? '');
    const writes = parseUint(f[7] ?? '');
    const sectorsWritten = parseUint(f[9] ?? '');
    if (f.length < 14 || reads < 0 || sectorsRead < 0 || writes < 0 || sectorsWritten < 0) {
      bad++;
      continue;
    }
    out.push({ name: f[2]!, readsCompleted: reads, readBytes: sectorsRead * SECTOR_BYTES,
      writesCompleted: writes, writeBytes: sectorsWritten * SECTOR_BYTES });
  }
  return { value: out, error: bad > 0 ? `${bad} malformed device line(s)` : null };
}

// Whole disks by driver naming: SCSI/SATA/USB (sda), virtio (vda), Xen (xvda), IDE (hda), NVMe
// namespaces (nvme0n1, not partitions nvme0n1p1), SD/eMMC (mmcblk0, not mmcblk0p1 or mmcblk0boot0),
// device-mapper (dm-0: LVM, LUKS) and software RAID (md0). Left out: partitions (their I/O is the
// disk's), loop, ram, zram (compressed RAM, not storage), fd and sr (floppy, optical).
const WHOLE_DISK = /^(?:(?:s|v|xv|h)d[a-z]+|nvme\d+n\d+|mmcblk\d+|dm-\d+|md\d+)$/;

/**
 * Whether a /proc/diskstats device name is a whole disk worth charting (see the list above). Note
 * that dm-N and mdN stack on disks that are charted too, so summing every device double counts.
 */
export function isWholeDisk(name: string): boolean {
  return WHOLE_DISK.test(name);
}
