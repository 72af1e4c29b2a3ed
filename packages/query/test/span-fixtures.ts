import type { LogRow, SpanRow } from '@loopline/model';

/** 2024-06-01T12:00:00Z: the "now" of every test query. */
export const NOW_MS = Date.UTC(2024, 5, 1, 12, 0, 0);
export const minutesAgo = (minutes: number): number => (NOW_MS - minutes * 60_000) * 1000;

type SpanInput = Partial<SpanRow> & { attrs?: Record<string, unknown> };

let counter = 0;

/** A stored span with every column filled: `attrs` becomes the JSON text of `attributes`. */
export function span(input: SpanInput = {}): SpanRow {
  const { attrs, ...fields } = input;
  counter += 1;
  const timestamp = fields.timestamp ?? minutesAgo(30);
  return {
    timestamp,
    end_timestamp: timestamp + 1000,
    duration_ms: 1,
    trace_id: counter.toString(16).padStart(32, '0'),
    span_id: counter.toString(16).padStart(16, '0'),
    parent_span_id: '',
    trace_state: '',
    name: 'chat',
    kind: 'client',
    status_code: 'unset',
    status_message: '',
    is_error: false,
    dataset: 'agent',
    service_version: null,
    scope_name: 'test',
    scope_version: '1',
    ...NULL_COLUMNS,
    sample_rate: 1,
    attributes: JSON.stringify(attrs ?? {}),
    events: '[]',
    links: '[]',
    model_tier: null,
    ...fields,
  };
}

const NULL_COLUMNS = {
  operation: null,
  provider: null,
  request_model: null,
  response_model: null,
  agent_name: null,
  agent_id: null,
  conversation_id: null,
  tool_name: null,
  tool_call_id: null,
  error_type: null,
  user_id: null,
  cicd_pipeline_name: null,
  cicd_pipeline_run_id: null,
  cicd_task_name: null,
  cicd_task_run_id: null,
  cicd_result: null,
  vcs_repository: null,
  vcs_ref: null,
  vcs_revision: null,
  input_tokens: null,
  output_tokens: null,
  cache_read_tokens: null,
  cache_write_tokens: null,
  cache_write_5m_tokens: null,
  cache_write_1h_tokens: null,
  reasoning_tokens: null,
  cost_usd: null,
  cost_source: null,
  ttft_ms: null,
  eval_name: null,
  eval_score: null,
  eval_label: null,
} satisfies Partial<SpanRow>;

export function log(input: Partial<LogRow> & { attrs?: Record<string, unknown> } = {}): LogRow {
  const { attrs, ...fields } = input;
  const timestamp = fields.timestamp ?? minutesAgo(30);
  return {
    timestamp,
    observed_timestamp: timestamp,
    trace_id: '',
    span_id: '',
    severity_number: 9,
    severity_text: 'INFO',
    body: '',
    event_name: '',
    dataset: 'agent',
    scope_name: 'test',
    conversation_id: null,
    user_id: null,
    sample_rate: 1,
    attributes: JSON.stringify(attrs ?? {}),
    scope_version: '',
    ...fields,
  };
}
