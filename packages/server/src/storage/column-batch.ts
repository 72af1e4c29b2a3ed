import type { SignalTable, StorageColumn } from '@loopline/model';
import { TABLE_SCHEMAS } from '@loopline/model';
import type { ColumnBatch } from './storage.ts';

/** Turns row objects into a column batch in the table's storage order. */
export function toColumnBatch<Row>(table: SignalTable, rows: readonly Row[]): ColumnBatch {
  const schema = TABLE_SCHEMAS[table] as readonly StorageColumn<Row>[];
  const columns: unknown[][] = schema.map(() => new Array(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Row;
    for (let c = 0; c < schema.length; c++) {
      (columns[c] as unknown[])[r] = row[(schema[c] as StorageColumn<Row>).column];
    }
  }
  return { table, rowCount: rows.length, columns };
}
