/**
 * One time-series chart of the host view. All charts of a view share the time axis (same domain) and
 * the hover (`syncId`, matched by time value). The average is a line; for long ranges a min/max band
 * surrounds it so a spike is not averaged away. Missing buckets are gaps. Enabled rules on the metric
 * are drawn as dashed threshold lines.
 */
import { memo, useMemo, useRef } from 'react';
import type { ComponentProps } from 'react';
import {
  Area, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis,
} from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import { formatValue } from '../../../../shared/format.ts';
import { useRules } from '../../stores/rules.ts';
import { rulesOn } from '../../lib/thresholds.ts';
import { severityTone } from '../../lib/status.ts';
import { formatInstant, formatTick } from '../../lib/time.ts';
import { useWidth } from '../../lib/useWidth.ts';
import { byteTicks, plainTicks, timeTicks } from '../../lib/ticks.ts';
import type { ChartSpec, Range, Row } from './charts.ts';
import { RANGES, withGaps } from './charts.ts';
import { useChartSeries } from './useChartSeries.ts';

const HEIGHT = 180;

type SyncMethod = Exclude<ComponentProps<typeof ComposedChart>['syncMethod'], 'index' | 'value' | undefined>;

/** Hover sync by time: each chart shows the point nearest the instant hovered in another. */
const syncByTime: SyncMethod = (ticks, data) => {
  const target = Number(data.activeLabel);
  if (!Number.isFinite(target)) return -1;
  let best = -1;
  let bestDistance = Infinity;
  ticks.forEach((tick, i) => {
    const d = Math.abs(Number(tick.value) - target);
    if (d < bestDistance) {
      bestDistance = d;
      best = tick.index ?? i;
    }
  });
  return best;
};

/** The largest value shown (band tops included), for the y ticks. */
function maxOf(rows: readonly Row[], keys: readonly string[], withBand: boolean): number {
  let max = 0;
  for (const row of rows) {
    for (const key of keys) {
      const v = row[key];
      const band = row[`${key}_band`];
      if (typeof v === 'number' && v > max) max = v;
      if (withBand && Array.isArray(band) && band[1] > max) max = band[1];
    }
  }
  return max;
}

/** Y-axis tick labels: short, the unit's own ("80%", "512 KiB", "1.5"); the title says "/s". */
function tickLabel(v: number, unit: ChartSpec['unit']): string {
  if (unit === 'By/s') return formatValue(v, 'By');
  if (unit === '{thread}') return String(Math.round(v * 100) / 100);
  return formatValue(v, unit);
}

interface TooltipProps {
  active?: boolean;
  payload?: readonly { payload?: Row }[];
  spec: ChartSpec;
  showBand: boolean;
}

function ChartTooltip({ active, payload, spec, showBand }: TooltipProps) {
  const row = payload?.[0]?.payload;
  if (!active || !row) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-time">{formatInstant(row.t)}</div>
      {spec.series.map((s) => {
        const v = row[s.key];
        const band = row[`${s.key}_band`];
        return (
          <div key={s.key} className="chart-tooltip-row">
            <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
            <span>{s.label}</span>
            <span className="num">
              {typeof v === 'number' ? formatValue(v, spec.unit) : '—'}
              {showBand && Array.isArray(band) && band[0] !== band[1] && (
                <span className="muted"> ({formatValue(band[0], spec.unit)} – {formatValue(band[1], spec.unit)})</span>
              )}
            </span>
          </div>
        );
      })}
    </div>
  );
}

