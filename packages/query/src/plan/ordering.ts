import type { SignalTable } from '@loopline/model';
import { queryInvalid, unknownColumn } from '../spec/query-errors.ts';
import type { CalculationOp, Having, HavingOp, Order } from '../spec/query-spec.ts';
import type { CalculationPlan } from './calculations.ts';
import { columnIdentity, resolveColumn } from './column-ref.ts';

/** A group key: one breakdown, projected as `k0`, `k1`, … */
export interface KeyName {
  readonly name: string;
  readonly slot: string;
}

export interface OrderPlan {
  /** the SQL output column sorted on: a calculation (`c0`) or a key (`k0`) */
  readonly target: string;
  readonly direction: 'asc' | 'desc';
}

export interface HavingPlan {
  readonly target: string;
  readonly op: HavingOp;
  readonly value: number;
}

interface CalculationRef {
  op: CalculationOp;
  column?: string | undefined;
}

interface Scope {
  table: SignalTable;
  calculations: readonly CalculationPlan[];
  keys: readonly KeyName[];
}

const label = (ref: CalculationRef): string =>
  ref.column === undefined ? ref.op : `${ref.op}(${ref.column})`;

/** Finds the calculation an order or having names by op and column (either spelling of a typed column). */
function findCalculation(scope: Scope, ref: CalculationRef, where: string): CalculationPlan {
  const identity =
    ref.column === undefined ? undefined : columnIdentity(resolveColumn(scope.table, ref.column));
  const found = scope.calculations.find(
    (calc) => calc.op === ref.op && (calc.column ? columnIdentity(calc.column) : undefined) === identity,
  );
  if (found && found.op !== 'HEATMAP') return found;
  if (found) throw queryInvalid(where, 'a HEATMAP has no single value to sort or filter groups by');
  const candidates = scope.calculations
    .filter((calc) => calc.op !== 'HEATMAP')
    .map((calc) => label({ op: calc.op, column: calc.column?.name }));
  throw unknownColumn({ where, what: 'calculation', name: label(ref), candidates });
}

function orderTarget(scope: Scope, order: Order, where: string): string {
  if (order.op !== undefined)
    return findCalculation(scope, { op: order.op, column: order.column }, where).alias;
  if (order.column === undefined)
    throw queryInvalid(where, 'an order needs an op (a calculation) or a column (a breakdown)');
  const key = scope.keys.find((k) => k.name === order.column);
  if (key) return key.slot;
  const names = scope.keys.map((k) => k.name);
  throw unknownColumn({ where, what: 'breakdown', name: order.column, candidates: names });
}

/** The user's orders; without any, the first calculation descending (Honeycomb's default). */
export function resolveOrders(scope: Scope, orders: readonly Order[]): OrderPlan[] {
  const resolved = orders.map((order, i) => ({
    target: orderTarget(scope, order, `orders[${i}]`),
    direction: order.order === 'descending' ? ('desc' as const) : ('asc' as const),
  }));
  const first = scope.calculations.find((calc) => calc.op !== 'HEATMAP');
  return resolved.length === 0 && first ? [{ target: first.alias, direction: 'desc' }] : resolved;
}

export function resolveHavings(scope: Scope, havings: readonly Having[]): HavingPlan[] {
  return havings.map((having, i) => ({
    target: findCalculation(scope, { op: having.calculate_op, column: having.column }, `havings[${i}]`).alias,
    op: having.op,
    value: having.value,
  }));
}
