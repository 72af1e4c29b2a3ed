import { describe, expect, it } from 'vitest';
import { logRecord, logs, span, traces } from '../../test/raw-builders.ts';
import { computeCost } from '../pricing/compute-cost.ts';
import { lookupModel } from '../pricing/lookup-model.ts';
import { bundledPriceTable } from '../pricing/price-table.ts';
import { deriveSpansFromLogs } from './derive-spans-from-logs.ts';
import { geminiLogSpans } from './gemini-log-spans.ts';
import { normalizeSpans } from './normalize-spans.ts';

const options = { prices: bundledPriceTable(), captureContent: false };
const SESSION = 'b24b5f72-56a3-4321-b58c-486b0c87702a';
// Gemini CLI 0.61.0: service.version is Node's version, session.id on the resource and on every record
const RESOURCE = { 'service.name': 'gemini-cli', 'service.version': 'v20.20.2', 'session.id': SESSION };
const END_US = 1_795_344_078_043_000;

interface Counts {
  prompt: number;
  candidates: number;
  cached: number;
  thoughts: number;
  tool: number;
}

/** A `gemini_cli.api_response` record as Gemini CLI 0.61.0 sends it (outside any span). */
function response(counts: Counts, stamp: string, timeUs = END_US, model = 'gemini-2.5-pro') {
  return logRecord({
    timeUs,
    attributes: {
      'session.id': SESSION,
      'installation.id': 'bfded823-09a0-4da5-90e8-76aeb14b8d4b',
      interactive: false,
      auth_type: 'gemini-api-key',
      'event.name': 'gemini_cli.api_response',
      'event.timestamp': stamp,
      model,
      duration_ms: 122,
      input_token_count: counts.prompt,
      output_token_count: counts.candidates,
      cached_content_token_count: counts.cached,
      thoughts_token_count: counts.thoughts,
      tool_token_count: counts.tool,
      total_token_count: counts.prompt + counts.candidates + counts.thoughts + counts.tool,
      prompt_id: SESSION,
      status_code: 200,
      finish_reasons: ['stop'],
      role: 'main',
      'http.status_code': 200,
    },
  });
}

const first: Counts = { prompt: 1200, candidates: 40, cached: 1000, thoughts: 12, tool: 0 };
const second: Counts = { prompt: 1301, candidates: 43, cached: 1100, thoughts: 0, tool: 7 };

