import { describe, expect, it } from 'vitest';
import { event, SPAN_ID, START_US, span, TRACE_ID, traces } from '../../test/raw-builders.ts';
import { bundledPriceTable } from '../pricing/price-table.ts';
import type { Attributes, RawSpan } from '../raw-otlp.ts';
import type { SpanRow } from '../span-row.ts';
import type { NormalizeOptions } from './normalize-options.ts';
import { normalizeSpans } from './normalize-spans.ts';

const options: NormalizeOptions = {
  prices: bundledPriceTable(),
  captureContent: false,
  now: () => 1_800_000_000_000,
};

function one(raw: RawSpan, resource?: Attributes, scopeName?: string): SpanRow {
  const result = normalizeSpans(
    traces([raw], resource, scopeName ? { name: scopeName, version: '0.27.0' } : undefined),
    options,
  );
  expect(result.errors).toEqual([]);
  const row = result.rows[0];
  if (row === undefined) throw new Error('no row');
  return row;
}

describe('typed columns', () => {
  it('fills a GenAI chat span and merges resource attributes under span attributes', () => {
    const row = one(
      span({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        parentSpanId: '53995c3f42cd8ad8',
        name: 'chat claude-sonnet-4-5',
        kind: 3,
        statusCode: 2,
        statusMessage: 'overloaded',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
          'gen_ai.conversation.id': 'conv-7',
          'gen_ai.agent.name': 'refund-agent',
          'error.type': 'overloaded_error',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.request.temperature': 0.2,
          'deployment.environment': 'staging',
        },
      }),
      { 'service.name': 'checkout-agent', 'service.version': '1.4.2', 'deployment.environment': 'prod' },
    );
    expect(row).toMatchObject({
      timestamp: START_US,
      end_timestamp: START_US + 1_500_000,
      duration_ms: 1500,
      trace_id: TRACE_ID,
      span_id: SPAN_ID,
      parent_span_id: '53995c3f42cd8ad8',
      kind: 'client',
      status_code: 'error',
      status_message: 'overloaded',
      is_error: true,
      dataset: 'checkout-agent',
      service_version: '1.4.2',
      scope_name: 'test-scope',
      scope_version: '1.0.0',
      operation: 'chat',
      provider: 'anthropic',
      request_model: 'claude-sonnet-4-5',
      response_model: 'claude-sonnet-4-5-20250929',
      conversation_id: 'conv-7',
      agent_name: 'refund-agent',
      error_type: 'overloaded_error',
      sample_rate: 1,
      events: '[]',
      links: '[]',
    });
    expect(JSON.parse(row.attributes)).toEqual({
      'service.name': 'checkout-agent',
      'service.version': '1.4.2',
      'deployment.environment': 'staging',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.conversation.id': 'conv-7',
      'gen_ai.agent.name': 'refund-agent',
      'error.type': 'overloaded_error',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.request.temperature': 0.2,
    });
  });

  it.each([
    [0, 'unspecified'],
    [1, 'internal'],
    [2, 'server'],
    [3, 'client'],
    [4, 'producer'],
    [5, 'consumer'],
    [9, 'unspecified'],
  ])('kind %i is %s', (kind, name) => {
    expect(one(span({ kind })).kind).toBe(name);
  });

  it.each([
    [0, 'unset', false],
    [1, 'ok', false],
    [2, 'error', true],
  ])('status %i is %s', (statusCode, name, isError) => {
    expect(one(span({ statusCode }))).toMatchObject({ status_code: name, is_error: isError });
  });

  it('uses unknown_service when the resource has no service.name, and the clock for a missing start', () => {
    const row = one(span({ startUs: 0, endUs: 0 }), {});
    expect(row.dataset).toBe('unknown_service');
    expect(row.timestamp).toBe(1_800_000_000_000_000);
    expect(row.duration_ms).toBe(0);
  });

  it('reads cicd and vcs columns from the resource', () => {
    const row = one(span({ name: 'RUN ci', kind: 2, attributes: { 'cicd.pipeline.result': 'failure' } }), {
      'service.name': 'github-actions',
      'cicd.pipeline.name': 'ci',
      'cicd.pipeline.run.id': 123456,
      'cicd.pipeline.task.name': 'test',
      'cicd.pipeline.task.run.id': '987',
      'vcs.repository.url.full': 'https://github.com/acme/shop',
      'vcs.ref.head.name': 'main',
      'vcs.ref.head.revision': 'a1b2c3',
    });
    expect(row).toMatchObject({
      cicd_pipeline_name: 'ci',
      cicd_pipeline_run_id: '123456',
      cicd_task_name: 'test',
      cicd_task_run_id: '987',
      cicd_result: 'failure',
      vcs_repository: 'https://github.com/acme/shop',
      vcs_ref: 'main',
      vcs_revision: 'a1b2c3',
    });
  });

  it.each([
    [{ 'user.name': 'n', 'user.email': 'e@x.io', 'enduser.id': 'end', 'user.id': 'u-1' }, 'u-1'],
    [{ 'user.name': 'n', 'user.email': 'e@x.io', 'enduser.id': 'end' }, 'end'],
    [{ 'user.name': 'n', 'user.email': 'e@x.io' }, 'e@x.io'],
    [{ 'user.name': 'n' }, 'n'],
  ])('user_id from %o is %s', (attributes, expected) => {
    expect(one(span({ attributes })).user_id).toBe(expected);
  });

  it("names the person of Claude Code's own records by user.email (when signed in) over its anonymous user.id", () => {
    const hash = 'f8e85e41405c0097d996aa2cb497b14b2b7c89b31b3ba2f8a43603b5ee783c62';
    const user = (attributes: Record<string, string>, service: string) =>
      one(span({ attributes }), { 'service.name': service }).user_id;
    expect(user({ 'user.id': hash, 'user.email': 'dana@acme.test' }, 'claude-code')).toBe('dana@acme.test');
    expect(user({ 'user.id': hash, 'user.email': 'dana@acme.test' }, 'other')).toBe(hash);
    // an API-key session sends no user.email: the anonymous id stays
    expect(user({ 'user.id': hash }, 'claude-code')).toBe(hash);
    // a user.id someone chose (not Claude Code's hash) still comes first
    expect(user({ 'user.id': 'dana', 'user.email': 'dana@example.com' }, 'claude-code')).toBe('dana');
  });

  it.each([
    [{ SampleRate: 10 }, 10],
    [{ sample_rate: '4' }, 4],
    [{ 'sampling.rate': 20 }, 20],
    [{ SampleRate: 0.5 }, 1],
    [{ SampleRate: 'x' }, 1],
  ])('sample_rate from %o is %i', (attributes, expected) => {
    expect(one(span({ attributes })).sample_rate).toBe(expected);
  });

  it('reads the sample rate from an OpenTelemetry tracestate threshold (th:c → 1 in 4)', () => {
    expect(one(span({ traceState: 'ot=th:c;rv:0123456789abcd' })).sample_rate).toBe(4);
  });

  it('keeps a declared SampleRate of 1 over a tracestate threshold (the first value ≥ 1 wins)', () => {
    const traceState = 'ot=th:c';
    expect(one(span({ traceState, attributes: { SampleRate: 1 } })).sample_rate).toBe(1);
    expect(one(span({ traceState, attributes: { sample_rate: '10' } })).sample_rate).toBe(10);
    // a value below 1 is no rate at all: the threshold is read
    expect(one(span({ traceState, attributes: { SampleRate: 0.5 } })).sample_rate).toBe(4);
  });

  it('maps deprecated gen_ai.system and session.id', () => {
    const row = one(span({ attributes: { 'gen_ai.system': 'vertex_ai', 'session.id': 'sess-1' } }), {
      'service.name': 'x',
    });
    expect(row).toMatchObject({ provider: 'gcp.vertex_ai', conversation_id: 'sess-1' });
  });

  it("takes Claude Code's session.id as the conversation, where a sub-agent's calls name the agent instead", () => {
    const attributes = { 'gen_ai.conversation.id': 'a8f78a36f72e743cc', 'session.id': 'sess-9' };
    expect(one(span({ attributes }), { 'service.name': 'claude-code' }).conversation_id).toBe('sess-9');
    expect(one(span({ attributes }), { 'service.name': 'other' }).conversation_id).toBe('a8f78a36f72e743cc');
  });

  it("leaves Gemini CLI's own llm_call usage as attributes (its api_response logs carry the counted calls)", () => {
    const attributes = { 'gen_ai.usage.input_tokens': 900, 'gen_ai.usage.output_tokens': 30 };
    const own = one(span({ name: 'llm_call', attributes }), { 'service.name': 'gemini-cli' }, 'gemini-cli');
    expect([own.input_tokens, own.output_tokens, own.cost_usd]).toEqual([null, null, null]);
    const other = one(
      span({ name: 'chat', attributes }),
      { 'service.name': 'gemini-cli' },
      '@loopline/claude-code',
    );
    expect([other.input_tokens, other.output_tokens]).toEqual([900, 30]);
  });

  it('converts time to first chunk seconds to milliseconds', () => {
    expect(one(span({ attributes: { 'gen_ai.response.time_to_first_chunk': 0.42 } })).ttft_ms).toBeCloseTo(
      420,
    );
    expect(one(span({ attributes: { ttft_ms: '812' } })).ttft_ms).toBe(812);
  });
});

