/**
 * A sparkline for lists: one series in a small box, gaps drawn as gaps, no axes. `label` says in words
 * what it shows (for screen readers and the tooltip); without points, "—" with `emptyText` on hover.
 */
import type { Point } from '../../../shared/api.ts';
import { sparkline } from '../lib/sparkline.ts';

export function Sparkline({ points, from, to, step, label, emptyText, width = 120, height = 28, testId }: {
  points: readonly Point[]; from: number; to: number; step: number; label: string; emptyText: string;
  width?: number; height?: number; testId?: string;
}) {
  const line = sparkline(points, from, to, step, width, height);
  if (!line) {
    return <span className="sparkline-empty muted" style={{ width, height }} title={emptyText} data-testid={testId}>—</span>;
  }
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img"
      aria-label={label} data-testid={testId}>
      <title>{label}</title>
      <line className="sparkline-base" x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} />
      {line.path && <path d={line.path} />}
      {line.dots.map((d, i) => <circle key={i} cx={d.x} cy={d.y} r={2} />)}
    </svg>
  );
}
