import { COLUMNS_BY_TABLE, type ColumnDef, findColumn, type SignalTable } from '@loopline/model';
import { attribute, call, column } from '../tree/node-factory.ts';
import type { AttributeType, ExpressionNode } from '../tree/nodes.ts';

/** The JSON-text column holding every attribute that has no typed column. */
export const ATTRIBUTES_COLUMN = 'attributes';
export const TIMESTAMP_COLUMN = 'timestamp';
export const SAMPLE_RATE_COLUMN = 'sample_rate';
export const DATASET_COLUMN = 'dataset';

/** A name in a query: a typed column of the catalogue, or a key looked up in `attributes`. */
export type ColumnRef =
  | { readonly kind: 'typed'; readonly name: string; readonly def: ColumnDef }
  | { readonly kind: 'attribute'; readonly name: string };

export function resolveColumn(table: SignalTable, name: string): ColumnRef {
  const def = findColumn(table, name);
  return def ? { kind: 'typed', name, def } : { kind: 'attribute', name };
}

/** The identity of a column, the same whichever spelling (logical or physical) named it. */
export const columnIdentity = (ref: ColumnRef): string =>
  ref.kind === 'typed' ? `typed:${ref.def.column}` : `attribute:${ref.name}`;

export const isNumericColumn = (ref: ColumnRef): boolean =>
  ref.kind === 'attribute' || ref.def.type === 'integer' || ref.def.type === 'float';

/** An expression reading the column; attributes are read as `attributeType`. */
export function columnExpr(ref: ColumnRef, attributeType: AttributeType): ExpressionNode {
  return ref.kind === 'typed'
    ? column(ref.def.column)
    : attribute(ATTRIBUTES_COLUMN, ref.name, attributeType);
}

/** The expression a breakdown groups by: timestamps as epoch milliseconds, attributes as text. */
export function breakdownExpr(ref: ColumnRef): ExpressionNode {
  const expr = columnExpr(ref, 'string');
  return ref.kind === 'typed' && ref.def.type === 'timestamp' ? call('epoch_ms', expr) : expr;
}

/** Every name the catalogue knows for a table, logical, alias and physical, for "did you mean". */
export function catalogueNames(table: SignalTable): string[] {
  return COLUMNS_BY_TABLE[table].flatMap((def) => [
    def.name,
    ...(def.aliases ?? []),
    ...(def.name === def.column ? [] : [def.column]),
  ]);
}
