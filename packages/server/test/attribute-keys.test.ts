import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, resourceSpans, sendSpans } from './helpers/api-client.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/**
 * Every attribute key OTLP allows is stored, listed, queried, grouped on and shown, and none of them
 * breaks a read for anybody else: an empty key once made every `GET /api/datasets` fail.
 */
const KEYS = [
  '',
  'plain',
  'with.dots',
  'quote"inside',
  "single'quote",
  'back\\slash',
  '$',
  '$.root',
  '[0]',
  'brackets[1].x',
  '~tilde/slash',
  '/',
  '__proto__',
  'constructor',
  'ключ 🔑 鍵',
  'k'.repeat(10_000),
];
const START_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
const TRACE_ID = 'ab'.repeat(16);
const RANGE = { start_time: START_MS / 1000 - 60, end_time: START_MS / 1000 + 3600 };
let server: TestServer;

const label = (key: string): string => (key.length > 40 ? `${key.slice(0, 10)}…(${key.length})` : key);

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
  // one span per key, each with its key set to `v<index>`, plus one span carrying every key at once
  const all: Record<string, string> = {};
  const spans = KEYS.map((key, i) => {
    Object.defineProperty(all, key, { value: `v${i}`, enumerable: true });
    return {
      traceId: TRACE_ID,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: `span ${i}`,
      startMs: START_MS + i,
      durationMs: 1,
      attributes: Object.defineProperty({}, key, { value: `v${i}`, enumerable: true }),
    };
  });
  spans.push({
    traceId: TRACE_ID,
    spanId: 'ff'.repeat(8),
    name: 'every key',
    startMs: START_MS + 100,
    durationMs: 1,
    attributes: all,
  });
  await sendSpans(server.httpUrl, [resourceSpans('odd-keys', spans)]);
});
afterAll(async () => {
  await server?.close();
});

interface Datasets {
  spans: { datasets: { name: string; attributes: { name: string; type: string }[] }[] };
}

describe('attribute keys of every shape', () => {
  it('lists every key for the dataset', async () => {
    const response = await call<Datasets>(server.httpUrl, 'GET', '/api/datasets');
    expect(response.status).toBe(200);
    const dataset = response.body.spans.datasets.find((d) => d.name === 'odd-keys');
    const names = dataset?.attributes.map((a) => a.name) ?? [];
    for (const key of KEYS) expect(names, label(key)).toContain(key);
  });

  it.each(KEYS.map((key, i) => [label(key), key, i] as const))(
    'queries and groups on %s',
    async (_l, key, i) => {
      const result = await server.query({
        ...RANGE,
        dataset: 'odd-keys',
        calculations: [{ op: 'COUNT' }],
        filters: [{ column: key, op: 'exists' }],
        breakdowns: [key],
      });
      // the span with this key alone and the span with every key
      expect(result.totals.COUNT).toBe(2);
      expect(result.groups).toHaveLength(1);
      expect(result.groups[0]?.key[key]).toBe(`v${i}`);
      const equal = await server.query({
        ...RANGE,
        dataset: 'odd-keys',
        calculations: [{ op: 'COUNT' }],
        filters: [{ column: key, op: '=', value: `v${i}` }],
      });
      expect(equal.totals.COUNT).toBe(2);
    },
  );

  it('shows every key on the span', async () => {
    const response = await call<{ attributes: Record<string, unknown> }>(
      server.httpUrl,
      'GET',
      `/api/traces/${TRACE_ID}/spans/${'ff'.repeat(8)}`,
    );
    expect(response.status).toBe(200);
    for (const [i, key] of KEYS.entries()) {
      expect(Object.hasOwn(response.body.attributes, key), label(key)).toBe(true);
      expect(response.body.attributes[key], label(key)).toBe(`v${i}`);
    }
    const trace = await call<{ spans: { span_id: string; attributes: Record<string, unknown> }[] }>(
      server.httpUrl,
      'GET',
      `/api/traces/${TRACE_ID}`,
    );
    expect(trace.status).toBe(200);
    const every = trace.body.spans.find((s) => s.span_id === 'ff'.repeat(8));
    // the span's own keys next to its resource's
    expect(Object.keys(every?.attributes ?? {}).sort()).toEqual([...KEYS, 'service.name'].sort());
  });
});

describe('lone surrogates sent in OTLP/JSON', () => {
  it('are stored as U+FFFD, and every read of the store keeps working', async () => {
    // JSON text is the one way to send them: protobuf strings are UTF-8
    const body = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"surrogates"}}]},"scopeSpans":[{"spans":[{"traceId":"${'cd'.repeat(16)}","spanId":"${'cd'.repeat(8)}","name":"lone","startTimeUnixNano":"${START_MS}000000","endTimeUnixNano":"${START_MS + 1}000000","attributes":[{"key":"k\\ud800","value":{"stringValue":"v\\udc00w"}}]}]}]}]}`;
    const response = await fetch(`${server.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    const datasets = await call<Datasets>(server.httpUrl, 'GET', '/api/datasets');
    expect(datasets.status).toBe(200);
    const attributes = datasets.body.spans.datasets.find((d) => d.name === 'surrogates')?.attributes;
    expect(attributes?.map((a) => a.name)).toContain('k\ufffd');
    const grouped = await server.query({
      ...RANGE,
      calculations: [{ op: 'COUNT' }],
      breakdowns: ['k\ufffd'],
    });
    expect(grouped.groups.map((g) => g.key['k\ufffd'])).toContain('v\ufffdw');
  });
});
