/**
 * Parser of /proc/stat's CPU lines: the time all CPUs together and each online CPU spent in each
 * state, in clock ticks (USER_HZ, 1/100 s on every mainstream architecture). Source: proc(5), "/proc/stat".
 */
import { parseUint, splitFields, type Parsed } from './text.ts';

/**
 * Cumulative time in one CPU's (or all CPUs') states, clock ticks. Fields a kernel does not print
 * (steal before 2.6.11, guest before 2.6.24, guest_nice before 2.6.33) are 0. `guest` and `guestNice`
 * are already included in `user` and `nice` (the kernel adds them there), so they must not be added
 * to a total again.
 */
export interface CpuTimes {
  readonly user: number;
  readonly nice: number;
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly irq: number;
  readonly softirq: number;
  readonly steal: number;
  readonly guest: number;
  readonly guestNice: number;
}

/** One online CPU: its logical number (the N of `cpuN`; offline CPUs leave gaps) and its times. */
export interface CoreTimes {
  readonly cpu: number;
  readonly times: CpuTimes;
}

/** /proc/stat's CPU part: `total` is the `cpu` line (null when absent or malformed). */
export interface ProcStat {
  readonly total: CpuTimes | null;
  readonly cores: readonly CoreTimes[];
}

function parseTimes(fields: readonly string[]): CpuTimes | null {
  // user nice system idle are printed by every kernel; the rest were added later.
  if (fields.length < 5) return null;
  const v = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const n = Math.min(fields.length - 1, 10);
  for (let i = 0; i < n; i++) {
    const x = parseUint(fields[i + 1] ?? '');
    if (x < 0) return null;
    v[i] = x;
  }
  return {
    user: v[0]!, nice: v[1]!, system: v[2]!, idle: v[3]!, iowait: v[4]!,
    irq: v[5]!, softirq: v[6]!, steal: v[7]!, guest: v[8]!, guestNice: v[9]!,
  };
}

/**
 * Parses the `cpu` and `cpuN` lines at the top of /proc/stat and stops at the first other line (the
 * huge `intr` line is never split). Never throws; `error` says what was missing or malformed.
 */
export function parseProcStat(text: string): Parsed<ProcStat> {
  let total: CpuTimes | null = null;
  const cores: CoreTimes[] = [];
  let bad = 0;
  let pos = 0;
  const len = text.length;
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    if (!text.startsWith('cpu', pos)) {
      if (total !== null || cores.length > 0) break;
      pos = end + 1;
      continue;
    }
    const fields = splitFields(text.slice(pos, end));
    pos = end + 1;
    const label = fields[0] ?? '';
    const times = parseTimes(fields);
    if (label === 'cpu') {
      if (times) total = times;
      else bad++;
      continue;
    }
    const cpu = parseUint(label.slice(3));
    if (cpu < 0 || times === null) bad++;
    else cores.push({ cpu, times });
  }
  let error: string | null = null;
  if (total === null) error = 'no valid "cpu" line';
  else if (bad > 0) error = `${bad} malformed cpu line(s)`;
  return { value: { total, cores }, error };
}
