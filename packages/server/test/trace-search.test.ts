import { generateDemo } from '@loopline/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorBody, resourceSpans, type SpanSpec, sendSpans } from './helpers/api-client.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
const END_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;

/** Every demo span as the oracle needs it, straight from the generator (independent of the server). */
interface OracleSpan {
  traceId: string;
  name: string;
  dataset: string;
  startUs: number;
  durationMs: number;
}
const demoSpans: OracleSpan[] = [];

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
  for (const batch of generateDemo({ seed: 3, spans: 8000, endTimeMs: END_MS, batchSpans: 2000 })) {
    for (const rs of batch.resourceSpans) {
      const dataset = String(rs.resource.attributes['service.name']);
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          demoSpans.push({
            traceId: span.traceId,
            name: span.name,
            dataset,
            startUs: span.startUs,
            durationMs: (span.endUs - span.startUs) / 1000,
          });
        }
      }
    }
    await sendSpans(server.httpUrl, batch.resourceSpans);
  }
});
afterAll(async () => {
  await server?.close();
});

interface Hit {
  traceId: string;
  rootName: string | null;
  dataset: string | null;
  rootIsError: boolean | null;
  start: string;
  durationMs: number;
  spanCount: number;
  matchedSpans: number;
  errors: number;
  costUsd: number | null;
  unpricedSpans: number;
}
interface SearchResult {
  traces: Hit[];
  meta: { start: string; end: string };
}

