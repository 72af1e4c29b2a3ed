import { generateDemo } from '@loopline/demo';
import { encodeLogsProto, encodeMetricsProto, encodeTracesProto } from '@loopline/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
const END = Date.UTC(2026, 10, 20, 12, 0, 0);
const WEEK = { start_time: END / 1000 - 8 * 86400, end_time: END / 1000 + 3600 };

async function post(path: string, body: Uint8Array): Promise<void> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
  for (const batch of generateDemo({ seed: 5, spans: 6000, endTimeMs: END, batchSpans: 1000 })) {
    await post('/v1/traces', encodeTracesProto(batch.resourceSpans));
    if (batch.resourceLogs.length) await post('/v1/logs', encodeLogsProto(batch.resourceLogs));
    if (batch.resourceMetrics.length) await post('/v1/metrics', encodeMetricsProto(batch.resourceMetrics));
  }
});
afterAll(async () => {
  await server?.close();
});

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${server.httpUrl}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** The columns of a span in the waterfall view, and nothing else. */
const WATERFALL_FIELDS = [
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

interface Span {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  timestamp_us: number;
  operation: string | null;
  attributes: Record<string, unknown>;
}

describe('the API over a demo week', () => {
  it('lists datasets per signal with typed columns and discovered attributes', async () => {
    type Datasets = Record<
      string,
      {
        columns: { name: string }[];
        datasets: { name: string; rows: number; attributes: { name: string }[] }[];
      }
    >;
    const body = await getJson<Datasets>('/api/datasets');
    const spans = body.spans;
    expect(spans?.datasets.map((d) => d.name).sort()).toEqual([
      'ci',
      'claude-code',
      'codex-cli',
      'coding-agent',
      'evaluator',
      'fix-the-build',
      'investigator',
      'pr-review',
    ]);
    expect(spans?.columns.map((c) => c.name)).toContain('gen_ai.request.model');
    const ci = spans?.datasets.find((d) => d.name === 'ci');
    expect(ci?.attributes.map((a) => a.name)).toContain('cicd.pipeline.task.type');
    expect(ci?.attributes.map((a) => a.name)).not.toContain('gen_ai.request.model');
    expect(body.logs?.datasets.length).toBeGreaterThan(0);
    expect(body.metrics?.datasets.length).toBeGreaterThan(0);
  });

  it('opens a conversation across its traces with totals that match the query language', async () => {
    const top = await server.query({
      ...WEEK,
      dataset: 'investigator',
      filters: [{ column: 'gen_ai.conversation.id', op: 'exists' }],
      breakdowns: ['gen_ai.conversation.id'],
      calculations: [{ op: 'COUNT_DISTINCT', column: 'trace.trace_id' }],
      orders: [{ op: 'COUNT_DISTINCT', column: 'trace.trace_id', order: 'descending' }],
      limit: 1,
    });
    const id = top.groups[0]?.key['gen_ai.conversation.id'] as string;
    const traceCount = Object.values(top.groups[0]?.values ?? {})[0];
    expect(traceCount).toBeGreaterThan(1);
    const conversation = await getJson<{
      totals: { traces: number; spans: number; llmCalls: number };
      traces: { traceId: string; spanCount: number }[];
      spans: Span[];
    }>(`/api/conversations/${encodeURIComponent(id)}`);
    expect(conversation.totals.traces).toBe(traceCount);
    expect(conversation.traces.reduce((n, t) => n + t.spanCount, 0)).toBe(conversation.spans.length);
    const times = conversation.spans.map((s) => s.timestamp_us);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const llm = await server.query({
      ...WEEK,
      filters: [
        { column: 'trace.trace_id', op: 'in', value: conversation.traces.map((t) => t.traceId) },
        { column: 'gen_ai.operation.name', op: '=', value: 'chat' },
      ],
      calculations: [{ op: 'COUNT' }],
    });
    expect(conversation.totals.llmCalls).toBe(Object.values(llm.totals)[0]);
  });

  it('opens a trace whose spans all hang off one root', async () => {
    const top = await server.query({
      ...WEEK,
      dataset: 'coding-agent',
      breakdowns: ['trace.trace_id'],
      calculations: [{ op: 'COUNT' }],
      limit: 1,
    });
    const traceId = top.groups[0]?.key['trace.trace_id'] as string;
    const trace = await getJson<{ summary: { spanCount: number; rootName: string }; spans: Span[] }>(
      `/api/traces/${traceId}`,
    );
    expect(trace.summary.spanCount).toBe(Object.values(top.groups[0]?.values ?? {})[0]);
    expect(trace.summary.rootName).toMatch(/^invoke_agent/);
    const ids = new Set(trace.spans.map((s) => s.span_id));
    const roots = trace.spans.filter((s) => !ids.has(s.parent_span_id));
    expect(roots).toHaveLength(1);
    expect(typeof trace.spans[0]?.attributes).toBe('object');
  });

  it('gives a waterfall the light columns of every span, and one span in full on selection', async () => {
    const top = await server.query({
      ...WEEK,
      breakdowns: ['trace.trace_id'],
      calculations: [{ op: 'COUNT' }],
      limit: 1,
    });
    const traceId = top.groups[0]?.key['trace.trace_id'] as string;
    type Trace = { traceId: string; summary: object; spans: (Span & Record<string, unknown>)[] };
    const full = await getJson<Trace>(`/api/traces/${traceId}`);
    const light = await getJson<Trace>(`/api/traces/${traceId}?view=waterfall`);
    expect(light.spans.length).toBeGreaterThan(10);
    expect(light.traceId).toBe(full.traceId);
    expect(light.summary).toEqual(full.summary);
    expect(light.spans.map((s) => s.span_id)).toEqual(full.spans.map((s) => s.span_id));
    for (const [i, span] of light.spans.entries()) {
      expect(Object.keys(span).sort()).toEqual([...WATERFALL_FIELDS].sort());
      const whole = full.spans[i] as Record<string, unknown>;
      for (const field of WATERFALL_FIELDS) expect(span[field], field).toEqual(whole[field]);
    }
    expect(light.spans.some((s) => s.operation === 'chat' && (s.input_tokens as number) > 0)).toBe(true);
    expect(JSON.stringify(light).length).toBeLessThan(JSON.stringify(full).length / 2);
    expect(await getJson(`/api/traces/${traceId}?view=full`)).toEqual(full);

    const picked = [full.spans[0], full.spans.find((s) => s.operation === 'chat'), full.spans.at(-1)];
    for (const span of picked) {
      expect(await getJson(`/api/traces/${traceId}/spans/${span?.span_id}`)).toEqual(span);
    }
    const upper = await getJson(
      `/api/traces/${traceId.toUpperCase()}/spans/${picked[1]?.span_id.toUpperCase()}`,
    );
    expect(upper).toEqual(picked[1]);
  });

  it('answers an unknown span with NOT_FOUND, and malformed ids or views with BAD_REQUEST', async () => {
    const top = await server.query({ ...WEEK, breakdowns: ['trace.trace_id'], limit: 1 });
    const traceId = top.groups[0]?.key['trace.trace_id'] as string;
    const cases: [string, number, string, RegExp][] = [
      [`/api/traces/${traceId}/spans/${'0'.repeat(15)}1`, 404, 'NOT_FOUND', /no span 0+1 in trace/],
      [`/api/traces/${'9'.repeat(32)}/spans/${'1'.repeat(16)}`, 404, 'NOT_FOUND', /no span/],
      [
        `/api/traces/${traceId}/spans/xyz`,
        400,
        'BAD_REQUEST',
        /"xyz" is not a span id \(16 hex characters\)/,
      ],
      [`/api/traces/nope/spans/${'1'.repeat(16)}`, 400, 'BAD_REQUEST', /is not a trace id/],
      [`/api/traces/${traceId}?view=tree`, 400, 'BAD_REQUEST', /view must be one of full, waterfall/],
      [`/api/traces/${'9'.repeat(32)}?view=waterfall`, 404, 'NOT_FOUND', /no spans for trace/],
    ];
    for (const [path, status, code, message] of cases) {
      const response = await fetch(`${server.httpUrl}${path}`);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(response.status, path).toBe(status);
      expect(body.error.code, path).toBe(code);
      expect(body.error.message, path).toMatch(message);
    }
  });

  it('finds every span of a trace that arrived in separate requests hours apart', async () => {
    const traceId = 'ab'.repeat(16);
    const span = (id: string, parent: string, startMs: number, ms: number): object => ({
      traceId,
      spanId: id,
      parentSpanId: parent,
      name: `part ${id}`,
      startTimeUnixNano: `${startMs}000000`,
      endTimeUnixNano: `${startMs + ms}000000`,
    });
    const body = (spans: object[]): string =>
      JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans }] }] });
    const send = (spans: object[]): Promise<Response> =>
      fetch(`${server.httpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(spans),
      });
    const t0 = END - 5 * 3600_000;
    expect((await send([span('1'.repeat(16), '', t0, 4 * 3600_000)])).status).toBe(200);
    expect((await send([span('2'.repeat(16), '1'.repeat(16), t0 + 3 * 3600_000, 1000)])).status).toBe(200);
    const trace = await getJson<{ spans: Span[] }>(`/api/traces/${traceId}`);
    expect(trace.spans.map((s) => s.span_id)).toEqual(['1'.repeat(16), '2'.repeat(16)]);
  });

  it('flags LLM spans of an unpriced model instead of costing them 0, and costs a priced one', async () => {
    const chat = (id: string, model: string): object => ({
      traceId: 'cd'.repeat(16),
      spanId: id,
      name: `chat ${model}`,
      startTimeUnixNano: `${END - 60_000}000000`,
      endTimeUnixNano: `${END - 58_000}000000`,
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.provider.name', value: { stringValue: 'anthropic' } },
        { key: 'gen_ai.request.model', value: { stringValue: model } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '100000' } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '0' } },
      ],
    });
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'pricing-check' } }] },
          scopeSpans: [
            {
              spans: [chat('1'.repeat(16), 'our-own-finetune-v1'), chat('2'.repeat(16), 'claude-sonnet-4-5')],
            },
          ],
        },
      ],
    });
    const response = await fetch(`${server.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    const result = await server.query({
      ...WEEK,
      dataset: 'pricing-check',
      breakdowns: ['gen_ai.request.model', 'cost_source'],
      calculations: [{ op: 'SUM', column: 'cost_usd' }],
      orders: [{ column: 'gen_ai.request.model', order: 'ascending' }],
    });
    expect(
      result.groups.map((g) => [
        g.key['gen_ai.request.model'],
        g.key.cost_source,
        Object.values(g.values)[0],
      ]),
    ).toEqual([
      // 100,000 uncached input tokens at claude-sonnet-4-5's $3 per million (under its 200k long-context tier)
      ['claude-sonnet-4-5', 'computed', 0.3],
      ['our-own-finetune-v1', 'unknown_model', null],
    ]);
  });
});
