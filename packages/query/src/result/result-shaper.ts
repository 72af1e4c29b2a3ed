import type { CompiledQuery, CompiledStatement, ResultShape } from '../compile-query.ts';
import { HEATMAP_BUCKETS } from '../plan/heatmap-builder.ts';
import type {
  CalculationValues,
  GroupKey,
  HeatmapResult,
  QueryResult,
  ResultGroup,
  ResultSeries,
} from './query-result.ts';
import { isoTime, toKeyValue, toNumber } from './result-values.ts';

export type Row = Record<string, unknown>;

const valuesOf = (row: Row | undefined, shape: ResultShape): CalculationValues =>
  Object.fromEntries(
    shape.calculations.map((calc) => [calc.name, row ? toNumber(row[calc.alias]) : calc.isCount ? 0 : null]),
  );

const keyOf = (row: Row, shape: ResultShape): GroupKey =>
  Object.fromEntries(shape.keys.map((key) => [key.name, toKeyValue(row[key.slot], key.isTimestamp)]));

const keyText = (key: GroupKey): string => JSON.stringify(Object.values(key));

function groupsOf(shape: ResultShape, totals: CalculationValues, rows: Row[] | undefined): ResultGroup[] {
  if (rows) return rows.map((row) => ({ key: keyOf(row, shape), values: valuesOf(row, shape) }));
  return shape.calculations.length > 0 ? [{ key: {}, values: totals }] : [];
}

/** Every bucket start in range, aligned to the epoch like the SQL's time buckets. */
function bucketStarts(shape: ResultShape): number[] {
  const step = shape.granularitySeconds * 1000;
  const starts: number[] = [];
  for (let t = Math.floor(shape.startMs / step) * step; t < shape.endMs; t += step) starts.push(t);
  return starts;
}

/**
 * One series per group, in group order, with a point for every bucket (empty buckets count 0); only the
 * first `seriesLimit` groups have one when groups × buckets would be too many points.
 */
function seriesOf(shape: ResultShape, groups: ResultGroup[], rows: Row[] | undefined): ResultSeries[] {
  if (!rows) return [];
  const byGroup = new Map<string, Map<number, Row>>();
  for (const row of rows) {
    const text = keyText(keyOf(row, shape));
    const points = byGroup.get(text) ?? new Map<number, Row>();
    points.set(toNumber(row.time_ms) ?? 0, row);
    byGroup.set(text, points);
  }
  const starts = bucketStarts(shape);
  return groups.slice(0, shape.seriesLimit).map(({ key }) => {
    const points = byGroup.get(keyText(key));
    return {
      key,
      points: starts.map((t) => ({ time: isoTime(t), values: valuesOf(points?.get(t), shape) })),
    };
  });
}

function heatmapOf(rows: Row[]): HeatmapResult {
  const min = toNumber(rows[0]?.lo);
  const max = toNumber(rows[0]?.hi);
  const step = min === null || max === null ? null : (max - min) / HEATMAP_BUCKETS;
  const cells = rows.map((row) => {
    const bucket = toNumber(row.bucket) ?? 0;
    const lower = (min ?? 0) + bucket * (step ?? 0);
    const upper = bucket === HEATMAP_BUCKETS - 1 ? (max ?? 0) : lower + (step ?? 0);
    return {
      time: isoTime(toNumber(row.time_ms) ?? 0),
      bucket,
      lower,
      upper,
      count: toNumber(row.count) ?? 0,
    };
  });
  return { min, max, buckets: HEATMAP_BUCKETS, step, cells };
}

/** Turns the rows of each statement into what a user sees. */
export function shapeResult(
  compiled: CompiledQuery,
  rows: ReadonlyMap<CompiledStatement, Row[]>,
): QueryResult {
  const { shape, statements } = compiled;
  const rowsOf = (role: CompiledStatement['role']): Row[] | undefined => {
    const statement = statements.find((s) => s.role === role);
    return statement && rows.get(statement);
  };
  const totals = valuesOf(rowsOf('totals')?.[0], shape);
  const groups = groupsOf(shape, totals, rowsOf('groups'));
  const heatmaps = statements.filter((s) => s.role === 'heatmap');
  return {
    totals: shape.calculations.length > 0 ? totals : {},
    groups,
    series: seriesOf(shape, groups, rowsOf('series')),
    ...(heatmaps.length > 0
      ? {
          heatmap: Object.fromEntries(
            heatmaps.map((s) => [s.calculation ?? '', heatmapOf(rows.get(s) ?? [])]),
          ),
        }
      : {}),
    meta: {
      start: isoTime(shape.startMs),
      end: isoTime(shape.endMs),
      granularity: shape.granularitySeconds,
      ...(shape.showSql ? { sql: statements.map((s) => s.sql) } : {}),
      ...(shape.warnings.length > 0 ? { warnings: [...shape.warnings] } : {}),
    },
  };
}
