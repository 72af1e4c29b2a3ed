/**
 * The real Codex CLI 0.169.0 (the root devDependency @openai/codex) in `codex exec` mode against a
 * scripted OpenAI Responses API stub on 127.0.0.1, with Loopline's hooks installed (and trusted) by the
 * built CLI and Codex's own OpenTelemetry export — log events and traces — sent to a real `loopline serve`
 * over OTLP/HTTP: the hook turns and tool calls, the model calls derived from Codex's `response.completed`
 * events, tokens counted once, checked through the server's API.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundledPriceTable, computeCost, lookupModel } from '@loopline/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN,
  exited,
  type ProcessRun,
  ROOT,
  runProcess,
  type ServeProcess,
  spawnServe,
  tempDir,
} from './cli-process.ts';
import { type OpenAiStub, type ResponsesCall, type ResponsesReply, startOpenAiStub } from './openai-stub.ts';

const CODEX = path.join(ROOT, 'node_modules/.bin/codex');
/** one of the models Codex 0.169.0 ships metadata for (others warn and lose apply_patch); priced by the bundled table */
const MODEL = 'gpt-5.5';
const PUSH = 'git push --force origin main';
const PATCH = '*** Begin Patch\n*** Add File: NOTES.md\n+Ship on Fridays.\n*** End Patch\n';
const FINAL = 'Said hello, added NOTES.md, did not force-push.';
const THANKS = 'You are welcome.';

const POLICY = `version: 1
rules:
  - id: no-force-push
    level: MUST_NOT
    match:
      tool: Bash
      command: ['git\\s+push\\b.*\\s(--force|-f)\\b']
    action: deny
    reason: Force-pushing rewrites shared history
`;

/**
 * First turn, one step per model call by how many tool outputs the input holds: `echo hello` (Codex's
 * `exec_command` shell tool), an `apply_patch` adding NOTES.md, the force-push the policy denies, the
 * answer. The resumed second turn answers at once.
 */
function script(body: Record<string, unknown>): ResponsesReply {
  const input = (body.input as Array<Record<string, unknown>> | undefined) ?? [];
  const last = input.at(-1);
  const lastText = JSON.stringify(last?.content ?? '');
  if (last?.role === 'user' && lastText.includes('Thanks')) return { step: 'thanks', text: THANKS };
  const outputs = input.filter(
    (i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output',
  ).length;
  const steps: ResponsesReply[] = [
    { step: 'hello', call: { name: 'exec_command', arguments: { cmd: 'echo hello' } } },
    { step: 'patch', custom: { name: 'apply_patch', input: PATCH } },
    { step: 'push', call: { name: 'exec_command', arguments: { cmd: PUSH } } },
  ];
  return steps[outputs] ?? { step: 'final', text: FINAL };
}

interface SpanView {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  duration_ms: number;
  status_code: string;
  error_type: string | null;
  conversation_id: string | null;
  user_id: string | null;
  vcs_repository: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  attributes: Record<string, unknown>;
}

interface Conversation {
  totals: { traces: number; llmCalls: number; toolCalls: number; costUsd: number; inputTokens: number };
  spans: SpanView[];
}

interface QueryResult {
  groups: Array<{ key: Record<string, unknown>; values: Record<string, number | null> }>;
}

interface Box {
  home: string;
  codexHome: string;
  looplineHome: string;
  repo: string;
  env: NodeJS.ProcessEnv;
}

function sandbox(stub: OpenAiStub, serveUrl: string): Box {
  const home = tempDir('codex-e2e-home');
  const codexHome = tempDir('codex-e2e-codex');
  const looplineHome = tempDir('codex-e2e-loopline');
  const repo = tempDir('codex-e2e-repo');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    CODEX_HOME: codexHome,
    LOOPLINE_HOME: looplineHome,
    STUB_API_KEY: 'sk-stub-not-a-key',
    // anything Codex would fetch beyond loopback goes to a closed local port
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
  };
  const git = (...args: string[]) => spawnSync('git', ['-C', repo, ...args], { env: { ...env } });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'lee@acme.test');
  git('config', 'user.name', 'Lee');
  git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
  fs.mkdirSync(path.join(repo, '.loopline'));
  fs.writeFileSync(path.join(repo, '.loopline/policy.yaml'), POLICY);
  git('add', '.');
  git('commit', '-q', '-m', 'start');
  // what a user sets by hand: the provider, non-interactive approvals, and Codex's OTel export to Loopline
  fs.writeFileSync(
    path.join(codexHome, 'config.toml'),
    `model = "${MODEL}"
model_provider = "stub"
approval_policy = "never"
sandbox_mode = "danger-full-access"

[model_providers.stub]
name = "Stub"
base_url = "${stub.url}"
wire_api = "responses"
env_key = "STUB_API_KEY"

[otel]
log_user_prompt = false
exporter = { otlp-http = { endpoint = "${serveUrl}/v1/logs", protocol = "binary" } }
trace_exporter = { otlp-http = { endpoint = "${serveUrl}/v1/traces", protocol = "json" } }
`,
  );
  return { home, codexHome, looplineHome, repo, env };
}

