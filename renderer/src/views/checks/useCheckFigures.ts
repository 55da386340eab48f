/**
 * A check's history figures: uptime over 24 h, 7 d and 30 d (probe_success averaged, see
 * checkFigures.ts) and its run times over 24 h for the sparkline (probe_duration_seconds), read with
 * `metrics.query` on the check's host, matched by its name. Asked again when the check has run in a new
 * `refreshMs` window (so an idle or paused check asks nothing), and cached, so a list re-rendering or
 * a page coming back does not ask again.
 */
import { useEffect, useState } from 'react';
import type { Point } from '../../../../shared/api.ts';
import { Attr } from '../../../../shared/metrics.ts';
import { client, errorMessage } from '../../api/index.ts';
import { useConnection } from '../../stores/connection.ts';
import type { UptimeRange } from './checkFigures.ts';
import { UPTIME_RANGES, availability } from './checkFigures.ts';

export const LATENCY_RANGE_MS = 24 * 3600_000;
const LATENCY_POINTS = 96;

export interface CheckFigures {
  /** Null until the first answer; each ratio null without data in its range. */
  uptime: Record<UptimeRange, number | null> | null;
  latency: { points: Point[]; step: number; from: number; to: number } | null;
  error: string | null;
}

const EMPTY: CheckFigures = { uptime: null, latency: null, error: null };
const cache = new Map<string, { window: number; figures: CheckFigures }>();

async function query(host: string, name: string): Promise<CheckFigures> {
  const to = Date.now();
  const matchers = { [Attr.check]: name };
  const [latency, ...uptimes] = await Promise.all([
    client.request('metrics.query', { host, metric: 'probe_duration_seconds', matchers, from: to - LATENCY_RANGE_MS, to, maxPoints: LATENCY_POINTS }),
    ...UPTIME_RANGES.map((r) => client.request('metrics.query', { host, metric: 'probe_success', matchers, from: to - r.ms, to, maxPoints: r.maxPoints })),
  ]);
  const uptime = Object.fromEntries(UPTIME_RANGES.map((r, i) => {
    const answer = uptimes[i];
    return [r.id, answer ? availability(answer.series, { from: to - r.ms, to, step: answer.step }) : null];
  })) as Record<UptimeRange, number | null>;
  return {
    uptime,
    latency: { points: latency.series.flatMap((s) => s.points), step: latency.step, from: to - LATENCY_RANGE_MS, to },
    error: null,
  };
}

/** The figures of the check named `name` on `host`; `lastAt`: when it last ran (null: never). */
export function useCheckFigures(host: string, name: string, lastAt: number | null, refreshMs = 30_000): CheckFigures {
  const key = `${host}\u0000${name}`;
  const window = lastAt === null ? -1 : Math.floor(lastAt / refreshMs);
  const connected = useConnection((s) => s.state === 'open');
  const [figures, setFigures] = useState<CheckFigures>(() => cache.get(key)?.figures ?? EMPTY);

  useEffect(() => {
    const cached = cache.get(key);
    if (cached) setFigures(cached.figures);
    if (!connected || (cached && cached.window === window)) return;
    let cancelled = false;
    query(host, name).then(
      (got) => {
        cache.set(key, { window, figures: got });
        if (!cancelled) setFigures(got);
      },
      (err: unknown) => {
        if (!cancelled) setFigures((f) => ({ ...f, error: errorMessage(err) }));
      },
    );
    return () => { cancelled = true; };
  }, [key, window, connected, host, name]);

  return figures;
}
