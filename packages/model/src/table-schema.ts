import type { SignalTable } from './column-catalog.ts';
import type { LogRow, MetricPointRow, SpanRow } from './span-row.ts';

/**
 * The stored shape of each signal table, in row-field order. A dialect turns these into DDL and the
 * storage driver appends rows in this order. `json` columns hold JSON text.
 */
export type StorageType = 'string' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'json';

export interface StorageColumn<Row> {
  column: keyof Row & string;
  type: StorageType;
  nullable: boolean;
}

const s = <Row>(column: keyof Row & string, type: StorageType, nullable = false): StorageColumn<Row> => ({
  column,
  type,
  nullable,
});

export const SPAN_TABLE: readonly StorageColumn<SpanRow>[] = [
  s('timestamp', 'timestamp'),
  s('end_timestamp', 'timestamp'),
  s('duration_ms', 'float'),
  s('trace_id', 'string'),
  s('span_id', 'string'),
  s('parent_span_id', 'string'),
  s('trace_state', 'string'),
  s('name', 'string'),
  s('kind', 'string'),
  s('status_code', 'string'),
  s('status_message', 'string'),
  s('is_error', 'boolean'),
  s('dataset', 'string'),
  s('service_version', 'string', true),
  s('scope_name', 'string'),
  s('scope_version', 'string'),
  s('operation', 'string', true),
  s('provider', 'string', true),
  s('request_model', 'string', true),
  s('response_model', 'string', true),
  s('agent_name', 'string', true),
  s('agent_id', 'string', true),
  s('conversation_id', 'string', true),
  s('tool_name', 'string', true),
  s('tool_call_id', 'string', true),
  s('error_type', 'string', true),
  s('user_id', 'string', true),
  s('cicd_pipeline_name', 'string', true),
  s('cicd_pipeline_run_id', 'string', true),
  s('cicd_task_name', 'string', true),
  s('cicd_task_run_id', 'string', true),
  s('cicd_result', 'string', true),
  s('vcs_repository', 'string', true),
  s('vcs_ref', 'string', true),
  s('vcs_revision', 'string', true),
  s('input_tokens', 'integer', true),
  s('output_tokens', 'integer', true),
  s('cache_read_tokens', 'integer', true),
  s('cache_write_tokens', 'integer', true),
  s('cache_write_5m_tokens', 'integer', true),
  s('cache_write_1h_tokens', 'integer', true),
  s('reasoning_tokens', 'integer', true),
  s('cost_usd', 'float', true),
  s('cost_source', 'string', true),
  s('ttft_ms', 'float', true),
  s('eval_name', 'string', true),
  s('eval_score', 'float', true),
  s('eval_label', 'string', true),
  s('sample_rate', 'integer'),
  s('attributes', 'json'),
  s('events', 'json'),
  s('links', 'json'),
  // added after the first release: new columns go last so older stores gain them with ADD COLUMN
  s('model_tier', 'string', true),
];

export const LOG_TABLE: readonly StorageColumn<LogRow>[] = [
  s('timestamp', 'timestamp'),
  s('observed_timestamp', 'timestamp'),
  s('trace_id', 'string'),
  s('span_id', 'string'),
  s('severity_number', 'integer'),
  s('severity_text', 'string'),
  s('body', 'string'),
  s('event_name', 'string'),
  s('dataset', 'string'),
  s('scope_name', 'string'),
  s('conversation_id', 'string', true),
  s('user_id', 'string', true),
  s('sample_rate', 'integer'),
  s('attributes', 'json'),
  // added after the first release: new columns go last so older stores gain them with ADD COLUMN
  s('scope_version', 'string', true),
];

export const METRIC_TABLE: readonly StorageColumn<MetricPointRow>[] = [
  s('timestamp', 'timestamp'),
  s('start_timestamp', 'timestamp', true),
  s('dataset', 'string'),
  s('scope_name', 'string'),
  s('metric_name', 'string'),
  s('description', 'string'),
  s('unit', 'string'),
  s('metric_type', 'string'),
  s('temporality', 'string'),
  s('is_monotonic', 'boolean', true),
  s('value', 'float', true),
  s('count', 'integer', true),
  s('sum', 'float', true),
  s('min', 'float', true),
  s('max', 'float', true),
  s('buckets', 'json'),
  s('sample_rate', 'integer'),
  s('attributes', 'json'),
  // added after the first release: new columns go last so older stores gain them with ADD COLUMN
  s('scope_version', 'string', true),
];

export interface TableSchemas {
  spans: readonly StorageColumn<SpanRow>[];
  logs: readonly StorageColumn<LogRow>[];
  metrics: readonly StorageColumn<MetricPointRow>[];
}

export const TABLE_SCHEMAS: TableSchemas = { spans: SPAN_TABLE, logs: LOG_TABLE, metrics: METRIC_TABLE };

export const PHYSICAL_TABLE_NAMES: Readonly<Record<SignalTable, string>> = {
  spans: 'spans',
  logs: 'logs',
  metrics: 'metric_points',
};
