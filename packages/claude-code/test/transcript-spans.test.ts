import { bundledPriceTable, normalizeSpans, type SpanRow } from '@loopline/model';
import { decodeTracesJson } from '@loopline/otlp';
import { describe, expect, it } from 'vitest';
import {
  chatSpanId,
  type SpanRecord,
  spansToOtlpJson,
  toolSpanId,
  transcriptResource,
  transcriptToSpans,
  turnSpanId,
  turnTraceId,
} from '../src/index.ts';
import { loginSession, SESSION_ID } from './fixture-files.ts';

const FIRST_PROMPT_ID = 'e2d1c0b9-a8f7-4e6d-b5c4-a3b2c1d0e9f8';
const TASK_TOOL = 'toolu_01Ta7Sk2Dl9Fj4Gh6Jk1Lz8X';
const BASH_TOOL = 'toolu_01Nc5Jm7Wq2Er9Ty4Ui8Op3A';
const CONTENT_KEYS = [
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'error.message',
];

const byName = (spans: SpanRecord[], name: string) => spans.filter((s) => s.name === name);
const op = (spans: SpanRecord[], operation: string) =>
  spans.filter((s) => s.attributes['gen_ai.operation.name'] === operation);

describe('transcriptToSpans', () => {
  it('gives identical spans and ids when the transcript is parsed twice', () => {
    const a = transcriptToSpans(loginSession());
    const b = transcriptToSpans(loginSession());
    expect(b).toEqual(a);
    const ids = a.map((s) => s.spanId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of a) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('derives ids a hook can compute from the session id, prompt id, message id and tool_use id', () => {
    const spans = transcriptToSpans(loginSession());
    const root = spans[0]!;
    expect(root.traceId).toBe(turnTraceId(SESSION_ID, FIRST_PROMPT_ID));
    expect(root.spanId).toBe(turnSpanId(SESSION_ID, FIRST_PROMPT_ID));
    const chat = spans.find((s) => s.attributes['gen_ai.response.id'] === 'msg_01LpQ7rT2xYvKc9aWm3nE8sD')!;
    expect(chat.spanId).toBe(
      chatSpanId(SESSION_ID, 'msg_01LpQ7rT2xYvKc9aWm3nE8sD', 'req_011CVa1Rt5LoginAAAAA001'),
    );
    expect(spans.some((s) => s.spanId === toolSpanId(SESSION_ID, BASH_TOOL))).toBe(true);
  });

  it('builds one trace per prompt turn with an invoke_agent root', () => {
    const spans = transcriptToSpans(loginSession());
    expect(spans).toHaveLength(20);
    const roots = spans.filter((s) => s.parentSpanId === null);
    expect(roots).toHaveLength(4);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(4);
    for (const root of roots) {
      expect(root.name).toBe('invoke_agent claude-code');
      expect(root.kind).toBe('internal');
      expect(root.attributes).toMatchObject({
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'claude-code',
        'gen_ai.conversation.id': SESSION_ID,
        'gen_ai.provider.name': 'anthropic',
      });
    }
    expect(roots[0]!.attributes['prompt.id']).toBe(FIRST_PROMPT_ID);
    expect(roots[0]!.attributes['vcs.ref.head.name']).toBe('feature/login-rate-limit');
    expect(roots[0]!.startTimeUnixNano).toBe(`${Date.parse('2026-03-02T10:00:00.000Z')}000000`);
    expect(roots[0]!.endTimeUnixNano).toBe(`${Date.parse('2026-03-02T10:00:33.000Z')}000000`);
    // every parent exists in the same trace
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const s of spans) {
      if (s.parentSpanId !== null) expect(byId.get(s.parentSpanId)?.traceId).toBe(s.traceId);
    }
    // the API error ends the last turn
    expect(roots[3]!.status).toEqual({ code: 'error' });
    expect(roots[3]!.attributes['error.type']).toBe('overloaded');
    expect(roots[3]!.events.map((e) => e.name)).toEqual(['claude_code.api_error']);
  });

  it('puts usage inclusive of the cache, model, response id and time to first chunk on chat spans', () => {
    const spans = transcriptToSpans(loginSession());
    const chats = op(spans, 'chat');
    expect(chats).toHaveLength(9);
    const first = chats[0]!;
    expect(first.name).toBe('chat claude-sonnet-4-5-20250929');
    expect(first.kind).toBe('client');
    expect(first.parentSpanId).toBe(turnSpanId(SESSION_ID, FIRST_PROMPT_ID));
    expect(first.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.response.id': 'msg_01LpQ7rT2xYvKc9aWm3nE8sD',
      request_id: 'req_011CVa1Rt5LoginAAAAA001',
      'gen_ai.conversation.id': SESSION_ID,
      'gen_ai.response.finish_reasons': ['tool_use'],
      'gen_ai.usage.input_tokens': 16_203,
      'gen_ai.usage.output_tokens': 156,
      'gen_ai.usage.cache_read.input_tokens': 15_000,
      'gen_ai.usage.cache_creation.input_tokens': 1200,
      'gen_ai.usage.cache_creation.5m.input_tokens': 200,
      'gen_ai.usage.cache_creation.1h.input_tokens': 1000,
      'gen_ai.response.time_to_first_chunk': 2.5,
      'claude_code.transcript.records': 3,
    });
    const sum = (key: string) => chats.reduce((n, s) => n + Number(s.attributes[key] ?? 0), 0);
    expect(sum('gen_ai.usage.input_tokens')).toBe(87_199);
    expect(sum('gen_ai.usage.output_tokens')).toBe(1476);
    expect(sum('gen_ai.usage.cache_creation.1h.input_tokens')).toBe(3300);
  });

  it('marks failed tool calls and nests the sub-agent under the Task call that launched it', () => {
    const spans = transcriptToSpans(loginSession());
    const tools = op(spans, 'execute_tool');
    expect(tools.map((s) => s.name)).toEqual([
      'execute_tool Read',
      'execute_tool Bash',
      'execute_tool Task',
      'execute_tool Edit',
      'execute_tool Grep',
      'execute_tool Read',
    ]);
    const bash = tools[1]!;
    expect(bash.status).toEqual({ code: 'error' });
    expect(bash.attributes).toMatchObject({
      'gen_ai.tool.name': 'Bash',
      'gen_ai.tool.call.id': BASH_TOOL,
      'error.type': 'tool_error',
    });
    expect(tools.filter((s) => s.status.code === 'error')).toHaveLength(2);

    const task = tools[2]!;
    const [agent] = byName(spans, 'invoke_agent Explore');
    expect(agent).toBeDefined();
    expect(agent!.parentSpanId).toBe(task.spanId);
    expect(agent!.traceId).toBe(task.traceId);
    expect(agent!.attributes).toMatchObject({
      'gen_ai.agent.id': 'a3f9c2',
      'gen_ai.operation.name': 'invoke_agent',
    });
    const children = spans.filter((s) => s.parentSpanId === agent!.spanId).map((s) => s.name);
    expect(children).toEqual([
      'chat claude-haiku-4-5-20251001',
      'execute_tool Grep',
      'chat claude-haiku-4-5-20251001',
      'execute_tool Read',
      'chat claude-haiku-4-5-20251001',
    ]);
  });

  it('never repeats a span id, even when a promptId is written twice', () => {
    const session = loginSession();
    session.main.prompts[2]!.promptId = session.main.prompts[1]!.promptId;
    const spans = transcriptToSpans(session);
    expect(spans.filter((s) => s.parentSpanId === null)).toHaveLength(3);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
  });

  it('adds the compaction as an event of its turn', () => {
    const spans = transcriptToSpans(loginSession());
    const events = spans.flatMap((s) => s.events.map((e) => ({ span: s, event: e })));
    const compactions = events.filter((e) => e.event.name === 'claude_code.compaction');
    expect(compactions).toHaveLength(1);
    expect(compactions[0]!.event).toEqual({
      name: 'claude_code.compaction',
      timeUnixNano: `${Date.parse('2026-03-02T10:05:40.000Z')}000000`,
      attributes: { 'claude_code.compaction.trigger': 'manual', 'claude_code.compaction.pre_tokens': 19_850 },
    });
    expect(compactions[0]!.span.attributes['prompt.id']).toBe('0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d');
  });

  it('leaves prompts, responses, tool arguments and results out unless captureContent is set', () => {
    const spans = transcriptToSpans(loginSession());
    for (const s of spans) {
      for (const key of CONTENT_KEYS) expect(s.attributes).not.toHaveProperty(key);
      expect(s.status.message).toBeUndefined();
      for (const e of s.events) for (const key of CONTENT_KEYS) expect(e.attributes).not.toHaveProperty(key);
    }
    const text = JSON.stringify(spans);
    for (const fragment of [
      'rate limiter',
      'npm test',
      'Exit code',
      'throttle({',
      "I'll look",
      'Overloaded',
    ]) {
      expect(text).not.toContain(fragment);
    }
  });

  it('includes content with captureContent', () => {
    const spans = transcriptToSpans(loginSession(), { captureContent: true });
    const root = spans[0]!;
    expect(JSON.parse(String(root.attributes['gen_ai.input.messages']))).toEqual([
      {
        role: 'user',
        parts: [
          {
            type: 'text',
            content: 'Add a rate limiter to the /login endpoint: at most 5 attempts per minute per IP.',
          },
        ],
      },
    ]);
    const first = op(spans, 'chat')[0]!;
    const output = JSON.parse(String(first.attributes['gen_ai.output.messages']));
    expect(output[0].parts.map((p: { type: string }) => p.type)).toEqual(['reasoning', 'text', 'tool_call']);
    const bash = spans.find((s) => s.attributes['gen_ai.tool.call.id'] === BASH_TOOL)!;
    expect(bash.status.message).toMatch(/^Exit code 1/);
    expect(JSON.parse(String(bash.attributes['gen_ai.tool.call.arguments']))).toEqual({
      command: 'npm test -- login',
      description: 'Run the login tests',
    });
    // ids do not depend on the switch
    expect(spans.map((s) => s.spanId)).toEqual(transcriptToSpans(loginSession()).map((s) => s.spanId));
  });
});

