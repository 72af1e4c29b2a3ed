import type { KeyValue } from './result-values.ts';

/** One number per calculation, keyed by result name (`COUNT`, `P95(duration_ms)`, or the alias). */
export type CalculationValues = Record<string, number | null>;
/** One value per breakdown, keyed by the breakdown as written. */
export type GroupKey = Record<string, KeyValue>;

export interface ResultGroup {
  key: GroupKey;
  values: CalculationValues;
}

export interface SeriesPoint {
  /** start of the bucket, ISO 8601 */
  time: string;
  values: CalculationValues;
}

export interface ResultSeries {
  key: GroupKey;
  points: SeriesPoint[];
}

export interface HeatmapCell {
  /** start of the time bucket, ISO 8601 */
  time: string;
  /** value bucket index, 0 … buckets − 1 */
  bucket: number;
  /** value range of the bucket: [lower, upper), the last one closed */
  lower: number;
  upper: number;
  /** weighted row count */
  count: number;
}

export interface HeatmapResult {
  /** smallest and largest value in range (null when no row has one) */
  min: number | null;
  max: number | null;
  buckets: number;
  /** width of a value bucket */
  step: number | null;
  cells: HeatmapCell[];
}

export interface QueryResultMeta {
  start: string;
  end: string;
  /** seconds per series bucket */
  granularity: number;
  sql?: string[];
  /** hints that do not stop the query, e.g. a name that looks like a typo of a typed column */
  warnings?: string[];
}

export interface QueryResult {
  totals: CalculationValues;
  groups: ResultGroup[];
  series: ResultSeries[];
  /** one per HEATMAP calculation, keyed by its result name */
  heatmap?: Record<string, HeatmapResult>;
  meta: QueryResultMeta;
}
