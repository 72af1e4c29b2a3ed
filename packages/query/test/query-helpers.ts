import {
  compileQuery,
  duckDbDialect,
  executeQuery,
  type QueryResult,
  type QuerySpecInput,
} from '../src/index.ts';
import type { TestDatabase } from './duckdb-executor.ts';
import { NOW_MS } from './span-fixtures.ts';

/** Compiles for DuckDB at the fixtures' "now" and runs on the test database. */
export function runQuery(db: TestDatabase, spec: QuerySpecInput, weighted = true): Promise<QueryResult> {
  return executeQuery(compileQuery(spec, { dialect: duckDbDialect, nowMs: NOW_MS, weighted }), db.exec);
}

/** Hand computation of DuckDB's `quantile_cont`: linear interpolation between closest ranks. */
export function quantileCont(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = q * (sorted.length - 1);
  const lo = sorted[Math.floor(h)]!;
  const hi = sorted[Math.ceil(h)]!;
  return lo + (h - Math.floor(h)) * (hi - lo);
}

/** Each value repeated by its weight: what a sampled row stands for. */
export const expand = (pairs: readonly (readonly [number, number])[]): number[] =>
  pairs.flatMap(([value, weight]) => Array.from({ length: weight }, () => value));
