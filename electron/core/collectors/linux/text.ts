/**
 * Small, allocation-light helpers the /proc and /sys parsers share: strict number parsing (so that
 * garbage never becomes NaN, Infinity or a silently accepted `0x1f`) and whitespace field splitting
 * without a regex.
 */

/** Result of a parser: what could be read, and why the rest could not (null when all went well). */
export interface Parsed<T> {
  readonly value: T;
  readonly error: string | null;
}

/**
 * Parses a non-negative decimal integer made only of ASCII digits (`"4096"`). Returns -1 for anything
 * else: empty text, signs, spaces, decimals, or a value too large to be finite.
 */
export function parseUint(text: string): number {
  const n = text.length;
  if (n === 0) return -1;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return Number.isFinite(value) ? value : -1;
}

/**
 * Parses a decimal integer with an optional leading minus (`"-5000"`, as sysfs millidegrees can be).
 * Returns undefined when the text is anything else.
 */
export function parseInteger(text: string): number | undefined {
  if (text.charCodeAt(0) === 45 /* - */) {
    const v = parseUint(text.slice(1));
    return v < 0 ? undefined : -v;
  }
  const v = parseUint(text);
  return v < 0 ? undefined : v;
}

/**
 * Parses a non-negative decimal number with at most one point (`"0.47"`, `"253.67"`, `"12"`), as
 * /proc/loadavg and /proc/uptime print them. Returns -1 for anything else.
 */
export function parseUdecimal(text: string): number {
  const n = text.length;
  if (n === 0) return -1;
  let digits = 0;
  let points = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) points++;
    else if (c >= 48 && c <= 57) digits++;
    else return -1;
  }
  if (digits === 0 || points > 1) return -1;
  const value = Number(text);
  return Number.isFinite(value) ? value : -1;
}

/** Splits a line on runs of spaces and tabs, dropping empty fields (`"  a \tb "` → `["a", "b"]`). */
export function splitFields(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    const blank = c === 32 || c === 9 || c === 13;
    if (blank) {
      if (start >= 0) {
        out.push(line.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) out.push(line.slice(start));
  return out;
}
