import type { ReactNode } from 'react';

export interface SparkSeries {
  name: string;
  points: { time: string; value: number }[];
  /** CSS colour */
  color: string;
  area?: boolean;
}

/**
 * A tiny SVG chart of one or more series over the same buckets, each scaled to its own maximum (so a
 * small series next to a big one still shows its shape). Drawn without ECharts: many of them fit a page.
 */
export function Sparkline(props: { series: SparkSeries[]; height?: number; label: string }): ReactNode {
  const width = 300;
  const height = props.height ?? 44;
  const pad = 2;
  const paths = props.series.map((series) => {
    const n = series.points.length;
    const max = Math.max(0, ...series.points.map((p) => p.value));
    const x = (i: number): number => (n <= 1 ? width / 2 : (i / (n - 1)) * width);
    const y = (v: number): number => (max > 0 ? height - pad - (v / max) * (height - 2 * pad) : height - pad);
    const line = series.points.map(
      (p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`,
    );
    const d = line.join(' ');
    const area = n > 0 ? `${d} L${x(n - 1).toFixed(1)},${height} L${x(0).toFixed(1)},${height} Z` : '';
    return { series, d, area };
  });
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={props.label}
      style={{ height }}
    >
      {paths.map(({ series, d, area }) => (
        <g key={series.name}>
          {series.area && area ? <path d={area} fill={series.color} opacity={0.16} /> : null}
          <path d={d} fill="none" stroke={series.color} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
        </g>
      ))}
    </svg>
  );
}
