/**
 * The real Claude Code CLI with Loopline's hooks AND its own OpenTelemetry export on (metrics, log events
 * and the beta traces), all to one `loopline serve`: the hook spans and Claude Code's native spans, logs
 * and metrics form one conversation, and the model calls' tokens and cost are counted once (Claude Code's
 * `claude_code.llm_request` spans are the source; the hook leaves out its transcript chat spans).
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

describe('Claude Code 2.1.330 with hooks and native OTel (beta traces) on, one Loopline', () => {
  it('runs the session; the hook logged no problem', () => {
    expect(session).toMatchObject({ is_error: false, result: FINAL });
    expect(calls.map((c) => c.step)).toEqual(['bash', 'agent', 'subagent', 'push', 'final']);
    const log = path.join(box.looplineHome, 'claude-code/hook.log');
    expect(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '').toBe('');
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

  it('joins hook and native spans into one conversation by session id and tool_use_id', () => {
    const hookTools = conv.spans.filter((s) => s.name.startsWith('execute_tool '));
    const nativeTools = conv.spans.filter((s) => s.name === 'claude_code.tool');
    expect(hookTools.length).toBeGreaterThanOrEqual(3);
    const ids = (spans: SpanView[]) => spans.map((s) => s.attributes['gen_ai.tool.call.id']).sort();
    expect(ids(nativeTools)).toEqual(ids(hookTools));
    for (const span of conv.spans) expect(span.conversation_id, span.name).toBe(session.session_id);
    expect(conv.spans.some((s) => s.name === 'invoke_agent claude-code')).toBe(true);
    expect(conv.spans.some((s) => s.name === 'claude_code.interaction')).toBe(true);
  });

  it('keeps Claude Code’s log events: one api_request per call, the Bash result under the hook’s tool_use_id', async () => {
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
  });

  it('keeps Claude Code’s metrics, which never enter span sums: token.usage adds up to the stub’s tokens', async () => {
    const answer = await query(serve.url, {
      source: 'metrics',
      calculations: [{ op: 'SUM', column: 'value', alias: 'tokens' }],
      filters: [{ column: 'metric.name', op: '=', value: 'claude_code.token.usage' }],
    });
    const want = stubTotals();
    expect(answer.totals.tokens).toBe(want.input + want.output);
  });
});