describe('rejected spans', () => {
  it('counts spans with bad ids, keeps the rest, and writes one message per kind of problem', () => {
    const good = span();
    const result = normalizeSpans(
      traces([
        span({ traceId: 'abc' }),
        good,
        span({ traceId: '0'.repeat(32) }),
        span({ spanId: 'xyz' }),
        span({ spanId: '0'.repeat(16) }),
        span({ traceId: 'nope' }),
        span({ traceId: 'g'.repeat(32) }),
      ]),
      options,
    );
    expect(result.rows.map((r) => r.span_id)).toEqual([good.spanId]);
    expect(result.rejected).toBe(6);
    expect(result.errors).toHaveLength(4);
    expect(result.errors[0]).toMatch(/^3 × span rejected: trace id is not 32 hex characters \(first: "abc\//);
    expect(result.errors.join('\n')).toContain('1 × span rejected: trace id is all zeros');
    expect(result.errors.join('\n')).toContain('1 × span rejected: span id is not 16 hex characters');
    expect(result.errors.join('\n')).toContain('1 × span rejected: span id is all zeros');
  });

  it('lowercases upper-case ids and turns an all-zero parent into a root', () => {
    const row = one(span({ traceId: TRACE_ID.toUpperCase(), parentSpanId: '0000000000000000' }));
    expect(row).toMatchObject({ trace_id: TRACE_ID, parent_span_id: '' });
  });
});

describe('events, links and evaluations', () => {
  it('writes events and links as JSON text', () => {
    const row = one(
      span({
        events: [event('gen_ai.request.attempt', { attempt: 2 })],
        links: [
          { traceId: TRACE_ID, spanId: SPAN_ID, traceState: 'k=v', attributes: { 'link.kind': 'retry' } },
        ],
      }),
    );
    expect(JSON.parse(row.events)).toEqual([
      { time: START_US + 1000, name: 'gen_ai.request.attempt', attributes: { attempt: 2 } },
    ]);
    expect(JSON.parse(row.links)).toEqual([
      { trace_id: TRACE_ID, span_id: SPAN_ID, trace_state: 'k=v', attributes: { 'link.kind': 'retry' } },
    ]);
  });

  it('reads evaluation columns from span attributes', () => {
    const row = one(
      span({
        name: 'evaluate groundedness',
        attributes: {
          'gen_ai.operation.name': 'evaluate',
          'gen_ai.evaluation.name': 'groundedness',
          'gen_ai.evaluation.score.value': 0.8,
          'gen_ai.evaluation.score.label': 'pass',
        },
      }),
    );
    expect(row).toMatchObject({
      operation: 'evaluate',
      eval_name: 'groundedness',
      eval_score: 0.8,
      eval_label: 'pass',
    });
  });

  it('reads evaluation columns from a gen_ai.evaluation.result event', () => {
    const row = one(
      span({
        events: [
          event('gen_ai.evaluation.result', {
            'gen_ai.evaluation.name': 'relevance',
            'gen_ai.evaluation.score.value': '0.25',
            'gen_ai.evaluation.score.label': 'fail',
            'gen_ai.evaluation.explanation': 'off topic',
          }),
        ],
      }),
    );
    expect(row).toMatchObject({ eval_name: 'relevance', eval_score: 0.25, eval_label: 'fail' });
  });
});

describe('operation inference', () => {
  it.each([
    [
      'openinference LLM',
      span({ name: 'Anthropic Messages', attributes: { 'openinference.span.kind': 'LLM' } }),
      'chat',
    ],
    [
      'openinference TOOL',
      span({ name: 'search', attributes: { 'openinference.span.kind': 'TOOL' } }),
      'execute_tool',
    ],
    [
      'openinference AGENT',
      span({ name: 'agent', attributes: { 'openinference.span.kind': 'AGENT' } }),
      'invoke_agent',
    ],
    [
      'openinference CHAIN',
      span({ name: 'chain', attributes: { 'openinference.span.kind': 'CHAIN' } }),
      null,
    ],
    ['claude_code.llm_request', span({ name: 'claude_code.llm_request' }), 'chat'],
    ['claude_code.tool', span({ name: 'claude_code.tool' }), 'execute_tool'],
    ['claude_code.interaction', span({ name: 'claude_code.interaction' }), 'invoke_agent'],
    ['claude_code.hook', span({ name: 'claude_code.hook' }), null],
    ['vercel doGenerate', span({ name: 'ai.generateText.doGenerate' }), 'chat'],
    [
      'vercel doStream by operationId',
      span({ name: 'x', attributes: { 'ai.operationId': 'ai.streamText.doStream' } }),
      'chat',
    ],
    ['vercel doEmbed', span({ name: 'ai.embedMany.doEmbed' }), 'embeddings'],
    ['vercel toolCall', span({ name: 'ai.toolCall' }), 'execute_tool'],
    ['vercel outer', span({ name: 'ai.generateText' }), null],
    [
      'traceloop request type',
      span({ name: 'anthropic.chat', attributes: { 'llm.request.type': 'completion' } }),
      'text_completion',
    ],
    [
      'traceloop workflow',
      span({ name: 'w', attributes: { 'traceloop.span.kind': 'workflow' } }),
      'invoke_workflow',
    ],
    [
      'usage + model fallback',
      span({
        name: 'anthropic.messages.create',
        attributes: { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': 3 },
      }),
      'chat',
    ],
    ['plain span', span({ name: 'GET /orders', kind: 2 }), null],
    [
      'explicit wins',
      span({ name: 'claude_code.tool', attributes: { 'gen_ai.operation.name': 'retrieval' } }),
      'retrieval',
    ],
  ])('%s → %s', (_label, raw, operation) => {
    expect(one(raw).operation).toBe(operation);
  });

  it('takes tool name and call id from Claude Code and Vercel names', () => {
    expect(
      one(span({ name: 'claude_code.tool', attributes: { tool_name: 'Bash', tool_use_id: 'toolu_1' } })),
    ).toMatchObject({
      operation: 'execute_tool',
      tool_name: 'Bash',
      tool_call_id: 'toolu_1',
    });
    expect(
      one(
        span({ name: 'ai.toolCall', attributes: { 'ai.toolCall.name': 'weather', 'ai.toolCall.id': 'c1' } }),
      ),
    ).toMatchObject({
      tool_name: 'weather',
      tool_call_id: 'c1',
    });
  });
});

describe('Vercel AI SDK: usage only on the inner span', () => {
  it('does not double count the outer ai.generateText span', () => {
    const usage = { 'ai.usage.inputTokens': 1200, 'ai.usage.outputTokens': 80, 'ai.model.id': 'gpt-4o-mini' };
    const outer = span({
      name: 'ai.generateText',
      kind: 1,
      attributes: { ...usage, 'ai.operationId': 'ai.generateText' },
    });
    const inner = span({
      name: 'ai.generateText.doGenerate',
      kind: 1,
      parentSpanId: outer.spanId,
      attributes: {
        ...usage,
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'openai.chat',
        'gen_ai.system': 'openai.chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 80,
      },
    });
    const { rows } = normalizeSpans(traces([outer, inner]), options);
    const total = rows.reduce((sum, row) => sum + (row.input_tokens ?? 0), 0);
    expect(total).toBe(1200);
    expect(rows[0]).toMatchObject({ operation: null, input_tokens: null, cost_usd: null, cost_source: null });
    expect(rows[1]).toMatchObject({
      operation: 'chat',
      provider: 'openai',
      input_tokens: 1200,
      cost_source: 'computed',
    });
    // outer span keeps its raw ai.usage.* attributes for inspection
    expect(JSON.parse(rows[0]?.attributes ?? '{}')['ai.usage.inputTokens']).toBe(1200);
  });
});

describe('cost', () => {
  it('computes cost for a known model', () => {
    // gpt-4o-mini: $0.15 / M input, $0.60 / M output, $0.075 / M cache read
    // uncached 1,000 − 400 = 600 × 0.15 = 90 µ$; 400 × 0.075 = 30 µ$; 200 × 0.60 = 120 µ$ → $0.00024
    const row = one(
      span({
        attributes: {
          'gen_ai.request.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.cache_read.input_tokens': 400,
          'gen_ai.usage.output_tokens': 200,
        },
      }),
    );
    expect(row.cost_source).toBe('computed');
    expect(row.cost_usd).toBeCloseTo(0.00024, 12);
  });

  it('keeps a reported cost (Claude Code cost_usd) as reported', () => {
    const row = one(
      span({
        name: 'claude_code.llm_request',
        attributes: {
          'gen_ai.system': 'anthropic',
          'gen_ai.request.model': 'claude-opus-4-7',
          input_tokens: 2,
          output_tokens: 1200,
          cache_read_tokens: 84562,
          cache_creation_tokens: 7096,
          cost_usd: 0.1234,
          ttft_ms: 950,
        },
      }),
      { 'service.name': 'claude-code' },
    );
    expect(row).toMatchObject({
      operation: 'chat',
      provider: 'anthropic',
      input_tokens: 91660,
      cache_read_tokens: 84562,
      cache_write_tokens: 7096,
      output_tokens: 1200,
      cost_usd: 0.1234,
      cost_source: 'reported',
      ttft_ms: 950,
    });
  });

  it('flags tokens with an unknown model instead of a silent 0', () => {
    const row = one(
      span({ attributes: { 'gen_ai.request.model': 'llama-9-local', 'gen_ai.usage.input_tokens': 50 } }),
    );
    expect(row).toMatchObject({ input_tokens: 50, cost_usd: null, cost_source: 'unknown_model' });
  });

  it('flags tokens without any model as unknown_model', () => {
    const row = one(span({ attributes: { 'gen_ai.usage.output_tokens': 50 } }));
    expect(row).toMatchObject({ cost_usd: null, cost_source: 'unknown_model' });
  });

  it("records the model's price-table tier whether the cost was computed or reported", () => {
    const table = bundledPriceTable();
    const computed = one(
      span({ attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10 } }),
    );
    expect(computed.model_tier).toBe(table.models.get('gpt-4o-mini')?.tier);
    const reported = one(
      span({ attributes: { 'gen_ai.request.model': 'claude-opus-4-7', cost_usd: 0.5, output_tokens: 3 } }),
    );
    expect(reported.cost_source).toBe('reported');
    expect(reported.model_tier).toBe('flagship');
    const unknown = one(
      span({ attributes: { 'gen_ai.request.model': 'llama-9-local', 'gen_ai.usage.input_tokens': 50 } }),
    );
    expect(unknown.model_tier).toBeNull();
  });

  it('leaves cost and source null for spans without usage', () => {
    expect(one(span({ name: 'GET /' }))).toMatchObject({
      input_tokens: null,
      cost_usd: null,
      cost_source: null,
    });
  });
});

describe('redaction in spans', () => {
  const raw = (): RawSpan =>
    span({
      attributes: {
        'gen_ai.request.model': 'claude-haiku-4-5',
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"my card is 4111"}]}]',
        'llm.input_messages.0.message.content': 'hello',
        'http.request.header.authorization': 'Bearer abcdefghijklmnop',
      },
      statusMessage: 'failed with key sk-ant-api03-AbCdEf0123456789_xyz',
      events: [event('gen_ai.content.prompt', { 'gen_ai.prompt': 'hello there', other: 'x' })],
    });

  it('drops content from span attributes and events by default and masks secrets', () => {
    const row = one(raw());
    const attributes = JSON.parse(row.attributes);
    expect(attributes['gen_ai.input.messages']).toBeUndefined();
    expect(attributes['llm.input_messages.0.message.content']).toBeUndefined();
    expect(attributes['loopline.redacted']).toEqual(['gen_ai.input.messages', 'llm.input_messages.*']);
    expect(attributes['http.request.header.authorization']).toBe('Bearer [REDACTED:bearer_token]');
    expect(row.status_message).toBe('failed with key [REDACTED:anthropic_api_key]');
    expect(JSON.parse(row.events)[0].attributes).toEqual({
      other: 'x',
      'loopline.redacted': ['gen_ai.prompt'],
    });
  });

  it('keeps content when captureContent is on, still masking secrets', () => {
    const result = normalizeSpans(traces([raw()]), { ...options, captureContent: true });
    const attributes = JSON.parse(result.rows[0]?.attributes ?? '{}');
    expect(attributes['gen_ai.input.messages']).toContain('my card is 4111');
    expect(attributes['loopline.redacted']).toBeUndefined();
    expect(attributes['http.request.header.authorization']).toBe('Bearer [REDACTED:bearer_token]');
  });

  describe('older GenAI message events and other SDKs (Strands, Traceloop, Langfuse, MLflow)', () => {
    const agentSpan = (): RawSpan =>
      span({
        attributes: {
          'gen_ai.request.model': 'gpt-4o',
          'llm.prompts': '["Refund order 1234 for Jane Doe"]',
          'langfuse.observation.input': '{"question":"where is my order?"}',
          'langfuse.observation.output': '"It shipped yesterday"',
          'mlflow.spanInputs': '{"query":"where is my order?"}',
          'mlflow.spanOutputs': '"It shipped yesterday"',
          'tool.args': '{"order":1234,"api_key":"sk-ant-api03-AbCdEf0123456789_xyz"}',
          'tool.name': 'lookup_order',
        },
        events: [
          event('gen_ai.user.message', { content: '[{"text":"Where is order 1234?"}]' }),
          event('gen_ai.choice', {
            message: '[{"text":"It shipped yesterday"}]',
            finish_reason: 'end_turn',
          }),
        ],
      });

    it('drops every content field by default', () => {
      const row = one(agentSpan());
      expect(JSON.parse(row.attributes)).toEqual({
        'service.name': 'checkout-agent',
        'gen_ai.request.model': 'gpt-4o',
        'tool.name': 'lookup_order',
        'loopline.redacted': [
          'langfuse.observation.input',
          'langfuse.observation.output',
          'llm.prompts',
          'mlflow.spanInputs',
          'mlflow.spanOutputs',
          'tool.args',
        ],
      });
      expect(JSON.parse(row.events).map((e: { attributes: unknown }) => e.attributes)).toEqual([
        { 'loopline.redacted': ['content'] },
        { finish_reason: 'end_turn', 'loopline.redacted': ['message'] },
      ]);
      expect(row.events).not.toContain('1234');
    });

    it('keeps them when content capture is on, with secrets masked', () => {
      const result = normalizeSpans(traces([agentSpan()]), { ...options, captureContent: true });
      const row = result.rows[0];
      if (row === undefined) throw new Error('no row');
      const attributes = JSON.parse(row.attributes);
      expect(attributes['llm.prompts']).toBe('["Refund order 1234 for Jane Doe"]');
      expect(attributes['tool.args']).toBe('{"order":1234,"api_key":"[REDACTED:anthropic_api_key]"}');
      expect(attributes['loopline.redacted']).toBeUndefined();
      expect(JSON.parse(row.events)[0].attributes).toEqual({ content: '[{"text":"Where is order 1234?"}]' });
    });
  });

  it('unites resource and span redaction lists', () => {
    const row = one(span({ attributes: { 'input.value': 'q' } }), {
      'service.name': 's',
      'output.value': 'a',
    });
    expect(JSON.parse(row.attributes)['loopline.redacted']).toEqual(['input.value', 'output.value']);
  });
});
