import * as echarts from 'echarts/core';
import { type KeyboardEvent, type ReactNode, useEffect, useMemo, useRef } from 'react';
import type { Calculation, HeatmapResult, QueryResult, QuerySpec, Scalar } from '../lib/api.ts';
import { formatCount, formatMs, formatTime, formatValue } from '../lib/format.ts';
import {
  bucketTimes,
  calcName,
  groupLabel,
  heatmapCalculations,
  narrowToGroup,
  narrowToHeatmapCell,
  narrowToPoint,
  type ResultWindow,
  scalarCalculations,
} from '../lib/query-spec.ts';
import { tracesHref } from '../lib/query-url.ts';
import { Link, navigate } from '../lib/router.tsx';
import { PALETTE } from './chart.tsx';
import './query-result.css';

/**
 * Reusable views of a query result (the query builder, boards and the home page use them): a line chart
 * per calculation with a line per group, a heatmap per HEATMAP calculation, and the results table. Every
 * point, cell and row opens the traces it stands for (`/traces?q=<the query narrowed to it>`).
 */

/** Where a click goes: the narrowed query, and whether it could be narrowed exactly (see addFilters). */
export type OpenTraces = (spec: QuerySpec, exact: boolean) => void;

export function tracesLink(spec: QuerySpec, exact: boolean): string {
  return tracesHref(spec) + (exact ? '' : '&inexact=1');
}

export const openTraces: OpenTraces = (spec, exact) => navigate(tracesLink(spec, exact));

export function resultWindow(result: QueryResult): ResultWindow {
  return { start: result.meta.start, end: result.meta.end, granularity: result.meta.granularity };
}

const keyId = (key: Record<string, Scalar>): string => JSON.stringify(key);

/** The colour of each group, the same in charts and the table. */
function groupColors(result: QueryResult): Map<string, string> {
  const colors = new Map<string, string>();
  const order = result.series.length > 0 ? result.series.map((s) => s.key) : result.groups.map((g) => g.key);
  order.forEach((key, i) => {
    colors.set(keyId(key), PALETTE[i % PALETTE.length] as string);
  });
  return colors;
}

/** Column values that are durations read as durations; everything else as plain numbers. */
export function formatColumnValue(column: string | undefined, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (column && /(^|[._])(duration_ms|ttft_ms)$|_ms$|time_to_first_chunk_ms$/.test(column))
    return formatMs(value);
  return formatValue(value);
}

const compactAxis = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

function axisNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return compactAxis.format(value);
  if (abs === 0 || abs >= 1) return String(Number(value.toPrecision(4)));
  return String(Number(value.toPrecision(2)));
}

/** A y-axis maximum from 1, 2, 2.5, 5 × 10^n above the largest value (so tests can map values to pixels). */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

// ---------------------------------------------------------------------------------------------------------
// an ECharts canvas that reports clicks anywhere in its plot

const PLOT = { left: 64, right: 20, top: 14, bottom: 28 };
const LEGEND_HEIGHT = 26;

interface CanvasProps {
  option: echarts.EChartsCoreOption;
  height: number;
  testId?: string;
  label: string;
  /** a click in the plot area, in data coordinates [x, y] */
  onPlotClick?: (value: [number, number]) => void;
  /** a click on a data item (heatmap cells) */
  onItemClick?: (event: { data: unknown; seriesIndex?: number }) => void;
  /** the legend's shown/hidden state changed */
  onLegendSelect?: (selected: Record<string, boolean>) => void;
  /** data-* attributes describing the plot (pixel rect, axis ranges) */
  data?: Record<string, string>;
}

function Canvas(props: CanvasProps): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!ref.current) return;
    const instance = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (event) => handlers.current.onItemClick?.(event as never));
    instance.on('legendselectchanged', (event) =>
      handlers.current.onLegendSelect?.((event as { selected?: Record<string, boolean> }).selected ?? {}),
    );
    instance.getZr().on('click', (event) => {
      const onPlotClick = handlers.current.onPlotClick;
      if (!onPlotClick) return;
      const pixel = [event.offsetX, event.offsetY];
      if (!instance.containPixel({ gridIndex: 0 }, pixel)) return;
      const value = instance.convertFromPixel({ gridIndex: 0 }, pixel) as number[];
      onPlotClick([value[0] as number, value[1] as number]);
    });
    // follow the element's own size (a scrollbar appearing or a panel resizing is not a window resize)
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  const data: Record<string, string> = {};
  for (const [name, value] of Object.entries(props.data ?? {})) data[`data-${name}`] = value;
  return (
    <div
      ref={ref}
      className="chart ql-canvas"
      role="img"
      aria-label={props.label}
      style={{ height: props.height, cursor: props.onPlotClick || props.onItemClick ? 'pointer' : undefined }}
      data-testid={props.testId}
      {...data}
    />
  );
}

