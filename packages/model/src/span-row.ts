import type { ModelTier } from './pricing/price-table.ts';
/**
 * The canonical rows Loopline stores. Field names are the physical column names; `column-catalog.ts`
 * maps the names people type (mostly OTel attribute names) onto them.
 * Times are integer microseconds since the Unix epoch. `null` means "not present" (never a silent 0).
 */
export type CostSource = 'reported' | 'computed' | 'unknown_model';

export interface SpanRow {
  timestamp: number;
  end_timestamp: number;
  duration_ms: number;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  trace_state: string;
  name: string;
  /** 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified' */
  kind: string;
  /** 'unset' | 'ok' | 'error' */
  status_code: string;
  status_message: string;
  is_error: boolean;
  /** service.name, or 'unknown_service' */
  dataset: string;
  service_version: string | null;
  scope_name: string;
  scope_version: string;
  operation: string | null;
  provider: string | null;
  request_model: string | null;
  response_model: string | null;
  agent_name: string | null;
  agent_id: string | null;
  conversation_id: string | null;
  tool_name: string | null;
  tool_call_id: string | null;
  error_type: string | null;
  user_id: string | null;
  cicd_pipeline_name: string | null;
  cicd_pipeline_run_id: string | null;
  cicd_task_name: string | null;
  cicd_task_run_id: string | null;
  cicd_result: string | null;
  vcs_repository: string | null;
  vcs_ref: string | null;
  vcs_revision: string | null;
  /** Canonical usage: input INCLUDES cache read and cache write. */
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  cache_write_5m_tokens: number | null;
  cache_write_1h_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  cost_source: CostSource | null;
  /** time to first token / chunk, milliseconds */
  ttft_ms: number | null;
  eval_name: string | null;
  eval_score: number | null;
  eval_label: string | null;
  /** every span sampled 1-in-N carries N; default 1 */
  sample_rate: number;
  /** resource, scope and span attributes merged (span wins, then resource), as JSON object text, values typed */
  attributes: string;
  /** JSON array text of {time, name, attributes} */
  events: string;
  /** JSON array text of {trace_id, span_id, trace_state, attributes} */
  links: string;
  /** the model's tier in the price table (flagship, mid, fast, specialised); null when unpriced */
  model_tier: ModelTier | null;
}

export interface LogRow {
  timestamp: number;
  observed_timestamp: number;
  trace_id: string;
  span_id: string;
  severity_number: number;
  severity_text: string;
  /** body as text: strings stay as they are, anything else is JSON */
  body: string;
  event_name: string;
  dataset: string;
  scope_name: string;
  conversation_id: string | null;
  user_id: string | null;
  sample_rate: number;
  attributes: string;
  /** the instrumentation scope's version ('' when it has none; null in rows stored before the column) */
  scope_version: string;
}

export interface MetricPointRow {
  timestamp: number;
  /** null when the point has no start time */
  start_timestamp: number | null;
  dataset: string;
  scope_name: string;
  metric_name: string;
  description: string;
  unit: string;
  /** 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary' */
  metric_type: string;
  /** 'delta' | 'cumulative' | 'unspecified' */
  temporality: string;
  /** sums only; null for every other type */
  is_monotonic: boolean | null;
  /** gauge / sum value */
  value: number | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  /** JSON text: histogram buckets / exponential buckets / summary quantiles; '' when none */
  buckets: string;
  sample_rate: number;
  attributes: string;
  /** the instrumentation scope's version ('' when it has none; null in rows stored before the column) */
  scope_version: string;
}
