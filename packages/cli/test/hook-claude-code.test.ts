import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, ROOT, runProcess, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

const HOOK = path.join(ROOT, 'packages/cli/dist/hook.cjs');

interface SpanView {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  duration_ms: number;
  status_code: string;
  is_error: boolean;
  operation: string | null;
  tool_name: string | null;
  error_type: string | null;
  conversation_id: string | null;
  user_id: string | null;
  vcs_repository: string | null;
  vcs_ref: string | null;
  vcs_revision: string | null;
  input_tokens: number | null;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
}

interface Conversation {
  conversationId: string;
  totals: { traces: number; toolCalls: number; llmCalls: number };
  spans: SpanView[];
}

let serve: ServeProcess;
const home = tempDir('hook-home');
const looplineHome = tempDir('hook-loopline');
const repo = tempDir('hook-repo');
const sessionId = `9d1c6a4e-hook-${process.pid}`;
const otherSessionId = `5e2b7f10-hook-${process.pid}`;
const transcriptPath = path.join(home, '.claude/projects/-repo', `${sessionId}.jsonl`);

function git(...args: string[]): string {
  return spawnSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: home },
  }).stdout.trim();
}

interface HookRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One hook process, as Claude Code runs it: the event JSON on stdin. */
function hook(event: string, fields: Record<string, unknown> = {}, session = sessionId): Promise<HookRun> {
  const input = {
    session_id: session,
    transcript_path: transcriptPath,
    cwd: repo,
    permission_mode: 'default',
    hook_event_name: event,
    ...fields,
  };
  return runProcess(process.execPath, [HOOK, 'claude-code'], {
    env: { ...process.env, HOME: home, LOOPLINE_HOME: looplineHome, LOOPLINE_ENDPOINT: serve.url },
    stdin: JSON.stringify(input),
  });
}

function appendTranscript(promptId: string, atMs: number, messageId: string): void {
  const base = { sessionId, cwd: repo, version: '2.1.200', gitBranch: 'feature/cart', isSidechain: false };
  const lines = [
    {
      ...base,
      type: 'user',
      uuid: `u-${messageId}`,
      parentUuid: null,
      promptId,
      timestamp: new Date(atMs).toISOString(),
      message: { role: 'user', content: 'Fix the cart total' },
    },
    {
      ...base,
      type: 'assistant',
      uuid: `a-${messageId}`,
      parentUuid: `u-${messageId}`,
      requestId: `req_${messageId}`,
      timestamp: new Date(atMs + 900).toISOString(),
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'Fixed.' }],
        stop_reason: 'end_turn',
        usage: {
          input_tokens: 20,
          cache_read_input_tokens: 8000,
          cache_creation_input_tokens: 500,
          output_tokens: 120,
        },
      },
    },
  ];
  fs.mkdirSync(path.dirname(transcriptPath), { recursive: true });
  fs.appendFileSync(transcriptPath, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

const tool = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  prompt_id: 'p1',
  tool_use_id: id,
  tool_name: name,
  tool_input: { command: 'npm test -- cart' },
  ...extra,
});

const runs: Array<[string, HookRun]> = [];
async function step(event: string, fields?: Record<string, unknown>, session?: string): Promise<void> {
  runs.push([event, await hook(event, fields, session)]);
}

