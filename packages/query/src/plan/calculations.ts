import type { SignalTable } from '@loopline/model';
import { queryInvalid, typeMismatch } from '../spec/query-errors.ts';
import { type Calculation, type CalculationOp, PERCENTILE_LEVELS } from '../spec/query-spec.ts';
import type { AttributeType, ExpressionNode } from '../tree/nodes.ts';
import { type ColumnRef, columnExpr, columnIdentity, isNumericColumn, resolveColumn } from './column-ref.ts';

/** One calculation, resolved: its result name, its SQL output column and the value it reads. */
export interface CalculationPlan {
  readonly op: CalculationOp;
  /** what a user sees: the alias, or e.g. `COUNT`, `P95(duration_ms)` */
  readonly name: string;
  /** the SQL output column, `c0`, `c1`, … */
  readonly alias: string;
  readonly column?: ColumnRef;
  /** the projected input column, `v0`, `v1`, … (absent for COUNT) */
  readonly valueSlot?: string;
  /** quantile level for P50 … P999 */
  readonly level?: number;
}

/** An input expression projected once in the `matched` step and shared by every calculation reading it. */
export interface ValueSlot {
  readonly slot: string;
  readonly expr: ExpressionNode;
}

export interface ResolvedCalculations {
  readonly calculations: readonly CalculationPlan[];
  readonly values: readonly ValueSlot[];
}

export const resultName = (calc: Calculation): string =>
  calc.alias ?? (calc.column === undefined ? calc.op : `${calc.op}(${calc.column})`);

/** COUNT_DISTINCT reads text (attributes) or the typed column; everything else needs numbers. */
const needsNumbers = (op: CalculationOp): boolean => op !== 'COUNT' && op !== 'COUNT_DISTINCT';

function checkColumn(calc: Calculation, where: string, ref: ColumnRef | undefined): void {
  if (calc.op === 'COUNT' && ref) {
    throw queryInvalid(
      where,
      `COUNT counts rows and takes no column; use COUNT_DISTINCT to count values of "${ref.name}"`,
    );
  }
  if (calc.op !== 'COUNT' && !ref) {
    throw queryInvalid(where, `${calc.op} needs a column, e.g. {"op":"${calc.op}","column":"duration_ms"}`);
  }
  if (ref?.kind === 'typed' && needsNumbers(calc.op) && !isNumericColumn(ref)) {
    throw typeMismatch(where, `${calc.op} needs a number, but "${ref.name}" is a ${ref.def.type} column`, {
      column: ref.name,
      type: ref.def.type,
    });
  }
}

class SlotRegistry {
  readonly values: ValueSlot[] = [];
  private readonly byIdentity = new Map<string, string>();

  slotFor(ref: ColumnRef, type: AttributeType): string {
    const identity = ref.kind === 'typed' ? columnIdentity(ref) : `${columnIdentity(ref)}:${type}`;
    const known = this.byIdentity.get(identity);
    if (known) return known;
    const slot = `v${this.values.length}`;
    this.values.push(Object.freeze({ slot, expr: columnExpr(ref, type) }));
    this.byIdentity.set(identity, slot);
    return slot;
  }
}

function planOne(calc: Calculation, index: number, slots: SlotRegistry, table: SignalTable): CalculationPlan {
  const ref = calc.column === undefined ? undefined : resolveColumn(table, calc.column);
  checkColumn(calc, `calculations[${index}]`, ref);
  const level = PERCENTILE_LEVELS[calc.op];
  return Object.freeze({
    op: calc.op,
    name: resultName(calc),
    alias: `c${index}`,
    ...(ref
      ? { column: ref, valueSlot: slots.slotFor(ref, needsNumbers(calc.op) ? 'float' : 'string') }
      : {}),
    ...(level === undefined ? {} : { level }),
  });
}

/** Checks every calculation against the table's columns and gives each a result name and value slot. */
export function resolveCalculations(table: SignalTable, calcs: readonly Calculation[]): ResolvedCalculations {
  const slots = new SlotRegistry();
  const list = calcs.length > 0 ? calcs : [{ op: 'COUNT' as const }];
  const calculations = list.map((calc, i) => planOne(calc, i, slots, table));
  const seen = new Set<string>();
  calculations.forEach((calc, i) => {
    if (seen.has(calc.name)) {
      throw queryInvalid(
        `calculations[${i}]`,
        `two calculations are named "${calc.name}"; give one an alias`,
      );
    }
    seen.add(calc.name);
  });
  return { calculations, values: slots.values };
}
