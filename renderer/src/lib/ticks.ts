/**
 * Axis ticks people read easily: times on round local minutes / hours / days, and byte rates on round
 * numbers of one IEC unit (0, 256 KiB, 512 KiB…) rather than decimal numbers of bytes (76.3 MiB).
 */

const TIME_STEPS_MS = [
  5_000, 10_000, 15_000, 30_000, 60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000,
  3600_000, 2 * 3600_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000, 86400_000, 2 * 86400_000,
];

/** Ticks on round local times within [from, to], about `target` of them. */
export function timeTicks(from: number, to: number, target = 6): number[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const step = TIME_STEPS_MS.find((s) => span / s <= target) ?? TIME_STEPS_MS[TIME_STEPS_MS.length - 1]!;
  // Align to local time: the zone offset matters for hour and day steps, and it changes with DST, so
  // steps of an hour or more follow each tick's own offset.
  const offset = (ms: number) => new Date(ms).getTimezoneOffset() * 60_000;
  const first = offset(from);
  const out: number[] = [];
  for (let t = Math.ceil((from - first) / step) * step + first; t <= to; t += step) {
    const tick = step >= 3600_000 ? t + offset(t) - first : t;
    if (tick >= from && tick <= to && tick !== out[out.length - 1]) out.push(tick);
  }
  return out;
}

/** A round step (1, 2, 2.5, 5 × 10^n) giving about `target` intervals up to `max`. */
function niceStep(max: number, target: number): number {
  const raw = max / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** Ticks from 0 to a round top ≥ `max`, round in the IEC unit `max` is shown in. */
export function byteTicks(max: number, target = 4): number[] {
  if (!(max > 0)) return [0, 1024];
  const unit = 1024 ** Math.max(0, Math.floor(Math.log2(max) / 10));
  const step = niceStep(max / unit, target) * unit;
  return stepsUpTo(max, step, (v) => v);
}

/** 0, step, 2·step, … up to the first tick at or above `max` (a hair under counts: float noise). */
function stepsUpTo(max: number, step: number, round: (v: number) => number): number[] {
  const out = [0];
  for (let i = 1; out.length < 2 || out.at(-1)! < max * (1 - 1e-9); i++) out.push(round(i * step));
  return out;
}

/** Plain round ticks from 0 for other units (load average). */
export function plainTicks(max: number, target = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const step = niceStep(max, target);
  return stepsUpTo(max, step, (v) => Math.round(v * 1e6) / 1e6);
}
