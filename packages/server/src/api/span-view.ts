import type { ResultRow } from '../storage/storage.ts';
import { knownCostOf } from './known-cost.ts';
import { summarise } from './trace-summary.ts';

/** What every span the API shows has: ids, name and times in µs. */
export interface SpanCore extends Record<string, unknown> {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  timestamp_us: number;
  end_timestamp_us: number;
  duration_ms: number;
}

/** A stored span as the API shows it: times in µs and ISO, JSON columns parsed. */
export interface SpanView extends SpanCore {
  start_time: string;
  attributes: Record<string, unknown>;
  events: unknown[];
  links: unknown[];
}

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toSpanView(row: ResultRow): SpanView {
  return {
    ...row,
    start_time: new Date(Number(row.timestamp_us) / 1000).toISOString(),
    attributes: parseJson(row.attributes, {}),
    events: parseJson(row.events, []),
    links: parseJson(row.links, []),
  } as unknown as SpanView;
}

const sum = (spans: SpanCore[], field: string): number =>
  spans.reduce((total, span) => total + (typeof span[field] === 'number' ? (span[field] as number) : 0), 0);

export function conversationSummary(spans: SpanView[]): object {
  const traces = new Map<string, SpanView[]>();
  for (const span of spans) {
    const list = traces.get(span.trace_id) ?? [];
    list.push(span);
    traces.set(span.trace_id, list);
  }
  const start = Math.min(...spans.map((span) => span.timestamp_us));
  const end = Math.max(...spans.map((span) => span.end_timestamp_us));
  return {
    totals: {
      traces: traces.size,
      spans: spans.length,
      llmCalls: spans.filter((span) => span.operation === 'chat' || span.operation === 'text_completion')
        .length,
      toolCalls: spans.filter((span) => span.operation === 'execute_tool').length,
      ...knownCostOf(spans),
      inputTokens: sum(spans, 'input_tokens'),
      outputTokens: sum(spans, 'output_tokens'),
      cacheReadTokens: sum(spans, 'cache_read_tokens'),
      durationMs: (end - start) / 1000,
      start: new Date(start / 1000).toISOString(),
    },
    traces: [...traces.entries()].map(([traceId, list]) => {
      // the trace page's summary of the spans shown (the conversation says when it was truncated)
      const { truncated: _, ...summary } = summarise(list);
      return { traceId, ...summary };
    }),
  };
}
