/**
 * The real Claude Code CLI with Loopline's hooks AND its own OpenTelemetry export on (metrics, log events
 * and the beta traces), all to one `loopline serve`: the hook spans and Claude Code's native spans, logs
 * and metrics form one conversation, and the model calls' tokens and cost are counted once (Claude Code's
 * `claude_code.llm_request` spans are the source; the hook leaves out its transcript chat spans). A turn
 * joins Claude Code's own records by `prompt.id` (its log events) and by the trace context Claude Code
 * hands its hooks (`claude_code.native.trace_id`); a tool call by its tool_use_id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundledPriceTable, computeCost, lookupModel } from '@loopline/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicStub, type StubCall, startAnthropicStub } from './anthropic-stub.ts';
import {
  CLAUDE,
  type ClaudeResult,
  type Conversation,
  claude,
  conversation,
  expected,
  FINAL,
  loopline,
  MODEL,
  parseResult,
  type Sandbox,
  type SpanView,
  sandbox,
  script,
} from './claude-code-session.ts';
import { exited, ROOT, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

interface QueryAnswer {
  totals: Record<string, number>;
  groups: Array<{ key: Record<string, unknown>; values: Record<string, number> }>;
}

async function query(url: string, body: object): Promise<QueryAnswer> {
  const response = await fetch(`${url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time_range: 3600, ...body }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as QueryAnswer;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let stub: AnthropicStub;
let serve: ServeProcess;
let box: Sandbox;
let session: ClaudeResult;
let calls: StubCall[];
let conv: Conversation;

/** Waits until Claude Code's exporters have delivered what the session produced (they batch). */
async function nativeArrived(modelCalls: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [spans, logs, metrics] = await Promise.all([
      query(serve.url, {
        calculations: [{ op: 'COUNT', alias: 'n' }],
        filters: [{ column: 'name', op: '=', value: 'claude_code.llm_request' }],
      }),
      query(serve.url, {
        source: 'logs',
        calculations: [{ op: 'COUNT', alias: 'n' }],
        filters: [{ column: 'event.name', op: '=', value: 'claude_code.api_request' }],
      }),
      query(serve.url, {
        source: 'metrics',
        calculations: [{ op: 'COUNT', alias: 'n' }],
        filters: [{ column: 'metric.name', op: '=', value: 'claude_code.token.usage' }],
      }),
    ]);
    if (spans.totals.n === modelCalls && logs.totals.n === modelCalls && (metrics.totals.n ?? 0) > 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `native telemetry incomplete after 30 s: ${spans.totals.n} llm_request spans, ${logs.totals.n} api_request events, ${metrics.totals.n} token metric points (want ${modelCalls})`,
      );
    }
    await sleep(250);
  }
}

beforeAll(async () => {
  expect(fs.existsSync(CLAUDE), `${CLAUDE} (npm install the root devDependencies)`).toBe(true);
  expect(fs.existsSync(path.join(ROOT, 'packages/cli/dist/hook.cjs')), 'run "npm run build"').toBe(true);
  stub = await startAnthropicStub(script);
  serve = await spawnServe(['--data-dir', tempDir('cc-otel-e2e-data')]);
  box = sandbox('otel', stub);
  // user scope: Claude Code 2.1.330 in print mode did not start its export from a project file's env
  const install = await loopline(box, ['install', 'claude-code', '--endpoint', serve.url, '--otel-traces']);
  expect(install.code, install.stderr).toBe(0);
  expect(install.stdout).toContain('metrics, events and (beta) traces');
  const settings = JSON.parse(fs.readFileSync(path.join(box.home, '.claude/settings.json'), 'utf8'));
  expect(settings.env).toMatchObject({
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: '1',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: serve.url,
  });
  // only to make the test quick: Claude Code's exporters batch for seconds by default
  box.env.OTEL_METRIC_EXPORT_INTERVAL = '1000';
  box.env.OTEL_LOGS_EXPORT_INTERVAL = '500';
  box.env.OTEL_TRACES_EXPORT_INTERVAL = '500';
  // with a custom ANTHROPIC_BASE_URL (the stub) Claude Code propagates its trace context (the `traceparent`
  // header, TRACEPARENT to hooks and shell commands) only when asked; with Anthropic's API it always does
  box.env.CLAUDE_CODE_PROPAGATE_TRACEPARENT = '1';
  const first = stub.calls.length;
  session = parseResult(await claude(box, 'Say hello, list the files, then push.'), stub);
  calls = stub.calls.slice(first).filter((c) => c.step !== 'aux');
  await nativeArrived(calls.length);
  const got = await conversation(serve.url, session.session_id);
  expect(got.status).toBe(200);
  conv = got.body;
}, 150_000);

