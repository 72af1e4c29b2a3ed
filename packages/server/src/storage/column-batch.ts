import type { SignalTable, StorageColumn } from '@loopline/model';
import { TABLE_SCHEMAS } from '@loopline/model';
import type { ColumnBatch, PackedStrings } from './storage.ts';

/**
 * Turns row objects into a column batch in the table's storage order. String columns are packed into
 * one string plus lengths: a structured clone copies one long string far faster than thousands of
 * short ones (the batch crosses to the storage thread with postMessage).
 */
export function toColumnBatch<Row>(table: SignalTable, rows: readonly Row[]): ColumnBatch {
  const schema = TABLE_SCHEMAS[table] as readonly StorageColumn<Row>[];
  const columns = schema.map((col) =>
    col.type === 'string' || col.type === 'json'
      ? packStrings(rows, col.column)
      : rows.map((row) => row[col.column] as unknown),
  );
  return { table, rowCount: rows.length, columns };
}

function packStrings<Row>(rows: readonly Row[], column: keyof Row): PackedStrings {
  const lengths = new Int32Array(rows.length);
  const parts: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const value = (rows[r] as Row)[column] as string | null | undefined;
    if (value === null || value === undefined) lengths[r] = -1;
    else {
      lengths[r] = value.length;
      parts.push(value);
    }
  }
  return { packed: parts.join(''), lengths };
}

export function isPacked(column: unknown): column is PackedStrings {
  return typeof (column as PackedStrings).packed === 'string';
}

/** Visits a column's strings in order (null for NULL), packed or not. */
export function forEachString(column: unknown, visit: (value: string | null, row: number) => void): void {
  if (!isPacked(column)) {
    const values = column as (string | null)[];
    for (let row = 0; row < values.length; row++) visit(values[row] ?? null, row);
    return;
  }
  let position = 0;
  const { packed, lengths } = column;
  for (let row = 0; row < lengths.length; row++) {
    const length = lengths[row] as number;
    if (length < 0) visit(null, row);
    else {
      visit(packed.slice(position, position + length), row);
      position += length;
    }
  }
}
