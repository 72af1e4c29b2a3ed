import type { Dialect } from '../dialect.ts';
import { createDuckDbTableSql } from './duckdb-ddl.ts';
import { createDuckDbQueryCompiler } from './duckdb-query-compiler.ts';

/**
 * Embedded DuckDB. Parameters are positional (`$1`, `$2`, …); a driver binds each by its logical type:
 * integer → BIGINT, float → DOUBLE, string → VARCHAR, boolean → BOOLEAN, timestamp → TIMESTAMP (the value
 * is epoch microseconds).
 */
export const duckDbDialect: Dialect = Object.freeze({
  name: 'duckdb',
  createQueryCompiler: createDuckDbQueryCompiler,
  createTableSql: createDuckDbTableSql,
});
