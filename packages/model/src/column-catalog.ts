/**
 * What a query can name. Each signal table has typed columns; any other name is looked up in the
 * row's `attributes` JSON. Logical names are what people type (mostly OTel attribute names); the
 * physical name is the column in storage. Both spellings are accepted in queries.
 */
export type ColumnType = 'string' | 'integer' | 'float' | 'boolean' | 'timestamp';
export type SignalTable = 'spans' | 'logs' | 'metrics';

export interface ColumnDef {
  /** the name people type, e.g. `gen_ai.request.model` */
  name: string;
  /** the physical column, e.g. `request_model` */
  column: string;
  type: ColumnType;
  description: string;
  /** other names people type for it, e.g. Honeycomb's `library.name` for `otel.scope.name` */
  aliases?: readonly string[];
}

const c = (
  name: string,
  column: string,
  type: ColumnType,
  description: string,
  aliases?: readonly string[],
): ColumnDef =>
  aliases === undefined ? { name, column, type, description } : { name, column, type, description, aliases };

const SCOPE_NAME = ['library.name'] as const;
const SCOPE_VERSION = ['library.version'] as const;

export const SPAN_COLUMNS: readonly ColumnDef[] = [
  c('timestamp', 'timestamp', 'timestamp', 'span start'),
  c('end_timestamp', 'end_timestamp', 'timestamp', 'span end'),
  c('duration_ms', 'duration_ms', 'float', 'span duration in milliseconds'),
  c('trace.trace_id', 'trace_id', 'string', 'trace id (hex)'),
  c('trace.span_id', 'span_id', 'string', 'span id (hex)'),
  c('trace.parent_id', 'parent_span_id', 'string', 'parent span id (hex), empty for a root span'),
  c('trace_state', 'trace_state', 'string', 'W3C tracestate'),
  c('name', 'name', 'string', 'span name'),
  c('span.kind', 'kind', 'string', 'internal, server, client, producer or consumer'),
  c('status_code', 'status_code', 'string', 'unset, ok or error'),
  c('status_message', 'status_message', 'string', 'status description'),
  c('error', 'is_error', 'boolean', 'true when the status is error'),
  c('service.name', 'dataset', 'string', 'the dataset: the resource service.name'),
  c('service.version', 'service_version', 'string', 'resource service.version'),
  c('otel.scope.name', 'scope_name', 'string', 'instrumentation scope name', SCOPE_NAME),
  c('otel.scope.version', 'scope_version', 'string', 'instrumentation scope version', SCOPE_VERSION),
  c('gen_ai.operation.name', 'operation', 'string', 'chat, execute_tool, invoke_agent, evaluate, …'),
  c(
    'gen_ai.provider.name',
    'provider',
    'string',
    'anthropic, openai, gcp.gemini, … (also from gen_ai.system)',
  ),
  c('gen_ai.request.model', 'request_model', 'string', 'model asked for'),
  c('gen_ai.response.model', 'response_model', 'string', 'model that answered'),
  c('gen_ai.agent.name', 'agent_name', 'string', 'agent name'),
  c('gen_ai.agent.id', 'agent_id', 'string', 'agent id'),
  c('gen_ai.conversation.id', 'conversation_id', 'string', 'conversation / session id, joins traces'),
  c('gen_ai.tool.name', 'tool_name', 'string', 'tool name'),
  c('gen_ai.tool.call.id', 'tool_call_id', 'string', 'tool call id'),
  c('error.type', 'error_type', 'string', 'error class'),
  c('user.id', 'user_id', 'string', 'the person: user.id, enduser.id, user.email or user.name'),
  c('cicd.pipeline.name', 'cicd_pipeline_name', 'string', 'CI pipeline name'),
  c('cicd.pipeline.run.id', 'cicd_pipeline_run_id', 'string', 'CI pipeline run id'),
  c('cicd.pipeline.task.name', 'cicd_task_name', 'string', 'CI task (job/step) name'),
  c('cicd.pipeline.task.run.id', 'cicd_task_run_id', 'string', 'CI task run id'),
  c('cicd.pipeline.result', 'cicd_result', 'string', 'pipeline or task result'),
  c('vcs.repository.name', 'vcs_repository', 'string', 'repository name or URL'),
  c('vcs.ref.head.name', 'vcs_ref', 'string', 'branch or ref'),
  c('vcs.ref.head.revision', 'vcs_revision', 'string', 'commit sha'),
  c('gen_ai.usage.input_tokens', 'input_tokens', 'integer', 'input tokens, including cache read and write'),
  c('gen_ai.usage.output_tokens', 'output_tokens', 'integer', 'output tokens, including reasoning'),
  c('gen_ai.usage.cache_read.input_tokens', 'cache_read_tokens', 'integer', 'input tokens read from cache'),
  c(
    'gen_ai.usage.cache_creation.input_tokens',
    'cache_write_tokens',
    'integer',
    'input tokens written to cache',
  ),
  c(
    'gen_ai.usage.cache_creation.5m.input_tokens',
    'cache_write_5m_tokens',
    'integer',
    '5-minute cache writes',
  ),
  c('gen_ai.usage.cache_creation.1h.input_tokens', 'cache_write_1h_tokens', 'integer', '1-hour cache writes'),
  c(
    'gen_ai.usage.reasoning.output_tokens',
    'reasoning_tokens',
    'integer',
    'reasoning tokens (part of output)',
  ),
  c('cost_usd', 'cost_usd', 'float', 'cost in USD, reported or computed from the price table'),
  c('cost_source', 'cost_source', 'string', 'reported, computed or unknown_model'),
  c(
    'loopline.model.tier',
    'model_tier',
    'string',
    "the model's tier in the price table: flagship, mid, fast or specialised (null when unpriced)",
  ),
  c('gen_ai.response.time_to_first_chunk_ms', 'ttft_ms', 'float', 'time to first token, milliseconds'),
  c('gen_ai.evaluation.name', 'eval_name', 'string', 'evaluation name'),
  c('gen_ai.evaluation.score.value', 'eval_score', 'float', 'evaluation score'),
  c('gen_ai.evaluation.score.label', 'eval_label', 'string', 'evaluation label'),
  c('sample_rate', 'sample_rate', 'integer', 'this row stands for sample_rate rows'),
];

