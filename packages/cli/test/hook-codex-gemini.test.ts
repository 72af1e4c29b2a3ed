import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, ROOT, runProcess, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

const HOOK = path.join(ROOT, 'packages/cli/dist/hook.mjs');

interface SpanView {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  status_code: string;
  is_error: boolean;
  operation: string | null;
  tool_name: string | null;
  error_type: string | null;
  conversation_id: string | null;
  user_id: string | null;
  vcs_repository: string | null;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
}

interface Conversation {
  conversationId: string;
  totals: { traces: number; toolCalls: number; llmCalls: number };
  spans: SpanView[];
}

interface QueryResult {
  totals: Record<string, number>;
  groups: Array<{ key: Record<string, string>; values: Record<string, number> }>;
}

interface HookRun {
  event: string;
  code: number;
  stdout: string;
  stderr: string;
}

let serve: ServeProcess;
const home = tempDir('hook2-home');
const looplineHome = tempDir('hook2-loopline');
const repo = tempDir('hook2-repo');
const codexId = `0199a1b2-codex-${process.pid}`;
const geminiId = `7c1e5d2a-gemini-${process.pid}`;
const claudeId = `3f4e5d6c-claude-${process.pid}`;
const runs: HookRun[] = [];

function git(...args: string[]): void {
  spawnSync('git', ['-C', repo, ...args], { env: { ...process.env, HOME: home } });
}

/** One hook process, as the assistant runs it: `node dist/hook.mjs <assistant>`, the event JSON on stdin. */
async function hook(assistant: string, input: Record<string, unknown>): Promise<HookRun> {
  const run = await runProcess(process.execPath, [HOOK, assistant], {
    env: { ...process.env, HOME: home, LOOPLINE_HOME: looplineHome, LOOPLINE_ENDPOINT: serve.url },
    stdin: JSON.stringify(input),
  });
  return { event: String(input.hook_event_name), code: run.code, stdout: run.stdout, stderr: run.stderr };
}

/**
 * Codex CLI's hook input as the real Codex 0.169.0 sends it: Claude Code's fields plus `turn_id` and
 * `model`; its shell tool is `Bash` with `tool_input.command`, `tool_response` is the output text.
 */
const codex = (event: string, fields: Record<string, unknown> = {}) =>
  hook('codex', {
    session_id: codexId,
    transcript_path: path.join(home, '.codex/sessions/rollout.jsonl'),
    cwd: repo,
    hook_event_name: event,
    model: 'gpt-5.5',
    permission_mode: 'default',
    ...fields,
  });

/** Gemini CLI's hook input (SPECS §5, docs/hooks/reference.md): base fields plus the event's own. */
const gemini = (event: string, fields: Record<string, unknown> = {}) =>
  hook('gemini', {
    session_id: geminiId,
    transcript_path: path.join(home, '.gemini/tmp/x/chats/session.json'),
    cwd: repo,
    hook_event_name: event,
    timestamp: new Date().toISOString(),
    ...fields,
  });

const claude = (event: string, fields: Record<string, unknown> = {}) =>
  hook('claude-code', {
    session_id: claudeId,
    cwd: repo,
    permission_mode: 'default',
    hook_event_name: event,
    ...fields,
  });

async function step(run: Promise<HookRun>): Promise<void> {
  runs.push(await run);
}

