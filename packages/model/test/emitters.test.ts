import { describe, expect, it } from 'vitest';
import {
  bundledPriceTable,
  type NormalizeOptions,
  normalizeLogs,
  normalizeSpans,
  type RawSpan,
  type SpanRow,
  usageFromAttributes,
} from '../src/index.ts';
import { logRecord, logs, span, traces } from './raw-builders.ts';

/**
 * What real emitters send (SPECS §9, Claude Code / Codex / Gemini CLI native names), through the public
 * API, into one canonical model: input INCLUDES cache, cost reported or computed.
 */
const options: NormalizeOptions = { prices: bundledPriceTable(), captureContent: false };

function row(raw: RawSpan, scope: string, service = 'support-bot'): SpanRow {
  const result = normalizeSpans(
    traces([raw], { 'service.name': service }, { name: scope, version: '0' }),
    options,
  );
  expect(result.rejected).toBe(0);
  return result.rows[0] as SpanRow;
}

describe('third-party GenAI instrumentations', () => {
  it('@traceloop/instrumentation-anthropic: input is exclusive of cache, so the cache is added', () => {
    const r = row(
      span({
        name: 'chat claude-sonnet-4-5',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
          'gen_ai.usage.input_tokens': 1800,
          'gen_ai.usage.output_tokens': 220,
          'gen_ai.usage.cache_read.input_tokens': 12000,
          'gen_ai.usage.cache_creation.input_tokens': 500,
        },
      }),
      '@traceloop/instrumentation-anthropic',
    );
    // input 1,800 + 12,000 + 500 = 14,300
    // cost: 1,800 × $3 + 12,000 × $0.30 + 500 × $3.75 + 220 × $15 (per M) = 5,400 + 3,600 + 1,875 + 3,300 µ$ = $0.014175
    expect(r).toMatchObject({
      operation: 'chat',
      provider: 'anthropic',
      input_tokens: 14300,
      cache_read_tokens: 12000,
      cache_write_tokens: 500,
      output_tokens: 220,
      cost_source: 'computed',
    });
    expect(r.cost_usd).toBeCloseTo(0.014175, 12);
  });

  it('@anthropic-ai/sdk tracing: inclusive input with the 5m / 1h write split', () => {
    const r = row(
      span({
        name: 'anthropic.messages.create',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.usage.input_tokens': 14300,
          'gen_ai.usage.output_tokens': 220,
          'gen_ai.usage.cache_read.input_tokens': 12000,
          'gen_ai.usage.cache_write.input_tokens': 500,
          'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 200,
          'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 300,
        },
      }),
      '@anthropic-ai/sdk',
    );
    // 1,800 × 3 + 12,000 × 0.30 + 200 × 3.75 + 300 × 6 + 220 × 15 = 5,400 + 3,600 + 750 + 1,800 + 3,300 µ$ = $0.01485
    expect(r).toMatchObject({ input_tokens: 14300, cache_write_5m_tokens: 200, cache_write_1h_tokens: 300 });
    expect(r.cost_usd).toBeCloseTo(0.01485, 12);
  });

  it('@arizeai/openinference-instrumentation-anthropic: chat inferred, llm.* names mapped, content dropped', () => {
    const r = row(
      span({
        name: 'Anthropic Messages',
        kind: 1,
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.model_name': 'claude-haiku-4-5-20251001',
          'llm.system': 'anthropic',
          'llm.provider': 'anthropic',
          'llm.token_count.prompt': 5000,
          'llm.token_count.completion': 300,
          'llm.token_count.prompt_details.cache_read': 4000,
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'summarise the incident',
          'input.value': '{"messages":[]}',
          'output.value': '{"content":[]}',
        },
      }),
      '@arizeai/openinference-instrumentation-anthropic',
    );
    // 1,000 uncached × $1 + 4,000 × $0.10 + 300 × $5 (per M) = 1,000 + 400 + 1,500 µ$ = $0.0029
    expect(r).toMatchObject({
      operation: 'chat',
      provider: 'anthropic',
      request_model: 'claude-haiku-4-5-20251001',
      input_tokens: 5000,
      cache_read_tokens: 4000,
    });
    expect(r.cost_usd).toBeCloseTo(0.0029, 12);
    expect(JSON.parse(r.attributes)['loopline.redacted']).toEqual([
      'input.value',
      'llm.input_messages.*',
      'output.value',
    ]);
  });

  it('@opentelemetry/instrumentation-openai: deprecated gen_ai.system', () => {
    const r = row(
      span({
        name: 'chat gpt-4o-mini',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.usage.input_tokens': 900,
          'gen_ai.usage.output_tokens': 120,
        },
      }),
      '@opentelemetry/instrumentation-openai',
    );
    // 900 × $0.15 + 120 × $0.60 (per M) = 135 + 72 µ$ = $0.000207
    expect(r).toMatchObject({ provider: 'openai', response_model: 'gpt-4o-mini-2024-07-18' });
    expect(r.cost_usd).toBeCloseTo(0.000207, 12);
  });
});

