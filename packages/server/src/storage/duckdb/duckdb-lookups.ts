import { PHYSICAL_TABLE_NAMES, type SignalTable, SPAN_TABLE, TABLE_SCHEMAS } from '@loopline/model';
import type { SqlParam } from '../storage.ts';

/**
 * Fixed lookups behind the trace, conversation and dataset endpoints. They take no identifiers from
 * users; every value is a parameter.
 */
export interface Lookup {
  sql: string;
  params: SqlParam[];
}

/**
 * A span with token usage but no cost (its model is not in the price table): the spans a cost leaves out.
 * The same test as `isUnpriced` in api/known-cost.ts.
 */
export const UNPRICED_SPAN_SQL =
  'cost_usd IS NULL AND (input_tokens IS NOT NULL OR output_tokens IS NOT NULL)';

const SPAN_FIELDS = `epoch_us(timestamp) AS timestamp_us, * EXCLUDE (timestamp, end_timestamp),
  epoch_us(end_timestamp) AS end_timestamp_us`;

/** The columns a waterfall draws: no attributes, events or links (the bulk of a big trace). */
export const WATERFALL_COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'name',
  'timestamp_us',
  'end_timestamp_us',
  'duration_ms',
  'kind',
  'status_code',
  'is_error',
  'dataset',
  'operation',
  'request_model',
  'tool_name',
  'agent_name',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cost_usd',
  'eval_label',
  'eval_score',
] as const;

export type SpanFields = 'full' | 'waterfall';

/**
 * A span as a JSON object built by DuckDB's `to_json` of one struct: each column under its own name, times
 * in µs (and `start_time` as ISO text, like Date#toISOString); the JSON columns (attributes, events,
 * links: JSON text written by the normaliser) cast to JSON so they are embedded as they are (TRY_CAST: a
 * value that is not JSON reads as null rather than failing the trace).
 */
