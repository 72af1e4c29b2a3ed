import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** Two instrumentation libraries in one service: Anthropic's with a scope attribute, OpenAI's in two versions. */
const SCOPES = [
  {
    name: '@traceloop/instrumentation-anthropic',
    version: '0.27.0',
    attributes: [{ key: 'instrumentation.owner', value: { stringValue: 'platform' } }],
  },
  { name: '@traceloop/instrumentation-openai', version: '0.9.1' },
  { name: '@traceloop/instrumentation-openai', version: '0.9.2' },
];
/** How many items each scope sends. */
const ITEMS = [3, 2, 1];
const RESOURCE = { attributes: [{ key: 'service.name', value: { stringValue: 'scoped-agent' } }] };
const TRACE_ID = '6a1f0e8c2b3d4e5f6a7b8c9d0e1f2a3b';

const nanos = (msAgo: number): string => String(BigInt(Date.now() - msAgo) * 1_000_000n);
const items = <T>(scopeIndex: number, make: (i: number) => T): T[] =>
  Array.from({ length: ITEMS[scopeIndex] ?? 0 }, (_, i) => make(scopeIndex * 10 + i));

const traces = () => ({
  resourceSpans: [
    {
      resource: RESOURCE,
      scopeSpans: SCOPES.map((scope, s) => ({
        scope,
        spans: items(s, (i) => ({
          traceId: TRACE_ID,
          spanId: `00000000000000${String(i + 10)}`,
          name: 'chat',
          kind: 3,
          startTimeUnixNano: nanos(5000),
          endTimeUnixNano: nanos(4000),
          attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } }],
        })),
      })),
    },
  ],
});

const logs = () => ({
  resourceLogs: [
    {
      resource: RESOURCE,
      scopeLogs: SCOPES.map((scope, s) => ({
        scope,
        logRecords: items(s, (i) => ({ timeUnixNano: nanos(5000), body: { stringValue: `record ${i}` } })),
      })),
    },
  ],
});

const metrics = () => ({
  resourceMetrics: [
    {
      resource: RESOURCE,
      scopeMetrics: SCOPES.map((scope, s) => ({
        scope,
        metrics: items(s, (i) => ({
          name: `calls.${i}`,
          gauge: { dataPoints: [{ timeUnixNano: nanos(5000), asDouble: i }] },
        })),
      })),
    },
  ],
});

let server: TestServer;

async function send(path: string, body: object): Promise<void> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.text()).toBe(200);
}

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
  await send('/v1/traces', traces());
  await send('/v1/logs', logs());
  await send('/v1/metrics', metrics());
});
afterAll(async () => {
  await server?.close();
});

/** COUNT per group, keyed by the group's values joined with ' @ '. */
async function countsBy(source: string, breakdowns: string[], filters: object[] = []) {
  const result = await server.query({ source, breakdowns, filters, time_range: 3600 });
  return Object.fromEntries(
    result.groups.map((g) => [breakdowns.map((b) => String(g.key[b])).join(' @ '), g.values.COUNT]),
  );
}

describe.each(['spans', 'logs', 'metrics'])('%s from two instrumentation libraries', (source) => {
  it('group by otel.scope.name', async () => {
    expect(await countsBy(source, ['otel.scope.name'])).toEqual({
      '@traceloop/instrumentation-anthropic': 3,
      '@traceloop/instrumentation-openai': 3,
    });
  });

  it('group by library name and scope_version, the other spellings', async () => {
    expect(await countsBy(source, ['library.name', 'scope_version'])).toEqual({
      '@traceloop/instrumentation-anthropic @ 0.27.0': 3,
      '@traceloop/instrumentation-openai @ 0.9.1': 2,
      '@traceloop/instrumentation-openai @ 0.9.2': 1,
    });
  });

  it('filter on a scope attribute, kept under its own key', async () => {
    const filters = [{ column: 'instrumentation.owner', op: '=', value: 'platform' }];
    expect(await countsBy(source, ['otel.scope.version'], filters)).toEqual({ '0.27.0': 3 });
  });
});

describe('the trace view', () => {
  it('shows a span with its scope and the scope attribute', async () => {
    const response = await fetch(`${server.httpUrl}/api/traces/${TRACE_ID}`);
    expect(response.status).toBe(200);
    const trace = (await response.json()) as { spans: Record<string, unknown>[] };
    const span = trace.spans.find((s) => s.span_id === '0000000000000010');
    expect(span).toMatchObject({
      scope_name: '@traceloop/instrumentation-anthropic',
      scope_version: '0.27.0',
      attributes: { 'instrumentation.owner': 'platform', 'gen_ai.request.model': 'gpt-4o-mini' },
    });
  });
});

describe('two versions of one library', () => {
  it('store the same log record and metric point once each, not as a repeat', async () => {
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'two-versions' } }] };
    const versions = ['1.0.0', '1.1.0'].map((version) => ({ name: '@acme/sdk', version }));
    const timeUnixNano = nanos(3000);
    await send('/v1/logs', {
      resourceLogs: [
        {
          resource,
          scopeLogs: versions.map((scope) => ({
            scope,
            logRecords: [{ timeUnixNano, body: { stringValue: 'same' } }],
          })),
        },
      ],
    });
    const gauge = { name: 'same', gauge: { dataPoints: [{ timeUnixNano, asDouble: 1 }] } };
    await send('/v1/metrics', {
      resourceMetrics: [{ resource, scopeMetrics: versions.map((scope) => ({ scope, metrics: [gauge] })) }],
    });
    const filters = [{ column: 'service.name', op: '=', value: 'two-versions' }];
    for (const source of ['logs', 'metrics']) {
      expect(await countsBy(source, ['otel.scope.version'], filters)).toEqual({ '1.0.0': 1, '1.1.0': 1 });
    }
  });
});
