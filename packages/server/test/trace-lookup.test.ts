import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServerTiming } from '../src/api/server-timing.ts';
import { call, resourceSpans, type SpanSpec, sendSpans } from './helpers/api-client.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/**
 * GET /api/traces/:id reads a trace that fits the span limit in one statement and sums it in JS; a trace
 * over the limit takes an ordered read and a SQL summary. Both must show what was sent.
 */
let server: TestServer;
const START_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
const LIMIT = 20_000;

interface TraceBody {
  traceId: string;
  summary: {
    rootName: string | null;
    spanCount: number;
    errorCount: number;
    start: string;
    durationMs: number;
    datasets: string[];
    costUsd: number | null;
    unpricedSpans: number;
    inputTokens: number;
    outputTokens: number;
    truncated: boolean;
  };
  spans: {
    span_id: string;
    timestamp_us: number;
    dataset: string;
    name: string;
    input_tokens: number | null;
  }[];
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** A trace of `count` spans over two services, sent out of time order, with errors and token counts. */
function traceSpans(traceNo: number, count: number): { service: string; span: SpanSpec }[] {
  const traceId = hex(0xabc00000 + traceNo, 32);
  const out: { service: string; span: SpanSpec }[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      service: i % 3 === 0 ? 'agent' : 'tools',
      span: {
        traceId,
        spanId: hex(traceNo * 1_000_000 + i + 1, 16),
        // span 0 is the root but starts after span 1 (a child whose clock ran early)
        parentSpanId: i === 0 ? '' : hex(traceNo * 1_000_000 + 1, 16),
        name: i === 0 ? 'invoke_agent root' : `step ${i}`,
        startMs: START_MS + (i === 0 ? 5 : i === 1 ? 0 : 10 + ((i * 7919) % count)),
        durationMs: 1 + (i % 13),
        attributes: { 'gen_ai.usage.input_tokens': 100 + i, 'gen_ai.usage.output_tokens': i % 50 },
        error: i % 17 === 5,
      },
    });
  }
  // send in a shuffled order, in batches
  return out.sort((a, b) =>
    a.span.spanId.split('').reverse().join('') < b.span.spanId.split('').reverse().join('') ? -1 : 1,
  );
}

async function send(spans: { service: string; span: SpanSpec }[]): Promise<void> {
  for (let i = 0; i < spans.length; i += 2000) {
    const batch = spans.slice(i, i + 2000);
    await sendSpans(server.httpUrl, [
      resourceSpans(
        'agent',
        batch.filter((s) => s.service === 'agent').map((s) => s.span),
      ),
      resourceSpans(
        'tools',
        batch.filter((s) => s.service === 'tools').map((s) => s.span),
      ),
    ]);
  }
}

function oracle(spans: { service: string; span: SpanSpec }[]) {
  const ordered = [...spans].sort(
    (a, b) => a.span.startMs - b.span.startMs || (a.span.spanId < b.span.spanId ? -1 : 1),
  );
  const startMs = Math.min(...spans.map((s) => s.span.startMs));
  const endMs = Math.max(...spans.map((s) => s.span.startMs + s.span.durationMs));
  return {
    ordered,
    summary: {
      rootName: 'invoke_agent root',
      spanCount: spans.length,
      errorCount: spans.filter((s) => s.span.error).length,
      start: new Date(startMs).toISOString(),
      durationMs: endMs - startMs,
      // every span reports tokens and no model: the price table cannot price any, so the cost is unknown
      costUsd: null,
      unpricedSpans: spans.length,
      inputTokens: spans.reduce(
        (sum, s) => sum + Number(s.span.attributes?.['gen_ai.usage.input_tokens']),
        0,
      ),
      outputTokens: spans.reduce(
        (sum, s) => sum + Number(s.span.attributes?.['gen_ai.usage.output_tokens']),
        0,
      ),
    },
  };
}