const FULL_SPAN_STRUCT = `{${SPAN_TABLE.flatMap(({ column, type }): string[] => {
  if (column === 'timestamp') {
    return [
      `'timestamp_us': epoch_us(timestamp)`,
      `'start_time': strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%gZ')`,
    ];
  }
  if (column === 'end_timestamp') return [`'end_timestamp_us': epoch_us(end_timestamp)`];
  return type === 'json' ? [`'${column}': TRY_CAST(${column} AS JSON)`] : [`'${column}': ${column}`];
}).join(', ')}}`;

const WATERFALL_SPAN_STRUCT = `{${WATERFALL_COLUMNS.map((name) =>
  name === 'timestamp_us'
    ? `'timestamp_us': epoch_us(timestamp)`
    : name === 'end_timestamp_us'
      ? `'end_timestamp_us': epoch_us(end_timestamp)`
      : `'${name}': ${name}`,
).join(', ')}}`;

/** Time bounds (µs) from the trace index that hold every span of a trace. */
export interface TraceBounds {
  startUs: number;
  endUs: number;
}

/**
 * A hex id (trace or span id, already checked by the caller) as a SQL literal. Inlined rather than bound:
 * DuckDB uses the trace index's ART index, and prunes row groups and segments by zone maps, only for a
 * constant, so a bound parameter turned the single-trace bounds lookup into a scan of the whole index
 * (p50 2.7 ms, p95 10 ms against 0.9 / 2.4 ms on 10M demo spans) and slowed the span reads. Anything but
 * lowercase hex throws, so nothing a user typed reaches SQL text.
 */
export function hexLiteral(id: string): string {
  if (!/^[0-9a-f]{1,64}$/.test(id)) throw new Error(`not a hex id: ${JSON.stringify(id)}`);
  return `'${id}'`;
}

/** Microseconds since the epoch as a TIMESTAMP literal (integers only). */
function timestampLiteral(us: number): string {
  if (!Number.isSafeInteger(us)) throw new Error(`not a timestamp in microseconds: ${us}`);
  return `make_timestamp(${us})`;
}

/** The trace's rows: its id, and its time bounds when known (every row group is read otherwise). */
function traceFilter(traceId: string, bounds: TraceBounds | null): string {
  const id = `trace_id = ${hexLiteral(traceId)}`;
  if (!bounds) return id;
  return `${id} AND timestamp >= ${timestampLiteral(bounds.startUs)} AND timestamp <= ${timestampLiteral(bounds.endUs)}`;
}

/**
 * A trace's summary figures in one row: counts, time bounds, the root's name (the earliest span without a
 * parent, else the earliest span, as in trace search), its datasets (unordered) and cost and token sums.
 * With `bounds` (from the trace index, read first) the time filter is a constant, so zone maps skip every
 * row group outside it.
 */
export function traceSummaryLookup(traceId: string, bounds: TraceBounds | null): Lookup {
  const where = traceFilter(traceId, bounds);
  return {
    sql: `SELECT count(*)::BIGINT AS span_count,
        (count(*) FILTER (WHERE is_error))::BIGINT AS error_count,
        epoch_us(min(timestamp)) AS start_us,
        epoch_us(max(end_timestamp)) AS end_us,
        arg_min(name, (parent_span_id <> '', timestamp, span_id)) AS root_name,
        list(DISTINCT dataset) AS datasets,
        sum(cost_usd)::DOUBLE AS cost_usd,
        (count(*) FILTER (WHERE ${UNPRICED_SPAN_SQL}))::BIGINT AS unpriced_spans,
        coalesce(sum(input_tokens), 0)::BIGINT AS input_tokens,
        coalesce(sum(output_tokens), 0)::BIGINT AS output_tokens
      FROM spans WHERE ${where}`,
    params: [],
  };
}

/**
 * The columns the trace summary is computed from, next to each span's JSON in `traceSpansLookup`: start
 * and end (µs), ids, name, error flag, dataset, cost and tokens.
 */
const SUMMARY_COLUMNS = `epoch_us(timestamp) AS timestamp_us, epoch_us(end_timestamp) AS end_timestamp_us, span_id,
  parent_span_id, name, is_error, dataset, cost_usd, input_tokens, output_tokens`;

/**
 * The spans of a trace, up to `limit` rows: each as JSON text built by DuckDB (`span`, every column or the
 * waterfall's) with the columns the summary needs. `order: 'any'` (a trace that fits the limit: the caller
 * orders the rows and sums them, so one statement serves it) reads the filtered rows as the scan finds
 * them; top-N with late materialization had fetched every column a second time by row id. `order:
 * 'time'` gives the first `limit` spans in time order, for a trace over the limit.
 */
export function traceSpansLookup(
  traceId: string,
  bounds: TraceBounds | null,
  limit: number,
  fields: SpanFields,
  order: 'any' | 'time' = 'any',
): Lookup {
  const struct = fields === 'waterfall' ? WATERFALL_SPAN_STRUCT : FULL_SPAN_STRUCT;
  return {
    sql: `SELECT to_json(${struct})::VARCHAR AS span, ${SUMMARY_COLUMNS} FROM spans
      WHERE ${traceFilter(traceId, bounds)} ${order === 'time' ? 'ORDER BY timestamp, span_id' : ''}
      LIMIT ${Math.trunc(limit)}`,
    params: [],
  };
}

/** One span of a trace (the earliest copy, should it have been sent twice), inside the trace's bounds. */
export function spanLookup(traceId: string, spanId: string, bounds: TraceBounds | null): Lookup {
  return {
    sql: `SELECT ${SPAN_FIELDS} FROM spans WHERE ${traceFilter(traceId, bounds)} AND span_id = ${hexLiteral(spanId)}
      ORDER BY timestamp LIMIT 1`,
    params: [],
  };
}

/** One trace's time bounds from the trace index, found through its ART index on `trace_id`. */
export function traceBoundsLookup(traceId: string): Lookup {
  return {
    sql: `SELECT epoch_us(min(start_ts)) AS start_us, epoch_us(max(end_ts)) AS end_us
      FROM trace_index WHERE trace_id = ${hexLiteral(traceId)}`,
    params: [],
  };
}

/** Time bounds per trace from the trace index, for many traces at once. */
export function tracesBoundsLookup(traceIds: readonly string[]): Lookup {
  return {
    sql: `SELECT trace_id, epoch_us(min(start_ts)) AS start_us, epoch_us(max(end_ts)) AS end_us
      FROM trace_index WHERE trace_id IN (SELECT unnest($1::VARCHAR[])) GROUP BY trace_id`,
    params: [{ value: [...traceIds], type: 'string_list' }],
  };
}

/**
 * Per trace: its root span (no parent; else the earliest span) with its name, dataset and error flag, and
 * the trace's span and error counts and time bounds. Reads only the row groups inside `bounds`.
 */
export function traceRootsLookup(
  traceIds: readonly string[],
  bounds: { startUs: number; endUs: number },
): Lookup {
  const root = "(parent_span_id <> '', timestamp, span_id)";
  return {
    sql: `SELECT trace_id, arg_min(name, ${root}) AS root_name, arg_min(dataset, ${root}) AS root_dataset,
        arg_min(is_error, ${root}) AS root_is_error, count(*) AS span_count,
        count(*) FILTER (WHERE is_error) AS errors, sum(cost_usd)::DOUBLE AS cost_usd,
        count(*) FILTER (WHERE ${UNPRICED_SPAN_SQL}) AS unpriced_spans,
        epoch_us(min(timestamp)) AS start_us, epoch_us(max(end_timestamp)) AS end_us
      FROM spans WHERE timestamp >= $1 AND timestamp <= $2 AND list_contains($3::VARCHAR[], trace_id)
      GROUP BY trace_id`,
    params: [
      { value: bounds.startUs, type: 'timestamp' },
      { value: bounds.endUs, type: 'timestamp' },
      { value: [...traceIds], type: 'string_list' },
    ],
  };
}

/** The traces of a conversation, from the trace index, with the time bounds that hold all their spans. */
export function conversationTracesLookup(conversationId: string): Lookup {
  return {
    sql: `SELECT epoch_us(min(start_ts)) AS start_us, epoch_us(max(end_ts)) AS end_us, list(DISTINCT trace_id) AS trace_ids
      FROM trace_index WHERE trace_id IN (SELECT trace_id FROM trace_index WHERE conversation_id = $1)`,
    params: [{ value: conversationId, type: 'string' }],
  };
}

/** Every span of the given traces inside the bounds (zone maps skip the rest of the table). */
export function tracesSpansLookup(
  traceIds: readonly string[],
  bounds: { startUs: number; endUs: number },
  limit: number,
): Lookup {
  return {
    sql: `SELECT ${SPAN_FIELDS} FROM spans WHERE timestamp >= $1 AND timestamp <= $2
      AND list_contains($3::VARCHAR[], trace_id) ORDER BY timestamp, span_id LIMIT ${Math.trunc(limit)}`,
    params: [
      { value: bounds.startUs, type: 'timestamp' },
      { value: bounds.endUs, type: 'timestamp' },
      { value: [...traceIds], type: 'string_list' },
    ],
  };
}

/** The fallback when the trace index knows nothing of the conversation: two scans of the spans table. */
export function conversationLookup(conversationId: string, limit: number): Lookup {
  return {
    sql: `SELECT ${SPAN_FIELDS} FROM spans
      WHERE trace_id IN (SELECT DISTINCT trace_id FROM spans WHERE conversation_id = $1)
      ORDER BY timestamp, span_id LIMIT ${Math.trunc(limit)}`,
    params: [{ value: conversationId, type: 'string' }],
  };
}

export function datasetSummary(table: SignalTable): Lookup {
  return {
    sql: `SELECT dataset, count(*) AS rows, epoch_us(min(timestamp)) AS first_us, epoch_us(max(timestamp)) AS last_us
      FROM ${PHYSICAL_TABLE_NAMES[table]} GROUP BY dataset ORDER BY dataset`,
    params: [],
  };
}

/**
 * Attribute keys and their JSON types, from a sample of recent rows per dataset. Each key is read back by
 * a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`), which names any key, the empty one included; a
 * `$."…"` path has no spelling for some keys and failed the whole statement on one empty key.
 */
