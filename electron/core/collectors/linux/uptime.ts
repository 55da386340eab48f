/**
 * Parser of /proc/uptime: seconds since boot. Source: proc(5), "/proc/uptime".
 */
import { parseUdecimal, splitFields, type Parsed } from './text.ts';

/**
 * Parses `253.67 423.42` (uptime, then idle time summed over CPUs) and returns the uptime in seconds.
 * Never throws; `value` is null with an error when the first field is not a number.
 */
export function parseUptime(text: string): Parsed<number | null> {
  const seconds = parseUdecimal(splitFields(text.split('\n', 1)[0] ?? '')[0] ?? '');
  if (seconds < 0) return { value: null, error: 'expected seconds since boot' };
  return { value: seconds, error: null };
}
