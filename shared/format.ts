/**
 * Values as a person reads them, in their metric's unit: sizes in IEC units, ratios as percentages,
 * durations in days/hours/minutes. Used by alert summaries in the engine and by the UI, so nothing here
 * touches Node or the DOM, and output does not depend on the locale.
 */
import type { MetricUnit } from './metrics.ts';

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/** One decimal below 100, none from there: "1.2 GiB", "12.4 MiB", "512 MiB". */
function scaled(value: number): string {
  return Math.abs(value) < 99.95 ? value.toFixed(1) : value.toFixed(0);
}

/**
 * A size in bytes with IEC prefixes (powers of 1024): "512 B", "1.2 GiB", "340 MiB". Whole bytes below
 * 1 KiB. A value that would round up to 1024 of a unit is shown in the next one ("1.0 MiB").
 */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (Math.round(abs) < 1024) return `${Math.round(bytes)} B`;
  let i = Math.min(Math.floor(Math.log2(abs) / 10), IEC.length - 1);
  let value = bytes / 1024 ** i;
  if (Math.abs(Number(scaled(value))) >= 1024 && i < IEC.length - 1) {
    i++;
    value /= 1024;
  }
  return `${scaled(value)} ${IEC[i]}`;
}

/** A rate in bytes per second: "12.4 MiB/s", "800 B/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** A ratio (0–1) as a percentage: "87%", "100%"; one decimal below 10% so small shares are not "0%": "4.2%". */
export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  if (percent !== 0 && Math.abs(percent) < 9.95) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

/**
 * An availability (ratio 0–1) as people compare them: rounded down, so 99.996 % is never "100%": two
 * decimals from 99 %, one below ("99.95%", "93.1%"), "100%" only when nothing failed.
 */
export function formatAvailability(ratio: number): string {
  if (ratio >= 1) return '100%';
  const percent = ratio * 100;
  const decimals = percent >= 99 ? 2 : 1;
  const f = 10 ** decimals;
  return `${(Math.floor(percent * f) / f).toFixed(decimals)}%`;
}

/** A short time in seconds, as check run times read: "1.2 ms", "182 ms", "1.25 s", "12.0 s". */
export function formatLatency(seconds: number): string {
  const ms = seconds * 1000;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  return `${seconds.toFixed(1)} s`;
}

const DURATION_UNITS = [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]] as const;

/**
 * A duration in seconds, as its two largest units, rounded down, a zero second unit left out:
 * "3 d 4 h", "2 h", "12 min", "12 min 5 s", "45 s". Below one second: "0 s".
 */
export function formatDuration(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const total = Math.floor(Math.abs(seconds));
  for (let i = 0; i < DURATION_UNITS.length - 1; i++) {
    const [name, size] = DURATION_UNITS[i]!;
    if (total < size) continue;
    const [nextName, nextSize] = DURATION_UNITS[i + 1]!;
    const major = Math.floor(total / size);
    const minor = Math.floor((total - major * size) / nextSize);
    return minor > 0 ? `${sign}${major} ${name} ${minor} ${nextName}` : `${sign}${major} ${name}`;
  }
  return `${sign}${total} s`;
}

/**
 * `value` formatted for its unit (see MetricUnit): ratio → formatPercent, `By` → formatBytes,
 * `By/s` → formatRate, `s` → formatDuration, `Cel` → "54 °C", `{count}` → "312",
 * `{operation}/s` → "12.5 ops/s", `{thread}` (load average) → "1.25". Not-finite values as "NaN", "Infinity".
 */
export function formatValue(value: number, unit: MetricUnit): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case '1': return formatPercent(value);
    case 'By': return formatBytes(value);
    case 'By/s': return formatRate(value);
    case 's': return formatDuration(value);
    case 'Cel': return `${Math.round(value)} °C`;
    case '{count}': return String(Math.round(value));
    case '{operation}/s': return `${scaled(value)} ops/s`;
    case '{thread}': return value.toFixed(2);
  }
}
