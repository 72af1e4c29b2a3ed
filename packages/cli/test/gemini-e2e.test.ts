/**
 * The real Gemini CLI (the root devDependency @google/gemini-cli) in `-p` mode against a scripted Gemini
 * API stub on 127.0.0.1, with Loopline's hooks installed by the built CLI and Gemini's own OpenTelemetry
 * export sent to a real `loopline serve` over OTLP/HTTP: the hook turn and the model calls in one
 * conversation, tokens counted once, checked through the server's API.
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
import { type GeminiCall, type GeminiRequest, type GeminiStub, startGeminiStub } from './gemini-stub.ts';

const GEMINI = path.join(ROOT, 'node_modules/@google/gemini-cli/bundle/gemini.js');
/** priced by the bundled table (input, output, cache read, long-context tier) */
const MODEL = 'gemini-2.5-pro';
const PUSH = 'git push --force origin main';
const FAILING = 'ls no-such-dir';
const FINAL = 'All done: said hello, the listing failed, did not force-push.';
const PROMPT = 'Say hello, list no-such-dir, then force-push.';

const POLICY = `version: 1
rules:
  - id: no-force-push
    level: MUST_NOT
    match:
      tool: [Bash, run_shell_command]
      command: ['git\\s+push\\b.*\\s(--force|-f)\\b']
    action: deny
    reason: Force-pushing rewrites shared history
`;

/**
 * One step per agent-loop call, by how many function responses the conversation holds: `echo hello`,
 * a command that exits 2, the force-push the policy denies, then the answer. Calls without tools (helper
 * calls Gemini CLI may make) get a short JSON text.
 */
function script(request: GeminiRequest) {
  if (request.tools.length === 0)
    return { step: 'aux', parts: [{ text: '{"reasoning":"done","next_speaker":"user"}' }] };
  const commands = [
    { step: 'echo', command: 'echo hello' },
    { step: 'fail', command: FAILING },
    { step: 'push', command: PUSH },
  ];
  const next = commands[request.functionResponses];
  if (next === undefined) return { step: 'final', parts: [{ text: FINAL }] };
  return {
    step: next.step,
    parts: [
      {
        functionCall: { name: 'run_shell_command', args: { command: next.command, description: next.step } },
      },
    ],
  };
}

interface SpanView {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  dataset: string;
  operation: string | null;
  duration_ms: number;
  status_code: string;
  error_type: string | null;
  conversation_id: string | null;
  vcs_repository: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
}

interface Conversation {
  totals: { traces: number; llmCalls: number; toolCalls: number; costUsd: number; inputTokens: number };
  spans: SpanView[];
}

interface Sandbox {
  home: string;
  looplineHome: string;
  repo: string;
  env: NodeJS.ProcessEnv;
}

let stub: GeminiStub;
let serve: ServeProcess | undefined;

