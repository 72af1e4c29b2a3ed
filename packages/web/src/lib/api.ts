import { type CallOptions, request } from './api-request.ts';

export { ApiError, type CallOptions } from './api-request.ts';

/**
 * The UI's only way to the server: its JSON HTTP API (docs/query-language.md, README "HTTP API"), through
 * api-request.ts (abortable, shared, limited). Every failure becomes an ApiError with the server's stable
 * code and message, never a stack trace.
 */

export type Scalar = string | number | boolean | null;

export interface Calculation {
  op: string;
  column?: string;
  alias?: string;
}
export interface Filter {
  column: string;
  op: string;
  value?: Scalar | Scalar[];
}
export interface Order {
  op?: string;
  column?: string;
  order?: 'ascending' | 'descending';
}
export interface Having {
  calculate_op: string;
  column?: string;
  op: string;
  value: number;
}
export interface QuerySpec {
  source?: 'spans' | 'logs' | 'metrics';
  dataset?: string | string[];
  calculations?: Calculation[];
  filters?: Filter[];
  filter_combination?: 'AND' | 'OR';
  breakdowns?: string[];
  orders?: Order[];
  havings?: Having[];
  limit?: number;
  time_range?: number;
  start_time?: number;
  end_time?: number;
  granularity?: number;
}

export interface QueryGroup {
  key: Record<string, Scalar>;
  values: Record<string, number | null>;
}
export interface QuerySeries {
  key: Record<string, Scalar>;
  points: { time: string; values: Record<string, number | null> }[];
}
export interface HeatmapResult {
  min: number | null;
  max: number | null;
  buckets: number;
  step: number | null;
  cells: { time: string; bucket: number; lower: number; upper: number; count: number }[];
}
export interface QueryResult {
  totals: Record<string, number | null>;
  groups: QueryGroup[];
  series: QuerySeries[];
  heatmap?: Record<string, HeatmapResult>;
  meta: { start: string; end: string; granularity: number; sql?: string[]; warnings?: string[] };
}

export interface ColumnInfo {
  name: string;
  column: string;
  type: string;
  description: string;
}
export interface DatasetInfo {
  name: string;
  rows: number;
  first: string | null;
  last: string | null;
  attributes: { name: string; type: string }[];
}
export type DatasetsResponse = Record<
  'spans' | 'logs' | 'metrics',
  { columns: ColumnInfo[]; datasets: DatasetInfo[] }
>;

/** A stored span as the API returns it (the waterfall view carries only the light fields). */
export interface Span {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  timestamp_us: number;
  end_timestamp_us: number;
  duration_ms: number;
  kind?: string | null;
  status_code?: string | null;
  status_message?: string | null;
  is_error?: boolean | null;
  dataset?: string | null;
  operation?: string | null;
  request_model?: string | null;
  response_model?: string | null;
  tool_name?: string | null;
  agent_name?: string | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_tokens?: number | null;
  cache_write_tokens?: number | null;
  cost_usd?: number | null;
  cost_source?: string | null;
  ttft_ms?: number | null;
  eval_name?: string | null;
  eval_score?: number | null;
  eval_label?: string | null;
  start_time?: string;
  attributes?: Record<string, unknown>;
  events?: { name?: string; timestamp_us?: number; time?: string; attributes?: Record<string, unknown> }[];
  links?: { trace_id?: string; span_id?: string; attributes?: Record<string, unknown> }[];
  [column: string]: unknown;
}

export interface TraceSummary {
  rootName: string | null;
  spanCount: number;
  errorCount: number;
  start: string;
  durationMs: number;
  datasets: string[];
  /** the sum of the known costs; null when spans report tokens but none has a price */
  costUsd: number | null;
  /** spans with token usage but no price (a model the price table does not know) */
  unpricedSpans: number;
  inputTokens: number;
  outputTokens: number;
  truncated?: boolean;
}
export interface TraceResponse {
  traceId: string;
  summary: TraceSummary;
  spans: Span[];
}

export interface ConversationResponse {
  conversationId: string;
  totals: {
    traces: number;
    spans: number;
    llmCalls: number;
    toolCalls: number;
    costUsd: number | null;
    unpricedSpans: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    durationMs: number;
    start: string;
  };
  traces: ({ traceId: string } & TraceSummary)[];
  truncated: boolean;
  spans: Span[];
}

