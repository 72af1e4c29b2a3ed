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
