import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBType,
  type DuckDBValue,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api';
import type { StorageType } from '@loopline/model';

export const DUCKDB_TYPES: Readonly<Record<StorageType, DuckDBType>> = {
  string: VARCHAR,
  json: VARCHAR,
  integer: BIGINT,
  float: DOUBLE,
  boolean: BOOLEAN,
  timestamp: TIMESTAMP,
};

type Converter = (value: unknown) => DuckDBValue;

const passThrough: Converter = (value) => (value ?? null) as DuckDBValue;
const toBigInt: Converter = (value) =>
  value === null || value === undefined ? null : BigInt(Math.trunc(value as number));
const toMicros: Converter = (value) =>
  value === null || value === undefined
    ? null
    : ({ micros: BigInt(Math.trunc(value as number)) } as unknown as DuckDBValue);

/** How a JS column value becomes a DuckDB value for each storage type. */
export const TO_DUCKDB: Readonly<Record<StorageType, Converter>> = {
  string: passThrough,
  json: passThrough,
  float: passThrough,
  boolean: passThrough,
  integer: toBigInt,
  timestamp: toMicros,
};

/** Makes a result value plain JSON-friendly: bigint → number, Date → ISO string. */
export function fromDuckDb(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(fromDuckDb);
  return value;
}
