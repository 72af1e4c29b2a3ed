import type { HavingOp } from '../spec/query-spec.ts';
import {
  as,
  binary,
  call,
  column,
  combine,
  cte,
  freeze,
  orderItem,
  type SelectParts,
  select,
  value,
} from '../tree/node-factory.ts';
import type { AliasNode, BinaryOperator, CteNode, ExpressionNode, SelectNode } from '../tree/nodes.ts';
import {
  calculationExpr,
  cumulativeWeight,
  percentileLevels,
  rankingWindows,
  totalWeight,
  WEIGHT,
} from './calculation-sql.ts';
import type { CalculationPlan } from './calculations.ts';
import { SAMPLE_RATE_COLUMN, TIMESTAMP_COLUMN } from './column-ref.ts';
import type { QueryPlan } from './query-plan.ts';

/**
 * Dialect-neutral statements for one query. Each starts from a `matched` step that reads the table once,
 * applies the time range and filters and projects only what later steps need (group keys `k*`, inputs
 * `v*`, the weight `w`, the time bucket `t`), so attribute JSON is parsed once per row.
 */
export const TIME = 't';
export const TIME_MS = 'time_ms';
const MATCHED = 'matched';

const names = (nodes: readonly string[]): AliasNode[] => nodes.map((name) => as(column(name), name));

export function timeBucket(plan: QueryPlan): ExpressionNode {
  const seconds = value(plan.window.granularitySeconds, 'integer');
  return freeze({ kind: 'time_bucket', expr: column(TIMESTAMP_COLUMN), seconds });
}

const slotsOf = (calcs: readonly CalculationPlan[]): string[] => [
  ...new Set(calcs.flatMap((calc) => (calc.valueSlot ? [calc.valueSlot] : []))),
];

function matchedCte(plan: QueryPlan, options: { time: boolean; keys: boolean }): CteNode {
  const used = new Set(slotsOf(plan.calculations));
  const selections = [
    ...(options.time ? [as(timeBucket(plan), TIME)] : []),
    ...(options.keys ? plan.keys.map((key) => as(key.expr, key.slot)) : []),
    ...plan.values.filter((v) => used.has(v.slot)).map((v) => as(v.expr, v.slot)),
    as(column(SAMPLE_RATE_COLUMN), WEIGHT),
  ];
  return cte(MATCHED, select({ selections, from: plan.table, where: plan.where }));
}

interface AggregationInput {
  source: string;
  keys: readonly string[];
  calcs: readonly CalculationPlan[];
  /** the CTE name for the ranking step, when weighted percentiles need one */
  rankedName: string;
}

interface Aggregation {
  ctes: CteNode[];
  from: string;
  /** the calculations, each as its alias */
  selections: AliasNode[];
  groupBy: ExpressionNode[];
}

/** The calculations over `source` grouped by `keys`; weighted percentiles first rank each input. */
function aggregation(plan: QueryPlan, input: AggregationInput): Aggregation {
  const { calcs, keys } = input;
  const ranked = plan.weighted ? slotsOf(calcs.filter((calc) => calc.level !== undefined)) : [];
  const levels = percentileLevels(calcs);
  const selections = calcs.map((calc) => as(calculationExpr(calc, plan.weighted, levels), calc.alias));
  const groupBy = keys.map((key) => column(key));
  if (ranked.length === 0) return { ctes: [], from: input.source, selections, groupBy };
  const windows = ranked.flatMap((slot) => {
    const [running, total] = rankingWindows(slot, keys);
    return [as(running, cumulativeWeight(slot)), as(total, totalWeight(slot))];
  });
  const passThrough = names([...keys, ...slotsOf(calcs), WEIGHT]);
  const rankedCte = cte(
    input.rankedName,
    select({ selections: [...passThrough, ...windows], from: input.source }),
  );
  return { ctes: [rankedCte], from: input.rankedName, selections, groupBy };
}

/** Everything that matches, as one row of calculations. */
export function totalsStatement(plan: QueryPlan): SelectNode {
  const agg = aggregation(plan, {
    source: MATCHED,
    keys: [],
    calcs: plan.calculations,
    rankedName: 'ranked',
  });
  return select({
    with: [matchedCte(plan, { time: false, keys: false }), ...agg.ctes],
    selections: agg.selections,
    from: agg.from,
  });
}

const HAVING_SQL: Readonly<Record<HavingOp, BinaryOperator>> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