/** A person's machine: a git repository with a policy, Gemini CLI set up for the API stub and telemetry. */
function sandbox(endpoint: string): Sandbox {
  const home = tempDir('gemini-e2e-home');
  const looplineHome = tempDir('gemini-e2e-loopline');
  const repo = fs.realpathSync(tempDir('gemini-e2e-repo'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    LOOPLINE_HOME: looplineHome,
    GEMINI_API_KEY: 'test-not-a-key',
    GOOGLE_GEMINI_BASE_URL: stub.url,
    NO_PROXY: '127.0.0.1,localhost',
    GIT_TERMINAL_PROMPT: '0',
  };
  const git = (...args: string[]) => spawnSync('git', ['-C', repo, ...args], { env: { ...env } });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dana@acme.test');
  git('config', 'user.name', 'Dana');
  git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
  // were the policy to fail, the push would go nowhere
  git('remote', 'set-url', '--push', 'origin', path.join(home, 'no-such-remote.git'));
  fs.mkdirSync(path.join(repo, '.loopline'));
  fs.writeFileSync(path.join(repo, '.loopline/policy.yaml'), POLICY);
  git('add', '.');
  git('commit', '-q', '-m', 'start');
  const gemini = path.join(home, '.gemini');
  fs.mkdirSync(gemini);
  const settings = {
    // GEMINI_API_KEY with GOOGLE_GEMINI_BASE_URL: without this Gemini CLI picks its "gateway" auth,
    // which -p refuses ("Invalid auth method selected")
    security: { auth: { selectedType: 'gemini-api-key' } },
    telemetry: {
      enabled: true,
      target: 'local',
      otlpEndpoint: endpoint,
      otlpProtocol: 'http',
      logPrompts: false,
    },
    privacy: { usageStatisticsEnabled: false },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
  };
  fs.writeFileSync(path.join(gemini, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  // Gemini's OTel resource holds its command line (process.command_args), and so a -p prompt, unless
  // the process resource detector is left out: the setup docs/stations/ide.md gives
  fs.writeFileSync(path.join(gemini, '.env'), 'OTEL_NODE_RESOURCE_DETECTORS=env,host,os\n');
  // -p in a folder Gemini CLI does not trust exits 55; hooks run only in trusted folders
  fs.writeFileSync(path.join(gemini, 'trustedFolders.json'), JSON.stringify({ [repo]: 'TRUST_FOLDER' }));
  return { home, looplineHome, repo, env };
}

const loopline = (box: Sandbox, args: string[]): Promise<ProcessRun> =>
  runProcess(process.execPath, [BIN, ...args], { env: box.env, cwd: box.repo, timeoutMs: 30_000 });

const gemini = (box: Sandbox, prompt: string): Promise<ProcessRun> =>
  runProcess(process.execPath, [GEMINI, '-p', prompt, '-m', MODEL, '--yolo', '--output-format', 'json'], {
    env: box.env,
    cwd: box.repo,
    timeoutMs: 90_000,
  });

async function conversation(url: string, id: string): Promise<{ status: number; body: Conversation }> {
  const response = await fetch(`${url}/api/conversations/${id}`);
  return { status: response.status, body: (await response.json()) as Conversation };
}

/** Gemini exports its telemetry as it exits; the chat spans are there once every call's event is stored. */
async function settled(url: string, id: string, calls: number): Promise<Conversation> {
  const deadline = Date.now() + 30_000;
  let last: { status: number; body: Conversation } | undefined;
  while (Date.now() < deadline) {
    last = await conversation(url, id);
    const chats = last.status === 200 ? last.body.spans.filter((s) => s.operation === 'chat') : [];
    if (chats.length >= calls && last.body.spans.some((s) => s.name === 'invoke_agent gemini-cli')) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(last?.status, JSON.stringify(last?.body).slice(0, 500)).toBe(200);
  return last!.body;
}

/** Loopline's canonical usage and the price-table cost of some stub calls. */
function expected(calls: GeminiCall[]) {
  const price = lookupModel(bundledPriceTable(), MODEL, 'gcp.gemini');
  expect(price, MODEL).toBeDefined();
  const want = { input: 0, output: 0, cacheRead: 0, reasoning: 0, cost: 0 };
  for (const { usage } of calls) {
    const output = usage.candidatesTokenCount + usage.thoughtsTokenCount;
    want.input += usage.promptTokenCount;
    want.output += output;
    want.cacheRead += usage.cachedContentTokenCount;
    want.reasoning += usage.thoughtsTokenCount;
    want.cost += computeCost(
      {
        inputTokens: usage.promptTokenCount,
        outputTokens: output,
        cacheReadTokens: usage.cachedContentTokenCount,
        cacheWriteTokens: null,
        cacheWrite5mTokens: null,
        cacheWrite1hTokens: null,
      },
      price!,
    ).costUsd;
  }
  return want;
}

beforeAll(async () => {
  expect(fs.existsSync(GEMINI), `${GEMINI} (npm install the root devDependencies)`).toBe(true);
  expect(fs.existsSync(path.join(ROOT, 'packages/cli/dist/hook.cjs')), 'run "npm run build"').toBe(true);
  stub = await startGeminiStub(script);
});

afterAll(async () => {
  await stub?.close();
  if (serve !== undefined) {
    serve.child.kill('SIGKILL');
    await exited(serve.child);
  }
});

describe('Gemini CLI 0.61.0 with Loopline hooks and its native telemetry, end to end', () => {
  let box: Sandbox;
  let run: ProcessRun;
  let sessionId: string;
  let calls: GeminiCall[];
  let conv: Conversation;
  const byName = (name: string) => conv.spans.filter((s) => s.name === name);

  beforeAll(async () => {
    serve = await spawnServe(['--data-dir', tempDir('gemini-e2e-data')]);
    box = sandbox(serve.url);
    const install = await loopline(box, ['install', 'gemini', '--endpoint', serve.url]);
    expect(install.code, install.stderr).toBe(0);
    const settings = JSON.parse(fs.readFileSync(path.join(box.home, '.gemini/settings.json'), 'utf8'));
    expect(JSON.stringify(settings.hooks)).toContain(path.join(ROOT, 'packages/cli/dist/hook.cjs'));
    expect(settings.telemetry.otlpEndpoint).toBe(serve.url);
    const first = stub.calls.length;
    run = await gemini(box, PROMPT);
    calls = stub.calls.slice(first);
    const debug = `exit ${run.code}\nstderr: ${run.stderr}\nstdout: ${run.stdout.slice(0, 1500)}\nstub:\n${stub.log()}`;
    expect(run.code, debug).toBe(0);
    const result = JSON.parse(run.stdout) as { session_id: string; response: string };
    expect(result.response, debug).toBe(FINAL);
    sessionId = result.session_id;
    // hook spans the send deadline missed wait in the spool
    const flush = await loopline(box, ['flush']);
    expect(flush.code, flush.stderr).toBe(0);
    conv = await settled(serve.url, sessionId, calls.length);
  }, 150_000);

  it('runs the scripted session; the hook logged no problem', () => {
    expect(calls.map((c) => c.step).filter((s) => s !== 'aux')).toEqual(['echo', 'fail', 'push', 'final']);
    expect(calls.every((c) => c.model === MODEL && c.request.action === 'streamGenerateContent')).toBe(true);
    const log = path.join(box.looplineHome, 'gemini/hook.log');
    expect(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '').toBe('');
  });

  it('makes the prompt one trace, rooted at the invoke_agent turn span named by the session id', () => {
    const turns = byName('invoke_agent gemini-cli');
    expect(turns).toHaveLength(1);
    const turn = turns[0]!;
    expect(turn).toMatchObject({ parent_span_id: '', dataset: 'gemini-cli', conversation_id: sessionId });
    expect(turn.attributes).toMatchObject({
      'gen_ai.agent.name': 'gemini-cli',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': MODEL,
      'claude_code.turn.end_reason': 'stop',
      'loopline.policy.rule_ids': ['no-force-push'],
    });
    expect(turn.vcs_repository).toBe('shop');
    // PreCompress (run before every model call) is not registered: no compaction events on the turn
    expect(turn.events.map((e) => e.name)).toEqual(['claude_code.session_start', 'loopline.policy.decision']);
    const tools = conv.spans.filter((s) => s.operation === 'execute_tool');
    expect(tools).toHaveLength(3);
    for (const tool of tools)
      expect([tool.trace_id, tool.parent_span_id]).toEqual([turn.trace_id, turn.span_id]);
    // nothing the person typed or the model said is stored without content capture
    expect(JSON.stringify(conv)).not.toContain('no-such-dir');
    expect(JSON.stringify(conv)).not.toContain(FINAL);
  });

  it('records each shell command with its outcome: success, the non-zero exit, the denied force-push', () => {
    const shell = byName('execute_tool run_shell_command');
    expect(shell).toHaveLength(3);
    const outcome = (s: SpanView) => s.attributes['claude_code.tool.outcome'];
    const ok = shell.find((s) => outcome(s) === 'success')!;
    expect(ok).toMatchObject({ status_code: 'unset' });
    expect(ok.duration_ms).toBeGreaterThan(0);
    const failed = shell.find((s) => outcome(s) === 'error')!;
    expect(failed).toMatchObject({ status_code: 'error', error_type: 'tool_error' });
    const denied = shell.find((s) => outcome(s) === 'denied')!;
    expect(denied).toMatchObject({ status_code: 'error', error_type: 'policy_denied' });
    expect(denied.attributes).toMatchObject({
      'loopline.policy.outcome': 'denied',
      'loopline.policy.rule_id': 'no-force-push',
    });
  });

  it("has one chat span per model call, from Gemini's api_response events, with exactly the stub usage and the price-table cost", () => {
    const chats = conv.spans.filter((s) => s.operation === 'chat');
    expect(chats.map((s) => s.name)).toEqual(calls.map(() => `chat ${MODEL}`));
    for (const chat of chats) {
      expect(chat).toMatchObject({ dataset: 'gemini-cli', conversation_id: sessionId });
      expect(chat.attributes['gen_ai.provider.name']).toBe('gcp.gemini');
    }
    const want = expected(calls);
    const sum = (pick: (s: SpanView) => number | null) => chats.reduce((n, s) => n + (pick(s) ?? 0), 0);
    expect(sum((s) => s.input_tokens)).toBe(want.input);
    expect(sum((s) => s.output_tokens)).toBe(want.output);
    expect(sum((s) => s.cache_read_tokens)).toBe(want.cacheRead);
    expect(sum((s) => s.reasoning_tokens)).toBe(want.reasoning);
    expect(sum((s) => s.cost_usd)).toBeCloseTo(want.cost, 9);
    // counted once: no other span of the conversation (hooks, Gemini's own llm_call spans) has tokens
    expect(conv.totals.inputTokens).toBe(want.input);
    expect(conv.totals.costUsd).toBeCloseTo(want.cost, 9);
    expect(conv.totals.llmCalls).toBe(calls.length);
    expect(conv.spans.some((s) => s.operation === 'llm_call')).toBe(true);
  });

  it('answers a head-to-head query by dataset with Gemini CLI tokens and cost', async () => {
    const response = await fetch(`${serve!.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        calculations: [
          { op: 'SUM', column: 'gen_ai.usage.input_tokens', alias: 'input' },
          { op: 'SUM', column: 'gen_ai.usage.output_tokens', alias: 'output' },
          { op: 'SUM', column: 'cost_usd', alias: 'cost' },
          { op: 'COUNT_DISTINCT', column: 'gen_ai.conversation.id', alias: 'sessions' },
        ],
        filters: [{ column: 'gen_ai.usage.input_tokens', op: 'exists' }],
        breakdowns: ['service.name'],
        time_range: 3600,
      }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const answer = (await response.json()) as {
      groups: Array<{ key: Record<string, unknown>; values: Record<string, number> }>;
    };
    const want = expected(calls);
    const gemini = answer.groups.find((g) => g.key['service.name'] === 'gemini-cli');
    expect(gemini?.values).toMatchObject({ input: want.input, output: want.output, sessions: 1 });
    expect(gemini?.values.cost).toBeCloseTo(want.cost, 9);
  });
});
