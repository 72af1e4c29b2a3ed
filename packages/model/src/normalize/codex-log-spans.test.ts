import { describe, expect, it } from 'vitest';
import { logRecord, logs, span, traces } from '../../test/raw-builders.ts';
import { computeCost } from '../pricing/compute-cost.ts';
import { lookupModel } from '../pricing/lookup-model.ts';
import { bundledPriceTable } from '../pricing/price-table.ts';
import { codexLogSpans } from './codex-log-spans.ts';
import { deriveSpansFromLogs } from './derive-spans-from-logs.ts';
import { normalizeSpans } from './normalize-spans.ts';

const options = { prices: bundledPriceTable(), captureContent: false };
const SESSION = '01a202d7-41b4-7d23-a02e-1b0a22c6934f';
const RESOURCE = { 'service.name': 'codex_exec', 'service.version': '0.169.0' };

/** A `response.completed` event as Codex 0.169.0 sends it (counts partly as strings). */
function completed(input: string, output: string, stamp: string) {
  return logRecord({
    eventName: 'event otel/src/events/session_telemetry.rs:1153',
    attributes: {
      'event.name': 'codex.sse_event',
      'event.kind': 'response.completed',
      input_token_count: input,
      output_token_count: output,
      cached_token_count: 600,
      cache_write_token_count: 0,
      reasoning_token_count: 10,
      tool_token_count: '1042',
      ttft_ms: 0,
      'event.timestamp': stamp,
      'conversation.id': SESSION,
      originator: 'codex_exec',
      model: 'gpt-5',
    },
  });
}

describe("Codex's response.completed events as chat spans", () => {
  const batch = logs(
    [
      completed('1001', '41', '2026-11-22T10:39:51.342Z'),
      logRecord({ attributes: { 'event.name': 'codex.sse_event', 'event.kind': 'response.created' } }),
      logRecord({ attributes: { 'event.name': 'codex.api_request', 'conversation.id': SESSION } }),
      completed('1002', '42', '2026-11-22T10:39:51.434Z'),
    ],
    RESOURCE,
    'codex_otel',
  );

  it('makes one chat span per call in the codex-cli dataset, with OpenAI-inclusive usage and the price-table cost', () => {
    const derived = deriveSpansFromLogs(batch);
    expect(derived.errors).toEqual([]);
    const rows = normalizeSpans(derived.spans, options).rows;
    expect(rows).toHaveLength(2);
    const price = lookupModel(bundledPriceTable(), 'gpt-5', 'openai')!;
    for (const [row, input, output] of [
      [rows[0]!, 1001, 41],
      [rows[1]!, 1002, 42],
    ] as const) {
      expect(row).toMatchObject({
        name: 'chat gpt-5',
        dataset: 'codex-cli',
        operation: 'chat',
        provider: 'openai',
        request_model: 'gpt-5',
        conversation_id: SESSION,
        input_tokens: input,
        cache_read_tokens: 600,
        output_tokens: output,
        reasoning_tokens: 10,
        cost_source: 'computed',
      });
      const want = computeCost(
        {
          inputTokens: input,
          outputTokens: output,
          cacheReadTokens: 600,
          cacheWriteTokens: null,
          cacheWrite5mTokens: null,
          cacheWrite1hTokens: null,
        },
        price,
      ).costUsd;
      expect(row.cost_usd).toBeCloseTo(want, 12);
    }
  });

  it('gives the same ids for the same event, and ignores other services', () => {
    const [a] = codexLogSpans.derive(batch);
    const [b] = codexLogSpans.derive(batch);
    expect(a?.scopeSpans[0]?.spans.map((s) => [s.traceId, s.spanId])).toEqual(
      b?.scopeSpans[0]?.spans.map((s) => [s.traceId, s.spanId]),
    );
    expect(new Set(a?.scopeSpans[0]?.spans.map((s) => s.spanId)).size).toBe(2);
    expect(codexLogSpans.derive(logs([completed('1', '1', 'x')], { 'service.name': 'claude-code' }))).toEqual(
      [],
    );
  });

  it("parents the span under Codex's own span when the event carries one", () => {
    const inTrace = completed('10', '5', 't');
    inTrace.traceId = 'ab'.repeat(16);
    inTrace.spanId = 'cd'.repeat(8);
    const span0 = codexLogSpans.derive(logs([inTrace], RESOURCE))[0]?.scopeSpans[0]?.spans[0];
    expect([span0?.traceId, span0?.parentSpanId]).toEqual(['ab'.repeat(16), 'cd'.repeat(8)]);
  });

  it("keeps the usage on Codex's own spans as attributes only, so each call is counted once", () => {
    const own = span({
      name: 'handle_responses',
      attributes: { 'gen_ai.usage.input_tokens': 1001, 'gen_ai.usage.output_tokens': 41 },
    });
    const [row] = normalizeSpans(traces([own], RESOURCE), options).rows;
    expect(row?.input_tokens).toBeNull();
    expect(row?.cost_usd).toBeNull();
    expect(JSON.parse(row?.attributes ?? '{}')['gen_ai.usage.input_tokens']).toBe(1001);
  });
});