async function search(query: object, limit?: number): Promise<SearchResult> {
  const response = await call<SearchResult>(server.httpUrl, 'POST', '/api/traces/search', {
    query,
    ...(limit === undefined ? {} : { limit }),
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** The newest-started traces with a span that matches, and how many of their spans match. */
function expected(
  matches: (span: OracleSpan) => boolean,
  window: { startMs: number; endMs: number },
  limit: number,
): { traceId: string; matched: number }[] {
  const starts = new Map<string, number>();
  for (const span of demoSpans) {
    starts.set(span.traceId, Math.min(starts.get(span.traceId) ?? Number.POSITIVE_INFINITY, span.startUs));
  }
  const matched = new Map<string, number>();
  for (const span of demoSpans) {
    const inWindow = span.startUs >= window.startMs * 1000 && span.startUs < window.endMs * 1000;
    if (inWindow && matches(span)) matched.set(span.traceId, (matched.get(span.traceId) ?? 0) + 1);
  }
  return [...matched.entries()]
    .map(([traceId, count]) => ({ traceId, matched: count, start: starts.get(traceId) as number }))
    .sort((a, b) => b.start - a.start || (a.traceId < b.traceId ? -1 : 1))
    .slice(0, limit)
    .map(({ traceId, matched: count }) => ({ traceId, matched: count }));
}

interface TraceBody {
  summary: {
    rootName: string;
    spanCount: number;
    errorCount: number;
    start: string;
    durationMs: number;
    costUsd: number | null;
    unpricedSpans: number;
  };
}

describe('POST /api/traces/search (open the traces behind a chart point, heatmap cell or row)', () => {
  it('opens the newest traces of a clicked chart point, each as its own page shows it', async () => {
    // a point (a 3-hour bucket: the busiest) of a COUNT by model chart, filtered to chat spans
    const isChat = (s: OracleSpan) => s.dataset === 'claude-code' && s.name.startsWith('chat');
    const perBucket = new Map<number, Set<string>>();
    for (const span of demoSpans.filter(isChat)) {
      const bucket = Math.floor(span.startUs / 1000 / (3 * HOUR)) * 3 * HOUR;
      perBucket.set(bucket, (perBucket.get(bucket) ?? new Set()).add(span.traceId));
    }
    const [busiest] = [...perBucket.entries()].sort((a, b) => b[1].size - a[1].size)[0] as [
      number,
      Set<string>,
    ];
    const window = { startMs: busiest, endMs: busiest + 3 * HOUR };
    const query = {
      dataset: 'claude-code',
      calculations: [{ op: 'COUNT' }],
      breakdowns: ['gen_ai.request.model'],
      orders: [{ op: 'COUNT', order: 'descending' }],
      filters: [{ column: 'name', op: 'starts-with', value: 'chat' }],
      start_time: window.startMs / 1000,
      end_time: window.endMs / 1000,
      granularity: 600,
    };
    const result = await search(query, 10);
    expect(expected(isChat, window, 1000).length).toBeGreaterThan(10);
    const want = expected(isChat, window, 10);
    expect(result.traces.map((t) => [t.traceId, t.matchedSpans])).toEqual(
      want.map((w) => [w.traceId, w.matched]),
    );
    expect(result.meta).toEqual({
      start: new Date(window.startMs).toISOString(),
      end: new Date(window.endMs).toISOString(),
    });
    for (const hit of result.traces) {
      const page = await call<TraceBody>(server.httpUrl, 'GET', `/api/traces/${hit.traceId}`);
      const { summary } = page.body;
      expect([hit.rootName, hit.start, hit.durationMs, hit.spanCount, hit.errors], hit.traceId).toEqual([
        summary.rootName,
        summary.start,
        summary.durationMs,
        summary.spanCount,
        summary.errorCount,
      ]);
      expect(hit.dataset).toBe('claude-code');
      // the row's cost is the trace's, as its page shows it
      expect(hit.unpricedSpans, hit.traceId).toBe(summary.unpricedSpans);
      if (summary.costUsd === null) expect(hit.costUsd, hit.traceId).toBeNull();
      else expect(hit.costUsd, hit.traceId).toBeCloseTo(summary.costUsd, 9);
    }
    expect(result.traces.some((t) => (t.costUsd ?? 0) > 0)).toBe(true);
  });

  it('opens the traces of a heatmap cell and of OR filters over the week, newest first', async () => {
    const window = { startMs: END_MS - 7 * 24 * HOUR, endMs: END_MS + HOUR };
    const range = { start_time: window.startMs / 1000, end_time: window.endMs / 1000 };
    const cell = await search(
      {
        ...range,
        calculations: [{ op: 'HEATMAP', column: 'duration_ms' }],
        filters: [
          { column: 'duration_ms', op: '>=', value: 20_000 },
          { column: 'duration_ms', op: '<', value: 40_000 },
        ],
      },
      50,
    );
    const inCell = (s: OracleSpan) => s.durationMs >= 20_000 && s.durationMs < 40_000;
    expect(cell.traces.map((t) => [t.traceId, t.matchedSpans])).toEqual(
      expected(inCell, window, 50).map((w) => [w.traceId, w.matched]),
    );
    expect(cell.traces).toHaveLength(50);

    const either = await search(
      {
        ...range,
        dataset: ['investigator', 'evaluator'],
        filter_combination: 'OR',
        filters: [
          { column: 'name', op: 'starts-with', value: 'evaluate' },
          { column: 'name', op: 'contains', value: 'hypothesis' },
        ],
      },
      7,
    );
    const want = expected(
      (s) =>
        (s.dataset === 'investigator' || s.dataset === 'evaluator') &&
        (s.name.startsWith('evaluate') || s.name.includes('hypothesis')),
      window,
      7,
    );
    expect(want).toHaveLength(7);
    expect(either.traces.map((t) => [t.traceId, t.matchedSpans])).toEqual(
      want.map((w) => [w.traceId, w.matched]),
    );
  });

  it('lists nothing when nothing matches', async () => {
    const result = await search({
      time_range: 3600,
      filters: [{ column: 'name', op: '=', value: 'no such' }],
    });
    expect(result.traces).toEqual([]);
    expect(Date.parse(result.meta.end) - Date.parse(result.meta.start)).toBe(3_600_000);
  });

  it('shows unpriced usage as unknown cost, never $0, and counts the unpriced spans of a partly priced trace', async () => {
    const usage = { 'gen_ai.usage.input_tokens': 500, 'gen_ai.usage.output_tokens': 50 };
    const unknown = { 'gen_ai.request.model': 'no-such-model-anywhere', ...usage };
    const span = (trace: number, n: number, attributes: SpanSpec['attributes']): SpanSpec => ({
      traceId: (0xc0580000 + trace).toString(16).padStart(32, '0'),
      spanId: (0xc0580000 + trace * 16 + n).toString(16).padStart(16, '0'),
      name: n === 0 ? 'root' : 'chat',
      startMs: END_MS - HOUR + trace * 1000 + n,
      durationMs: 10,
      attributes,
    });
    await sendSpans(server.httpUrl, [
      resourceSpans('cost-lab', [
        span(1, 0, unknown),
        span(1, 1, unknown),
        span(2, 0, { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.cost': 0.25, ...usage }),
        span(2, 1, unknown),
        span(3, 0, {}),
      ]),
    ]);
    const { traces } = await search({ dataset: 'cost-lab', start_time: (END_MS - 2 * HOUR) / 1000 }, 10);
    expect(traces.map((t) => [t.traceId.slice(-1), t.costUsd, t.unpricedSpans])).toEqual([
      ['3', 0, 0],
      ['2', 0.25, 1],
      ['1', null, 2],
    ]);
  });

  describe('with traces whose matching spans lie far from their start', () => {
    const T = END_MS - 2 * HOUR;
    const id = (n: number): string => n.toString(16).padStart(32, '0');
    const spanId = (trace: number, n: number): string =>
      `${trace.toString(16).padStart(8, '0')}${n.toString(16).padStart(8, '0')}`;
    const spans: SpanSpec[] = [];
    const trace = (
      n: number,
      label: string,
      startMs: number,
      durationMs: number,
      matchAt: number[],
      error = false,
    ) => {
      spans.push({ traceId: id(n), spanId: spanId(n, 0), name: `root ${label}`, startMs, durationMs });
      for (const [i, at] of matchAt.entries()) {
        spans.push({
          traceId: id(n),
          spanId: spanId(n, i + 1),
          parentSpanId: spanId(n, 0),
          name: 'match',
          startMs: at,
          durationMs: 1000,
        });
      }
      spans.push({
        traceId: id(n),
        spanId: spanId(n, 99),
        parentSpanId: spanId(n, 0),
        name: 'other',
        startMs,
        durationMs: 500,
        error,
      });
    };
    // L: started first, matches last; M: started last, matches at its start and again at the very end
    trace(0x10, 'L', T - 10 * HOUR, 10 * HOUR, [T - 5 * 60_000]);
    trace(0x20, 'M', T - 3 * HOUR, 3 * HOUR, [T - 3 * HOUR, T - 2 * 60_000]);
    for (let i = 1; i <= 6; i++)
      trace(
        0x30 + i,
        `S${i}`,
        T - 9 * HOUR + i * 30 * 60_000,
        60_000,
        [T - 9 * HOUR + i * 30 * 60_000],
        i === 5,
      );
    const query = {
      dataset: 'search-lab',
      filters: [{ column: 'name', op: '=', value: 'match' }],
      start_time: (T - 12 * HOUR) / 1000,
      end_time: T / 1000,
    };

    beforeAll(async () => {
      await sendSpans(server.httpUrl, [resourceSpans('search-lab', spans)]);
    });

    const names = (result: SearchResult) => result.traces.map((t) => t.rootName);

    it('orders by trace start, not by when the matching spans happened, and counts every match', async () => {
      expect(names(await search(query, 2))).toEqual(['root M', 'root S6']);
      expect(names(await search(query, 3))).toEqual(['root M', 'root S6', 'root S5']);
      const every = await search(query, 20);
      expect(names(every)).toEqual([
        'root M',
        'root S6',
        'root S5',
        'root S4',
        'root S3',
        'root S2',
        'root S1',
        'root L',
      ]);
      expect(every.traces.map((t) => t.matchedSpans)).toEqual([2, 1, 1, 1, 1, 1, 1, 1]);
      for (const result of [await search(query, 1), await search(query, 2), every]) {
        expect(result.traces[0]).toEqual(every.traces[0]);
      }
    });

    it('describes each trace by its root span and whole-trace counts', async () => {
      const { traces } = await search(query, 3);
      expect(traces[2]).toEqual({
        traceId: id(0x35),
        rootName: 'root S5',
        dataset: 'search-lab',
        rootIsError: false,
        start: new Date(T - 9 * HOUR + 5 * 30 * 60_000).toISOString(),
        durationMs: 60_000,
        spanCount: 3,
        matchedSpans: 1,
        errors: 1,
        costUsd: 0,
        unpricedSpans: 0,
      });
      expect(traces[0]?.durationMs).toBe(3 * HOUR);
    });
  });

  it('answers a query it cannot open as traces with the reason', async () => {
    const cases: [unknown, number, string, RegExp][] = [
      [
        { query: { source: 'logs' } },
        400,
        'BAD_REQUEST',
        /query\.source: .*"logs" cannot be opened as traces/,
      ],
      [
        { query: { calculations: [{ op: 'P95' }] } },
        400,
        'QUERY_INVALID',
        /calculations\[0\]: P95 needs a column/,
      ],
      [{ query: {}, limit: 0 }, 400, 'BAD_REQUEST', /limit: a whole number from 1 to 200/],
      [{ query: {}, limit: 201 }, 400, 'BAD_REQUEST', /limit: a whole number from 1 to 200/],
      [{ query: {}, limit: 'all' }, 400, 'BAD_REQUEST', /limit: a whole number from 1 to 200/],
      [{ limit: 5 }, 400, 'BAD_REQUEST', /query: a query object/],
      [{ query: {}, sort: 'new' }, 400, 'BAD_REQUEST', /the body takes only query and limit/],
    ];
    for (const [body, status, code, message] of cases) {
      const response = await call<ErrorBody>(server.httpUrl, 'POST', '/api/traces/search', body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.body.error.code, JSON.stringify(body)).toBe(code);
      expect(response.body.error.message, JSON.stringify(body)).toMatch(message);
    }
  });
});
