import type { CompiledQuery, CompiledStatement } from '../compile-query.ts';
import type { QueryParam } from '../compiler/query-compiler.ts';
import type { QueryResult } from './query-result.ts';
import { type Row, shapeResult } from './result-shaper.ts';

/** Runs one statement; injected by whoever owns the database connection (this package does no I/O). */
export type SqlExecutor = (sql: string, params: QueryParam[]) => Promise<Record<string, unknown>[]>;

/**
 * Runs every statement of a compiled query, one after another (one connection may not run two at once),
 * and shapes the rows into totals, groups, series and heatmaps.
 */
export async function executeQuery(compiled: CompiledQuery, exec: SqlExecutor): Promise<QueryResult> {
  const rows = new Map<CompiledStatement, Row[]>();
  for (const statement of compiled.statements) {
    rows.set(statement, await exec(statement.sql, [...statement.params]));
  }
  return shapeResult(compiled, rows);
}
