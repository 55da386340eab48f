/**
 * Parser of /proc/loadavg: the 1, 5 and 15 minute load averages. Source: proc(5), "/proc/loadavg".
 */
import { parseUdecimal, splitFields, type Parsed } from './text.ts';

/** Load averages: runnable plus uninterruptible threads, exponentially averaged. */
export interface LoadAverage {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
}

/**
 * Parses `0.47 0.31 0.13 1/90 6116`. Only the three averages are read: the 4th field counts
 * scheduling entities (threads), not processes, so system.process.count comes from /proc instead
 * (see proc-listing.ts). Never throws; `value` is null with an error when a field is not a number.
 */
export function parseLoadavg(text: string): Parsed<LoadAverage | null> {
  const fields = splitFields(text.split('\n', 1)[0] ?? '');
  const load1 = parseUdecimal(fields[0] ?? '');
  const load5 = parseUdecimal(fields[1] ?? '');
  const load15 = parseUdecimal(fields[2] ?? '');
  if (load1 < 0 || load5 < 0 || load15 < 0) {
    return { value: null, error: 'expected three load averages' };
  }
  return { value: { load1, load5, load15 }, error: null };
}