describe('Claude Code native traces', () => {
  it('maps a prompt turn: interaction → invoke_agent, llm_request → chat with reported cost, tool → execute_tool', () => {
    const interaction = span({
      name: 'claude_code.interaction',
      kind: 1,
      attributes: { 'session.id': 'sess-1' },
    });
    const llm = span({
      name: 'claude_code.llm_request',
      parentSpanId: interaction.spanId,
      attributes: {
        'session.id': 'sess-1',
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-opus-4-7',
        'gen_ai.response.id': 'req_011',
        model: 'claude-opus-4-7',
        input_tokens: 2,
        output_tokens: 1200,
        cache_read_tokens: 84562,
        cache_creation_tokens: 7096,
        ttft_ms: 1830,
        cost_usd: 0.112,
        query_source: 'main',
      },
    });
    const tool = span({
      name: 'claude_code.tool',
      parentSpanId: interaction.spanId,
      attributes: {
        'session.id': 'sess-1',
        tool_name: 'Bash',
        tool_use_id: 'toolu_01',
        'gen_ai.tool.call.id': 'toolu_01',
      },
    });
    const result = normalizeSpans(
      traces(
        [interaction, llm, tool],
        { 'service.name': 'claude-code', 'user.email': 'dev@acme.io' },
        {
          name: 'com.anthropic.claude_code',
          version: '2.1.330',
        },
      ),
      options,
    );
    const [turn, call, bash] = result.rows;
    expect(turn).toMatchObject({
      operation: 'invoke_agent',
      conversation_id: 'sess-1',
      user_id: 'dev@acme.io',
      input_tokens: null,
    });
    expect(call).toMatchObject({
      operation: 'chat',
      provider: 'anthropic',
      request_model: 'claude-opus-4-7',
      input_tokens: 91660,
      output_tokens: 1200,
      cache_read_tokens: 84562,
      cache_write_tokens: 7096,
      ttft_ms: 1830,
      cost_usd: 0.112,
      cost_source: 'reported',
      dataset: 'claude-code',
    });
    expect(bash).toMatchObject({ operation: 'execute_tool', tool_name: 'Bash', tool_call_id: 'toolu_01' });
  });
});

describe('assistant log events', () => {
  it('keeps Codex and Gemini CLI events as log rows whose usage the helper reads', () => {
    const codex = logRecord({
      attributes: {
        'event.name': 'codex.sse_event',
        'event.kind': 'response.completed',
        'conversation.id': 'thr_1',
        model: 'gpt-5-codex',
        input_token_count: '12000',
        output_token_count: '900',
        cached_token_count: '8000',
        reasoning_token_count: '600',
        tool_token_count: '12900',
      },
    });
    const gemini = logRecord({
      attributes: {
        'event.name': 'gemini_cli.api_response',
        'session.id': 'g-1',
        model: 'gemini-2.5-pro',
        input_token_count: 100,
        output_token_count: 10,
        cached_content_token_count: 40,
        thoughts_token_count: 5,
        tool_token_count: 3,
        total_token_count: 118,
        response_text: 'the answer',
      },
    });
    const result = normalizeLogs(
      logs([codex, gemini], { 'service.name': 'assistants' }, 'assistant'),
      options,
    );
    expect(result.rows.map((r) => [r.event_name, r.conversation_id])).toEqual([
      ['codex.sse_event', 'thr_1'],
      ['gemini_cli.api_response', 'g-1'],
    ]);
    expect(JSON.parse(result.rows[1]?.attributes ?? '{}')['loopline.redacted']).toEqual(['response_text']);
    expect(usageFromAttributes(codex.attributes)).toMatchObject({
      inputTokens: 12000,
      outputTokens: 900,
      cacheReadTokens: 8000,
      reasoningTokens: 600,
    });
    // Gemini: input 100 + tool prompt 3 = 103, output 10 + thoughts 5 = 15
    expect(usageFromAttributes(gemini.attributes)).toMatchObject({
      inputTokens: 103,
      outputTokens: 15,
      cacheReadTokens: 40,
      reasoningTokens: 5,
    });
  });
});