afterAll(async () => {
  await stub?.close();
  if (serve !== undefined) {
    serve.child.kill('SIGKILL');
    await exited(serve.child);
  }
});

/** The stub's usage in Loopline's terms: input inclusive of cache reads and writes. */
function stubTotals() {
  let input = 0;
  let output = 0;
  let cacheRead = 0;
  let cacheWrite = 0;
  for (const { usage } of calls) {
    input += usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens;
    output += usage.output_tokens;
    cacheRead += usage.cache_read_input_tokens;
    cacheWrite += usage.cache_creation_input_tokens;
  }
  return { input, output, cacheRead, cacheWrite };
}

const sum = (spans: SpanView[], pick: (s: SpanView) => number | null): number =>
  spans.reduce((n, s) => n + (pick(s) ?? 0), 0);

const named = (name: string): SpanView[] => conv.spans.filter((s) => s.name === name);

describe('Claude Code 2.1.330 with hooks and native OTel (beta traces) on, one Loopline', () => {
  it('runs the session; the hook logged no problem', () => {
    expect(session).toMatchObject({ is_error: false, result: FINAL });
    expect(calls.map((c) => c.step)).toEqual(['bash', 'agent', 'subagent', 'push', 'final']);
    const log = path.join(box.looplineHome, 'claude-code/hook.log');
    expect(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '').toBe('');
  });

  it('shows the hooks’ conversation: the turn with its instruction files, tool outcomes, the sub-agent', () => {
    const [turn, ...more] = named('invoke_agent claude-code');
    expect(more).toHaveLength(0);
    expect(turn!.attributes['claude_code.instructions.files']).toEqual(['CLAUDE.md', 'CODING_STANDARDS.md']);
    const bash = named('execute_tool Bash');
    expect(bash.map((s) => s.attributes['claude_code.tool.outcome']).sort()).toEqual(['denied', 'success']);
    expect(bash.find((s) => s.status_code === 'error')?.error_type).toBe('policy_denied');
    const agentCall = conv.spans.find(
      (s) => s.name === 'execute_tool Agent' || s.name === 'execute_tool Task',
    );
    const [sub] = named('invoke_agent general-purpose');
    expect(sub?.parent_span_id).toBe(agentCall?.span_id);
    expect(sub?.attributes['claude_code.agent.outcome']).toBe('completed');
    // the person: git's email on the hook's spans; Claude Code's anonymous installation id (an API key
    // session sends no user.email) on its own
    for (const span of [turn!, ...bash, sub!]) expect(span.user_id, span.name).toBe('dana@acme.test');
    for (const span of named('claude_code.llm_request')) expect(span.user_id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('counts every model call once: Claude Code’s llm_request spans, no transcript chat spans beside them', () => {
    const native = conv.spans.filter((s) => s.name === 'claude_code.llm_request');
    expect(conv.spans.filter((s) => s.name === `chat ${MODEL}`)).toHaveLength(0);
    expect(native).toHaveLength(calls.length);
    expect(conv.totals.llmCalls).toBe(calls.length);
    const want = stubTotals();
    expect(sum(native, (s) => s.input_tokens)).toBe(want.input);
    expect(sum(native, (s) => s.output_tokens)).toBe(want.output);
    expect(sum(native, (s) => s.cache_read_tokens)).toBe(want.cacheRead);
    expect(sum(native, (s) => s.cache_write_tokens)).toBe(want.cacheWrite);
    expect(native.map((s) => s.attributes['gen_ai.response.id']).sort()).toEqual(
      calls.map((c) => c.requestId).sort(),
    );
  });

  it('prices them from the price table (Claude Code reports no split of cache writes: all at the 5-minute rate)', () => {
    const price = lookupModel(bundledPriceTable(), MODEL, 'anthropic');
    expect(price).toBeDefined();
    const native = conv.spans.filter((s) => s.name === 'claude_code.llm_request');
    let want = 0;
    for (const { usage } of calls) {
      want += computeCost(
        {
          inputTokens: usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens,
          outputTokens: usage.output_tokens,
          cacheReadTokens: usage.cache_read_input_tokens,
          cacheWriteTokens: usage.cache_creation_input_tokens,
          cacheWrite5mTokens: null,
          cacheWrite1hTokens: null,
        },
        price!,
      ).costUsd;
    }
    expect(sum(native, (s) => s.cost_usd)).toBeCloseTo(want, 9);
    expect(conv.totals.costUsd).toBeCloseTo(want, 9);
  });

  it('answers the same token total from a query over the session', async () => {
    const answer = await query(serve.url, {
      calculations: [{ op: 'SUM', column: 'gen_ai.usage.input_tokens', alias: 'input' }],
      filters: [{ column: 'gen_ai.conversation.id', op: '=', value: session.session_id }],
    });
    expect(answer.totals.input).toBe(stubTotals().input);
  });

  it('joins the hook’s turn to Claude Code’s interaction trace and its events by prompt.id', async () => {
    const [turn] = named('invoke_agent claude-code');
    const [interaction, ...others] = named('claude_code.interaction');
    expect(others).toHaveLength(0);
    // Claude Code's spans carry no prompt.id; the TRACEPARENT it gives hooks names its interaction span
    expect(interaction!.attributes['prompt.id']).toBeUndefined();
    expect(interaction!.attributes['gen_ai.operation.name']).toBe('invoke_agent');
    expect(turn!.attributes).toMatchObject({
      'claude_code.native.trace_id': interaction!.trace_id,
      'claude_code.native.span_id': interaction!.span_id,
    });
    // the native spans of the turn are that trace (the sub-agent's call nests under its Agent tool span)
    for (const span of conv.spans.filter((s) => s.name.startsWith('claude_code.'))) {
      expect(span.trace_id, span.name).toBe(interaction!.trace_id);
    }
    // Claude Code's events carry the hook's prompt.id and the interaction's trace id
    const promptId = turn!.attributes['prompt.id'];
    expect(typeof promptId).toBe('string');
    const events = await query(serve.url, {
      source: 'logs',
      calculations: [{ op: 'COUNT', alias: 'n' }],
      filters: [{ column: 'prompt.id', op: '=', value: promptId }],
      breakdowns: ['event.name', 'trace.trace_id'],
    });
    const counts: Record<string, number> = {};
    for (const group of events.groups) {
      expect(group.key['trace.trace_id'], String(group.key['event.name'])).toBe(interaction!.trace_id);
      counts[String(group.key['event.name'])] = group.values.n ?? 0;
    }
    expect(counts).toMatchObject({
      'claude_code.user_prompt': 1,
      'claude_code.api_request': calls.length,
      'claude_code.tool_result': 2,
    });
  });

  it('joins hook and native spans into one conversation by session id and tool_use_id', () => {
    const hookTools = conv.spans.filter((s) => s.name.startsWith('execute_tool '));
    const nativeTools = conv.spans.filter((s) => s.name === 'claude_code.tool');
    expect(hookTools.length).toBeGreaterThanOrEqual(3);
    const ids = (spans: SpanView[]) => spans.map((s) => s.attributes['gen_ai.tool.call.id']).sort();
    expect(ids(nativeTools)).toEqual(ids(hookTools));
    for (const span of conv.spans) expect(span.conversation_id, span.name).toBe(session.session_id);
    // the sub-agent's llm_request names the agent as its gen_ai.conversation.id; Loopline takes session.id
    const subCall = named('claude_code.llm_request').find((s) => typeof s.attributes.agent_id === 'string');
    expect(subCall?.attributes['gen_ai.conversation.id']).toBe(subCall?.attributes.agent_id);
    expect(subCall?.attributes['session.id']).toBe(session.session_id);
    expect(conv.spans.some((s) => s.name === 'invoke_agent claude-code')).toBe(true);
    expect(conv.spans.some((s) => s.name === 'claude_code.interaction')).toBe(true);
  });

  it('keeps Claude Code’s log events: one api_request per call, the Bash result under the hook’s tool_use_id', async () => {
    const requests = await query(serve.url, {
      source: 'logs',
      calculations: [
        { op: 'COUNT', alias: 'n' },
        { op: 'SUM', column: 'input_tokens', alias: 'input' },
        { op: 'SUM', column: 'cache_read_tokens', alias: 'cacheRead' },
        { op: 'SUM', column: 'cost_usd', alias: 'reported' },
      ],
      filters: [
        { column: 'event.name', op: '=', value: 'claude_code.api_request' },
        { column: 'gen_ai.conversation.id', op: '=', value: session.session_id },
      ],
      breakdowns: ['request_id'],
    });
    expect(requests.groups.map((g) => g.key.request_id).sort()).toEqual(calls.map((c) => c.requestId).sort());
    // Anthropic's names: input without the cache
    expect(requests.totals.input).toBe(calls.reduce((n, c) => n + c.usage.input_tokens, 0));
    expect(requests.totals.cacheRead).toBe(stubTotals().cacheRead);
    // Claude Code's own price (it has the 5-minute / 1-hour split of cache writes): the hook's chat spans'
    expect(requests.totals.reported).toBeCloseTo(expected(calls).cost, 9);
    const results = await query(serve.url, {
      source: 'logs',
      calculations: [{ op: 'COUNT', alias: 'n' }],
      filters: [
        { column: 'event.name', op: '=', value: 'claude_code.tool_result' },
        { column: 'gen_ai.conversation.id', op: '=', value: session.session_id },
      ],
      breakdowns: ['tool_name', 'tool_use_id'],
    });
    const bash = conv.spans.find(
      (s) => s.name === 'execute_tool Bash' && s.attributes['claude_code.tool.outcome'] === 'success',
    );
    expect(bash).toBeDefined();
    expect(results.groups.map((g) => g.key.tool_use_id)).toContain(bash!.attributes['gen_ai.tool.call.id']);
    // the force-push the hook's policy denied: Claude Code's decision event names the hook, no result
    const denied = conv.spans.find((s) => s.attributes['claude_code.tool.outcome'] === 'denied');
    const deniedId = denied?.attributes['gen_ai.tool.call.id'];
    expect(typeof deniedId).toBe('string');
    const decisions = await query(serve.url, {
      source: 'logs',
      calculations: [{ op: 'COUNT', alias: 'n' }],
      filters: [{ column: 'tool_use_id', op: '=', value: deniedId }],
      breakdowns: ['event.name', 'decision', 'source'],
    });
    expect(decisions.groups.map((g) => g.key)).toEqual([
      { 'event.name': 'claude_code.tool_decision', decision: 'reject', source: 'hook' },
    ]);
  });

  it('keeps Claude Code’s metrics, which never enter span sums: token.usage adds up to the stub’s tokens', async () => {
    const answer = await query(serve.url, {
      source: 'metrics',
      calculations: [{ op: 'SUM', column: 'value', alias: 'tokens' }],
      filters: [{ column: 'metric.name', op: '=', value: 'claude_code.token.usage' }],
      breakdowns: ['type'],
    });
    const want = stubTotals();
    const byType = Object.fromEntries(answer.groups.map((g) => [g.key.type, g.values.tokens]));
    expect(byType).toEqual({
      input: calls.reduce((n, c) => n + c.usage.input_tokens, 0),
      output: want.output,
      cacheRead: want.cacheRead,
      cacheCreation: want.cacheWrite,
    });
    expect(answer.totals.tokens).toBe(want.input + want.output);
  });
});