async function post<T>(route: string, body?: object): Promise<T> {
  const response = await fetch(`${serve.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

const codexTool = (turn: string, id: string, name: string, input: object, extra: object = {}) => ({
  turn_id: turn,
  tool_use_id: id,
  tool_name: name,
  tool_input: input,
  ...extra,
});

const readCart = { tool_name: 'read_file', tool_input: { file_path: 'src/cart.ts' } };

let codexConversation: Conversation;
let geminiConversation: Conversation;

beforeAll(async () => {
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'kim@acme.test');
  git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
  git('commit', '-q', '--allow-empty', '-m', 'start');
  serve = await spawnServe(['--data-dir', tempDir('hook2-data')]);

  // Codex CLI: two turns, three tool calls, the second turn interrupted (Ctrl-C) mid-call
  const patch = { command: '*** Begin Patch\n*** Add File: a.ts\n+x\n*** End Patch\n' };
  await step(codex('SessionStart', { source: 'startup' }));
  await step(codex('UserPromptSubmit', { turn_id: 't1', prompt: 'Fix the cart total' }));
  await step(codex('PreToolUse', codexTool('t1', 'call_1', 'Bash', { command: 'npm test' })));
  await step(
    codex(
      'PostToolUse',
      codexTool('t1', 'call_1', 'Bash', { command: 'npm test' }, { tool_response: '3 passed\n' }),
    ),
  );
  await step(codex('PermissionRequest', { turn_id: 't1', tool_name: 'apply_patch', tool_input: patch }));
  await step(codex('PreToolUse', codexTool('t1', 'call_2', 'apply_patch', patch)));
  await step(
    codex('PostToolUse', codexTool('t1', 'call_2', 'apply_patch', patch, { tool_response: 'Exit code: 0' })),
  );
  await step(codex('Stop', { turn_id: 't1', stop_hook_active: false, last_assistant_message: 'Fixed.' }));
  await step(codex('UserPromptSubmit', { turn_id: 't2', prompt: 'Now add a test' }));
  await step(codex('PreToolUse', codexTool('t2', 'call_3', 'Bash', { command: 'npm test' })));
  await step(codex('Interrupt', { turn_id: 't2' }));

  // Gemini CLI: two turns; tool calls without ids, two in parallel, one repeated, one failing
  await step(gemini('SessionStart', { source: 'startup' }));
  await step(gemini('BeforeAgent', { prompt: 'Add a cart test' }));
  await step(gemini('BeforeModel', { llm_request: { model: 'gemini-2.5-pro', messages: [], config: {} } }));
  await step(gemini('BeforeTool', readCart));
  await step(
    gemini('AfterTool', { ...readCart, tool_response: { llmContent: 'export …', returnDisplay: '' } }),
  );
  const shell = { tool_name: 'run_shell_command', tool_input: { command: 'npm test' } };
  const glob = { tool_name: 'glob', tool_input: { pattern: '**/*.test.ts' } };
  runs.push(...(await Promise.all([gemini('BeforeTool', shell), gemini('BeforeTool', glob)])));
  await step(gemini('AfterTool', { ...glob, tool_response: { llmContent: '2 files' } }));
  // a command that exits non-zero is no tool error for Gemini CLI 0.61.0: only its llmContent says so
  await step(
    gemini('AfterTool', {
      ...shell,
      tool_response: {
        llmContent:
          '<untrusted_context>\nOutput: 1 failed\nExit Code: 1\nProcess Group PGID: 4242\n</untrusted_context>',
        returnDisplay: '1 failed',
      },
    }),
  );
  await step(gemini('BeforeTool', readCart));
  await step(gemini('AfterTool', { ...readCart, tool_response: { llmContent: 'export …' } }));
  await step(gemini('AfterModel', { llm_request: {}, llm_response: { candidates: [] } }));
  // Gemini CLI 0.61.0 sends "auto" before every model call, compressing or not: only /compress counts
  await step(gemini('PreCompress', { trigger: 'auto' }));
  await step(gemini('PreCompress', { trigger: 'manual' }));
  await step(gemini('Notification', { notification_type: 'ToolPermission', message: 'Allow?', details: {} }));
  await step(
    gemini('AfterAgent', { prompt: 'Add a cart test', prompt_response: 'Added.', stop_hook_active: false }),
  );
  await step(gemini('BeforeAgent', { prompt: 'Thanks' }));
  await step(gemini('AfterAgent', { prompt: 'Thanks', prompt_response: 'You are welcome.' }));
  await step(gemini('SessionEnd', { reason: 'exit' }));

  // Claude Code: one turn with one failed tool call, for the head-to-head
  await step(claude('SessionStart', { source: 'startup', model: 'claude-sonnet-4-5' }));
  await step(claude('UserPromptSubmit', { prompt_id: 'p1', prompt: 'hello' }));
  const bash = { prompt_id: 'p1', tool_use_id: 'toolu_1', tool_name: 'Bash', tool_input: { command: 'ls' } };
  await step(claude('PreToolUse', bash));
  await step(claude('PostToolUseFailure', { ...bash, error: 'exit 2' }));
  await step(claude('Stop', { prompt_id: 'p1' }));
  await step(claude('SessionEnd', { reason: 'other' }));

  codexConversation = await post<Conversation>(`/api/conversations/${codexId}`);
  geminiConversation = await post<Conversation>(`/api/conversations/${geminiId}`);
}, 120_000);

afterAll(async () => {
  serve?.child.kill('SIGKILL');
  if (serve) await exited(serve.child);
});

const named = (conversation: Conversation, name: string): SpanView[] =>
  conversation.spans.filter((s) => s.name === name);

describe('loopline hook codex / gemini against a running Loopline', () => {
  it('exits 0 and prints nothing for every event; each assistant keeps its own state folder', () => {
    expect(runs.length).toBe(36);
    for (const run of runs) expect(run).toEqual({ event: run.event, code: 0, stdout: '', stderr: '' });
    for (const assistant of ['claude-code', 'codex', 'gemini']) {
      expect(fs.existsSync(path.join(looplineHome, assistant, 'hook.log')), assistant).toBe(false);
    }
    // this Codex session got no SessionEnd (Codex sends one at exit): its state stays until it is stale;
    // Gemini's and Claude Code's are gone
    expect(fs.readdirSync(path.join(looplineHome, 'codex/sessions'))).toEqual([codexId]);
    expect(fs.readdirSync(path.join(looplineHome, 'gemini/sessions'))).toEqual([]);
    expect(fs.readdirSync(path.join(looplineHome, 'claude-code/sessions'))).toEqual([]);
  });

  it('Codex: one trace per turn, rooted at invoke_agent codex, with its tools under it', () => {
    const turns = named(codexConversation, 'invoke_agent codex');
    expect(turns).toHaveLength(2);
    expect(codexConversation.totals.traces).toBe(2);
    for (const turn of turns) {
      expect(turn).toMatchObject({ parent_span_id: '', operation: 'invoke_agent', conversation_id: codexId });
      expect(turn.attributes).toMatchObject({
        'gen_ai.agent.name': 'codex',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-5.5',
      });
    }
    const first = turns.find((t) => t.attributes['prompt.id'] === 't1')!;
    const second = turns.find((t) => t.attributes['prompt.id'] === 't2')!;
    expect(first.events.map((e) => e.name)).toEqual([
      'claude_code.session_start',
      'claude_code.permission_request',
    ]);
    expect(first.attributes['claude_code.turn.end_reason']).toBe('stop');
    // Interrupt ends the turn as interrupted, not as a failure
    expect(second).toMatchObject({ status_code: 'unset', error_type: null });
    expect(second.attributes['claude_code.turn.end_reason']).toBe('interrupted');
    const tools = codexConversation.spans.filter((s) => s.operation === 'execute_tool');
    expect(tools.map((s) => s.name).sort()).toEqual([
      'execute_tool Bash',
      'execute_tool Bash',
      'execute_tool apply_patch',
    ]);
    const callIds = Object.fromEntries(tools.map((s) => [s.attributes['gen_ai.tool.call.id'], s]));
    expect(callIds.call_1).toMatchObject({ parent_span_id: first.span_id, trace_id: first.trace_id });
    expect(callIds.call_2).toMatchObject({ parent_span_id: first.span_id, is_error: false });
    expect(callIds.call_3!.parent_span_id).toBe(second.span_id);
    expect(callIds.call_3!.attributes['claude_code.tool.outcome']).toBe('incomplete');
    for (const span of codexConversation.spans) {
      expect(span, span.name).toMatchObject({
        conversation_id: codexId,
        user_id: 'kim@acme.test',
        vcs_repository: 'shop',
      });
    }
    expect(codexConversation.totals.llmCalls).toBe(0);
  });

  it('Gemini: BeforeAgent…AfterAgent is a turn, BeforeTool/AfterTool are tool spans matched without ids', () => {
    const turns = named(geminiConversation, 'invoke_agent gemini-cli');
    expect(turns).toHaveLength(2);
    expect(geminiConversation.totals.traces).toBe(2);
    for (const turn of turns) {
      expect(turn).toMatchObject({
        parent_span_id: '',
        operation: 'invoke_agent',
        conversation_id: geminiId,
      });
      expect(turn.attributes).toMatchObject({
        'gen_ai.agent.name': 'gemini-cli',
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.5-pro',
      });
    }
    const [first, second] = turns.sort(
      (a, b) =>
        Number(a.attributes['claude_code.turn.index']) - Number(b.attributes['claude_code.turn.index']),
    );
    expect(first!.events.map((e) => e.name)).toEqual([
      'claude_code.session_start',
      'claude_code.pre_compact',
      'claude_code.notification',
    ]);
    expect(first!.attributes['claude_code.turn.end_reason']).toBe('stop');
    const tools = geminiConversation.spans.filter((s) => s.operation === 'execute_tool');
    expect(tools.map((s) => s.name).sort()).toEqual([
      'execute_tool glob',
      'execute_tool read_file',
      'execute_tool read_file',
      'execute_tool run_shell_command',
    ]);
    for (const tool of tools) expect(tool.parent_span_id, tool.name).toBe(first!.span_id);
    const reads = named(geminiConversation, 'execute_tool read_file');
    expect(new Set(reads.map((s) => s.span_id)).size).toBe(2);
    for (const read of reads) expect(read.attributes['claude_code.tool.outcome']).toBe('success');
    expect(named(geminiConversation, 'execute_tool run_shell_command')[0]).toMatchObject({
      is_error: true,
      error_type: 'tool_error',
    });
    expect(named(geminiConversation, 'execute_tool glob')[0]!.is_error).toBe(false);
    expect(second!.events).toEqual([]);
    expect(JSON.stringify(geminiConversation)).not.toContain('npm test');
  });

  it('puts each assistant in its own dataset', async () => {
    for (const [dataset, agent] of [
      ['codex-cli', 'codex'],
      ['gemini-cli', 'gemini-cli'],
      ['claude-code', 'claude-code'],
    ] as const) {
      const result = await post<QueryResult>('/api/query', {
        dataset,
        calculations: [{ op: 'COUNT' }],
        filters: [{ column: 'trace.parent_id', op: 'does-not-exist' }],
        breakdowns: ['gen_ai.agent.name'],
        time_range: 3600,
      });
      expect(
        result.groups.map((g) => g.key['gen_ai.agent.name']),
        dataset,
      ).toEqual([agent]);
    }
  });

  it('compares the assistants head to head: tool calls, failures and turns, one group each', async () => {
    const byAssistant = (result: QueryResult, value: string): Record<string, number> =>
      Object.fromEntries(result.groups.map((g) => [g.key['service.name'], g.values[value]!]));
    const dataset = ['claude-code', 'codex-cli', 'gemini-cli'];
    const tools = await post<QueryResult>('/api/query', {
      dataset,
      calculations: [{ op: 'COUNT', alias: 'tool_calls' }],
      filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'execute_tool' }],
      breakdowns: ['service.name'],
      time_range: 3600,
    });
    const failed = await post<QueryResult>('/api/query', {
      dataset,
      calculations: [{ op: 'COUNT', alias: 'failed' }],
      filters: [
        { column: 'gen_ai.operation.name', op: '=', value: 'execute_tool' },
        { column: 'error', op: '=', value: true },
      ],
      breakdowns: ['service.name'],
      time_range: 3600,
    });
    const turns = await post<QueryResult>('/api/query', {
      dataset,
      calculations: [
        { op: 'COUNT', alias: 'turns' },
        { op: 'COUNT_DISTINCT', column: 'gen_ai.conversation.id', alias: 'sessions' },
      ],
      filters: [
        { column: 'gen_ai.operation.name', op: '=', value: 'invoke_agent' },
        { column: 'trace.parent_id', op: 'does-not-exist' },
      ],
      breakdowns: ['service.name'],
      time_range: 3600,
    });
    expect(tools.groups).toHaveLength(3);
    expect(turns.groups).toHaveLength(3);
    expect(byAssistant(tools, 'tool_calls')).toEqual({ 'claude-code': 1, 'codex-cli': 3, 'gemini-cli': 4 });
    expect(byAssistant(failed, 'failed')).toEqual({ 'claude-code': 1, 'gemini-cli': 1 });
    expect(byAssistant(turns, 'turns')).toEqual({ 'claude-code': 1, 'codex-cli': 2, 'gemini-cli': 2 });
    expect(byAssistant(turns, 'sessions')).toEqual({ 'claude-code': 1, 'codex-cli': 1, 'gemini-cli': 1 });
  });
});