async function getJson<T>(route: string, body?: object): Promise<T> {
  const response = await fetch(`${serve.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

let conversation: Conversation;
const byName = (name: string): SpanView[] => conversation.spans.filter((s) => s.name === name);
const one = (name: string): SpanView => {
  const found = byName(name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  git('init', '-q', '-b', 'feature/cart');
  git('config', 'user.email', 'dana@acme.test');
  git('remote', 'add', 'origin', 'https://dana:secret@github.com/acme/shop.git');
  git('commit', '-q', '--allow-empty', '-m', 'start');
  serve = await spawnServe(['--data-dir', tempDir('hook-data')]);

  await step('SessionStart', { source: 'startup', model: 'claude-sonnet-4-5' });
  await step('InstructionsLoaded', {
    file_path: path.join(repo, 'CLAUDE.md'),
    memory_type: 'Project',
    load_reason: 'session_start',
  });
  await step('InstructionsLoaded', {
    file_path: path.join(repo, 'docs/CODING_STANDARDS.md'),
    memory_type: 'Project',
    load_reason: 'include',
    parent_file_path: path.join(repo, 'CLAUDE.md'),
  });
  await step('UserPromptSubmit', { prompt_id: 'p1', prompt: 'Fix the cart total', source: 'user' });
  appendTranscript('p1', Date.now(), 'msg_turn1');
  await step('PreToolUse', tool('toolu_bash', 'Bash'));
  await new Promise((r) => setTimeout(r, 150));
  await step(
    'PostToolUse',
    tool('toolu_bash', 'Bash', { tool_response: { stdout: '3 passed' }, duration_ms: 140 }),
  );
  // Claude Code runs independent tool calls (and their hooks) in parallel
  const parallel = await Promise.all([
    hook('PreToolUse', tool('toolu_read', 'Read')),
    hook('PreToolUse', tool('toolu_grep', 'Grep')),
  ]);
  runs.push(['PreToolUse', parallel[0]], ['PreToolUse', parallel[1]]);
  await step('PostToolUse', tool('toolu_grep', 'Grep'));
  await step(
    'PostToolUseFailure',
    tool('toolu_read', 'Read', { error: 'File does not exist: /repo/cart.ts' }),
  );
  await step('PreToolUse', tool('toolu_agent', 'Agent', { tool_input: { subagent_type: 'Explore' } }));
  await step('SubagentStart', { agent_id: 'agent-7', agent_type: 'Explore' });
  await step('PreToolUse', tool('toolu_glob', 'Glob', { agent_id: 'agent-7', agent_type: 'Explore' }));
  await step('PostToolUse', tool('toolu_glob', 'Glob', { agent_id: 'agent-7', agent_type: 'Explore' }));
  await step('SubagentStop', {
    agent_id: 'agent-7',
    agent_type: 'Explore',
    stop_hook_active: false,
    agent_transcript_path: path.join(home, 'none.jsonl'),
  });
  await step('PostToolUse', tool('toolu_agent', 'Agent'));
  await step('PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'git push' } });
  await step('PreCompact', { trigger: 'auto', custom_instructions: null });
  await step('PostCompact', { trigger: 'auto', compact_summary: 'summary text' });
  await step('Notification', {
    notification_type: 'idle_prompt',
    message: 'Claude is waiting for your input',
  });
  await step('Stop', { prompt_id: 'p1', stop_hook_active: false });
  await step('UserPromptSubmit', { prompt_id: 'p2', prompt: 'Now add a test' });
  await step('Stop', { prompt_id: 'p2', stop_hook_active: false });
  await step('SessionEnd', { reason: 'prompt_input_exit' });
  // a second session without the coding standards, for the "share of sessions" question
  await step('SessionStart', { source: 'startup' }, otherSessionId);
  await step(
    'InstructionsLoaded',
    { file_path: path.join(repo, 'CLAUDE.md'), memory_type: 'Project', load_reason: 'session_start' },
    otherSessionId,
  );
  await step('UserPromptSubmit', { prompt_id: 'q1', prompt: 'hello' }, otherSessionId);
  await step('Stop', { prompt_id: 'q1' }, otherSessionId);
  await step('SessionEnd', { reason: 'other' }, otherSessionId);
  conversation = await getJson<Conversation>(`/api/conversations/${sessionId}`);
}, 120_000);

afterAll(async () => {
  serve?.child.kill('SIGKILL');
  if (serve) await exited(serve.child);
});

describe('loopline hook claude-code against a running Loopline', () => {
  it('exits 0 and prints nothing for every event', () => {
    expect(runs.length).toBeGreaterThan(25);
    for (const [event, run] of runs) {
      expect({ event, code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
        event,
        code: 0,
        stdout: '',
        stderr: '',
      });
    }
    expect(fs.existsSync(path.join(looplineHome, 'claude-code/hook.log'))).toBe(false);
    expect(fs.readdirSync(path.join(looplineHome, 'claude-code/sessions'))).toEqual([]);
  });

  it('makes one trace per prompt turn, rooted at invoke_agent claude-code', () => {
    expect(conversation.totals.traces).toBe(2);
    const turns = byName('invoke_agent claude-code');
    expect(turns).toHaveLength(2);
    expect(new Set(turns.map((t) => t.trace_id)).size).toBe(2);
    for (const turn of turns) {
      expect(turn.parent_span_id).toBe('');
      expect(turn).toMatchObject({ operation: 'invoke_agent', conversation_id: sessionId });
      expect(turn.attributes['gen_ai.agent.name']).toBe('claude-code');
    }
    const first = turns.find((t) => t.attributes['prompt.id'] === 'p1')!;
    const traceOf = (name: string): string => one(name).trace_id;
    for (const name of [
      'execute_tool Bash',
      'execute_tool Read',
      'execute_tool Grep',
      'invoke_agent Explore',
    ]) {
      expect(traceOf(name), name).toBe(first.trace_id);
    }
  });

  it('records tool calls with outcome and duration, the failure as an error', () => {
    const turn = byName('invoke_agent claude-code').find((t) => t.attributes['prompt.id'] === 'p1')!;
    const bash = one('execute_tool Bash');
    expect(bash).toMatchObject({
      operation: 'execute_tool',
      tool_name: 'Bash',
      status_code: 'unset',
      is_error: false,
      parent_span_id: turn.span_id,
    });
    expect(bash.duration_ms).toBeGreaterThanOrEqual(150);
    expect(bash.attributes).toMatchObject({
      'claude_code.tool.outcome': 'success',
      'claude_code.tool.duration_ms': 140,
      'gen_ai.tool.call.id': 'toolu_bash',
    });
    const read = one('execute_tool Read');
    expect(read).toMatchObject({ status_code: 'error', is_error: true, error_type: 'tool_error' });
    expect(read.attributes['claude_code.tool.outcome']).toBe('error');
    expect(one('execute_tool Grep')).toMatchObject({ status_code: 'unset', parent_span_id: turn.span_id });
    expect(conversation.totals.toolCalls).toBe(5);
    expect(JSON.stringify(conversation)).not.toContain('npm test -- cart');
  });

  it('nests the sub-agent under the Agent call that launched it, and its tools under it', () => {
    const agentTool = one('execute_tool Agent');
    const explore = one('invoke_agent Explore');
    expect(explore.parent_span_id).toBe(agentTool.span_id);
    expect(explore.attributes).toMatchObject({
      'gen_ai.agent.name': 'Explore',
      'gen_ai.agent.id': 'agent-7',
    });
    expect(one('execute_tool Glob').parent_span_id).toBe(explore.span_id);
  });

  it('puts repository, branch, revision and person on every span', () => {
    const revision = git('rev-parse', 'HEAD');
    expect(conversation.spans.length).toBeGreaterThanOrEqual(9);
    for (const span of conversation.spans) {
      expect(span, span.name).toMatchObject({
        conversation_id: sessionId,
        user_id: 'dana@acme.test',
        vcs_repository: 'shop',
        vcs_ref: 'feature/cart',
        vcs_revision: revision,
      });
      expect(span.attributes['vcs.repository.url.full']).toBe('https://github.com/acme/shop.git');
    }
  });

  it("adds the turn's model call from the transcript as a chat span", () => {
    const chat = one('chat claude-sonnet-4-5');
    const turn = byName('invoke_agent claude-code').find((t) => t.attributes['prompt.id'] === 'p1')!;
    expect(chat).toMatchObject({
      operation: 'chat',
      parent_span_id: turn.span_id,
      trace_id: turn.trace_id,
      input_tokens: 8520,
    });
    expect(conversation.totals.llmCalls).toBe(1);
  });

  it('records instruction files, compaction, permission and notification events on the turn', () => {
    const [first, second] = byName('invoke_agent claude-code').sort(
      (a, b) =>
        Number(a.attributes['claude_code.turn.index']) - Number(b.attributes['claude_code.turn.index']),
    );
    for (const turn of [first!, second!]) {
      expect(turn.attributes['claude_code.instructions.files']).toEqual([
        'CLAUDE.md',
        'docs/CODING_STANDARDS.md',
      ]);
    }
    expect(first!.events.map((e) => e.name)).toEqual([
      'claude_code.session_start',
      'claude_code.instructions_loaded',
      'claude_code.instructions_loaded',
      'claude_code.permission_request',
      'claude_code.pre_compact',
      'claude_code.compaction',
      'claude_code.notification',
    ]);
    expect(first!.events[2]!.attributes).toMatchObject({
      file_path: 'docs/CODING_STANDARDS.md',
      memory_type: 'Project',
    });
    expect(second!.events).toEqual([]);
  });

  it('answers "share of sessions where CODING_STANDARDS.md loaded" with a query', async () => {
    const query = (filters: object[]) =>
      getJson<{ totals: Record<string, number> }>('/api/query', {
        dataset: 'claude-code',
        calculations: [{ op: 'COUNT_DISTINCT', column: 'gen_ai.conversation.id', alias: 'sessions' }],
        filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'invoke_agent' }, ...filters],
        time_range: 3600,
      });
    const all = await query([]);
    const withStandards = await query([
      { column: 'claude_code.instructions.files', op: 'contains', value: 'CODING_STANDARDS.md' },
    ]);
    expect(all.totals.sessions).toBe(2);
    expect(withStandards.totals.sessions).toBe(1);
  });
});
