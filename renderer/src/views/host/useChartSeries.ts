/**
 * The data of one host chart: `metrics.query` over the range with `maxPoints` = the chart's width in
 * pixels, then, for the live ranges (5m, 1h), every new snapshot of the host merged into its bucket; the
 * long ranges are queried again every `step` (at least every 30 s). Rows live in a ring buffer holding
 * at most about one range of buckets, so a view left open does not grow.
 */
import { useEffect, useRef, useState } from 'react';
import type { SeriesData } from '../../../../shared/api.ts';
import { client, errorMessage } from '../../api/index.ts';
import { useConnection } from '../../stores/connection.ts';
import { useHosts } from '../../stores/hosts.ts';
import { RingBuffer } from '../../lib/ringBuffer.ts';
import type { ChartSpec, Range, Row } from './charts.ts';
import { chartMetrics, mergeInto, RANGES, rowFromValues, rowsFromQuery, valuesFromSnapshot } from './charts.ts';

export interface ChartSeries {
  rows: Row[];
  /** Bucket width in ms (from the query), 0 before the first answer. */
  step: number;
  /** The x domain: [to - range, to]. */
  from: number;
  to: number;
  loading: boolean;
  error: string | null;
}

const MIN_REQUERY_MS = 30_000;

export function useChartSeries(spec: ChartSpec, host: string, range: Range, width: number): ChartSeries {
  const rangeInfo = RANGES.find((r) => r.id === range) ?? RANGES[0]!;
  const connected = useConnection((s) => s.state === 'open');
  const buffer = useRef<RingBuffer<Row> | null>(null);
  const [state, setState] = useState<ChartSeries>(() => {
    const now = Date.now();
    return { rows: [], step: 0, from: now - rangeInfo.ms, to: now, loading: true, error: null };
  });

  useEffect(() => {
    if (!connected || width < 2) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let unsubscribe: (() => void) | null = null;
    const maxPoints = Math.max(2, Math.min(5000, Math.round(width)));
    setState((s) => ({ ...s, loading: s.rows.length === 0 || s.to - s.from !== rangeInfo.ms, error: null }));

    const query = async (): Promise<void> => {
      const to = Date.now();
      const from = to - rangeInfo.ms;
      try {
        const metrics = chartMetrics(spec);
        const answers = await Promise.all(metrics.map((metric) =>
          client.request('metrics.query', {
            host, metric, matchers: { ...spec.matchers?.[metric] }, from, to, maxPoints,
          })));
        if (cancelled) return;
        const results = new Map<string, SeriesData[]>();
        metrics.forEach((m, i) => results.set(m, answers[i]?.series ?? []));
        const step = Math.max(...answers.map((a) => a.step), 1);
        const rows = rowsFromQuery(spec, results);
        const ring = new RingBuffer<Row>(maxPoints + 16);
        for (const row of rows.slice(-ring.capacity)) ring.push(row);
        buffer.current = ring;
        setState({ rows: ring.toArray(), step, from, to, loading: false, error: null });
        if (rangeInfo.live) {
          unsubscribe?.();
          unsubscribe = followSnapshots(step, from);
        } else {
          timer = setTimeout(() => void query(), Math.max(MIN_REQUERY_MS, step));
        }
      } catch (err) {
        if (cancelled) return;
        setState((s) => ({ ...s, loading: false, error: errorMessage(err) }));
        timer = setTimeout(() => void query(), MIN_REQUERY_MS);
      }
    };

    /** Merges each new snapshot of the host into the ring buffer, in buckets aligned as the query's. */
    const followSnapshots = (step: number, origin: number): (() => void) =>
      useHosts.subscribe((s, prev) => {
        const snap = s.latest[host];
        if (!snap || snap === prev.latest[host]) return;
        const ring = buffer.current;
        if (!ring) return;
        const values = valuesFromSnapshot(spec, snap);
        const bucket = origin + Math.floor((snap.time - origin) / step) * step;
        const last = ring.at(-1);
        if (last && last.t === bucket) ring.replaceLast(mergeInto(last, values));
        else if (!last || last.t < bucket) ring.push(rowFromValues(bucket, values));
        const to = Math.max(snap.time, Date.now());
        const from = to - rangeInfo.ms;
        ring.dropWhile((r) => r.t < from - step);
        setState({ rows: ring.toArray(), step, from, to, loading: false, error: null });
      });

    void query();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
      unsubscribe?.();
    };
  }, [spec, host, rangeInfo, width, connected]);

  return state;
}
