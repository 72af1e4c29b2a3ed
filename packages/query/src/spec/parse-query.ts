import { planQuery } from '../plan/query-plan.ts';
import { fromZodError } from './query-errors.ts';
import { type QuerySpec, querySpecSchema } from './query-spec.ts';

const FIELD_NAMES = [
  ...Object.keys(querySpecSchema.shape),
  'op',
  'column',
  'alias',
  'value',
  'order',
  'calculate_op',
];

/**
 * Validates a query as received (JSON body, CLI flag) and fills in defaults. Throws `AppError` with
 * `QUERY_INVALID`, `QUERY_UNKNOWN_COLUMN` or `QUERY_TYPE_MISMATCH` and a message naming the place
 * (`filters[2]: …`). Names that are not typed columns are legal: they are read from `attributes`.
 */
export function parseQuery(input: unknown): QuerySpec {
  const result = querySpecSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw fromZodError(result.error, FIELD_NAMES);
  planQuery(result.data, { nowMs: Date.now(), weighted: true });
  return result.data;
}
