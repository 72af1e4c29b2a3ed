import type { SignalTable } from '@loopline/model';
import type { QueryCompiler } from '../compiler/query-compiler.ts';

/**
 * A database the query language compiles to. Like Kysely's dialects, a small factory: it makes the
 * query compiler for its SQL and states the DDL for the signal tables (the server's storage creates its
 * tables with it). Drivers live with whoever does I/O; this package does none.
 */
export interface Dialect {
  readonly name: string;
  createQueryCompiler(): QueryCompiler;
  /** `CREATE TABLE IF NOT EXISTS …` for one signal table, from `TABLE_SCHEMAS` */
  createTableSql(table: SignalTable): string;
}
