import { PHYSICAL_TABLE_NAMES, type SignalTable } from '@loopline/model';
import { closest, queryInvalid } from '../spec/query-errors.ts';
import type { QuerySpec } from '../spec/query-spec.ts';
import type { ExpressionNode } from '../tree/nodes.ts';
import { type CalculationPlan, resolveCalculations, type ValueSlot } from './calculations.ts';
import { breakdownExpr, catalogueNames, resolveColumn } from './column-ref.ts';
import { buildWhere } from './filter-builder.ts';
import { type HavingPlan, type KeyName, type OrderPlan, resolveHavings, resolveOrders } from './ordering.ts';
import { resolveTimeWindow, type TimeWindow } from './time-window.ts';

export interface KeyPlan extends KeyName {
  readonly expr: ExpressionNode;
  /** timestamp keys come back as epoch milliseconds and are shown as ISO strings */
  readonly isTimestamp: boolean;
}

/** Everything a dialect-neutral statement builder needs, resolved and checked. */
export interface QueryPlan {
  readonly source: SignalTable;
  readonly table: string;
  readonly window: TimeWindow;
  readonly where: ExpressionNode;
  readonly keys: readonly KeyPlan[];
  readonly values: readonly ValueSlot[];
  /** the calculations with one number per group (all but HEATMAP) */
  readonly calculations: readonly CalculationPlan[];
  readonly heatmaps: readonly CalculationPlan[];
  readonly orders: readonly OrderPlan[];
  readonly havings: readonly HavingPlan[];
  readonly limit: number;
  /** groups that get a time series: the limit, or fewer when groups × buckets is too many points */
  readonly seriesLimit: number;
  readonly weighted: boolean;
  readonly showSql: boolean;
  readonly warnings: readonly string[];
}

export interface PlanOptions {
  nowMs: number;
  weighted: boolean;
}

function resolveKeys(table: SignalTable, breakdowns: readonly string[]): KeyPlan[] {
  return breakdowns.map((name, i) => {
    if (breakdowns.indexOf(name) !== i)
      throw queryInvalid(`breakdowns[${i}]`, `"${name}" is already a breakdown`);
    const ref = resolveColumn(table, name);
    const isTimestamp = ref.kind === 'typed' && ref.def.type === 'timestamp';
    return Object.freeze({ name, slot: `k${i}`, expr: breakdownExpr(ref), isTimestamp });
  });
}

/** Names that are not typed columns but look like a typo of one: legal attribute lookups, worth a word. */
function attributeWarnings(spec: QuerySpec): string[] {
  const known = catalogueNames(spec.source);
  const named: [string, string | undefined][] = [
    ...spec.breakdowns.map((name, i): [string, string] => [`breakdowns[${i}]`, name]),
    ...spec.calculations.map((calc, i): [string, string | undefined] => [`calculations[${i}]`, calc.column]),
    ...spec.filters.map((filter, i): [string, string] => [`filters[${i}]`, filter.column]),
  ];
  return named.flatMap(([where, name]) => {
    if (name === undefined || resolveColumn(spec.source, name).kind === 'typed') return [];
    const suggestion = closest(name, known);
    if (suggestion === undefined) return [];
    return [
      `${where}: "${name}" is not a ${spec.source} column, so it is read from attributes; did you mean "${suggestion}"?`,
    ];
  });
}

/**
 * Time-series rows one query may return: groups × time buckets. A breakdown on a column with many values
 * (span id) at the largest limit and the finest granularity would be 10M rows, which once ran 47 s and
 * overflowed the answer's string. The groups keep the whole limit; the series are cut to the first groups
 * that fit, with a warning saying so and what to change.
 */
export const MAX_SERIES_POINTS = 100_000;

function seriesLimitOf(spec: QuerySpec, window: TimeWindow): { limit: number; warning?: string } {
  const buckets = Math.ceil((window.endMs - window.startMs) / 1000 / window.granularitySeconds);
  if (spec.breakdowns.length === 0 || spec.limit * buckets <= MAX_SERIES_POINTS) return { limit: spec.limit };
  const limit = Math.max(1, Math.floor(MAX_SERIES_POINTS / buckets));
  return {
    limit,
    warning: `series are shown for the first ${limit} of up to ${spec.limit} groups: ${buckets} time buckets each, at most ${MAX_SERIES_POINTS} points in all; lower the limit or coarsen the granularity to see more`,
  };
}

export function planQuery(spec: QuerySpec, options: PlanOptions): QueryPlan {
  const source = spec.source;
  const window = resolveTimeWindow(spec, options.nowMs);
  const series = seriesLimitOf(spec, window);
  const keys = resolveKeys(source, spec.breakdowns);
  const { calculations, values } = resolveCalculations(source, spec.calculations);
  const scope = { table: source, calculations, keys };
  return Object.freeze({
    source,
    table: PHYSICAL_TABLE_NAMES[source],
    window,
    where: buildWhere(spec, window),
    keys,
    values,
    calculations: calculations.filter((calc) => calc.op !== 'HEATMAP'),
    heatmaps: calculations.filter((calc) => calc.op === 'HEATMAP'),
    orders: resolveOrders(scope, spec.orders),
    havings: resolveHavings(scope, spec.havings),
    limit: spec.limit,
    seriesLimit: series.limit,
    weighted: options.weighted,
    showSql: spec.show_sql,
    warnings: [...attributeWarnings(spec), ...(series.warning ? [series.warning] : [])],
  });
}
