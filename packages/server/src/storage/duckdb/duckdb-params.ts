import { DuckDBTimestampValue, type DuckDBValue, listValue } from '@duckdb/node-api';
import type { SqlParam } from '../storage.ts';

/** Query parameters carry a logical type; DuckDB wants bigint for integers and timestamp values. */
export function toDuckDbParam(param: SqlParam): DuckDBValue {
  const { value, type } = param;
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'timestamp':
      return new DuckDBTimestampValue(BigInt(Math.trunc(Number(value))));
    case 'integer':
      return BigInt(Math.trunc(Number(value)));
    case 'string_list':
      return listValue((value as string[]).map(String));
    default:
      return value as DuckDBValue;
  }
}