export interface ConversationListItem {
  id: string;
  start: string;
  end: string;
  durationMs: number;
  datasets: string[];
  agents: string[];
  users: string[];
  traces: number;
  spans: number;
  llmCalls: number;
  toolCalls: number;
  errors: number;
  costUsd: number | null;
  unpricedSpans: number;
  inputTokens: number | null;
  outputTokens: number | null;
  evalLabel: string | null;
  evalScore: number | null;
}
export interface ConversationList {
  conversations: ConversationListItem[];
  total: number;
  facets: { datasets: string[]; agents: string[]; users: string[]; labels: string[] };
  meta: { start: string; end: string };
}

export interface TraceListItem {
  traceId: string;
  rootName: string | null;
  dataset: string | null;
  start: string;
  durationMs: number;
  matchedSpans: number;
  errors: number;
  /** the whole trace's known cost; null when its usage had no price at all */
  costUsd: number | null;
  unpricedSpans: number;
}

export interface BoardPanel {
  id: string;
  title: string;
  query: QuerySpec;
  chart?: 'line' | 'table' | 'heatmap';
}
export interface Board {
  id: string;
  name: string;
  description: string | null;
  panels: BoardPanel[];
  createdAt: string;
  updatedAt: string;
}
export interface BoardListItem {
  id: string;
  name: string;
  description: string | null;
  panelCount: number;
  updatedAt: string;
}

export interface Health {
  status: string;
  version: string;
  startedAt: string;
  storage: { pendingRows: number; appendedRows: number };
  /** the ports the server listens on; grpc is null when OTLP/gRPC is off */
  ports?: { http: number | null; grpc: number | null };
}

function qs(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** How long the dataset list is kept, so moving between pages does not ask for it each time. */
export const DATASETS_CACHE_MS = 10_000;

export const api = {
  query: (spec: QuerySpec, options: CallOptions & { showSql?: boolean } = {}) =>
    request<QueryResult>('POST', `/api/query${options.showSql ? '?show_sql=true' : ''}`, {
      ...options,
      body: spec,
    }),
  datasets: (options?: CallOptions) =>
    request<DatasetsResponse>('GET', '/api/datasets', { ...options, cacheMs: DATASETS_CACHE_MS }),
  health: (options?: CallOptions) => request<Health>('GET', '/api/health', options),
  trace: (traceId: string, view?: 'waterfall', options?: CallOptions) =>
    request<TraceResponse>('GET', `/api/traces/${encodeURIComponent(traceId)}${qs({ view })}`, options),
  span: (traceId: string, spanId: string, options?: CallOptions) =>
    request<Span>(
      'GET',
      `/api/traces/${encodeURIComponent(traceId)}/spans/${encodeURIComponent(spanId)}`,
      options,
    ),
  searchTraces: (query: QuerySpec, limit = 20, options?: CallOptions) =>
    request<{ traces: TraceListItem[]; meta: { start: string; end: string } }>('POST', '/api/traces/search', {
      ...options,
      body: { query, limit },
    }),
  conversation: (id: string, options?: CallOptions) =>
    request<ConversationResponse>('GET', `/api/conversations/${encodeURIComponent(id)}`, options),
  conversations: (params: Record<string, string | number | undefined | null>, options?: CallOptions) =>
    request<ConversationList>('GET', `/api/conversations${qs(params)}`, options),
  boards: (options?: CallOptions) => request<{ boards: BoardListItem[] }>('GET', '/api/boards', options),
  board: (id: string, options?: CallOptions) =>
    request<Board>('GET', `/api/boards/${encodeURIComponent(id)}`, options),
  createBoard: (name: string, description?: string) =>
    request<Board>('POST', '/api/boards', { body: { name, description } }),
  updateBoard: (id: string, patch: Partial<Pick<Board, 'name' | 'description' | 'panels'>>) =>
    request<Board>('PUT', `/api/boards/${encodeURIComponent(id)}`, { body: patch }),
  deleteBoard: (id: string) => request<void>('DELETE', `/api/boards/${encodeURIComponent(id)}`),
  addPanel: (id: string, panel: Omit<BoardPanel, 'id'>) =>
    request<Board>('POST', `/api/boards/${encodeURIComponent(id)}/panels`, { body: panel }),
};