const keySlots = (plan: QueryPlan): string[] => plan.keys.map((key) => key.slot);

/** (ranked →) grouped: one row per breakdown group with the given calculations. */
function groupedCtes(plan: QueryPlan, calcs: readonly CalculationPlan[]): CteNode[] {
  const keys = keySlots(plan);
  const agg = aggregation(plan, { source: MATCHED, keys, calcs, rankedName: 'ranked' });
  const grouped = select({
    selections: [...names(keys), ...agg.selections],
    from: agg.from,
    groupBy: agg.groupBy,
  });
  return [...agg.ctes, cte('grouped', grouped)];
}

/** The groups that survive the havings, in the requested order (keys break ties), up to the limit. */
function topGroups(plan: QueryPlan, columns: readonly string[], count = plan.limit): SelectParts {
  const keys = keySlots(plan);
  const havings = plan.havings.map((h) =>
    binary(column(h.target), HAVING_SQL[h.op], value(h.value, 'float')),
  );
  const ordered = new Set(plan.orders.map((order) => order.target));
  const orderBy = [
    ...plan.orders.map((order) => orderItem(column(order.target), order.direction)),
    ...keys.filter((key) => !ordered.has(key)).map((key) => orderItem(column(key), 'asc')),
  ];
  const limit = value(count, 'integer');
  return { selections: names(columns), from: 'grouped', where: combine('and', havings), orderBy, limit };
}

export function groupsStatement(plan: QueryPlan): SelectNode {
  const columns = [...keySlots(plan), ...plan.calculations.map((calc) => calc.alias)];
  const ctes = [matchedCte(plan, { time: false, keys: true }), ...groupedCtes(plan, plan.calculations)];
  return select({ with: ctes, ...topGroups(plan, columns) });
}

/** Series are per top group when groups can be dropped (a limit over breakdowns, or havings). */
export const seriesNeedsTopGroups = (plan: QueryPlan): boolean =>
  plan.keys.length > 0 || plan.havings.length > 0;

/** Picking the top groups needs only the calculations that orders and havings name. */
function rankingCalculations(plan: QueryPlan): CalculationPlan[] {
  const targets = new Set([...plan.orders, ...plan.havings].map((ref) => ref.target));
  return plan.calculations.filter((calc) => targets.has(calc.alias));
}

/** One row per time bucket and group: `time_ms` (bucket start, epoch ms), keys, calculations. */
export function seriesStatement(plan: QueryPlan): SelectNode {
  const keys = keySlots(plan);
  const seriesKeys = [TIME, ...keys];
  const calcs = plan.calculations;
  const agg = aggregation(plan, { source: MATCHED, keys: seriesKeys, calcs, rankedName: 'series_ranked' });
  const matched = matchedCte(plan, { time: true, keys: true });
  if (!seriesNeedsTopGroups(plan)) {
    return select({
      with: [matched, ...agg.ctes],
      selections: [as(call('epoch_ms', column(TIME)), TIME_MS), ...agg.selections],
      from: agg.from,
      groupBy: agg.groupBy,
      orderBy: [orderItem(column(TIME), 'asc')],
    });
  }
  const ranking = rankingCalculations(plan);
  const top = select(topGroups(plan, [...keys, ...ranking.map((calc) => calc.alias)], plan.seriesLimit));
  const series = select({
    selections: [...names(seriesKeys), ...agg.selections],
    from: agg.from,
    groupBy: agg.groupBy,
  });
  return select({
    with: [matched, ...groupedCtes(plan, ranking), cte('top', top), ...agg.ctes, cte('series', series)],
    ...seriesOfTopGroups(keys, calcs),
  });
}

/** series ⋈ top on every key (NULL keys match NULL keys), ordered by time then keys. */
function seriesOfTopGroups(keys: readonly string[], calcs: readonly CalculationPlan[]): SelectParts {
  const on = combine(
    'and',
    keys.map((key) => binary(column(key, 'series'), 'is_not_distinct_from', column(key, 'top'))),
  );
  const qualified = (name: string) => as(column(name, 'series'), name);
  return {
    selections: [
      as(call('epoch_ms', column(TIME, 'series')), TIME_MS),
      ...[...keys, ...calcs.map((calc) => calc.alias)].map(qualified),
    ],
    from: 'series',
    join: { table: 'top', ...(on ? { on } : {}) },
    orderBy: [TIME, ...keys].map((name) => orderItem(column(name, 'series'), 'asc')),
  };
}