export function attributeKeys(table: SignalTable, sampleRows: number): Lookup {
  return {
    sql: `WITH s AS (SELECT dataset, attributes FROM ${PHYSICAL_TABLE_NAMES[table]} USING SAMPLE ${Math.trunc(sampleRows)} ROWS),
      k AS (SELECT dataset, unnest(json_keys(attributes)) AS key, attributes FROM s)
      SELECT dataset, key, mode(json_type(json_extract(attributes, '/' || replace(replace(key, '~', '~0'), '/', '~1')))) AS json_type,
        count(*) AS seen
      FROM k GROUP BY dataset, key ORDER BY dataset, seen DESC, key`,
    params: [],
  };
}

/**
 * The last `limit` rows stored in a table, by row order, with the columns the duplicate filter keys them
 * by (`ROW_KEYS`: a span's ids, dataset, name and start; every column of a log record or metric point),
 * times in µs as the normaliser writes them: what the filter remembers across a restart.
 */
export function recentRowsLookup(table: SignalTable, limit: number): Lookup {
  const columns =
    table === 'spans'
      ? 'trace_id, span_id, dataset, name, epoch_us(timestamp) AS timestamp'
      : TABLE_SCHEMAS[table]
          .map(({ column, type }) => (type === 'timestamp' ? `epoch_us(${column}) AS ${column}` : column))
          .join(', ');
  const name = PHYSICAL_TABLE_NAMES[table];
  return {
    sql: `SELECT ${columns} FROM ${name} WHERE rowid > (SELECT max(rowid) FROM ${name}) - ${Math.trunc(limit)}`,
    params: [],
  };
}

export function hasSampledRows(): Lookup {
  return {
    sql: 'SELECT count(*) AS n FROM (SELECT 1 FROM spans WHERE sample_rate <> 1 LIMIT 1)',
    params: [],
  };
}
