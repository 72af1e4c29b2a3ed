import { BIGINT, BOOLEAN, DOUBLE, type DuckDBType, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import type { StorageType } from '@loopline/model';

export const DUCKDB_TYPES: Readonly<Record<StorageType, DuckDBType>> = {
  string: VARCHAR,
  json: VARCHAR,
  integer: BIGINT,
  float: DOUBLE,
  boolean: BOOLEAN,
  timestamp: TIMESTAMP,
};

/** Makes a result value plain JSON-friendly: bigint → number, Date → ISO string. */
export function fromDuckDb(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(fromDuckDb);
  return value;
}
