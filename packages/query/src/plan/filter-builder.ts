import type { ColumnType, SignalTable } from '@loopline/model';
import { queryInvalid, typeMismatch } from '../spec/query-errors.ts';
import type { Filter, FilterOp, FilterValue, QuerySpec } from '../spec/query-spec.ts';
import { binary, column, combine, freeze, inList, unary, value } from '../tree/node-factory.ts';
import type { AttributeType, BinaryOperator, ExpressionNode, ValueNode } from '../tree/nodes.ts';
import {
  ATTRIBUTES_COLUMN,
  type ColumnRef,
  columnExpr,
  DATASET_COLUMN,
  resolveColumn,
  TIMESTAMP_COLUMN,
} from './column-ref.ts';
import { type TimeWindow, toMicros } from './time-window.ts';

interface FilterInput {
  readonly ref: ColumnRef;
  readonly raw: Filter['value'];
  readonly where: string;
  readonly op: FilterOp;
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Coerces a filter value to a typed column's type; undefined when it cannot be that type. */
const TYPED_COERCIONS: Readonly<Record<ColumnType, (raw: FilterValue) => ValueNode | undefined>> = {
  string: (raw) => (typeof raw === 'boolean' ? undefined : value(String(raw), 'string')),
  integer: (raw) => toNumber(raw),
  float: (raw) => toNumber(raw),
  boolean: (raw) => {
    if (typeof raw === 'boolean') return value(raw, 'boolean');
    return raw === 'true' || raw === 'false' ? value(raw === 'true', 'boolean') : undefined;
  },
  timestamp: (raw) => {
    const ms = typeof raw === 'number' ? raw * 1000 : typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
    return Number.isFinite(ms) ? value(toMicros(ms), 'timestamp') : undefined;
  },
};

function toNumber(raw: FilterValue): ValueNode | undefined {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && NUMBER_TEXT.test(raw)
        ? Number(raw)
        : Number.NaN;
  if (!Number.isFinite(n)) return undefined;
  return value(n, Number.isInteger(n) ? 'integer' : 'float');
}

const ATTRIBUTE_TYPES: Readonly<Record<'string' | 'number' | 'boolean', AttributeType>> = {
  string: 'string',
  number: 'float',
  boolean: 'boolean',
};

/** An attribute is read as the type of its values: numbers as numbers, booleans as booleans, else text. */
function attributeOperands(ref: ColumnRef, raws: readonly FilterValue[]): [ExpressionNode, ValueNode[]] {
  const kinds = new Set(raws.map((raw) => typeof raw));
  const only = kinds.size === 1 ? ([...kinds][0] as 'string' | 'number' | 'boolean') : 'string';
  const type = ATTRIBUTE_TYPES[only];
  const values = raws.map((raw) =>
    type === 'string' ? value(String(raw), 'string') : toAttributeValue(raw),
  );
  return [columnExpr(ref, type), values];
}

/** Reads the column and the value(s) with matching types; a value that cannot be the column's type fails. */
function operands(input: FilterInput, raws: readonly FilterValue[]): [ExpressionNode, ValueNode[]] {
  const { ref, where } = input;
  if (ref.kind === 'attribute') return attributeOperands(ref, raws);
  const values = raws.map((raw) => {
    const coerced = TYPED_COERCIONS[ref.def.type](raw);
    if (coerced) return coerced;
    const column = `"${ref.name}" is a ${ref.def.type} column`;
    throw typeMismatch(where, `${column}; ${JSON.stringify(raw)} is not a ${ref.def.type}`, { value: raw });
  });
  return [columnExpr(ref, 'string'), values];
}

const toAttributeValue = (raw: FilterValue): ValueNode =>
  typeof raw === 'number' ? value(raw, 'float') : value(raw as boolean, 'boolean');

function scalarValue(input: FilterInput): FilterValue {
  const { raw, op, where } = input;
  if (raw === undefined || raw === null) {
    throw queryInvalid(
      where,
      `"${op}" needs a value; to match rows without "${input.ref.name}" use "does-not-exist"`,
    );
  }
  if (Array.isArray(raw))
    throw queryInvalid(where, `"${op}" takes one value; use "in" to match any of a list`);
  return raw;
}

function listValues(input: FilterInput): FilterValue[] {
  const { raw, op, where } = input;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw queryInvalid(where, `"${op}" needs a non-empty list of values, e.g. ["a", "b"]`);
  }
  return raw;
}

/** Negative operators also match rows where the column is missing: "does not contain x" is true of nothing. */
const orMissing = (expr: ExpressionNode, condition: ExpressionNode): ExpressionNode =>
  binary(unary('is_null', expr), 'or', condition);