export const ChartCard = memo(function ChartCard({ spec, host, range, intervalMs }: {
  spec: ChartSpec; host: string; range: Range; intervalMs: number;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);
  const data = useChartSeries(spec, host, range, width);
  const rules = useRules(useShallow((s) => spec.thresholdMetrics.flatMap((m) => rulesOn(s.rules, m, {}))));
  const rangeInfo = RANGES.find((r) => r.id === range) ?? RANGES[0]!;
  const showBand = !rangeInfo.live;
  const keys = useMemo(() => spec.series.map((s) => s.key), [spec]);
  const rows = useMemo(
    () => withGaps(data.rows, Math.max(1.5 * data.step, 2.5 * intervalMs), keys),
    [data.rows, data.step, intervalMs, keys],
  );
  const span = data.to - data.from;
  const hasData = data.rows.length > 0;
  const xTicks = useMemo(() => timeTicks(data.from, data.to, Math.max(2, Math.floor(width / 110))), [data.from, data.to, width]);
  const yTicks = useMemo(() => {
    if (spec.yMax !== undefined) return [0, 0.25, 0.5, 0.75, 1].map((f) => f * spec.yMax!);
    const top = Math.max(maxOf(data.rows, keys, showBand), ...rules.map((r) => r.threshold));
    return spec.unit === 'By/s' ? byteTicks(top) : plainTicks(top);
  }, [spec, data.rows, keys, rules, showBand]);

  return (
    <section className="chart-card" aria-labelledby={`chart-${spec.id}-title`}>
      <header className="chart-head">
        <h3 id={`chart-${spec.id}-title`}>{spec.title}</h3>
        {spec.series.length > 1 && (
          <ul className="legend">
            {spec.series.map((s) => (
              <li key={s.key}><span className="swatch" style={{ background: s.color }} aria-hidden="true" />{s.label}</li>
            ))}
          </ul>
        )}
      </header>
      <div className="chart-box" ref={boxRef} data-testid={`chart-${spec.id}`} data-points={data.rows.length} style={{ height: HEIGHT }}>
        {data.error && <p className="chart-message error-text">Could not load: {data.error}</p>}
        {!data.error && data.loading && !hasData && <div className="sk sk-chart" aria-label="Loading chart" />}
        {!data.error && !data.loading && !hasData && <p className="chart-message muted">No data in this range</p>}
        {width > 0 && hasData && (
          <ComposedChart
            width={width}
            height={HEIGHT}
            data={rows}
            syncId="host"
            syncMethod={syncByTime}
            margin={{ top: 8, right: 12, bottom: 0, left: 4 }}
          >
            <CartesianGrid stroke="var(--grid)" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[data.from, data.to]}
              allowDataOverflow
              ticks={xTicks}
              tickFormatter={(t: number) => formatTick(t, span)}
              stroke="var(--text-muted)"
              tick={{ fill: 'var(--text-muted)', fontSize: 11 }}
              minTickGap={24}
            />
            <YAxis
              width={64}
              domain={[0, yTicks[yTicks.length - 1] ?? 'auto']}
              ticks={yTicks}
              allowDataOverflow
              tickFormatter={(v: number) => tickLabel(v, spec.unit)}
              stroke="var(--text-muted)"
              tick={{ fill: 'var(--text-muted)', fontSize: 11 }}
            />
            <Tooltip
              content={<ChartTooltip spec={spec} showBand={showBand} />}
              isAnimationActive={false}
              cursor={{ stroke: 'var(--text-muted)', strokeDasharray: '3 3' }}
            />
            {showBand && spec.series.map((s) => (
              <Area
                key={`${s.key}_band`}
                dataKey={`${s.key}_band`}
                stroke="none"
                fill={s.color}
                fillOpacity={0.18}
                isAnimationActive={false}
                activeDot={false}
                connectNulls={false}
                tooltipType="none"
              />
            ))}
            {spec.series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={1.6}
                dot={false}
                type="linear"
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
            {rules.map((r) => (
              <ReferenceLine
                key={r.id}
                y={r.threshold}
                stroke={`var(--${severityTone(r.severity)})`}
                strokeDasharray="6 4"
                ifOverflow="extendDomain"
                label={{ value: `${r.name} ${r.op} ${formatValue(r.threshold, spec.unit)}`, position: 'insideTopLeft', fill: 'var(--text-muted)', fontSize: 11 }}
              />
            ))}
          </ComposedChart>
        )}
      </div>
    </section>
  );
});