const small = traceSpans(1, 150);
const big = traceSpans(2, LIMIT + 25);
/**
 * A conversation's trace whose earliest span is an orphan (its parent never arrived), then the root (no
 * parent) and a child of it: the root is the earliest span without a parent, on the trace page, in
 * search and in the conversation alike.
 */
const CONVERSATION = 'conv-summary-1';
const orphaned: { service: string; span: SpanSpec }[] = [
  ['orphan step', hex(0xdead, 16), 0],
  ['invoke_agent planner', '', 5],
  ['chat planner', hex(0x7002, 16), 6],
].map(([name, parent, offset], i) => ({
  service: i === 2 ? 'tools' : 'agent',
  span: {
    traceId: hex(0xabc00003, 32),
    spanId: hex(0x7001 + i, 16),
    parentSpanId: parent as string,
    name: name as string,
    startMs: START_MS + (offset as number),
    durationMs: 10 - i,
    attributes: { 'gen_ai.conversation.id': CONVERSATION, 'gen_ai.usage.input_tokens': 10 * (i + 1) },
    error: i === 0,
  },
}));

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
  await send(small);
  await send(big);
  await send(orphaned);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function trace(id: string, view = ''): Promise<TraceBody> {
  const response = await call<TraceBody>(server.httpUrl, 'GET', `/api/traces/${id}${view}`);
  expect(response.status, JSON.stringify(response.body).slice(0, 300)).toBe(200);
  return response.body;
}