function compare(input: FilterInput, op: BinaryOperator): ExpressionNode {
  const [expr, [right]] = operands(input, [scalarValue(input)]);
  if (op !== '=' && op !== '<>' && input.ref.kind === 'typed' && input.ref.def.type === 'boolean') {
    throw typeMismatch(input.where, `"${input.ref.name}" is a boolean column and has no order; use = or !=`);
  }
  const condition = binary(expr, op, right!);
  return op === '<>' ? orMissing(expr, condition) : condition;
}

function inFilter(input: FilterInput, negated: boolean): ExpressionNode {
  const [expr, values] = operands(input, listValues(input));
  const condition = inList(expr, values, negated);
  return negated ? orMissing(expr, condition) : condition;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

function like(input: FilterInput, options: { prefix: boolean; negated: boolean }): ExpressionNode {
  const raw = scalarValue(input);
  const { ref, where } = input;
  if (ref.kind === 'typed' && ref.def.type !== 'string') {
    throw typeMismatch(where, `"${input.op}" works on text, but "${ref.name}" is a ${ref.def.type} column`);
  }
  if (typeof raw === 'boolean') throw typeMismatch(where, `"${input.op}" needs text, got ${raw}`);
  const pattern = `${options.prefix ? '' : '%'}${escapeLike(String(raw))}%`;
  const expr = columnExpr(ref, 'string');
  const condition = freeze({
    kind: 'like' as const,
    expr,
    pattern: value(pattern, 'string'),
    negated: options.negated,
  });
  return options.negated ? orMissing(expr, condition) : condition;
}

/** Present: not NULL, and for text columns not empty (a root span's parent id is ''). */
function exists(input: FilterInput): ExpressionNode {
  const { ref, raw, where } = input;
  if (raw !== undefined && raw !== null) throw queryInvalid(where, `"${input.op}" takes no value`);
  if (ref.kind === 'attribute')
    return freeze({ kind: 'attribute_exists', column: ATTRIBUTES_COLUMN, key: ref.name });
  const expr = columnExpr(ref, 'string');
  const present = unary('is_not_null', expr);
  return ref.def.type === 'string'
    ? binary(present, 'and', binary(expr, '<>', value('', 'string')))
    : present;
}

const BUILDERS: Readonly<Record<FilterOp, (input: FilterInput) => ExpressionNode>> = {
  '=': (input) => compare(input, '='),
  '!=': (input) => compare(input, '<>'),
  '<': (input) => compare(input, '<'),
  '<=': (input) => compare(input, '<='),
  '>': (input) => compare(input, '>'),
  '>=': (input) => compare(input, '>='),
  exists,
  'does-not-exist': (input) => unary('not', exists(input)),
  contains: (input) => like(input, { prefix: false, negated: false }),
  'does-not-contain': (input) => like(input, { prefix: false, negated: true }),
  'starts-with': (input) => like(input, { prefix: true, negated: false }),
  'does-not-start-with': (input) => like(input, { prefix: true, negated: true }),
  in: (input) => inFilter(input, false),
  'not-in': (input) => inFilter(input, true),
};

/** One filter as a condition; `where` names it in error messages (`filters[2]`). */
export function buildFilter(table: SignalTable, filter: Filter, where: string): ExpressionNode {
  const input = { ref: resolveColumn(table, filter.column), raw: filter.value, where, op: filter.op };
  return BUILDERS[filter.op](input);
}

/** All filters joined by the spec's combination, or undefined when there are none. */
export function buildFilters(
  table: SignalTable,
  filters: readonly Filter[],
  combination: 'AND' | 'OR',
): ExpressionNode | undefined {
  const conditions = filters.map((filter, i) => buildFilter(table, filter, `filters[${i}]`));
  return combine(combination === 'OR' ? 'or' : 'and', conditions);
}

/** The time range, the datasets and the user's filters: what every statement of a query reads. */
export function buildWhere(spec: QuerySpec, window: TimeWindow): ExpressionNode {
  const ts = column(TIMESTAMP_COLUMN);
  const conditions: ExpressionNode[] = [
    binary(ts, '>=', value(toMicros(window.startMs), 'timestamp')),
    binary(ts, '<', value(toMicros(window.endMs), 'timestamp')),
  ];
  const datasets = spec.dataset === undefined ? [] : [spec.dataset].flat();
  const values = datasets.map((name) => value(name, 'string'));
  if (values.length === 1) conditions.push(binary(column(DATASET_COLUMN), '=', values[0]!));
  if (values.length > 1) {
    conditions.push(inList(column(DATASET_COLUMN), values, false));
  }
  const filters = buildFilters(spec.source, spec.filters, spec.filter_combination);
  return combine('and', filters ? [...conditions, filters] : conditions)!;
}
