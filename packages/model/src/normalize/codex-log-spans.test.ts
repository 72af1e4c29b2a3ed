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

  it('names the person Codex signed in as (user.email, else user.account_id) on the chat span, for spend by person', () => {
    const signedIn = (identity: Record<string, string>) => {
      const record = completed('10', '5', 't');
      Object.assign(record.attributes, identity);
      const derived = deriveSpansFromLogs(logs([record], RESOURCE));
      return normalizeSpans(derived.spans, options).rows[0]?.user_id;
    };
    expect(signedIn({ 'user.email': 'lee@acme.test', 'user.account_id': 'acct-7' })).toBe('lee@acme.test');
    expect(signedIn({ 'user.account_id': 'acct-7' })).toBe('acct-7');
    // an API-key session sends neither: no person is made up
    expect(signedIn({})).toBeNull();
  });

  it('carries a repository the event or its resource names', () => {
    const record = completed('10', '5', 't');
    const derived = deriveSpansFromLogs(logs([record], { ...RESOURCE, 'vcs.repository.name': 'shop' }));
    expect(normalizeSpans(derived.spans, options).rows[0]?.vcs_repository).toBe('shop');
  });

  it("lasts from the call's codex.api_request (its time less its duration_ms) to its response.completed", () => {
    const requestUs = Date.parse('2026-11-22T10:39:50.000Z') * 1000;
    const doneUs = Date.parse('2026-11-22T10:39:51.342Z') * 1000;
    const request = (timeUs: number, durationMs: string) =>
      logRecord({
        timeUs,
        attributes: {
          'event.name': 'codex.api_request',
          duration_ms: durationMs,
          'conversation.id': SESSION,
          model: 'gpt-5',
        },
      });
    const done = completed('1001', '41', '2026-11-22T10:39:51.342Z');
    done.timeUs = doneUs;
    const later = completed('1002', '42', '2026-11-22T10:39:53.000Z');
    later.timeUs = doneUs + 1_658_000;
    const batch2 = logs(
      [request(requestUs, '9'), done, request(doneUs + 500_000, '120'), later],
      RESOURCE,
      'codex_otel',
    );
    const rows = normalizeSpans(deriveSpansFromLogs(batch2).spans, options).rows;
    expect(rows.map((r) => r.duration_ms)).toEqual([1342 + 9, 1158 + 120]);
    // without its request in the batch the call is still kept, as an instant
    const alone = normalizeSpans(deriveSpansFromLogs(logs([done], RESOURCE)).spans, options).rows;
    expect(alone.map((r) => r.duration_ms)).toEqual([0]);
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
