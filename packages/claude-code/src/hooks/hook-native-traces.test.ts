import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SpanRecord } from '../span-record.ts';
import { NATIVE_TRACES_ENV, nativeTracesToLoopline } from './hook-chat-spans.ts';
import type { HookContext } from './hook-context.ts';
import { handleHookEvent } from './hook-handler.ts';
import { parseHookInput, parseTraceparent } from './hook-input.ts';
import { MemoryHookStore } from './hook-store.ts';
import { byName, ScriptedSession, TEST_GIT } from './hook-test-support.ts';

/** What `loopline install claude-code --otel` sets, plus Claude Code's beta trace switches. */
const NATIVE_TRACES = {
  CLAUDE_CODE_ENABLE_TELEMETRY: '1',
  CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: '1',
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_METRICS_EXPORTER: 'otlp',
  OTEL_LOGS_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
};

describe('nativeTracesToLoopline: one source of model calls per session', () => {
  it('is on when telemetry, the trace beta and an OTLP trace exporter aimed at Loopline are all set', () => {
    expect(nativeTracesToLoopline(NATIVE_TRACES)).toBe(true);
    expect(nativeTracesToLoopline(NATIVE_TRACES, 'http://127.0.0.1:4318/')).toBe(true);
  });

  it('is off by default, and with metrics and logs only (what install --otel sets)', () => {
    expect(nativeTracesToLoopline({})).toBe(false);
    const {
      CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: _beta,
      OTEL_TRACES_EXPORTER: _traces,
      ...logsOnly
    } = NATIVE_TRACES;
    expect(nativeTracesToLoopline(logsOnly)).toBe(false);
  });

  it.each([
    ['telemetry off', { CLAUDE_CODE_ENABLE_TELEMETRY: '0' }],
    ['telemetry unset', { CLAUDE_CODE_ENABLE_TELEMETRY: undefined }],
    ['beta off', { CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: undefined }],
    ['no trace exporter', { OTEL_TRACES_EXPORTER: undefined }],
    ['console trace exporter', { OTEL_TRACES_EXPORTER: 'console' }],
    ['traces elsewhere', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://api.honeycomb.io/v1/traces' }],
    ['another port', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9999' }],
  ])('is off with %s', (_label, change) => {
    expect(nativeTracesToLoopline({ ...NATIVE_TRACES, ...change })).toBe(false);
  });

  it.each([
    [
      'true and a list of exporters',
      { CLAUDE_CODE_ENABLE_TELEMETRY: 'true', OTEL_TRACES_EXPORTER: 'console, otlp' },
    ],
    ['localhost for 127.0.0.1', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }],
    ['the per-signal endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }],
    ['gRPC on 4317 beside HTTP on 4318', { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4317' }],
    ["OTel's default endpoint", { OTEL_EXPORTER_OTLP_ENDPOINT: undefined }],
  ])('accepts %s', (_label, change) => {
    expect(nativeTracesToLoopline({ ...NATIVE_TRACES, ...change })).toBe(true);
  });

  it("compares with Loopline's endpoint: the argument, else LOOPLINE_ENDPOINT", () => {
    const remote = { ...NATIVE_TRACES, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://loopline.acme.io' };
    expect(nativeTracesToLoopline(remote)).toBe(false);
    expect(nativeTracesToLoopline(remote, 'https://loopline.acme.io/')).toBe(true);
    expect(nativeTracesToLoopline({ ...remote, LOOPLINE_ENDPOINT: 'https://loopline.acme.io' })).toBe(true);
  });

  it(`is forced by ${NATIVE_TRACES_ENV}`, () => {
    expect(nativeTracesToLoopline({ [NATIVE_TRACES_ENV]: '1' })).toBe(true);
    expect(nativeTracesToLoopline({ ...NATIVE_TRACES, [NATIVE_TRACES_ENV]: '0' })).toBe(false);
  });
});

describe('the hook with native traces on', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function turnWithOneCall(): ScriptedSession {
    const session = new ScriptedSession();
    session.run('SessionStart', { source: 'startup', model: 'claude-opus-4-6' });
    session.run('UserPromptSubmit', { prompt: 'one', prompt_id: 'p1' });
    session.transcriptTurn({
      promptId: 'p1',
      prompt: 'one',
      atMs: session.nowMs + 10,
      model: 'claude-opus-4-6',
      messageId: 'm1',
    });
    session.run('Stop', { prompt_id: 'p1' }, 3000);
    return session;
  }

  it('makes transcript chat spans by default', () => {
    vi.stubEnv(NATIVE_TRACES_ENV, '0');
    const session = turnWithOneCall();
    expect(byName(session.sent, 'chat claude-opus-4-6')).toHaveLength(1);
  });

  it('makes none when the environment says Claude Code sends its traces to Loopline', () => {
    for (const [name, value] of Object.entries(NATIVE_TRACES)) vi.stubEnv(name, value);
    vi.stubEnv('LOOPLINE_ENDPOINT', 'http://127.0.0.1:4318');
    vi.stubEnv(NATIVE_TRACES_ENV, undefined);
    const session = turnWithOneCall();
    expect(byName(session.sent, 'chat claude-opus-4-6')).toEqual([]);
    const [turn] = byName(session.sent, 'invoke_agent claude-code');
    // the turn is still sent, with the prompt id native events carry
    expect(turn?.attributes).toMatchObject({ 'prompt.id': 'p1', 'gen_ai.conversation.id': 'sess-1' });
  });
});

describe("the turn names Claude Code's own interaction span (TRACEPARENT)", () => {
  const TRACE = '0c534532b3ef7cb030f19279462b3949';
  const INTERACTION = `00-${TRACE}-3434d6dc8f53fff1-01`;
  const AGENT_CALL = `00-${TRACE}-a8be5314b505da0f-01`;

  /** Hook processes one after the other, each with the TRACEPARENT Claude Code 2.1.330 gave it. */
  function run(steps: Array<[event: string, fields: Record<string, unknown>, traceparent?: string]>) {
    const store = new MemoryHookStore();
    let nowUs = Date.UTC(2026, 10, 20, 9) * 1000;
    const sent: SpanRecord[] = [];
    for (const [event, fields, traceparent] of steps) {
      nowUs += 100_000;
      const stdin = JSON.stringify({ session_id: 's1', cwd: '/shop', hook_event_name: event, ...fields });
      const input = parseHookInput(stdin, traceparent === undefined ? {} : { TRACEPARENT: traceparent });
      const ctx: HookContext = {
        store,
        nowUs,
        captureContent: false,
        git: () => TEST_GIT,
        unique: () => String(nowUs),
        nativeTraces: true,
      };
      sent.push(...handleHookEvent(ctx, input).spans);
    }
    return byName(sent, 'invoke_agent claude-code');
  }

  it('records the trace and span of the claude_code.interaction it was called under', () => {
    const [turn] = run([
      ['SessionStart', { source: 'startup' }],
      ['UserPromptSubmit', { prompt: 'hi', prompt_id: 'p1' }, INTERACTION],
      ['SubagentStart', { prompt_id: 'p1', agent_id: 'a1', agent_type: 'general-purpose' }, AGENT_CALL],
      ['SubagentStop', { prompt_id: 'p1', agent_id: 'a1', agent_type: 'general-purpose' }, AGENT_CALL],
      ['Stop', { prompt_id: 'p1' }, INTERACTION],
    ]);
    expect(turn?.attributes).toMatchObject({
      'prompt.id': 'p1',
      'claude_code.native.trace_id': TRACE,
      'claude_code.native.span_id': '3434d6dc8f53fff1',
    });
  });

  it("takes no sub-agent's context for the turn (Stop's instead), and records none without TRACEPARENT", () => {
    const [implicit] = run([
      ['SubagentStart', { prompt_id: 'p1', agent_id: 'a1', agent_type: 'general-purpose' }, AGENT_CALL],
      ['Stop', { prompt_id: 'p1' }, INTERACTION],
    ]);
    expect(implicit?.attributes['claude_code.native.span_id']).toBe('3434d6dc8f53fff1');
    const [plain] = run([
      ['UserPromptSubmit', { prompt: 'hi', prompt_id: 'p1' }],
      ['Stop', { prompt_id: 'p1' }],
    ]);
    expect(plain?.attributes['prompt.id']).toBe('p1');
    expect(Object.keys(plain?.attributes ?? {}).filter((k) => k.startsWith('claude_code.native.'))).toEqual(
      [],
    );
  });

  it.each([
    [INTERACTION, { traceId: TRACE, spanId: '3434d6dc8f53fff1' }],
    [` ${INTERACTION.toUpperCase()} `, { traceId: TRACE, spanId: '3434d6dc8f53fff1' }],
    [`00-${'0'.repeat(32)}-3434d6dc8f53fff1-01`, undefined],
    [`00-${TRACE}-${'0'.repeat(16)}-01`, undefined],
    [`ff-${TRACE}-3434d6dc8f53fff1-01`, undefined],
    [`00-${TRACE}-3434d6dc-01`, undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads traceparent %j', (value, expected) => {
    expect(parseTraceparent(value)).toEqual(expected);
  });
});
