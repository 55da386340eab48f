/** Measuring and printing helpers of the store benchmark: I/O counters, file sizes, percentiles, tables. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * This process's write counters from /proc/self/io (proc(5)): `wchar` bytes passed to write(2) and
 * pwrite(2), `writeBytes` bytes sent to the block layer (page-granular, 0 on tmpfs). Null off Linux.
 */
export function procIo(): { wchar: number; writeBytes: number } | null {
  try {
    const fields = new Map(fs.readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((line) => {
      const [key, value] = line.split(':');
      return [key, Number(value)] as const;
    }));
    return { wchar: fields.get('wchar') ?? 0, writeBytes: fields.get('write_bytes') ?? 0 };
  } catch {
    return null;
  }
}

/** Size of `file` in bytes, 0 when it does not exist. */
export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** A SQLite database's own files: the database and its write-ahead log, bytes. */
export function dbFilesSize(file: string): number {
  return fileSize(file) + fileSize(`${file}-wal`);
}

/** Total size of the files under `dir` whose path passes `keep`, bytes. */
export function dirSize(dir: string, keep: (file: string) => boolean = () => true): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && keep(file)) total += fileSize(file);
  }
  return total;
}

/** The q-quantile (0–1) of `values` (nearest rank; sorts a copy). NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Largest of `values` (no spread: arrays of a million entries overflow the stack). -Infinity when empty. */
export function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** Milliseconds since an arbitrary origin, sub-µs resolution. */
export const now = (): number => performance.now();

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

/** 35 123 456 → "35.12 M". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n));
}

/** A duration in ms with sensible precision. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Bytes per sample with two decimals, or more below 0.1. */
export function formatPerSample(bytes: number, samples: number): string {
  if (!(samples > 0) || !Number.isFinite(bytes)) return '–';
  const v = bytes / samples;
  return `${v < 0.1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(0)} B`;
}

/** Prints rows as a table with a header and left-aligned first column, right-aligned others. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(header.map((_, i) => r[i] ?? '')));
}
