import { describe, expect, it } from 'vitest';
import { logRecord, logs, SPAN_ID, START_US, TRACE_ID } from '../../test/raw-builders.ts';
import { bundledPriceTable } from '../pricing/price-table.ts';
import type { RawLogRecord } from '../raw-otlp.ts';
import type { LogRow } from '../span-row.ts';
import { normalizeLogs } from './normalize-logs.ts';
import type { NormalizeOptions } from './normalize-options.ts';
import { usageFromAttributes } from './usage.ts';

const options: NormalizeOptions = {
  prices: bundledPriceTable(),
  captureContent: false,
  now: () => 1_800_000_000_000,
};

function one(record: RawLogRecord, captureContent = false): LogRow {
  const result = normalizeLogs(
    logs([record], { 'service.name': 'claude-code', 'session.id': 'sess-9', 'user.email': 'dev@acme.io' }),
    { ...options, captureContent },
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error('no row');
  return row;
}

const apiRequest = (): RawLogRecord =>
  logRecord({
    body: 'claude_code.api_request',
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    attributes: {
      'event.name': 'api_request',
      'event.timestamp': '2026-11-20T10:00:00.000Z',
      model: 'claude-opus-4-7',
      input_tokens: '2',
      output_tokens: '1200',
      cache_read_tokens: '84562',
      cache_creation_tokens: '7096',
      cost_usd: '0.1234',
      duration_ms: '5120',
    },
  });

describe('log rows', () => {
  it('fills the typed columns of a Claude Code api_request event', () => {
    const row = one(apiRequest());
    expect(row).toMatchObject({
      timestamp: START_US,
      observed_timestamp: START_US + 10,
      trace_id: TRACE_ID,
      span_id: SPAN_ID,
      severity_number: 9,
      severity_text: 'INFO',
      body: 'claude_code.api_request',
      event_name: 'claude_code.api_request',
      dataset: 'claude-code',
      scope_name: 'com.anthropic.claude_code.events',
      conversation_id: 'sess-9',
      user_id: 'dev@acme.io',
      sample_rate: 1,
    });
    expect(JSON.parse(row.attributes)).toMatchObject({
      'service.name': 'claude-code',
      input_tokens: '2',
      model: 'claude-opus-4-7',
    });
  });

  it('joins native events on the record attributes: session.id → conversation, join keys kept by name', () => {
    const result = normalizeLogs(
      logs(
        [
          logRecord({
            body: 'claude_code.tool_result',
            attributes: {
              'event.name': 'tool_result',
              'session.id': 'sess-native',
              'prompt.id': 'prompt-1',
              'user.id': 'anon-7f3e',
              'user.email': 'dev@acme.io',
              tool_name: 'Bash',
              tool_use_id: 'toolu_1',
              success: 'true',
            },
          }),
        ],
        { 'service.name': 'claude-code' },
      ),
      options,
    );
    const [row] = result.rows;
    expect(row).toMatchObject({
      event_name: 'claude_code.tool_result',
      conversation_id: 'sess-native',
      user_id: 'anon-7f3e',
    });
    expect(JSON.parse(row?.attributes ?? '{}')).toMatchObject({
      'prompt.id': 'prompt-1',
      tool_use_id: 'toolu_1',
      'session.id': 'sess-native',
    });
  });

  it('gives the same canonical usage through usageFromAttributes (2 + 84,562 + 7,096 = 91,660)', () => {
    expect(usageFromAttributes(apiRequest().attributes)).toEqual({
      inputTokens: 91660,
      outputTokens: 1200,
      cacheReadTokens: 84562,
      cacheWriteTokens: 7096,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
    });
  });

  it('prefers the record event_name, else the event.name attribute', () => {
    expect(
      one(logRecord({ eventName: 'gen_ai.evaluation.result', attributes: { 'event.name': 'x' } })).event_name,
    ).toBe('gen_ai.evaluation.result');
    expect(one(logRecord({ attributes: { 'event.name': 'codex.sse_event' } })).event_name).toBe(
      'codex.sse_event',
    );
    expect(one(logRecord({ body: 'started', attributes: { 'event.name': 'api_request' } })).event_name).toBe(
      'api_request',
    );
    // Codex 0.169.0: its Rust tracing location in event_name, the event's name in the attribute
    const codex = logRecord({
      eventName: 'event otel/src/events/session_telemetry.rs:1153',
      attributes: { 'event.name': 'codex.sse_event' },
    });
    expect(one(codex).event_name).toBe('codex.sse_event');
  });

  it('writes a structured body as JSON and clears a malformed trace id with a warning', () => {
    const result = normalizeLogs(
      logs([logRecord({ body: { status: 'ok', n: 2 }, traceId: 'not-hex', spanId: '0'.repeat(16) })]),
      options,
    );
    expect(result.rejected).toBe(0);
    expect(result.rows[0]).toMatchObject({ body: '{"status":"ok","n":2}', trace_id: '', span_id: '' });
    expect(result.errors).toEqual([
      '1 × log record kept without its trace id: not 32 hex characters (first: "not-hex")',
    ]);
  });

  it('uses the observed time, then the clock, when the record has no time', () => {
    expect(one(logRecord({ timeUs: 0 })).timestamp).toBe(START_US + 10);
    expect(one(logRecord({ timeUs: 0, observedTimeUs: 0 }))).toMatchObject({
      timestamp: 1_800_000_000_000_000,
      observed_timestamp: 1_800_000_000_000_000,
    });
  });
});

describe('log redaction', () => {
  const userPrompt = (): RawLogRecord =>
    logRecord({
      body: 'claude_code.user_prompt',
      attributes: {
        'event.name': 'user_prompt',
        prompt_length: '31',
        prompt: 'deploy with sk-ant-api03-AbCdEf0123456789_xyz',
      },
    });

  it('drops Claude Code prompt attributes by default', () => {
    const row = one(userPrompt());
    const attributes = JSON.parse(row.attributes);
    expect(attributes.prompt).toBeUndefined();
    expect(attributes.prompt_length).toBe('31');
    expect(attributes['loopline.redacted']).toEqual(['prompt']);
    expect(row.body).toBe('claude_code.user_prompt');
  });

  it('keeps the prompt when content capture is on, with the secret masked', () => {
    const attributes = JSON.parse(one(userPrompt(), true).attributes);
    expect(attributes.prompt).toBe('deploy with [REDACTED:anthropic_api_key]');
  });

  it('replaces a body that is content and records it', () => {
    const row = one(
      logRecord({ eventName: 'gen_ai.user.message', body: { content: 'my address is 1 Main St' } }),
    );
    expect(row.body).toBe('[REDACTED:content]');
    expect(JSON.parse(row.attributes)['loopline.redacted']).toEqual(['body']);
  });

  it('drops Codex tool_result arguments and output', () => {
    const row = one(
      logRecord({
        attributes: { 'event.name': 'codex.tool_result', tool_name: 'shell', arguments: 'ls', output: 'a' },
      }),
    );
    expect(JSON.parse(row.attributes)).toMatchObject({
      tool_name: 'shell',
      'loopline.redacted': ['arguments', 'output'],
    });
  });

  it("names the person on Codex's and Gemini's own events as on their chat spans", () => {
    const userOf = (service: string, attributes: Record<string, string>) =>
      normalizeLogs(logs([logRecord({ attributes })], { 'service.name': service }), options).rows[0]?.user_id;
    const install = 'bfded823-09a0-4da5-90e8-76aeb14b8d4b';
    expect(userOf('codex_exec', { 'user.account_id': 'acct-7' })).toBe('acct-7');
    expect(userOf('codex_cli_rs', { 'user.account_id': 'acct-7', 'user.email': 'lee@acme.test' })).toBe(
      'lee@acme.test',
    );
    expect(userOf('gemini-cli', { 'installation.id': install })).toBe(install);
    expect(userOf('gemini-cli', { 'installation.id': install, 'user.email': 'dana@acme.test' })).toBe(
      'dana@acme.test',
    );
    // other emitters' installation or account ids are not taken for a person
    expect(userOf('other', { 'installation.id': install, 'user.account_id': 'acct-7' })).toBeNull();
  });

  it('masks secrets in plain bodies', () => {
    expect(one(logRecord({ body: 'curl -H "Authorization: Bearer abcdefghijkl1234"' })).body).toBe(
      'curl -H "Authorization: Bearer [REDACTED:bearer_token]"',
    );
  });
});
