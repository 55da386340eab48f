/**
 * Durations as people type them in rule forms and rule files, in Prometheus notation: "30s", "5m",
 * "1h30m", "2d", "1w", or a bare number of seconds. Shared by the UI and the command line.
 */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in `text`, or null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  if (/^\d+$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)\s*([smhdw])/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1);
    consumed = re.lastIndex;
    while (t[re.lastIndex] === ' ') re.lastIndex++;
  }
  if (consumed === 0 || t.slice(consumed).trim() !== '') return null;
  return Math.round(total);
}

/** Seconds as the shortest text parseDuration reads back: 300 → "5m", 5400 → "1h30m", 0 → "0s". */
export function durationText(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = seconds;
  let out = '';
  for (const [u, n] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= n) {
      out += `${Math.floor(rest / n)}${u}`;
      rest %= n;
    }
  }
  return out;
}
