import {
  aggregate,
  as,
  binary,
  call,
  caseWhen,
  column,
  cte,
  freeze,
  literal,
  orderItem,
  select,
  unary,
} from '../tree/node-factory.ts';
import type { CaseNode, SelectNode } from '../tree/nodes.ts';
import { WEIGHT } from './calculation-sql.ts';
import type { CalculationPlan } from './calculations.ts';
import { SAMPLE_RATE_COLUMN } from './column-ref.ts';
import type { QueryPlan } from './query-plan.ts';
import { TIME, TIME_MS, timeBucket } from './statement-builder.ts';

/** Value buckets of a heatmap, evenly spaced between the smallest and largest value in range. */
export const HEATMAP_BUCKETS = 40;

const V = 'v';

/** `bucket = min(floor((v − lo) · 40 / (hi − lo)), 39)`, or 0 when every value is the same. */
function bucketExpr(): CaseNode {
  const [v, lo, hi] = [column(V), column('lo'), column('hi')];
  const scaled = binary(binary(binary(v, '-', lo), '*', literal(HEATMAP_BUCKETS)), '/', binary(hi, '-', lo));
  const bucket = call('least', call('floor', scaled), literal(HEATMAP_BUCKETS - 1));
  return freeze({ ...caseWhen(binary(hi, '>', lo), bucket), else: literal(0) });
}

/**
 * Weighted row counts per (time bucket, value bucket) for one HEATMAP calculation, over every matching
 * row (breakdowns do not split a heatmap). Rows: `time_ms`, `bucket`, `count`, and the range `lo`, `hi`.
 */
export function heatmapStatement(plan: QueryPlan, calc: CalculationPlan): SelectNode {
  const input = plan.values.find((slot) => slot.slot === calc.valueSlot);
  if (!input) throw new Error(`no input for ${calc.name}`);
  const matched = select({
    selections: [as(timeBucket(plan), TIME), as(input.expr, V), as(column(SAMPLE_RATE_COLUMN), WEIGHT)],
    from: plan.table,
    where: plan.where,
  });
  const bounds = select({
    selections: [as(aggregate('min', column(V)), 'lo'), as(aggregate('max', column(V)), 'hi')],
    from: 'matched',
  });
  const cells = select({
    selections: [TIME, WEIGHT, 'lo', 'hi']
      .map((name) => as(column(name), name))
      .concat(as(bucketExpr(), 'bucket')),
    from: 'matched',
    join: { table: 'bounds' },
    where: unary('is_not_null', column(V)),
  });
  return select({
    with: [cte('matched', matched), cte('bounds', bounds), cte('cells', cells)],
    selections: [
      as(call('epoch_ms', column(TIME)), TIME_MS),
      as(column('bucket'), 'bucket'),
      as(call('coalesce', aggregate('sum', column(WEIGHT)), literal(0)), 'count'),
      as(aggregate('min', column('lo')), 'lo'),
      as(aggregate('min', column('hi')), 'hi'),
    ],
    from: 'cells',
    groupBy: [column(TIME), column('bucket')],
    orderBy: [orderItem(column(TIME), 'asc'), orderItem(column('bucket'), 'asc')],
  });
}