export const LOG_COLUMNS: readonly ColumnDef[] = [
  c('timestamp', 'timestamp', 'timestamp', 'log time'),
  c('observed_timestamp', 'observed_timestamp', 'timestamp', 'time the log was observed'),
  c('trace.trace_id', 'trace_id', 'string', 'trace id (hex)'),
  c('trace.span_id', 'span_id', 'string', 'span id (hex)'),
  c('severity_number', 'severity_number', 'integer', 'OTLP severity number'),
  c('severity_text', 'severity_text', 'string', 'severity text'),
  c('body', 'body', 'string', 'log body as text'),
  c('event.name', 'event_name', 'string', 'event name (log record event_name or attribute event.name)'),
  c('service.name', 'dataset', 'string', 'the dataset: the resource service.name'),
  c('otel.scope.name', 'scope_name', 'string', 'instrumentation scope name', SCOPE_NAME),
  c('otel.scope.version', 'scope_version', 'string', 'instrumentation scope version', SCOPE_VERSION),
  c('gen_ai.conversation.id', 'conversation_id', 'string', 'conversation / session id'),
  c('user.id', 'user_id', 'string', 'the person'),
  c('sample_rate', 'sample_rate', 'integer', 'this row stands for sample_rate rows'),
];

export const METRIC_COLUMNS: readonly ColumnDef[] = [
  c('timestamp', 'timestamp', 'timestamp', 'point time'),
  c('start_timestamp', 'start_timestamp', 'timestamp', 'start of the point interval'),
  c('service.name', 'dataset', 'string', 'the dataset: the resource service.name'),
  c('otel.scope.name', 'scope_name', 'string', 'instrumentation scope (meter) name', SCOPE_NAME),
  c('otel.scope.version', 'scope_version', 'string', 'instrumentation scope (meter) version', SCOPE_VERSION),
  c('metric.name', 'metric_name', 'string', 'metric name'),
  c('metric.unit', 'unit', 'string', 'unit'),
  c('metric.type', 'metric_type', 'string', 'gauge, sum, histogram, exponential_histogram or summary'),
  c('metric.temporality', 'temporality', 'string', 'delta, cumulative or unspecified'),
  c('metric.monotonic', 'is_monotonic', 'boolean', 'monotonic sum'),
  c('value', 'value', 'float', 'gauge or sum value'),
  c('count', 'count', 'integer', 'histogram / summary count'),
  c('sum', 'sum', 'float', 'histogram / summary sum'),
  c('min', 'min', 'float', 'histogram min'),
  c('max', 'max', 'float', 'histogram max'),
  c('sample_rate', 'sample_rate', 'integer', 'this row stands for sample_rate rows'),
];

export const COLUMNS_BY_TABLE: Readonly<Record<SignalTable, readonly ColumnDef[]>> = {
  spans: SPAN_COLUMNS,
  logs: LOG_COLUMNS,
  metrics: METRIC_COLUMNS,
};

/** Finds a typed column by logical name, alias or physical name; undefined means "look in attributes". */
export function findColumn(table: SignalTable, name: string): ColumnDef | undefined {
  const columns = COLUMNS_BY_TABLE[table];
  return (
    columns.find((col) => col.name === name || col.aliases?.includes(name) === true) ??
    columns.find((col) => col.column === name)
  );
}
