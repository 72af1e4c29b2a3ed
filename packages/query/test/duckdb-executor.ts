import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api';
import { PHYSICAL_TABLE_NAMES, type SignalTable, type StorageType, TABLE_SCHEMAS } from '@loopline/model';
import { createTableSql, type QueryParam, type SqlExecutor } from '../src/index.ts';

/** How a driver binds each logical parameter type: the contract the DuckDB dialect documents. */
const PARAM_TYPES: Readonly<Record<QueryParam['type'], DuckDBType>> = {
  string: VARCHAR,
  integer: BIGINT,
  float: DOUBLE,
  boolean: BOOLEAN,
  timestamp: TIMESTAMP,
};

function toDuckDb(value: unknown, type: StorageType | QueryParam['type']): DuckDBValue {
  if (value === null || value === undefined) return null;
  if (type === 'timestamp') return new DuckDBTimestampValue(BigInt(Math.round(Number(value))));
  if (type === 'integer') return BigInt(Math.round(Number(value)));
  return value as DuckDBValue;
}

export interface TestDatabase {
  /** the executor `executeQuery` is given: binds each parameter by its logical type */
  exec: SqlExecutor;
  /** the same, but letting the driver infer each type from the JavaScript value (bigint for integers) */
  execInferred: SqlExecutor;
  /** all rows of a plain SQL statement, for checks beside the query language */
  sql(text: string): Promise<Record<string, unknown>[]>;
  insert(table: SignalTable, rows: readonly object[]): Promise<void>;
  close(): void;
}

async function insertRows(
  connection: DuckDBConnection,
  table: SignalTable,
  rows: readonly object[],
): Promise<void> {
  const columns = TABLE_SCHEMAS[table];
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    const values = columns.map((col) => toDuckDb(record[col.column], col.type));
    await connection.run(`INSERT INTO "${PHYSICAL_TABLE_NAMES[table]}" VALUES ${placeholders}`, values);
  }
}

/** An in-memory DuckDB with the three signal tables made by the dialect's own DDL. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const table of ['spans', 'logs', 'metrics'] as const) await connection.run(createTableSql(table));
  const sql = async (text: string, values?: DuckDBValue[], types?: DuckDBType[]) =>
    (await connection.runAndReadAll(text, values, types)).getRowObjectsJS();
  return {
    exec: (text, params) =>
      sql(
        text,
        params.map((p) => toDuckDb(p.value, p.type)),
        params.map((p) => PARAM_TYPES[p.type]),
      ),
    execInferred: (text, params) =>
      sql(
        text,
        params.map((p) => toDuckDb(p.value, p.type)),
      ),
    sql: (text) => sql(text),
    insert: (table, rows) => insertRows(connection, table, rows),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