// ---------------------------------------------------------------------------------------------------------
// line chart: one per calculation, a line per group

export function ResultLineChart(props: {
  spec: QuerySpec;
  result: QueryResult;
  calc: Calculation;
  height?: number;
  /** where clicks go (default: the traces page); null: not clickable (logs and metrics have no traces) */
  onOpen?: OpenTraces | null;
  showLegend?: boolean;
}): ReactNode {
  const { spec, result, calc } = props;
  const name = calcName(calc);
  const height = props.height ?? 240;
  const series = result.series;
  const legend = (props.showLegend ?? true) && series.length > 1;
  const hidden = useRef(new Set<string>());
  const colors = useMemo(() => groupColors(result), [result]);

  const model = useMemo(() => {
    const times = series[0]?.points.map((p) => Date.parse(p.time)) ?? [];
    let min = 0;
    let max = 0;
    for (const s of series) {
      for (const p of s.points) {
        const v = p.values[name];
        if (typeof v === 'number') {
          if (v > max) max = v;
          if (v < min) min = v;
        }
      }
    }
    const yMax = niceCeil(max);
    const yMin = min < 0 ? -niceCeil(-min) : 0;
    const xMin = times[0] ?? Date.parse(result.meta.start);
    const xMax = times[times.length - 1] ?? Date.parse(result.meta.end);
    const top = PLOT.top + (legend ? LEGEND_HEIGHT : 0);
    const option: echarts.EChartsCoreOption = {
      animation: false,
      color: series.map((s) => colors.get(keyId(s.key)) ?? (PALETTE[0] as string)),
      grid: {
        left: PLOT.left,
        right: PLOT.right,
        top,
        bottom: PLOT.bottom,
        containLabel: false,
        outerBoundsMode: 'none',
      },
      legend: legend
        ? { type: 'scroll', top: 0, left: PLOT.left, right: PLOT.right, itemHeight: 8 }
        : undefined,
      tooltip: {
        trigger: 'axis',
        confine: true,
        order: 'valueDesc',
        valueFormatter: (v: unknown) => formatColumnValue(calc.column, typeof v === 'number' ? v : null),
      },
      xAxis: {
        type: 'time',
        min: xMin,
        max: xMax === xMin ? xMin + result.meta.granularity * 1000 : xMax,
        axisLabel: { hideOverlap: true, color: '#6a7385' },
        axisLine: { lineStyle: { color: '#c9ced8' } },
      },
      yAxis: {
        type: 'value',
        min: yMin,
        max: yMax,
        splitNumber: 4,
        axisLabel: { formatter: axisNumber, color: '#6a7385' },
        splitLine: { lineStyle: { color: '#eef0f4' } },
      },
      series: series.map((s) => ({
        type: 'line',
        name: groupLabel(s.key),
        showSymbol: s.points.length <= 48,
        symbolSize: 5,
        lineStyle: { width: 1.5 },
        emphasis: { focus: 'series' },
        data: s.points.map((p) => [Date.parse(p.time), p.values[name] ?? null]),
      })),
    };
    return {
      option,
      data: {
        plot: `${PLOT.left},${top},${PLOT.right},${PLOT.bottom}`,
        'x-range': `${xMin},${xMax === xMin ? xMin + result.meta.granularity * 1000 : xMax}`,
        'y-range': `${yMin},${yMax}`,
        calc: name,
      },
    };
  }, [series, name, calc.column, colors, legend, result.meta]);

  useEffect(() => {
    // a new chart starts with every group shown
    void model;
    hidden.current.clear();
  }, [model]);

  const onOpen = props.onOpen === undefined ? openTraces : props.onOpen;
  const onPlotClick = ([x, y]: [number, number]): void => {
    if (!onOpen) return;
    const first = series[0];
    if (!first || first.points.length === 0) return;
    // the bucket whose start is nearest the click, then the visible group nearest the click's value
    let index = 0;
    first.points.forEach((p, i) => {
      if (Math.abs(Date.parse(p.time) - x) < Math.abs(Date.parse(first.points[index]?.time ?? '') - x))
        index = i;
    });
    let best: { key: Record<string, Scalar>; distance: number } | null = null;
    for (const s of series) {
      if (hidden.current.has(groupLabel(s.key))) continue;
      const v = s.points[index]?.values[name];
      if (typeof v !== 'number') continue;
      const distance = Math.abs(v - y);
      if (!best || distance < best.distance) best = { key: s.key, distance };
    }
    const time = first.points[index]?.time;
    if (!best || !time) return;
    const narrowed = narrowToPoint(spec, { key: best.key, time }, resultWindow(result));
    onOpen(narrowed.spec, narrowed.exact);
  };

  return (
    <Canvas
      option={model.option}
      height={height + (legend ? LEGEND_HEIGHT : 0)}
      testId="result-chart"
      label={`${name} over time${series.length > 1 ? `, one line per group (${series.length})` : ''}`}
      onPlotClick={onOpen ? onPlotClick : undefined}
      onLegendSelect={(selected) => {
        hidden.current.clear();
        for (const [group, shown] of Object.entries(selected)) if (!shown) hidden.current.add(group);
      }}
      data={model.data}
    />
  );
}