const codex = (box: Box, args: string[]): Promise<ProcessRun> =>
  runProcess(CODEX, ['exec', '--json', ...args], { env: box.env, cwd: box.repo, timeoutMs: 60_000 });

const loopline = (box: Box, args: string[]): Promise<ProcessRun> =>
  runProcess(process.execPath, [BIN, ...args], { env: box.env, cwd: box.repo, timeoutMs: 30_000 });

/** The JSONL events `codex exec --json` printed. */
function events(run: ProcessRun): Array<Record<string, unknown>> {
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

let stub: OpenAiStub;
let serve: ServeProcess;
let box: Box;
let first: ProcessRun;
let second: ProcessRun;
let threadId: string;
let configBefore: string;
let conv: Conversation;

async function api<T>(route: string, body?: object): Promise<{ status: number; body: T }> {
  const response = await fetch(`${serve.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as T };
}

const chats = (c: Conversation): SpanView[] => c.spans.filter((s) => s.name === `chat ${MODEL}`);

beforeAll(async () => {
  expect(fs.existsSync(CODEX), `${CODEX} (npm install the root devDependencies)`).toBe(true);
  expect(fs.existsSync(path.join(ROOT, 'packages/cli/dist/hook.cjs')), 'run "npm run build"').toBe(true);
  stub = await startOpenAiStub(script);
  serve = await spawnServe(['--data-dir', tempDir('codex-e2e-data')]);
  box = sandbox(stub, serve.url);
  configBefore = fs.readFileSync(path.join(box.codexHome, 'config.toml'), 'utf8');
  const install = await loopline(box, ['install', 'codex', '--endpoint', serve.url]);
  expect(install.code, install.stderr).toBe(0);
  expect(install.stdout).toContain('12 hook handler(s) trusted');

  first = await codex(box, ['Say hello, add a note, then push.']);
  const debug = (run: ProcessRun) =>
    `exit ${run.code}\nstderr: ${run.stderr.slice(0, 2000)}\nstdout: ${run.stdout.slice(0, 3000)}\nstub:\n${stub.log()}`;
  expect(first.code, debug(first)).toBe(0);
  threadId = String(events(first).find((e) => e.type === 'thread.started')?.thread_id);
  second = await codex(box, ['resume', threadId, 'Thanks']);
  expect(second.code, debug(second)).toBe(0);

  // a hook send that missed its 500 ms deadline on a busy machine went to the spool: deliver it
  const flush = await loopline(box, ['flush']);
  expect(flush.code, flush.stderr).toBe(0);
  // Codex flushes its OTel export as it exits; the batches may still be on their way
  const deadline = Date.now() + 30_000;
  for (;;) {
    const got = await api<Conversation>(`/api/conversations/${threadId}`);
    if (got.status === 200) conv = got.body;
    if ((conv !== undefined && chats(conv).length >= stub.calls.length) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(conv, `no conversation ${threadId}\nstub:\n${stub.log()}\n${serve.output()}`).toBeDefined();
}, 120_000);

afterAll(async () => {
  await stub?.close();
  if (serve !== undefined) {
    serve.child.kill('SIGKILL');
    await exited(serve.child);
  }
});

describe('Codex CLI 0.169.0 with Loopline hooks and its native OTel, end to end', () => {
  it('runs the scripted session with the hooks trusted by install: the denied push, the answer, no hook problem', () => {
    expect(stub.calls.map((c) => c.step)).toEqual(['hello', 'patch', 'push', 'final', 'thanks']);
    const items = events(first)
      .filter((e) => e.type === 'item.completed')
      .map((e) => e.item as Record<string, unknown>);
    expect(items.find((i) => i.type === 'agent_message')?.text).toBe(FINAL);
    // the PreToolUse hook's deny reached Codex: the command never ran
    expect(first.stderr).toContain('Command blocked by PreToolUse hook');
    expect(first.stderr).toContain('Loopline policy no-force-push');
    expect(items.some((i) => i.type === 'command_execution' && String(i.command).includes('git push'))).toBe(
      false,
    );
    expect(fs.readFileSync(path.join(box.repo, 'NOTES.md'), 'utf8')).toBe('Ship on Fridays.\n');
    const log = path.join(box.looplineHome, 'codex/hook.log');
    expect(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '').toBe('');
    // SessionEnd ran at each exit: no session state left behind
    expect(fs.readdirSync(path.join(box.looplineHome, 'codex/sessions'))).toEqual([]);
  });

  it('makes one trace per turn, rooted at invoke_agent codex, keyed by the session and turn ids', () => {
    const turns = conv.spans.filter((s) => s.name === 'invoke_agent codex');
    expect(turns).toHaveLength(2);
    for (const turn of turns) {
      expect(turn.parent_span_id || null).toBeNull();
      expect(turn.conversation_id).toBe(threadId);
      expect(turn.attributes).toMatchObject({
        'gen_ai.agent.name': 'codex',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': MODEL,
        'claude_code.turn.end_reason': 'stop',
      });
      expect(String(turn.attributes['prompt.id'])).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(turns.map((t) => t.trace_id)).size).toBe(2);
    // the turn ids the hooks saw are the ones Codex sent the model (x-codex-turn-metadata)
    expect(turns.map((t) => t.attributes['prompt.id']).sort()).toEqual(
      [...new Set(stub.calls.map((c) => c.turnId))].sort(),
    );
    const firstTurn = turns.find((t) => t.attributes['loopline.policy.rule_ids'] !== undefined)!;
    expect(firstTurn.attributes['loopline.policy.rule_ids']).toEqual(['no-force-push']);
    for (const span of conv.spans.filter((s) => s.name.startsWith('execute_tool'))) {
      expect([span.name, span.trace_id, span.parent_span_id]).toEqual([
        span.name,
        firstTurn.trace_id,
        firstTurn.span_id,
      ]);
    }
  });

  it('records the shell and apply_patch calls with outcome and duration, and the denied push with its rule', () => {
    const tools = conv.spans.filter((s) => s.name.startsWith('execute_tool '));
    expect(tools.map((s) => s.name).sort()).toEqual([
      'execute_tool Bash',
      'execute_tool Bash',
      'execute_tool apply_patch',
    ]);
    const byCall = Object.fromEntries(tools.map((s) => [s.attributes['gen_ai.tool.call.id'], s]));
    const [hello, patch, push] = stub.calls.slice(0, 3).map((c) => byCall[c.callId!]);
    expect(hello).toMatchObject({ name: 'execute_tool Bash', status_code: 'unset' });
    expect(hello!.attributes['claude_code.tool.outcome']).toBe('success');
    expect(hello!.duration_ms).toBeGreaterThan(0);
    expect(patch!.attributes['claude_code.tool.outcome']).toBe('success');
    expect(patch!.duration_ms).toBeGreaterThan(0);
    expect(push).toMatchObject({ status_code: 'error', error_type: 'policy_denied' });
    expect(push!.attributes).toMatchObject({
      'claude_code.tool.outcome': 'denied',
      'loopline.policy.outcome': 'denied',
      'loopline.policy.rule_id': 'no-force-push',
    });
    for (const span of conv.spans.filter(
      (s) => s.name.startsWith('execute_tool') || s.name.startsWith('invoke'),
    )) {
      expect([span.name, span.vcs_repository, span.user_id]).toEqual([span.name, 'shop', 'lee@acme.test']);
    }
  });

  it('has one chat span per model call with exactly the stub usage and the price-table cost, counted once', () => {
    const price = lookupModel(bundledPriceTable(), MODEL, 'openai');
    expect(price, MODEL).toBeDefined();
    const spans = chats(conv);
    expect(spans).toHaveLength(stub.calls.length);
    const want = (pick: (c: ResponsesCall) => number) => stub.calls.reduce((n, c) => n + pick(c), 0);
    const sum = (pick: (s: SpanView) => number | null) => spans.reduce((n, s) => n + (pick(s) ?? 0), 0);
    // OpenAI's input_tokens already include the cached ones: Loopline's input is inclusive too
    expect(sum((s) => s.input_tokens)).toBe(want((c) => c.usage.input_tokens));
    expect(sum((s) => s.cache_read_tokens)).toBe(want((c) => c.usage.input_tokens_details.cached_tokens));
    expect(sum((s) => s.output_tokens)).toBe(want((c) => c.usage.output_tokens));
    expect(sum((s) => s.reasoning_tokens)).toBe(want((c) => c.usage.output_tokens_details.reasoning_tokens));
    const cost = want(
      (c) =>
        computeCost(
          {
            inputTokens: c.usage.input_tokens,
            outputTokens: c.usage.output_tokens,
            cacheReadTokens: c.usage.input_tokens_details.cached_tokens,
            cacheWriteTokens: null,
            cacheWrite5mTokens: null,
            cacheWrite1hTokens: null,
          },
          price!,
        ).costUsd ?? Number.NaN,
    );
    expect(sum((s) => s.cost_usd)).toBeCloseTo(cost, 12);
    expect(conv.totals.costUsd).toBeCloseTo(cost, 12);
    expect(conv.totals.inputTokens).toBe(want((c) => c.usage.input_tokens));
    expect(conv.totals.llmCalls).toBe(stub.calls.length);
    for (const span of spans) {
      expect(span.conversation_id).toBe(threadId);
      expect(span.attributes['gen_ai.provider.name']).toBe('openai');
    }
  });

  it("compares the assistants head to head: codex-cli has the tokens, Codex's own spans add none", async () => {
    const result = await api<QueryResult>('/api/query', {
      calculations: [
        { op: 'COUNT', alias: 'spans' },
        { op: 'SUM', column: 'gen_ai.usage.input_tokens', alias: 'input' },
        { op: 'SUM', column: 'gen_ai.usage.output_tokens', alias: 'output' },
        { op: 'SUM', column: 'cost_usd', alias: 'cost' },
      ],
      breakdowns: ['service.name'],
      time_range: 3600,
    });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const by = Object.fromEntries(result.body.groups.map((g) => [String(g.key['service.name']), g.values]));
    expect(by['codex-cli']).toMatchObject({
      input: stub.calls.reduce((n, c) => n + c.usage.input_tokens, 0),
      output: stub.calls.reduce((n, c) => n + c.usage.output_tokens, 0),
    });
    // Codex's own trace spans (service.name codex_exec) arrived, and carry no counted tokens
    expect(by.codex_exec?.spans ?? 0).toBeGreaterThan(0);
    expect(by.codex_exec?.input ?? 0).toBe(0);
    expect(by.codex_exec?.cost ?? 0).toBe(0);
  }, 30_000);

  it('uninstall takes the hooks and their trust out again: config.toml is back byte for byte', async () => {
    const removed = await loopline(box, ['uninstall', 'codex']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(fs.existsSync(path.join(box.codexHome, 'hooks.json'))).toBe(false);
    expect(fs.readFileSync(path.join(box.codexHome, 'config.toml'), 'utf8')).toBe(configBefore);
  }, 30_000);
});