describe("Gemini CLI's api_response events as chat spans", () => {
  const batch = logs(
    [
      logRecord({ attributes: { 'event.name': 'gemini_cli.api_request', 'session.id': SESSION } }),
      response(first, '2026-11-22T10:41:18.042Z'),
      logRecord({ attributes: { 'event.name': 'gemini_cli.tool_call', 'session.id': SESSION } }),
      response(second, '2026-11-22T10:41:18.174Z', END_US + 132_000),
    ],
    RESOURCE,
    'gemini-cli',
  );

  it('makes one chat span per call in the gemini-cli dataset, with canonical usage and the price-table cost', () => {
    const derived = deriveSpansFromLogs(batch);
    expect(derived.errors).toEqual([]);
    const rows = normalizeSpans(derived.spans, options).rows;
    expect(rows).toHaveLength(2);
    const price = lookupModel(bundledPriceTable(), 'gemini-2.5-pro', 'gcp.gemini')!;
    expect(price).toBeDefined();
    for (const [row, counts] of [
      [rows[0]!, first],
      [rows[1]!, second],
    ] as const) {
      const input = counts.prompt + counts.tool;
      const output = counts.candidates + counts.thoughts;
      expect(row).toMatchObject({
        name: 'chat gemini-2.5-pro',
        dataset: 'gemini-cli',
        operation: 'chat',
        provider: 'gcp.gemini',
        request_model: 'gemini-2.5-pro',
        conversation_id: SESSION,
        input_tokens: input,
        cache_read_tokens: counts.cached,
        output_tokens: output,
        reasoning_tokens: counts.thoughts,
        cost_source: 'computed',
      });
      const want = computeCost(
        {
          inputTokens: input,
          outputTokens: output,
          cacheReadTokens: counts.cached,
          cacheWriteTokens: null,
          cacheWrite5mTokens: null,
          cacheWrite1hTokens: null,
        },
        price,
      ).costUsd;
      expect(row.cost_usd).toBeCloseTo(want, 12);
      expect(row.end_timestamp - row.timestamp).toBe(122_000);
    }
    expect(rows[0]!.end_timestamp).toBe(END_US);
    const attributes = JSON.parse(rows[0]!.attributes) as Record<string, unknown>;
    expect(attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['stop'],
      'gemini_cli.role': 'main',
      'loopline.derived_from': 'gemini_cli.api_response',
    });
  });

  it('names who made the call (user.email when signed in with Google, else installation.id), for spend by person', () => {
    const rows = normalizeSpans(deriveSpansFromLogs(batch).spans, options).rows;
    expect(rows.map((r) => r.user_id)).toEqual([
      'bfded823-09a0-4da5-90e8-76aeb14b8d4b',
      'bfded823-09a0-4da5-90e8-76aeb14b8d4b',
    ]);
    const signedIn = response(first, 's');
    signedIn.attributes['user.email'] = 'dana@acme.test';
    const withRepo = logs([signedIn], { ...RESOURCE, 'vcs.repository.name': 'shop' }, 'gemini-cli');
    const [row] = normalizeSpans(deriveSpansFromLogs(withRepo).spans, options).rows;
    expect([row?.user_id, row?.vcs_repository]).toEqual(['dana@acme.test', 'shop']);
  });

  it('puts a session’s streamed calls in one trace, with ids that are the same for the same event', () => {
    const [a] = geminiLogSpans.derive(batch);
    const [b] = geminiLogSpans.derive(batch);
    const spans = a?.scopeSpans[0]?.spans ?? [];
    expect(spans.map((s) => [s.traceId, s.spanId])).toEqual(
      b?.scopeSpans[0]?.spans.map((s) => [s.traceId, s.spanId]),
    );
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(2);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(spans.map((s) => s.parentSpanId)).toEqual(['', '']);
    expect(a?.resource.attributes).toEqual({ 'service.name': 'gemini-cli' });
  });

  it('ignores other services and records without a session; reads the session from the resource', () => {
    const other = logs([response(first, 'x')], { 'service.name': 'claude-code' });
    expect(geminiLogSpans.derive(other)).toEqual([]);
    const bare = response(first, 'y');
    delete bare.attributes['session.id'];
    expect(geminiLogSpans.derive(logs([bare], { 'service.name': 'gemini-cli' }))).toEqual([]);
    const fromResource = geminiLogSpans.derive(logs([bare], RESOURCE))[0]?.scopeSpans[0]?.spans[0];
    expect(fromResource?.attributes['gen_ai.conversation.id']).toBe(SESSION);
  });

  it("parents the span under Gemini's own llm_call span when the event carries one; Vertex AI is its provider", () => {
    const inTrace = response(first, 't');
    inTrace.traceId = 'ab'.repeat(16);
    inTrace.spanId = 'cd'.repeat(8);
    inTrace.attributes.auth_type = 'vertex-ai';
    const derived = geminiLogSpans.derive(logs([inTrace], RESOURCE))[0]?.scopeSpans[0]?.spans[0];
    expect([derived?.traceId, derived?.parentSpanId]).toEqual(['ab'.repeat(16), 'cd'.repeat(8)]);
    expect(derived?.attributes['gen_ai.provider.name']).toBe('gcp.vertex_ai');
  });

  it("counts each call once: Gemini's own llm_call span (telemetry.traces off) has no usage and is no chat", () => {
    const own = span({
      name: 'llm_call',
      attributes: {
        'gen_ai.operation.name': 'llm_call',
        'gen_ai.request.model': 'gemini-2.5-pro',
        'gen_ai.conversation.id': SESSION,
        'gen_ai.agent.name': 'gemini-cli',
      },
    });
    const [row] = normalizeSpans(
      traces([own], RESOURCE, { name: 'gemini-cli', version: 'v1' }),
      options,
    ).rows;
    expect(row).toMatchObject({ operation: 'llm_call', input_tokens: null, cost_usd: null });
  });
});
