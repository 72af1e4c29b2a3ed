import type { CalculationOp } from '../spec/query-spec.ts';
import {
  aggregate,
  binary,
  call,
  caseWhen,
  column,
  freeze,
  literal,
  orderItem,
  unary,
} from '../tree/node-factory.ts';
import type { ExpressionNode, WindowNode } from '../tree/nodes.ts';
import type { CalculationPlan } from './calculations.ts';

/** The per-row weight: a row kept 1-in-N by sampling stands for N rows. */
export const WEIGHT = 'w';
export const cumulativeWeight = (slot: string): string => `cum_${slot}`;
export const totalWeight = (slot: string): string => `tot_${slot}`;

const w = (): ExpressionNode => column(WEIGHT);

/** Weight of the rows where `v` is present: the denominator of AVG and the size of a percentile. */
const presentWeight = (v: ExpressionNode): ExpressionNode => caseWhen(unary('is_not_null', v), w());

type ScalarOp = Exclude<CalculationOp, 'HEATMAP'>;
type Builder = (v: ExpressionNode, calc: CalculationPlan, levels?: readonly number[]) => ExpressionNode;

const quantile: Builder = (v, calc, levels) => aggregate('quantile_cont', v, calc.level, levels);

/**
 * Sample-rate aware aggregates. COUNT and SUM multiply by the weight, AVG divides weighted sums,
 * COUNT_DISTINCT, MIN and MAX ignore it (a sampled row does not add values), percentiles are exact on the
 * unweighted path and replaced by `weightedPercentile` when rows may be sampled.
 */
const BUILDERS: Readonly<Record<ScalarOp, Builder>> = {
  COUNT: () => call('coalesce', aggregate('sum', w()), literal(0)),
  COUNT_DISTINCT: (v) => aggregate('count_distinct', v),
  SUM: (v) => aggregate('sum', binary(v, '*', w())),
  AVG: (v) => binary(aggregate('sum', binary(v, '*', w())), '/', aggregate('sum', presentWeight(v))),
  MIN: (v) => aggregate('min', v),
  MAX: (v) => aggregate('max', v),
  P50: quantile,
  P75: quantile,
  P90: quantile,
  P95: quantile,
  P99: quantile,
  P999: quantile,
};

export const isPercentile = (calc: CalculationPlan): boolean => calc.level !== undefined;

/**
 * The exact weighted percentile: `quantile_cont` over the rows as if each were repeated `sample_rate`
 * times. With W the total weight and h = q·(W−1), the k-th value (0-based) of that expanded, sorted list is
 * the smallest value whose running weight exceeds k; the result interpolates between the ⌊h⌋-th and ⌈h⌉-th
 * values. With every weight 1 this is exactly `quantile_cont`. Reads `cum_v`/`tot_v` from `rankingWindows`.
 */
export function weightedPercentile(slot: string, level: number): ExpressionNode {
  const v = column(slot);
  const cum = column(cumulativeWeight(slot));
  const position = (total: ExpressionNode): ExpressionNode =>
    binary(literal(level), '*', binary(total, '-', literal(1)));
  const valueAt = (fn: 'floor' | 'ceil'): ExpressionNode =>
    aggregate('min', caseWhen(binary(cum, '>', call(fn, position(column(totalWeight(slot))))), v));
  const h = position(aggregate('max', column(totalWeight(slot))));
  const fraction = binary(h, '-', call('floor', h));
  return binary(valueAt('floor'), '+', binary(fraction, '*', binary(valueAt('ceil'), '-', valueAt('floor'))));
}

/** Per percentile input, the sorted distinct levels asked of it: computed together, one sort each. */
export function percentileLevels(calcs: readonly CalculationPlan[]): Map<string, number[]> {
  const levels = new Map<string, number[]>();
  for (const calc of calcs) {
    if (calc.level === undefined || !calc.valueSlot) continue;
    const list = levels.get(calc.valueSlot) ?? [];
    if (!list.includes(calc.level)) list.push(calc.level);
    levels.set(
      calc.valueSlot,
      list.sort((a, b) => a - b),
    );
  }
  return levels;
}

/** The aggregate expression for one scalar calculation; `levels` from `percentileLevels` of its statement. */
export function calculationExpr(
  calc: CalculationPlan,
  weighted: boolean,
  levels: ReadonlyMap<string, readonly number[]> = new Map(),
): ExpressionNode {
  if (calc.op === 'HEATMAP') throw new Error('HEATMAP has no scalar value');
  if (weighted && calc.level !== undefined && calc.valueSlot)
    return weightedPercentile(calc.valueSlot, calc.level);
  const slot = calc.valueSlot ?? WEIGHT;
  return BUILDERS[calc.op](column(slot), calc, levels.get(slot));
}

/** Running and total weight per percentile input, partitioned by the group keys (one sort per input). */
export function rankingWindows(slot: string, partitionBy: readonly string[]): [WindowNode, WindowNode] {
  const v = column(slot);
  const partition = freeze(partitionBy.map((key) => column(key)));
  const running: WindowNode = freeze({
    kind: 'window',
    fn: 'sum',
    arg: w(),
    partitionBy: partition,
    orderBy: freeze([orderItem(v, 'asc')]),
    frame: 'running',
  });
  const total: WindowNode = freeze({
    kind: 'window',
    fn: 'sum',
    arg: presentWeight(v),
    partitionBy: partition,
    orderBy: freeze([]),
    frame: 'partition',
  });
  return [running, total];
}
