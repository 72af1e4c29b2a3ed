import { describe, expect, it } from 'vitest';
import type { Attributes } from '../raw-otlp.ts';
import { type CanonicalUsage, USAGE_ALIASES, type UsageContext, usageFromAttributes } from './usage.ts';

const usage = (fields: Partial<CanonicalUsage>): CanonicalUsage => ({
  inputTokens: null,
  outputTokens: null,
  cacheReadTokens: null,
  cacheWriteTokens: null,
  cacheWrite5mTokens: null,
  cacheWrite1hTokens: null,
  reasoningTokens: null,
  ...fields,
});

interface AliasCase {
  emitter: string;
  attrs: Attributes;
  context?: UsageContext;
  expected: CanonicalUsage;
}

/** Every alias Loopline maps, with the canonical usage it must produce (input INCLUDES cache). */
const CASES: AliasCase[] = [
  {
    emitter: 'OTel GenAI v1.41 input/output',
    attrs: { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.output_tokens': 300 },
    expected: usage({ inputTokens: 1200, outputTokens: 300 }),
  },
  {
    emitter: 'OTel GenAI deprecated prompt/completion',
    attrs: { 'gen_ai.usage.prompt_tokens': 1200, 'gen_ai.usage.completion_tokens': 300 },
    expected: usage({ inputTokens: 1200, outputTokens: 300 }),
  },
  {
    emitter: 'OTel GenAI cache read (subset of input)',
    attrs: { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_read.input_tokens': 1000 },
    expected: usage({ inputTokens: 1200, cacheReadTokens: 1000 }),
  },
  {
    emitter: 'OpenLLMetry underscore cache read',
    attrs: { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_read_input_tokens': 1000 },
    expected: usage({ inputTokens: 1200, cacheReadTokens: 1000 }),
  },
  {
    emitter: 'OTel GenAI v1.41 cache creation',
    attrs: { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_creation.input_tokens': 200 },
    expected: usage({ inputTokens: 1200, cacheWriteTokens: 200 }),
  },
  {
    emitter: 'OTel GenAI [dev] cache write',
    attrs: { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_write.input_tokens': 200 },
    expected: usage({ inputTokens: 1200, cacheWriteTokens: 200 }),
  },
  {
    emitter: 'OpenLLMetry underscore cache creation',
    attrs: { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.cache_creation_input_tokens': 200 },
    expected: usage({ inputTokens: 1200, cacheWriteTokens: 200 }),
  },
  {
    emitter: 'OTel GenAI reasoning (subset of output)',
    attrs: { 'gen_ai.usage.output_tokens': 500, 'gen_ai.usage.reasoning.output_tokens': 400 },
    expected: usage({ outputTokens: 500, reasoningTokens: 400 }),
  },
  {
    emitter: 'OpenLLMetry reasoning_tokens',
    attrs: { 'gen_ai.usage.output_tokens': 500, 'gen_ai.usage.reasoning_tokens': 400 },
    expected: usage({ outputTokens: 500, reasoningTokens: 400 }),
  },
  {
    emitter: '@anthropic-ai/sdk tracing (inclusive, with the 5m/1h split)',
    attrs: {
      'gen_ai.usage.input_tokens': 1500,
      'gen_ai.usage.output_tokens': 90,
      'gen_ai.usage.cache_read.input_tokens': 1000,
      'gen_ai.usage.cache_write.input_tokens': 300,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 100,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 200,
    },
    expected: usage({
      inputTokens: 1500,
      outputTokens: 90,
      cacheReadTokens: 1000,
      cacheWriteTokens: 300,
      cacheWrite5mTokens: 100,
      cacheWrite1hTokens: 200,
    }),
  },
  {
    emitter: 'Loopline 5m / 1h names without a total',
    attrs: {
      'gen_ai.usage.input_tokens': 500,
      'gen_ai.usage.cache_creation.5m.input_tokens': 100,
      'gen_ai.usage.cache_creation.1h.input_tokens': 50,
    },
    expected: usage({
      inputTokens: 500,
      cacheWriteTokens: 150,
      cacheWrite5mTokens: 100,
      cacheWrite1hTokens: 50,
    }),
  },
  {
    // 2 + 84,562 + 7,096 = 91,660
    emitter: 'Anthropic raw usage object (exclusive)',
    attrs: {
      input_tokens: 2,
      output_tokens: 1200,
      cache_read_input_tokens: 84562,
      cache_creation_input_tokens: 7096,
    },
    expected: usage({
      inputTokens: 91660,
      outputTokens: 1200,
      cacheReadTokens: 84562,
      cacheWriteTokens: 7096,
    }),
  },
  {
    // the same call as Claude Code reports it, counts as strings: 2 + 84,562 + 7,096 = 91,660
    emitter: 'Claude Code llm_request / api_request (exclusive, string counts)',
    attrs: {
      input_tokens: '2',
      output_tokens: '1200',
      cache_read_tokens: '84562',
      cache_creation_tokens: '7096',
    },
    expected: usage({
      inputTokens: 91660,
      outputTokens: 1200,
      cacheReadTokens: 84562,
      cacheWriteTokens: 7096,
    }),
  },
  {
    emitter: 'OpenInference (inclusive)',
    attrs: {
      'llm.token_count.prompt': 1200,
      'llm.token_count.completion': 80,
      'llm.token_count.prompt_details.cache_read': 1000,
      'llm.token_count.prompt_details.cache_write': 100,
      'llm.token_count.completion_details.reasoning': 30,
    },
    expected: usage({
      inputTokens: 1200,
      outputTokens: 80,
      cacheReadTokens: 1000,
      cacheWriteTokens: 100,
      reasoningTokens: 30,
    }),
  },
  {
    // noCache 100 + read 1000 + write 100 = 1200 (= ai.usage.inputTokens)
    emitter: 'Vercel AI SDK 6 (token details)',
    attrs: {
      'ai.usage.inputTokens': 1200,
      'ai.usage.outputTokens': 80,
      'ai.usage.inputTokenDetails.noCacheTokens': 100,
      'ai.usage.inputTokenDetails.cacheReadTokens': 1000,
      'ai.usage.inputTokenDetails.cacheWriteTokens': 100,
      'ai.usage.outputTokenDetails.reasoningTokens': 30,
    },
    expected: usage({
      inputTokens: 1200,
      outputTokens: 80,
      cacheReadTokens: 1000,
      cacheWriteTokens: 100,
      reasoningTokens: 30,
    }),
  },
  {
    emitter: 'Vercel AI SDK 6, noCacheTokens only',
    attrs: {
      'ai.usage.inputTokenDetails.noCacheTokens': 100,
      'ai.usage.inputTokenDetails.cacheReadTokens': 900,
    },
    expected: usage({ inputTokens: 1000, cacheReadTokens: 900 }),
  },
  {
    emitter: 'Vercel AI SDK 5',
    attrs: {
      'ai.usage.inputTokens': 1200,
      'ai.usage.outputTokens': 80,
      'ai.usage.cachedInputTokens': 1000,
      'ai.usage.reasoningTokens': 30,
    },
    expected: usage({ inputTokens: 1200, outputTokens: 80, cacheReadTokens: 1000, reasoningTokens: 30 }),
  },
  {
    emitter: 'Vercel AI SDK 4',
    attrs: { 'ai.usage.promptTokens': 1200, 'ai.usage.completionTokens': 80 },
    expected: usage({ inputTokens: 1200, outputTokens: 80 }),
  },
  {
    emitter: 'Vercel AI SDK embeddings',
    attrs: { 'ai.usage.tokens': 42 },
    expected: usage({ inputTokens: 42 }),
  },
  {
    // tool_token_count is Codex's total (12,000 + 900): never added
    emitter: 'Codex CLI codex.sse_event (inclusive, strings)',
    attrs: {
      'event.kind': 'response.completed',
      input_token_count: '12000',
      output_token_count: '900',
      cached_token_count: '8000',
      reasoning_token_count: '600',
      tool_token_count: '12900',
    },
    expected: usage({ inputTokens: 12000, outputTokens: 900, cacheReadTokens: 8000, reasoningTokens: 600 }),
  },
  {
    emitter: 'Codex CLI responses span',
    attrs: {
      'gen_ai.usage.input_tokens': 12000,
      'gen_ai.usage.cache_read.input_tokens': 8000,
      'gen_ai.usage.output_tokens': 900,
      'codex.usage.reasoning_output_tokens': 600,
      'codex.usage.total_tokens': 12900,
    },
    expected: usage({ inputTokens: 12000, outputTokens: 900, cacheReadTokens: 8000, reasoningTokens: 600 }),
  },
  {
    // input 100 (incl. 40 cached) + tool-use prompt 3 = 103; output 10 + thoughts 5 = 15; total 118
    emitter: 'Gemini CLI gemini_cli.api_response',
    attrs: {
      input_token_count: 100,
      output_token_count: 10,
      cached_content_token_count: 40,
      thoughts_token_count: 5,
      tool_token_count: 3,
      total_token_count: 118,
    },
    expected: usage({ inputTokens: 103, outputTokens: 15, cacheReadTokens: 40, reasoningTokens: 5 }),
  },
];

describe('usageFromAttributes: every alias', () => {
  it.each(CASES)('$emitter', ({ attrs, context, expected }) => {
    expect(usageFromAttributes(attrs, context)).toEqual(expected);
  });

  it('covers every name in USAGE_ALIASES', () => {
    const covered = new Set(CASES.flatMap((c) => Object.keys(c.attrs)));
    const missing = USAGE_ALIASES.map((alias) => alias.name).filter((name) => !covered.has(name));
    expect(missing).toEqual([]);
  });
});

describe('Anthropic-exclusive vs inclusive input', () => {
  const attrs = {
    'gen_ai.usage.input_tokens': 3000,
    'gen_ai.usage.output_tokens': 250,
    'gen_ai.usage.cache_read.input_tokens': 1000,
    'gen_ai.usage.cache_creation.input_tokens': 500,
  };

  it('adds the cache for @traceloop/instrumentation-anthropic (3,000 + 1,000 + 500 = 4,500)', () => {
    const result = usageFromAttributes(attrs, { scopeName: '@traceloop/instrumentation-anthropic' });
    expect(result?.inputTokens).toBe(4500);
    expect(result?.cacheReadTokens).toBe(1000);
    expect(result?.cacheWriteTokens).toBe(500);
  });

  it('keeps the same numbers as they are for an inclusive emitter', () => {
    expect(
      usageFromAttributes(attrs, { scopeName: '@opentelemetry/instrumentation-openai' })?.inputTokens,
    ).toBe(3000);
  });

  it('treats an "inclusive" count smaller than its cache as exclusive (300 + 5,000 + 700 = 6,000)', () => {
    const result = usageFromAttributes({
      'gen_ai.usage.input_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 5000,
      'gen_ai.usage.cache_creation.input_tokens': 700,
    });
    expect(result?.inputTokens).toBe(6000);
  });

  it('uses cache counts from another family when adding to an exclusive count', () => {
    // Vercel AI SDK 5 inner span: gen_ai input is Anthropic's raw 20, cache read only under ai.usage.*
    const result = usageFromAttributes({
      'gen_ai.usage.input_tokens': 20,
      'ai.usage.inputTokens': 20,
      'ai.usage.cachedInputTokens': 4000,
    });
    expect(result?.inputTokens).toBe(4020);
  });
});

describe('cache write split', () => {
  it('derives the 5-minute part from the total and the 1-hour part', () => {
    const result = usageFromAttributes({
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.cache_write.input_tokens': 300,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 200,
    });
    expect(result).toMatchObject({ cacheWriteTokens: 300, cacheWrite5mTokens: 100, cacheWrite1hTokens: 200 });
  });

  it('leaves the split null when only a total is known', () => {
    const result = usageFromAttributes({ cache_creation_tokens: 300, input_tokens: 5 });
    expect(result).toMatchObject({
      cacheWriteTokens: 300,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
    });
  });

  it('leaves the split null when its halves do not add up to the total (a 0 / 0 breakdown of 500 writes)', () => {
    // Anthropic has answered web-search turns with cache_creation {0, 0} beside 500 written tokens
    const zeros = usageFromAttributes({
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.cache_write.input_tokens': 500,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 0,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 0,
    });
    expect(zeros).toMatchObject({
      cacheWriteTokens: 500,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
    });
    // one half larger than the total: the other half cannot be derived
    const larger = usageFromAttributes({
      'gen_ai.usage.cache_write.input_tokens': 100,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 400,
    });
    expect(larger).toMatchObject({
      cacheWriteTokens: 100,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
    });
    // a split that adds up is kept, a reported 0 included
    const adds = usageFromAttributes({
      'gen_ai.usage.cache_write.input_tokens': 500,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 0,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 500,
    });
    expect(adds).toMatchObject({ cacheWriteTokens: 500, cacheWrite5mTokens: 0, cacheWrite1hTokens: 500 });
  });
});

describe('no double counting of Vercel AI SDK outer spans', () => {
  const repeated = { 'ai.usage.inputTokens': 1200, 'ai.usage.outputTokens': 80 };

  it('returns no usage for the outer ai.generateText span', () => {
    expect(usageFromAttributes(repeated, { spanName: 'ai.generateText' })).toBeNull();
    expect(usageFromAttributes({ ...repeated, 'ai.operationId': 'ai.streamText' })).toBeNull();
  });

  it('keeps usage on the inner doGenerate / doStream span', () => {
    expect(usageFromAttributes(repeated, { spanName: 'ai.generateText.doGenerate' })?.inputTokens).toBe(1200);
    expect(
      usageFromAttributes({ ...repeated, 'ai.operationId': 'ai.streamText.doStream' })?.outputTokens,
    ).toBe(80);
  });
});

describe('values', () => {
  it('returns null when nothing is reported and ignores non-numeric values', () => {
    expect(usageFromAttributes({ 'gen_ai.request.model': 'gpt-5' })).toBeNull();
    expect(
      usageFromAttributes({ 'gen_ai.usage.input_tokens': 'many', 'gen_ai.usage.output_tokens': -4 }),
    ).toBeNull();
  });

  it('keeps a reported 0 as 0, not null', () => {
    expect(usageFromAttributes({ 'gen_ai.usage.input_tokens': 0, 'gen_ai.usage.output_tokens': 0 })).toEqual(
      usage({ inputTokens: 0, outputTokens: 0 }),
    );
  });
});
