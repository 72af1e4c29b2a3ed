import { PHYSICAL_TABLE_NAMES, type SignalTable, type StorageType, TABLE_SCHEMAS } from '@loopline/model';
import { quoteDuckDbIdentifier } from './duckdb-query-compiler.ts';

const DUCKDB_STORAGE_TYPES: Readonly<Record<StorageType, string>> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  json: 'VARCHAR',
};

/** DDL for one signal table in DuckDB: JSON columns hold JSON text, timestamps are microsecond TIMESTAMPs. */
export function createDuckDbTableSql(table: SignalTable): string {
  const columns = TABLE_SCHEMAS[table].map(
    (col) =>
      `${quoteDuckDbIdentifier(col.column)} ${DUCKDB_STORAGE_TYPES[col.type]}${col.nullable ? '' : ' NOT NULL'}`,
  );
  return `CREATE TABLE IF NOT EXISTS ${quoteDuckDbIdentifier(PHYSICAL_TABLE_NAMES[table])} (${columns.join(', ')})`;
}

/**
 * Columns an earlier release made NOT NULL that may now hold null: a metric point's start time (a point
 * may have none) and monotonicity (it applies to sums only).
 */
const RELAXED_COLUMNS: Readonly<Partial<Record<SignalTable, readonly string[]>>> = {
  metrics: ['start_timestamp', 'is_monotonic'],
};

/**
 * Brings a store made by an earlier release up to the current schema: every nullable column is added if
 * it is missing (new columns are always nullable and last, so column positions still match the schema),
 * and the columns that became nullable lose their NOT NULL (a no-op when they have none).
 */
export function migrateDuckDbTableSql(table: SignalTable): string[] {
  const name = quoteDuckDbIdentifier(PHYSICAL_TABLE_NAMES[table]);
  const added = TABLE_SCHEMAS[table]
    .filter((col) => col.nullable)
    .map(
      (col) =>
        `ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ${quoteDuckDbIdentifier(col.column)} ${DUCKDB_STORAGE_TYPES[col.type]}`,
    );
  const relaxed = (RELAXED_COLUMNS[table] ?? []).map(
    (column) => `ALTER TABLE ${name} ALTER COLUMN ${quoteDuckDbIdentifier(column)} DROP NOT NULL`,
  );
  return [...added, ...relaxed];
}
