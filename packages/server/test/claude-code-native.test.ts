/**
 * Claude Code's native OpenTelemetry (SPECS §4: metrics, `claude_code.*` log events, beta traces) sent to a
 * real server beside the hook's spans for the same session: one conversation, each model call counted
 * once, in both modes (hook transcript chat spans; native traces on, the hook makes none).
 */
import { spansToOtlpJson } from '@loopline/claude-code';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NATIVE_TRACES_ENV } from '../../claude-code/src/hooks/hook-chat-spans.ts';
import { ScriptedSession } from '../../claude-code/src/hooks/hook-test-support.ts';
import { call } from './helpers/api-client.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
});
afterAll(async () => {
  await server?.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const MODEL = 'claude-opus-4-6';
/** ScriptedSession.transcriptTurn's usage: 10 fresh input, 1,000 cache read, 200 cache write, 50 output. */
const CALL_INPUT = 10 + 1000 + 200;
const CALL_OUTPUT = 50;
const NATIVE_COST = 0.0125;

type Value = string | number | boolean;
const kv = (attrs: Record<string, Value>) =>
  Object.entries(attrs).map(([key, value]) => ({
    key,
    value:
      typeof value === 'string'
        ? { stringValue: value }
        : typeof value === 'boolean'
          ? { boolValue: value }
          : Number.isInteger(value)
            ? { intValue: String(value) }
            : { doubleValue: value },
  }));
const nanos = (ms: number): string => `${Math.round(ms)}000000`;
const hex = (prefix: string, seed: string, length: number): string => {
  let h = 0;
  for (const ch of `${prefix}${seed}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `${h.toString(16)}${'a'.repeat(length)}`.slice(0, length);
};

/** Claude Code's resource and standard attributes (SPECS §4.1). */
const RESOURCE = { 'service.name': 'claude-code', 'service.version': '2.1.240', 'os.type': 'linux' };
const standard = (sessionId: string) => ({
  'session.id': sessionId,
  'app.version': '2.1.240',
  'organization.id': 'org-1',
  'user.account_uuid': 'acct-1',
  'user.id': 'anon-7f3e',
  'user.email': 'dev@acme.test',
  'terminal.type': 'vscode',
});

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.text()).toBe(200);
}

interface NativeCall {
  promptId: string;
  requestId: string;
  toolUseId: string;
  atMs: number;
}

/** The log events Claude Code emits for one prompt with one API call and one tool call (SPECS §4.3). */
function nativeLogs(sessionId: string, calls: NativeCall[]) {
  const event = (name: string, atMs: number, seq: number, attrs: Record<string, Value>) => ({
    timeUnixNano: nanos(atMs),
    observedTimeUnixNano: nanos(atMs),
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: `claude_code.${name}` },
    attributes: kv({
      ...standard(sessionId),
      'event.name': name,
      'event.timestamp': new Date(atMs).toISOString(),
      'event.sequence': seq,
      ...attrs,
    }),
  });
  const records = calls.flatMap((c, i) => [
    event('user_prompt', c.atMs, i * 3, { 'prompt.id': c.promptId, prompt_length: 3, prompt: '<REDACTED>' }),
    event('api_request', c.atMs + 1500, i * 3 + 1, {
      'prompt.id': c.promptId,
      model: MODEL,
      cost_usd: NATIVE_COST,
      duration_ms: 1400,
      input_tokens: 10,
      output_tokens: CALL_OUTPUT,
      cache_read_tokens: 1000,
      cache_creation_tokens: 200,
      request_id: c.requestId,
      query_source: 'main',
    }),
    event('tool_result', c.atMs + 1700, i * 3 + 2, {
      'prompt.id': c.promptId,
      tool_name: 'Bash',
      tool_use_id: c.toolUseId,
      success: 'true',
      duration_ms: 1200,
    }),
  ]);
  return {
    resourceLogs: [
      {
        resource: { attributes: kv(RESOURCE) },
        scopeLogs: [
          { scope: { name: 'com.anthropic.claude_code.events', version: '2.1.240' }, logRecords: records },
        ],
      },
    ],
  };
}

/** `claude_code.token.usage` and `claude_code.cost.usage` (delta sums, SPECS §4.2). */
function nativeMetrics(sessionId: string, atMs: number, calls: number) {
  const point = (value: number, attrs: Record<string, Value>) => ({
    attributes: kv({ 'session.id': sessionId, 'user.email': 'dev@acme.test', model: MODEL, ...attrs }),
    startTimeUnixNano: nanos(atMs - 60_000),
    timeUnixNano: nanos(atMs),
    asDouble: value,
  });
  const sum = (dataPoints: unknown[]) => ({ aggregationTemporality: 1, isMonotonic: true, dataPoints });
  return {
    resourceMetrics: [
      {
        resource: { attributes: kv(RESOURCE) },
        scopeMetrics: [
          {
            scope: { name: 'com.anthropic.claude_code', version: '2.1.240' },
            metrics: [
              {
                name: 'claude_code.token.usage',
                unit: 'tokens',
                sum: sum([
                  point(10 * calls, { type: 'input' }),
                  point(CALL_OUTPUT * calls, { type: 'output' }),
                  point(1000 * calls, { type: 'cacheRead' }),
                  point(200 * calls, { type: 'cacheCreation' }),
                ]),
              },
              { name: 'claude_code.cost.usage', unit: 'USD', sum: sum([point(NATIVE_COST * calls, {})]) },
            ],
          },
        ],
      },
    ],
  };
}

/** The beta traces (SPECS §4.4): interaction → llm_request + tool, per prompt. */
function nativeSpans(sessionId: string, calls: NativeCall[]) {
  const spans = calls.flatMap((c) => {
    const traceId = hex('t', c.promptId, 32);
    const root = hex('i', c.promptId, 16);
    const base = { traceId, kind: 1, status: {} };
    return [
      {
        ...base,
        spanId: root,
        name: 'claude_code.interaction',
        startTimeUnixNano: nanos(c.atMs),
        endTimeUnixNano: nanos(c.atMs + 3000),
        attributes: kv({ ...standard(sessionId), user_prompt_length: 3 }),
      },
      {
        ...base,
        spanId: hex('l', c.promptId, 16),
        parentSpanId: root,
        name: 'claude_code.llm_request',
        kind: 3,
        startTimeUnixNano: nanos(c.atMs + 100),
        endTimeUnixNano: nanos(c.atMs + 1500),
        attributes: kv({
          ...standard(sessionId),
          'gen_ai.system': 'anthropic',
          'gen_ai.request.model': MODEL,
          'gen_ai.response.id': c.requestId,
          input_tokens: 10,
          output_tokens: CALL_OUTPUT,
          cache_read_tokens: 1000,
          cache_creation_tokens: 200,
          ttft_ms: 600,
          duration_ms: 1400,
          attempt: 1,
          query_source: 'main',
          success: true,
          status_code: 200,
        }),
      },
      {
        ...base,
        spanId: hex('x', c.promptId, 16),
        parentSpanId: root,
        name: 'claude_code.tool',
        startTimeUnixNano: nanos(c.atMs + 1600),
        endTimeUnixNano: nanos(c.atMs + 2800),
        attributes: kv({
          ...standard(sessionId),
          tool_name: 'Bash',
          tool_use_id: c.toolUseId,
          'gen_ai.tool.call.id': c.toolUseId,
          duration_ms: 1200,
        }),
      },
    ];
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: kv(RESOURCE) },
        scopeSpans: [{ scope: { name: 'com.anthropic.claude_code.tracing', version: '2.1.240' }, spans }],
      },
    ],
  };
}

/** Two prompts through the hook (one tool call, one model call each, in the transcript). */
function hookSession(sessionId: string): { session: ScriptedSession; calls: NativeCall[] } {
  const session = new ScriptedSession(sessionId);
  const calls: NativeCall[] = [];
  session.run('SessionStart', { source: 'startup', model: MODEL });
  for (const n of [1, 2]) {
    const promptId = `${sessionId}-p${n}`;
    const messageId = `${sessionId}-m${n}`;
    session.run('UserPromptSubmit', { prompt: 'one', prompt_id: promptId }, 5000);
    const atMs = session.nowMs;
    session.transcriptTurn({ promptId, prompt: 'one', atMs: atMs + 10, model: MODEL, messageId });
    const tool = {
      tool_use_id: `${sessionId}-t${n}`,
      tool_name: 'Bash',
      tool_input: {},
      prompt_id: promptId,
    };
    session.run('PreToolUse', tool, 1600);
    session.run('PostToolUse', { ...tool, tool_response: {}, duration_ms: 1200 }, 1200);
    session.run('Stop', { prompt_id: promptId }, 500);
    calls.push({ promptId, requestId: `req-${messageId}`, toolUseId: tool.tool_use_id, atMs });
  }
  return { session, calls };
}

interface ConversationBody {
  conversationId: string;
  totals: {
    traces: number;
    llmCalls: number;
    toolCalls: number;
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
  };
  spans: {
    name: string;
    operation: string | null;
    conversation_id: string | null;
    attributes: Record<string, unknown>;
  }[];
}

async function conversation(id: string): Promise<ConversationBody> {
  const response = await call<ConversationBody>(server.httpUrl, 'GET', `/api/conversations/${id}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

const RANGE = {
  start_time: Date.UTC(2026, 10, 20, 8, 0, 0) / 1000,
  end_time: Date.UTC(2026, 10, 20, 10, 0, 0) / 1000,
};
const conversationIs = (id: string) => ({ column: 'gen_ai.conversation.id', op: '=', value: id });
/** The home page's LLM filter. */
const LLM = { column: 'gen_ai.operation.name', op: 'in', value: ['chat', 'text_completion'] };

async function total(spec: object): Promise<number | null> {
  const result = await server.query({ ...RANGE, ...spec });
  return Object.values(result.totals)[0] ?? null;
}

/** The span totals a conversation's usage queries give: [input tokens, output tokens, cost, calls]. */
async function spanUsage(id: string): Promise<[number | null, number | null, number | null, number | null]> {
  const calcs = async (filters: object[]) =>
    Promise.all([
      total({ filters, calculations: [{ op: 'SUM', column: 'gen_ai.usage.input_tokens' }] }),
      total({ filters, calculations: [{ op: 'SUM', column: 'gen_ai.usage.output_tokens' }] }),
      total({ filters, calculations: [{ op: 'SUM', column: 'cost_usd' }] }),
      total({ filters, calculations: [{ op: 'COUNT' }] }),
    ]);
  const llm = await calcs([conversationIs(id), LLM]);
  // usage sits on chat spans only: every span of the conversation gives the same sums
  const all = await calcs([conversationIs(id)]);
  expect(all.slice(0, 3)).toEqual(llm.slice(0, 3));
  return llm as [number | null, number | null, number | null, number | null];
}

describe('Claude Code native telemetry beside the hook: one conversation', () => {
  it('hooks + native metrics and logs: the transcript chat spans are the calls, counted once', async () => {
    vi.stubEnv(NATIVE_TRACES_ENV, '0');
    const id = 'sess-native-logs';
    const { session, calls } = hookSession(id);
    await post('/v1/traces', spansToOtlpJson(session.sent));
    await post('/v1/logs', nativeLogs(id, calls));
    await post('/v1/metrics', nativeMetrics(id, calls[1]!.atMs + 3000, calls.length));

    const view = await conversation(id);
    expect(view.totals).toMatchObject({
      traces: 2,
      llmCalls: 2,
      toolCalls: 2,
      inputTokens: 2 * CALL_INPUT,
      outputTokens: 2 * CALL_OUTPUT,
    });
    expect(
      view.spans
        .filter((s) => s.operation === 'chat')
        .map((s) => s.attributes.request_id)
        .sort(),
    ).toEqual(calls.map((c) => c.requestId).sort());
    const [input, output, cost, count] = await spanUsage(id);
    expect([input, output, count]).toEqual([2 * CALL_INPUT, 2 * CALL_OUTPUT, 2]);
    expect(cost).toBeCloseTo(view.totals.costUsd, 9);
    expect(cost).toBeGreaterThan(0);

    // the native events are logs of the same conversation, never spans
    const events = await server.query({
      ...RANGE,
      source: 'logs',
      filters: [conversationIs(id)],
      breakdowns: ['event.name'],
      calculations: [{ op: 'COUNT' }],
    });
    expect(Object.fromEntries(events.groups.map((g) => [g.key['event.name'], g.values.COUNT]))).toEqual({
      'claude_code.user_prompt': 2,
      'claude_code.api_request': 2,
      'claude_code.tool_result': 2,
    });
    // their own reported cost and tokens, summed from the logs table, say the same number of calls
    const apiRequest = { column: 'event.name', op: '=', value: 'claude_code.api_request' };
    expect(
      await total({
        source: 'logs',
        filters: [conversationIs(id), apiRequest],
        calculations: [{ op: 'SUM', column: 'cost_usd' }],
      }),
    ).toBeCloseTo(2 * NATIVE_COST, 9);
    // metrics are their own table, keyed by session.id
    expect(
      await total({
        source: 'metrics',
        filters: [
          { column: 'metric.name', op: '=', value: 'claude_code.token.usage' },
          { column: 'session.id', op: '=', value: id },
          { column: 'type', op: '=', value: 'output' },
        ],
        calculations: [{ op: 'SUM', column: 'value' }],
      }),
    ).toBe(2 * CALL_OUTPUT);
  });

  it('joins native events to hook turns by prompt.id, tool calls by tool_use_id, calls by request_id', async () => {
    const id = 'sess-native-logs';
    const [first] = (await conversation(id)).spans.filter(
      (s) => s.name === 'invoke_agent claude-code' && s.attributes['prompt.id'] === `${id}-p1`,
    );
    expect(first).toBeDefined();
    const byPrompt = await server.query({
      ...RANGE,
      source: 'logs',
      filters: [conversationIs(id), { column: 'prompt.id', op: '=', value: `${id}-p1` }],
      breakdowns: ['event.name', 'request_id', 'tool_use_id'],
      calculations: [{ op: 'COUNT' }],
    });
    expect(
      byPrompt.groups
        .map((g) => g.key)
        .sort((a, b) => String(a['event.name']).localeCompare(String(b['event.name']))),
    ).toEqual([
      { 'event.name': 'claude_code.api_request', request_id: `req-${id}-m1`, tool_use_id: null },
      { 'event.name': 'claude_code.tool_result', request_id: null, tool_use_id: `${id}-t1` },
      { 'event.name': 'claude_code.user_prompt', request_id: null, tool_use_id: null },
    ]);
    // the hook's tool span and chat span carry the same keys
    expect(
      await total({
        filters: [conversationIs(id), { column: 'gen_ai.tool.call.id', op: '=', value: `${id}-t1` }],
      }),
    ).toBe(1);
    expect(await total({ filters: [LLM, { column: 'request_id', op: '=', value: `req-${id}-m1` }] })).toBe(1);
  });

  it('native traces on: the hook makes no chat spans, llm_request spans are the calls, counted once', async () => {
    vi.stubEnv(NATIVE_TRACES_ENV, '1');
    const id = 'sess-native-traces';
    const { session, calls } = hookSession(id);
    expect(session.sent.filter((s) => s.name.startsWith('chat '))).toEqual([]);
    await post('/v1/traces', spansToOtlpJson(session.sent));
    await post('/v1/traces', nativeSpans(id, calls));
    await post('/v1/logs', nativeLogs(id, calls));
    await post('/v1/metrics', nativeMetrics(id, calls[1]!.atMs + 3000, calls.length));

    const view = await conversation(id);
    // hook turns and native interactions: four traces of one conversation
    expect(view.totals).toMatchObject({
      traces: 4,
      llmCalls: 2,
      inputTokens: 2 * CALL_INPUT,
      outputTokens: 2 * CALL_OUTPUT,
    });
    const llm = view.spans.filter((s) => s.operation === 'chat');
    expect(llm.map((s) => s.name)).toEqual(['claude_code.llm_request', 'claude_code.llm_request']);
    expect(llm.every((s) => s.conversation_id === id)).toBe(true);
    expect(view.spans.every((s) => s.conversation_id === id)).toBe(true);

    const [input, output, cost, count] = await spanUsage(id);
    expect([input, output, count]).toEqual([2 * CALL_INPUT, 2 * CALL_OUTPUT, 2]);
    expect(cost).toBeCloseTo(view.totals.costUsd, 9);

    // the same calls cost the same in both modes (both priced from the price table)
    const [, , hookCost] = await spanUsage('sess-native-logs');
    expect(cost).toBeCloseTo(hookCost ?? Number.NaN, 9);

    // native llm_request → chat with model, provider, canonical usage and request id
    const row = await server.query({
      ...RANGE,
      filters: [conversationIs(id), LLM],
      breakdowns: [
        'name',
        'gen_ai.request.model',
        'gen_ai.provider.name',
        'gen_ai.response.id',
        'cost_source',
      ],
      calculations: [{ op: 'SUM', column: 'gen_ai.usage.cache_read.input_tokens' }],
      orders: [{ column: 'gen_ai.response.id', order: 'ascending' }],
    });
    expect(row.groups.map((g) => g.key)).toEqual(
      calls.map((c) => ({
        name: 'claude_code.llm_request',
        'gen_ai.request.model': MODEL,
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.response.id': c.requestId,
        cost_source: 'computed',
      })),
    );
  });
});