describe('spansToOtlpJson', () => {
  function normalised(captureContent = false): SpanRow[] {
    const session = loginSession();
    const body = JSON.stringify(spansToOtlpJson(transcriptToSpans(session), transcriptResource(session)));
    const result = normalizeSpans(decodeTracesJson(body), { prices: bundledPriceTable(), captureContent });
    expect(result.rejected).toBe(0);
    expect(result.errors).toEqual([]);
    return result.rows;
  }

  it('writes an ExportTraceServiceRequest with hex ids, string times and typed values', () => {
    const session = loginSession();
    const request = spansToOtlpJson(transcriptToSpans(session), transcriptResource(session));
    const resource = request.resourceSpans[0]!;
    expect(resource.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'claude-code' } },
      { key: 'service.version', value: { stringValue: '2.1.63' } },
    ]);
    const span = resource.scopeSpans[0]!.spans.find((s) => s.name.startsWith('chat '))!;
    expect(typeof span.startTimeUnixNano).toBe('string');
    expect(span.kind).toBe(3);
    const value = (key: string) => span.attributes.find((a) => a.key === key)?.value;
    expect(value('gen_ai.usage.input_tokens')).toEqual({ intValue: '16203' });
    expect(value('gen_ai.response.time_to_first_chunk')).toEqual({ doubleValue: 2.5 });
    expect(value('gen_ai.response.finish_reasons')).toEqual({
      arrayValue: { values: [{ stringValue: 'tool_use' }] },
    });
    expect(resource.scopeSpans[0]!.spans[0]!.parentSpanId).toBeUndefined();
  });

  it("is accepted by Loopline's OTLP/JSON decoder and normaliser with the right usage columns", () => {
    const rows = normalised();
    expect(rows).toHaveLength(20);
    const chats = rows.filter((r) => r.operation === 'chat');
    expect(chats).toHaveLength(9);
    const first = chats.find((r) => r.name === 'chat claude-sonnet-4-5-20250929')!;
    expect(first).toMatchObject({
      dataset: 'claude-code',
      service_version: '2.1.63',
      operation: 'chat',
      provider: 'anthropic',
      request_model: 'claude-sonnet-4-5-20250929',
      conversation_id: SESSION_ID,
      input_tokens: 16_203,
      output_tokens: 156,
      cache_read_tokens: 15_000,
      cache_write_tokens: 1200,
      cache_write_5m_tokens: 200,
      cache_write_1h_tokens: 1000,
      ttft_ms: 2500,
      kind: 'client',
    });
    expect(first.cost_source).toBe('computed');
    const sum = (pick: (r: SpanRow) => number | null) => chats.reduce((n, r) => n + (pick(r) ?? 0), 0);
    expect(sum((r) => r.input_tokens)).toBe(87_199);
    expect(sum((r) => r.cache_read_tokens)).toBe(75_850);
    expect(sum((r) => r.cache_write_tokens)).toBe(11_300);
    expect(sum((r) => r.cache_write_1h_tokens)).toBe(3300);
    expect(sum((r) => r.output_tokens)).toBe(1476);
    // the call that reported 800 writes and no 5 min / 1 h split: the split is unknown, not 0 / 800
    const unsplit = chats.find((r) => r.cache_write_tokens === 800);
    expect([unsplit?.cache_write_5m_tokens, unsplit?.cache_write_1h_tokens]).toEqual([null, null]);

    const turns = rows.filter((r) => r.operation === 'invoke_agent' && r.parent_span_id === '');
    expect(turns).toHaveLength(4);
    for (const t of turns) {
      expect(t).toMatchObject({ agent_name: 'claude-code', conversation_id: SESSION_ID, input_tokens: null });
    }
    const bash = rows.find((r) => r.tool_call_id === BASH_TOOL)!;
    expect(bash).toMatchObject({
      operation: 'execute_tool',
      tool_name: 'Bash',
      is_error: true,
      error_type: 'tool_error',
      status_code: 'error',
    });
    const agent = rows.find((r) => r.agent_id === 'a3f9c2' && r.operation === 'invoke_agent')!;
    expect(agent.parent_span_id).toBe(rows.find((r) => r.tool_call_id === TASK_TOOL)!.span_id);
    expect(agent.agent_name).toBe('Explore');
  });

  it('keeps captured content through the normaliser only when it is asked to', () => {
    const session = loginSession();
    const body = spansToOtlpJson(
      transcriptToSpans(session, { captureContent: true }),
      transcriptResource(session),
    );
    const kept = normalizeSpans(decodeTracesJson(body), {
      prices: bundledPriceTable(),
      captureContent: true,
    });
    const dropped = normalizeSpans(decodeTracesJson(body), {
      prices: bundledPriceTable(),
      captureContent: false,
    });
    const rootOf = (rows: SpanRow[]) => JSON.parse(rows.find((r) => r.parent_span_id === '')!.attributes);
    expect(rootOf(kept.rows)['gen_ai.input.messages']).toContain('rate limiter');
    expect(rootOf(dropped.rows)['gen_ai.input.messages']).toBeUndefined();
    expect(rootOf(dropped.rows)['loopline.redacted']).toContain('gen_ai.input.messages');
  });
});