// ---------------------------------------------------------------------------------------------------------
// heatmap: time × value bucket

const HEAT_PLOT = { left: 76, right: 20, top: 14, bottom: 28 };

export function ResultHeatmap(props: {
  spec: QuerySpec;
  result: QueryResult;
  calc: Calculation;
  height?: number;
  /** where clicks go (default: the traces page); null: not clickable (logs and metrics have no traces) */
  onOpen?: OpenTraces | null;
}): ReactNode {
  const { spec, result, calc } = props;
  const name = calcName(calc);
  const heatmap: HeatmapResult | undefined = result.heatmap?.[name];
  const height = props.height ?? 260;
  const column = calc.column ?? '';
  const { start, end, granularity } = result.meta;
  const window = useMemo(() => ({ start, end, granularity }), [start, end, granularity]);

  const model = useMemo(() => {
    if (!heatmap) return null;
    const times = bucketTimes(window);
    const timeIndex = new Map(times.map((t, i) => [t, i]));
    const buckets = Math.max(1, heatmap.buckets);
    const step = heatmap.step ?? 0;
    const lowers = Array.from({ length: buckets }, (_, i) => (heatmap.min ?? 0) + i * step);
    let maxCount = 0;
    const data: [number, number, number, number][] = [];
    for (const cell of heatmap.cells) {
      const x = timeIndex.get(new Date(Date.parse(cell.time)).toISOString());
      if (x === undefined) continue;
      data.push([x, cell.bucket, cell.count, Math.sqrt(cell.count)]);
      if (cell.count > maxCount) maxCount = cell.count;
    }
    const labelEvery = Math.max(1, Math.ceil(buckets / 8));
    const option: echarts.EChartsCoreOption = {
      animation: false,
      grid: { ...HEAT_PLOT, containLabel: false, outerBoundsMode: 'none' },
      tooltip: {
        confine: true,
        formatter: (params: { data: [number, number, number] }) => {
          const [x, y, count] = params.data;
          const cell = heatmap.cells.find(
            (c) => c.bucket === y && new Date(Date.parse(c.time)).toISOString() === times[x],
          );
          const range = cell
            ? `${formatColumnValue(column, cell.lower)} – ${formatColumnValue(column, cell.upper)}`
            : '';
          return `${formatTime(times[x])} UTC<br/>${escapeHtml(column)} ${range}<br/><b>${formatCount(count)}</b> rows`;
        },
      },
      xAxis: {
        type: 'category',
        data: times.map((t) => formatTime(t).slice(5, 16)),
        axisLabel: { hideOverlap: true, color: '#6a7385' },
        axisTick: { show: false },
        splitArea: { show: false },
      },
      yAxis: {
        type: 'category',
        data: lowers.map((v) => formatColumnValue(column, v)),
        axisLabel: { interval: labelEvery - 1, color: '#6a7385' },
        axisTick: { show: false },
      },
      visualMap: {
        show: false,
        dimension: 3,
        min: 0,
        max: Math.max(1, Math.sqrt(maxCount)),
        inRange: { color: ['#e3e8fd', '#8ea0f3', '#4f6bed', '#2a3aa6', '#141c5c'] },
      },
      series: [
        {
          type: 'heatmap',
          name,
          data,
          progressive: 0,
          emphasis: { itemStyle: { borderColor: '#1d2330', borderWidth: 1 } },
        },
      ],
    };
    return {
      option,
      times,
      data: {
        plot: `${HEAT_PLOT.left},${HEAT_PLOT.top},${HEAT_PLOT.right},${HEAT_PLOT.bottom}`,
        'x-count': String(times.length),
        'y-count': String(buckets),
        calc: name,
        cells: String(heatmap.cells.length),
      },
    };
  }, [heatmap, window, column, name]);

  if (!heatmap || !model) {
    return <p className="muted">No heatmap for {name} in this result.</p>;
  }
  if (heatmap.cells.length === 0) {
    return (
      <p className="muted" data-testid="heatmap-empty">
        No values of {column} in this range.
      </p>
    );
  }
  const onOpen = props.onOpen === undefined ? openTraces : props.onOpen;
  const onItemClick = (event: { data: unknown }): void => {
    if (!onOpen) return;
    const [x, y] = event.data as [number, number];
    const time = model.times[x];
    const cell = heatmap.cells.find(
      (c) => c.bucket === y && new Date(Date.parse(c.time)).toISOString() === time,
    );
    if (!cell || !time) return;
    const narrowed = narrowToHeatmapCell(
      spec,
      { column, time, lower: cell.lower, upper: cell.upper, last: cell.bucket === heatmap.buckets - 1 },
      window,
    );
    onOpen(narrowed.spec, narrowed.exact);
  };
  return (
    <Canvas
      option={model.option}
      height={height}
      testId="result-heatmap"
      label={`Heatmap of ${column} over time`}
      onItemClick={onOpen ? onItemClick : undefined}
      data={model.data}
    />
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------------------------------------
// results table

export function ResultsTable(props: {
  spec: QuerySpec;
  result: QueryResult;
  /** where clicks go (default: the traces page); null: not clickable (logs and metrics have no traces) */
  onOpen?: OpenTraces | null;
  /** rows shown before "show all" (default all) */
  maxRows?: number;
  testId?: string;
}): ReactNode {
  const { spec, result } = props;
  const calcs = scalarCalculations(spec);
  const breakdowns = spec.breakdowns ?? [];
  const colors = useMemo(() => groupColors(result), [result]);
  const onOpen = props.onOpen === undefined ? openTraces : props.onOpen;
  const window = resultWindow(result);
  const groups = props.maxRows !== undefined ? result.groups.slice(0, props.maxRows) : result.groups;
  if (calcs.length === 0 && breakdowns.length === 0) return null;

  const open = (key: Record<string, Scalar>): void => {
    if (!onOpen) return;
    const narrowed = narrowToGroup(spec, key, window);
    onOpen(narrowed.spec, narrowed.exact);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, key: Record<string, Scalar>): void => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open(key);
    }
  };
  return (
    <div className="ql-table-wrap">
      <table className="data ql-results" data-testid={props.testId ?? 'results-table'}>
        <thead>
          <tr>
            {breakdowns.map((column) => (
              <th key={`k:${column}`} scope="col">
                {column}
              </th>
            ))}
            {calcs.map((calc) => (
              <th key={`v:${calcName(calc)}`} className="num" scope="col">
                {calcName(calc)}
              </th>
            ))}
            <th className="ql-open-col" aria-label="Traces" />
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => {
            const id = keyId(group.key);
            const narrowed = narrowToGroup(spec, group.key, window);
            return (
              <tr
                key={id}
                className={onOpen ? 'clickable' : undefined}
                data-testid="result-row"
                data-key={id}
                title={onOpen ? 'Open the traces of this group' : undefined}
                onClick={(event) => {
                  if ((event.target as HTMLElement).closest('a')) return;
                  open(group.key);
                }}
                onKeyDown={(event) => onKeyDown(event, group.key)}
              >
                {breakdowns.map((column, i) => {
                  const value = group.key[column] ?? null;
                  return (
                    <td key={`k:${column}`} data-testid="result-key" data-column={column}>
                      {i === 0 ? (
                        <span
                          className="ql-swatch"
                          style={{ background: colors.get(id) }}
                          aria-hidden="true"
                        />
                      ) : null}
                      {value === null ? (
                        <span className="muted">(none)</span>
                      ) : value === '' ? (
                        <span className="muted">(empty)</span>
                      ) : (
                        String(value)
                      )}
                    </td>
                  );
                })}
                <ValueCells calcs={calcs} values={group.values} testId="result-value" />
                <td className="ql-open-col">
                  {onOpen ? (
                    <Link to={tracesLink(narrowed.spec, narrowed.exact)} testId="row-traces-link">
                      traces
                    </Link>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
        {breakdowns.length > 0 ? (
          <tfoot>
            <tr data-testid="totals-row">
              <th scope="row" colSpan={breakdowns.length}>
                Total
              </th>
              <ValueCells calcs={calcs} values={result.totals} testId="total-value" />
              <td />
            </tr>
          </tfoot>
        ) : null}
      </table>
      {props.maxRows !== undefined && result.groups.length > props.maxRows ? (
        <p className="muted ql-more">
          {result.groups.length - props.maxRows} more group
          {result.groups.length - props.maxRows === 1 ? '' : 's'} in the query builder
        </p>
      ) : null}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------
// everything of a result, or one chart of it (board panels)

export type ChartKind = 'line' | 'table' | 'heatmap';

/** The chart kind that suits a query when none is chosen. */
export function defaultChartKind(spec: QuerySpec): ChartKind {
  if (scalarCalculations(spec).length === 0 && heatmapCalculations(spec).length > 0) return 'heatmap';
  return 'line';
}

export function ResultCharts(props: {
  spec: QuerySpec;
  result: QueryResult;
  /** where clicks go (default: the traces page); null: not clickable (logs and metrics have no traces) */
  onOpen?: OpenTraces | null;
  height?: number;
  /** only these kinds (board panels show one) */
  kind?: 'line' | 'heatmap';
}): ReactNode {
  const { spec, result } = props;
  const lines = props.kind === 'heatmap' ? [] : scalarCalculations(spec);
  const heatmaps = props.kind === 'line' ? [] : heatmapCalculations(spec);
  const single = lines.length + heatmaps.length === 1;
  return (
    <div className="ql-charts">
      {lines.map((calc) => (
        <figure key={`l:${calcName(calc)}`} className="ql-figure">
          {single && props.kind ? null : <figcaption>{calcName(calc)}</figcaption>}
          <ResultLineChart
            spec={spec}
            result={result}
            calc={calc}
            onOpen={props.onOpen}
            height={props.height}
          />
        </figure>
      ))}
      {heatmaps.map((calc) => (
        <figure key={`h:${calcName(calc)}`} className="ql-figure">
          {single && props.kind ? null : <figcaption>{calcName(calc)}</figcaption>}
          <ResultHeatmap
            spec={spec}
            result={result}
            calc={calc}
            onOpen={props.onOpen}
            height={props.height}
          />
        </figure>
      ))}
    </div>
  );
}

/** Totals of the number calculations as a row of stats (a compact summary under a board chart). */
export function ResultTotals(props: { spec: QuerySpec; result: QueryResult }): ReactNode {
  const calcs = scalarCalculations(props.spec);
  if (calcs.length === 0) return null;
  return (
    <div className="stats ql-totals">
      {calcs.map((calc) => {
        const name = calcName(calc);
        const value = props.result.totals[name] ?? null;
        return (
          <div
            key={name}
            className="stat"
            data-testid="total-value"
            data-name={name}
            data-value={JSON.stringify(value)}
          >
            <div className="label">{name}</div>
            <div className="value">{formatValue(value)}</div>
          </div>
        );
      })}
    </div>
  );
}

/** The result's warnings from the server (e.g. a column that looks like a typo). */
export function ResultWarnings(props: { result: QueryResult }): ReactNode {
  const warnings = props.result.meta.warnings ?? [];
  if (warnings.length === 0) return null;
  return (
    <ul className="ql-warnings" data-testid="query-warnings">
      {warnings.map((warning) => (
        <li key={warning}>{warning}</li>
      ))}
    </ul>
  );
}

/** One cell per calculation, the raw value kept in `data-value` (tests compare it with the API's). */
function ValueCells(props: {
  calcs: readonly Calculation[];
  values: Record<string, number | null>;
  testId: string;
}): ReactNode {
  return props.calcs.map((calc) => {
    const name = calcName(calc);
    const value = props.values[name] ?? null;
    return (
      <td
        key={name}
        className="num"
        data-testid={props.testId}
        data-name={name}
        data-value={JSON.stringify(value)}
      >
        {formatValue(value)}
      </td>
    );
  });
}