describe('GET /api/traces/:id', () => {
  it('a trace within the span limit: every span in time order, and a summary of all of them', async () => {
    const want = oracle(small);
    for (const view of ['', '?view=waterfall']) {
      const body = await trace(small[0]?.span.traceId as string, view);
      expect(body.summary).toMatchObject({ ...want.summary, truncated: false });
      // datasets in the order they first appear: span 1 (tools) starts first
      expect(body.summary.datasets).toEqual(['tools', 'agent']);
      expect([body.summary.costUsd, body.summary.unpricedSpans]).toEqual([null, 150]);
      expect(body.spans.map((s) => s.span_id)).toEqual(want.ordered.map((s) => s.span.spanId));
      expect(body.spans.map((s) => s.dataset)).toEqual(want.ordered.map((s) => s.service));
      if (view === '') {
        // the full view carries each span's attributes, events and links as JSON, its own ones
        const full = body.spans as unknown as {
          attributes: Record<string, unknown>;
          events: unknown[];
          links: unknown[];
        }[];
        expect(full.map((s) => s.attributes['gen_ai.usage.input_tokens'])).toEqual(
          want.ordered.map((s) => s.span.attributes?.['gen_ai.usage.input_tokens']),
        );
        expect(full.every((s) => Array.isArray(s.events) && Array.isArray(s.links))).toBe(true);
      }
    }
  });

  it(`a trace over the limit (${LIMIT} spans): the first ${LIMIT} in time order, the summary of all`, async () => {
    const want = oracle(big);
    const body = await trace(big[0]?.span.traceId as string);
    expect(body.summary).toMatchObject({ ...want.summary, truncated: true });
    expect(body.summary.datasets.sort()).toEqual(['agent', 'tools']);
    expect(body.spans.length).toBe(LIMIT);
    expect(body.spans.map((s) => s.span_id)).toEqual(want.ordered.slice(0, LIMIT).map((s) => s.span.spanId));
  });

  it('says where its time went: a Server-Timing header with the store reads and the total', async () => {
    const response = await fetch(`${server.httpUrl}/api/traces/${small[0]?.span.traceId}`);
    await response.text();
    const phases = parseServerTiming(response.headers.get('server-timing'));
    expect(Object.keys(phases)).toEqual(['bounds', 'spans', 'total']);
    expect(Object.values(phases).every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
    expect(phases.total).toBeGreaterThanOrEqual((phases.bounds ?? 0) + (phases.spans ?? 0));
    // the over-limit route names its extra reads; a query and a 404 carry the header too
    const over = await fetch(`${server.httpUrl}/api/traces/${big[0]?.span.traceId}?view=waterfall`);
    await over.text();
    expect(Object.keys(parseServerTiming(over.headers.get('server-timing')))).toEqual([
      'bounds',
      'spans',
      'over_limit',
      'total',
    ]);
    const query = await fetch(`${server.httpUrl}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ calculations: [{ op: 'COUNT' }] }),
    });
    await query.text();
    expect(Object.keys(parseServerTiming(query.headers.get('server-timing')))).toContain('store');
    const missing = await fetch(`${server.httpUrl}/api/traces/${hex(7, 32)}`);
    await missing.text();
    expect(missing.status).toBe(404);
    expect(parseServerTiming(missing.headers.get('server-timing')).total).toBeGreaterThanOrEqual(0);
  });

  it("a conversation sums each of its traces as the trace's own page does (one root rule)", async () => {
    const traceId = orphaned[0]?.span.traceId as string;
    const page = await trace(traceId);
    expect(page.summary).toMatchObject({
      rootName: 'invoke_agent planner',
      spanCount: 3,
      errorCount: 1,
      start: new Date(START_MS).toISOString(),
      durationMs: 14,
      datasets: ['agent', 'tools'],
      inputTokens: 60,
      truncated: false,
    });
    const conversation = await call<{ traces: ({ traceId: string } & Record<string, unknown>)[] }>(
      server.httpUrl,
      'GET',
      `/api/conversations/${CONVERSATION}`,
    );
    expect(conversation.status).toBe(200);
    const { truncated: _, ...summary } = page.summary;
    expect(conversation.body.traces).toEqual([{ traceId, ...summary }]);
  });

  it('a trace costs the sum of its known costs and counts its unpriced spans; one without usage costs 0', async () => {
    const traceId = hex(0xabc00004, 32);
    const toolsOnly = hex(0xabc00005, 32);
    const span = (
      id: number,
      name: string,
      attributes: SpanSpec['attributes'],
      trace = traceId,
    ): SpanSpec => ({
      traceId: trace,
      spanId: hex(0x8000 + id, 16),
      parentSpanId: id === 0 ? '' : hex(0x8000, 16),
      name,
      startMs: START_MS + id,
      durationMs: 5,
      attributes: { 'gen_ai.conversation.id': 'conv-cost-1', ...attributes },
    });
    const usage = { 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100 };
    await sendSpans(server.httpUrl, [
      resourceSpans('agent', [
        span(0, 'invoke_agent root', {}),
        span(1, 'chat priced', { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.cost': 0.25, ...usage }),
        span(2, 'chat unknown', { 'gen_ai.request.model': 'no-such-model-anywhere', ...usage }),
        span(3, 'execute_tool only', {}, toolsOnly),
      ]),
    ]);
    const page = await trace(traceId);
    expect([page.summary.costUsd, page.summary.unpricedSpans]).toEqual([0.25, 1]);
    const tools = await trace(toolsOnly);
    expect([tools.summary.costUsd, tools.summary.unpricedSpans]).toEqual([0, 0]);
    const conversation = await call<{ totals: { costUsd: number | null; unpricedSpans: number } }>(
      server.httpUrl,
      'GET',
      '/api/conversations/conv-cost-1',
    );
    expect([conversation.body.totals.costUsd, conversation.body.totals.unpricedSpans]).toEqual([0.25, 1]);
  });

  it('an unknown trace is a 404 with a stable code; a malformed id a 400', async () => {
    const missing = await call<{ error: { code: string } }>(
      server.httpUrl,
      'GET',
      `/api/traces/${hex(7, 32)}`,
    );
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const bad = await call<{ error: { code: string } }>(
      server.httpUrl,
      'GET',
      `/api/traces/x'; DROP TABLE spans; --`,
    );
    expect([bad.status, bad.body.error.code]).toEqual([400, 'BAD_REQUEST']);
  });
});
