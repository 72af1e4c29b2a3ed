import { describe, expect, it } from 'vitest';
import { toolSpanId, turnTraceId } from '../ids.ts';
import { HookInputError, parseHookInput } from './hook-input.ts';
import { byName, durationMs, ScriptedSession } from './hook-test-support.ts';

const tool = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  tool_use_id: id,
  tool_name: name,
  tool_input: { command: 'npm test' },
  prompt_id: 'p1',
  ...extra,
});

/** SessionStart → instructions → a prompt with tools, a failure, a sub-agent, a compaction → Stop. */
function firstTurn(session: ScriptedSession): void {
  session.run('SessionStart', { source: 'startup', model: 'claude-sonnet-4-5' });
  session.run('InstructionsLoaded', {
    file_path: '/home/dev/shop/CLAUDE.md',
    memory_type: 'Project',
    load_reason: 'session_start',
  });
  session.run('InstructionsLoaded', {
    file_path: '/home/dev/shop/docs/CODING_STANDARDS.md',
    memory_type: 'Project',
    load_reason: 'include',
  });
  session.run('UserPromptSubmit', { prompt: 'Fix the cart total', prompt_id: 'p1' });
  session.run('PreToolUse', tool('t1', 'Bash'));
  session.run(
    'PostToolUse',
    tool('t1', 'Bash', { tool_response: { stdout: 'ok' }, duration_ms: 1200 }),
    1300,
  );
  // two tools at the same instant, as Claude Code runs them in parallel
  session.run('PreToolUse', tool('t2', 'Read'));
  session.run('PreToolUse', tool('t3', 'Grep'), 0);
  session.run('PostToolUse', tool('t3', 'Grep'));
  session.run('PostToolUseFailure', tool('t2', 'Read', { error: 'ENOENT: /secret/path' }));
  session.run('PreToolUse', tool('t4', 'Agent'));
  session.run('SubagentStart', { agent_id: 'a1', agent_type: 'Explore' });
  session.run('PreToolUse', tool('t5', 'Glob', { agent_id: 'a1', agent_type: 'Explore' }));
  session.run('PostToolUse', tool('t5', 'Glob', { agent_id: 'a1', agent_type: 'Explore' }));
  session.run('SubagentStop', { agent_id: 'a1', agent_type: 'Explore', stop_hook_active: false });
  session.run('PostToolUse', tool('t4', 'Agent'));
  session.run('PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'rm -rf dist' } });
  session.run('PreCompact', { trigger: 'auto', custom_instructions: null });
  session.run('PostCompact', { trigger: 'auto', compact_summary: 'private summary' });
  session.run('Notification', { notification_type: 'idle_prompt', message: 'Claude is waiting' });
}

describe('handleHookEvent: one Claude Code session', () => {
  it('sends nothing until the turn ends, then one trace for the turn', () => {
    const session = new ScriptedSession();
    firstTurn(session);
    expect(session.sent).toEqual([]);
    const stop = session.run('Stop', { stop_hook_active: false, prompt_id: 'p1' });
    expect(stop.drainSpool).toBe(true);
    expect(stop.output).toBeNull();
    const spans = session.sent;
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([turnTraceId('sess-1', 'p1')]));
    expect(spans.map((s) => s.name).sort()).toEqual([
      'execute_tool Agent',
      'execute_tool Bash',
      'execute_tool Glob',
      'execute_tool Grep',
      'execute_tool Read',
      'invoke_agent Explore',
      'invoke_agent claude-code',
    ]);
  });

  it('makes the turn span the root, with conversation, repository, person and instruction files', () => {
    const session = new ScriptedSession();
    firstTurn(session);
    session.run('Stop', { prompt_id: 'p1' });
    const [turn] = byName(session.sent, 'invoke_agent claude-code');
    expect(turn?.parentSpanId).toBeNull();
    expect(turn?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'claude-code',
      'gen_ai.conversation.id': 'sess-1',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'prompt.id': 'p1',
      'claude_code.prompt.length': 'Fix the cart total'.length,
      'claude_code.turn.end_reason': 'stop',
      'claude_code.instructions.files': ['CLAUDE.md', 'docs/CODING_STANDARDS.md'],
      'vcs.repository.name': 'shop',
      'vcs.ref.head.name': 'feature/cart',
      'user.id': 'dev@acme.test',
      'user.email': 'dev@acme.test',
    });
    expect(turn?.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(turn?.events.map((e) => e.name)).toEqual([
      'claude_code.session_start',
      'claude_code.instructions_loaded',
      'claude_code.instructions_loaded',
      'claude_code.permission_request',
      'claude_code.pre_compact',
      'claude_code.compaction',
      'claude_code.notification',
    ]);
    expect(turn?.events[2]?.attributes).toEqual({
      file_path: 'docs/CODING_STANDARDS.md',
      memory_type: 'Project',
      load_reason: 'include',
    });
    expect(JSON.stringify(turn)).not.toContain('private summary');
    expect(JSON.stringify(turn)).not.toContain('Claude is waiting');
    expect(session.gitCalls).toBe(1);
  });

  it('gives tool spans their outcome, duration and parent; the sub-agent nests under its Agent call', () => {
    const session = new ScriptedSession();
    firstTurn(session);
    session.run('Stop', { prompt_id: 'p1' });
    const spans = session.sent;
    const [turn] = byName(spans, 'invoke_agent claude-code');
    const [bash] = byName(spans, 'execute_tool Bash');
    const [read] = byName(spans, 'execute_tool Read');
    const [agentTool] = byName(spans, 'execute_tool Agent');
    const [explore] = byName(spans, 'invoke_agent Explore');
    const [glob] = byName(spans, 'execute_tool Glob');
    expect(bash?.spanId).toBe(toolSpanId('sess-1', 't1'));
    expect(bash?.parentSpanId).toBe(turn?.spanId);
    expect(durationMs(bash!)).toBe(1300);
    expect(bash?.attributes).toMatchObject({
      'gen_ai.tool.name': 'Bash',
      'gen_ai.tool.call.id': 't1',
      'claude_code.tool.outcome': 'success',
      'claude_code.tool.duration_ms': 1200,
      'vcs.repository.name': 'shop',
      'gen_ai.conversation.id': 'sess-1',
    });
    expect(bash?.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(read?.status).toEqual({ code: 'error', message: 'tool failed' });
    expect(read?.attributes).toMatchObject({
      'error.type': 'tool_error',
      'claude_code.tool.outcome': 'error',
    });
    expect(explore?.parentSpanId).toBe(agentTool?.spanId);
    expect(explore?.attributes).toMatchObject({ 'gen_ai.agent.name': 'Explore', 'gen_ai.agent.id': 'a1' });
    expect(glob?.parentSpanId).toBe(explore?.spanId);
  });

  it('starts a new trace for the next prompt; the instruction list stays, its events do not repeat', () => {
    const session = new ScriptedSession();
    firstTurn(session);
    session.run('Stop', { prompt_id: 'p1' });
    session.sent.length = 0;
    session.run('UserPromptSubmit', { prompt: 'Now the tests', prompt_id: 'p2' });
    session.run('Stop', { prompt_id: 'p2' });
    const [turn] = session.sent;
    expect(session.sent).toHaveLength(1);
    expect(turn?.traceId).toBe(turnTraceId('sess-1', 'p2'));
    expect(turn?.attributes['claude_code.turn.index']).toBe(1);
    expect(turn?.attributes['claude_code.instructions.files']).toEqual([
      'CLAUDE.md',
      'docs/CODING_STANDARDS.md',
    ]);
    expect(turn?.events).toEqual([]);
  });

  it('closes an interrupted turn (no Stop) when the next prompt comes, its open tool as incomplete', () => {
    const session = new ScriptedSession();
    session.run('UserPromptSubmit', { prompt: 'one', prompt_id: 'p1' });
    session.run('PreToolUse', tool('t1', 'Bash'));
    session.run('UserPromptSubmit', { prompt: 'two', prompt_id: 'p2' });
    session.run('Stop', { prompt_id: 'p2' });
    const turns = byName(session.sent, 'invoke_agent claude-code');
    expect(turns.map((t) => t.attributes['claude_code.turn.end_reason']).sort()).toEqual([
      'interrupted',
      'stop',
    ]);
    const [bash] = byName(session.sent, 'execute_tool Bash');
    expect(bash?.traceId).toBe(turnTraceId('sess-1', 'p1'));
    expect(bash?.attributes['claude_code.tool.outcome']).toBe('incomplete');
  });

  it('starts a turn from a tool hook when UserPromptSubmit was missed', () => {
    const session = new ScriptedSession();
    session.run('PreToolUse', tool('t1', 'Bash', { prompt_id: 'p9' }));
    session.run('PostToolUse', tool('t1', 'Bash', { prompt_id: 'p9' }));
    session.run('Stop', { prompt_id: 'p9' });
    const [turn] = byName(session.sent, 'invoke_agent claude-code');
    const [bash] = byName(session.sent, 'execute_tool Bash');
    expect(turn?.traceId).toBe(turnTraceId('sess-1', 'p9'));
    expect(bash?.parentSpanId).toBe(turn?.spanId);
  });

  it('marks a StopFailure turn as an error and a denied tool as denied', () => {
    const session = new ScriptedSession();
    session.run('UserPromptSubmit', { prompt: 'deploy', prompt_id: 'p1' });
    session.run('PreToolUse', tool('t1', 'Bash'));
    session.run('PermissionDenied', tool('t1', 'Bash', { reason: 'auto mode: destructive command' }));
    session.run('StopFailure', { error: 'rate_limit', prompt_id: 'p1' });
    const [turn] = byName(session.sent, 'invoke_agent claude-code');
    const [bash] = byName(session.sent, 'execute_tool Bash');
    expect(turn?.status.code).toBe('error');
    expect(turn?.attributes).toMatchObject({
      'error.type': 'rate_limit',
      'claude_code.turn.end_reason': 'stop_failure',
    });
    expect(bash?.status.code).toBe('error');
    expect(bash?.attributes).toMatchObject({
      'error.type': 'permission_denied',
      'claude_code.permission.decision': 'deny',
      'claude_code.tool.outcome': 'denied',
    });
    expect(turn?.events.map((e) => e.name)).toEqual(['claude_code.permission_denied']);
  });

  it('records prompts, responses and tool input/output only with content capture on', () => {
    const session = new ScriptedSession('sess-2', { captureContent: true });
    session.run('UserPromptSubmit', { prompt: 'Fix the cart total', prompt_id: 'p1' });
    session.run('PreToolUse', tool('t1', 'Bash'));
    session.run('PostToolUseFailure', tool('t1', 'Bash', { error: 'exit 1: npm ERR!' }));
    session.run('Stop', { prompt_id: 'p1', last_assistant_message: 'Fixed.' });
    const [turn] = byName(session.sent, 'invoke_agent claude-code');
    const [bash] = byName(session.sent, 'execute_tool Bash');
    expect(JSON.parse(String(turn?.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Fix the cart total' }] },
    ]);
    expect(String(turn?.attributes['gen_ai.output.messages'])).toContain('Fixed.');
    expect(bash?.attributes['gen_ai.tool.call.arguments']).toBe('{"command":"npm test"}');
    expect(bash?.status).toEqual({ code: 'error', message: 'exit 1: npm ERR!' });
  });

  it("adds the turn's chat spans from the transcript, late records to the turn they belong to", () => {
    const session = new ScriptedSession();
    session.run('SessionStart', { source: 'startup' });
    session.run('UserPromptSubmit', { prompt: 'one', prompt_id: 'p1' });
    session.transcriptTurn({
      promptId: 'p1',
      prompt: 'one',
      atMs: session.nowMs + 10,
      model: 'claude-opus-4-6',
      messageId: 'm1',
    });
    session.run('Stop', { prompt_id: 'p1' }, 3000);
    const [chat] = byName(session.sent, 'chat claude-opus-4-6');
    const [turn1] = byName(session.sent, 'invoke_agent claude-code');
    expect(chat?.parentSpanId).toBe(turn1?.spanId);
    expect(chat?.traceId).toBe(turn1?.traceId);
    expect(chat?.kind).toBe('client');
    expect(chat?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 1210,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 1000,
      'gen_ai.conversation.id': 'sess-1',
      'vcs.repository.name': 'shop',
    });
    // turn 2: its last response is written after Stop; SessionEnd picks it up
    session.sent.length = 0;
    session.run('UserPromptSubmit', { prompt: 'two', prompt_id: 'p2' }, 5000);
    const turn2Start = session.nowMs;
    session.run('Stop', { prompt_id: 'p2' }, 3000);
    session.transcriptTurn({
      promptId: 'p2',
      prompt: 'two',
      atMs: turn2Start + 10,
      model: 'claude-opus-4-6',
      messageId: 'm2',
    });
    session.run('SessionEnd', { reason: 'prompt_input_exit' });
    const chats = byName(session.sent, 'chat claude-opus-4-6');
    expect(chats).toHaveLength(1);
    expect(chats[0]?.traceId).toBe(turnTraceId('sess-1', 'p2'));
    expect(session.store.files.size).toBe(0);
  });

  it('gives a response written after its Stop to that turn, even when the next turn starts at once', () => {
    // Claude Code 2.1.330 (print mode, a background Agent): the turn's final response reaches the
    // transcript after its Stop hook ran, and the <task-notification> turn starts a few ms later.
    const session = new ScriptedSession();
    session.run('SessionStart', { source: 'startup' });
    session.run('UserPromptSubmit', { prompt: 'one', prompt_id: 'p1' });
    session.transcriptTurn({
      promptId: 'p1',
      prompt: 'one',
      atMs: session.nowMs + 10,
      model: 'claude-opus-4-6',
      messageId: 'm1',
    });
    const file = session.transcripts.files.get(session.transcriptPath)!;
    const [promptLine, responseLine] = file.trimEnd().split('\n');
    session.transcripts.files.set(session.transcriptPath, `${promptLine}\n`);
    session.run('Stop', { prompt_id: 'p1' }, 300);
    session.transcripts.files.set(session.transcriptPath, `${promptLine}\n${responseLine}\n`);
    session.run(
      'UserPromptSubmit',
      { prompt: '<task-notification>done</task-notification>', prompt_id: 'p2' },
      5,
    );
    session.transcriptTurn({
      promptId: 'p2',
      prompt: '<task-notification>done</task-notification>',
      atMs: session.nowMs + 5,
      model: 'claude-opus-4-6',
      messageId: 'm2',
    });
    session.run('Stop', { prompt_id: 'p2' }, 100);
    const chats = byName(session.sent, 'chat claude-opus-4-6');
    const owners = chats.map((c) => [String(c.attributes['gen_ai.response.id']), c.traceId]).sort();
    expect(owners).toEqual([
      ['m1', turnTraceId('sess-1', 'p1')],
      ['m2', turnTraceId('sess-1', 'p2')],
    ]);
  });

  it("puts a sub-agent's model calls, read from its own transcript, under the sub-agent span", () => {
    const session = new ScriptedSession();
    session.run('UserPromptSubmit', { prompt: 'look around', prompt_id: 'p1' });
    session.run('SubagentStart', { agent_id: 'a1', agent_type: 'Explore' });
    const agentPath = '/home/dev/.claude/projects/-home-dev-shop/sess-1/subagents/agent-a1.jsonl';
    const at = session.nowMs + 10;
    const record = (type: string, extra: object): string =>
      `${JSON.stringify({ sessionId: 'sess-1', isSidechain: true, agentId: 'a1', type, ...extra })}\n`;
    session.transcripts.files.set(
      agentPath,
      record('user', {
        uuid: 'su1',
        parentUuid: null,
        timestamp: new Date(at).toISOString(),
        message: { role: 'user', content: 'Find the cart code' },
      }) +
        record('assistant', {
          uuid: 'sa1',
          parentUuid: 'su1',
          requestId: 'req-s1',
          timestamp: new Date(at + 700).toISOString(),
          message: {
            id: 'msg-s1',
            role: 'assistant',
            model: 'claude-haiku-4-5',
            content: [{ type: 'text', text: 'Found it.' }],
            stop_reason: 'end_turn',
            usage: { input_tokens: 5, output_tokens: 9 },
          },
        }),
    );
    session.run(
      'SubagentStop',
      { agent_id: 'a1', agent_type: 'Explore', agent_transcript_path: agentPath },
      2000,
    );
    session.run('Stop', { prompt_id: 'p1' });
    const [explore] = byName(session.sent, 'invoke_agent Explore');
    const [chat] = byName(session.sent, 'chat claude-haiku-4-5');
    expect(chat?.parentSpanId).toBe(explore?.spanId);
    expect(chat?.traceId).toBe(explore?.traceId);
    expect(chat?.attributes['gen_ai.usage.output_tokens']).toBe(9);
    // read again at Stop, the same call is not sent twice
    expect(byName(session.sent, 'chat claude-haiku-4-5')).toHaveLength(1);
  });

  it("reads a sub-agent's transcript again at Stop when Claude Code wrote it after SubagentStop", () => {
    // seen with Claude Code 2.1.330: the sub-agent's file (or its last response) lands after SubagentStop
    const session = new ScriptedSession();
    session.run('UserPromptSubmit', { prompt: 'look around', prompt_id: 'p1' });
    session.run('SubagentStart', { agent_id: 'a2', agent_type: 'Explore' });
    const agentPath = '/home/dev/.claude/projects/-home-dev-shop/sess-1/subagents/agent-a2.jsonl';
    session.run(
      'SubagentStop',
      { agent_id: 'a2', agent_type: 'Explore', agent_transcript_path: agentPath },
      2000,
    );
    const at = session.nowMs - 1500;
    const line = (extra: object): string =>
      `${JSON.stringify({ sessionId: 'sess-1', isSidechain: true, agentId: 'a2', ...extra })}\n`;
    session.transcripts.files.set(
      agentPath,
      line({
        type: 'user',
        uuid: 'tu1',
        parentUuid: null,
        timestamp: new Date(at).toISOString(),
        message: { role: 'user', content: 'Find the cart code' },
      }) +
        line({
          type: 'assistant',
          uuid: 'ta1',
          parentUuid: 'tu1',
          requestId: 'req-t1',
          timestamp: new Date(at + 500).toISOString(),
          message: {
            id: 'msg-t1',
            role: 'assistant',
            model: 'claude-haiku-4-5',
            content: [{ type: 'text', text: 'Found it.' }],
            stop_reason: 'end_turn',
            usage: { input_tokens: 7, output_tokens: 4 },
          },
        }),
    );
    session.run('Stop', { prompt_id: 'p1' });
    const [explore] = byName(session.sent, 'invoke_agent Explore');
    const chats = byName(session.sent, 'chat claude-haiku-4-5');
    expect(chats).toHaveLength(1);
    expect(chats[0]?.parentSpanId).toBe(explore?.spanId);
    expect(chats[0]?.attributes['gen_ai.usage.output_tokens']).toBe(4);
  });

  it('sends what is left at SessionEnd and forgets the session', () => {
    const session = new ScriptedSession();
    session.run('UserPromptSubmit', { prompt: 'one', prompt_id: 'p1' });
    session.run('PreToolUse', tool('t1', 'Bash'));
    const end = session.run('SessionEnd', { reason: 'logout' });
    expect(end.spans.map((s) => s.name).sort()).toEqual(['execute_tool Bash', 'invoke_agent claude-code']);
    expect(byName(end.spans, 'invoke_agent claude-code')[0]?.attributes['claude_code.turn.end_reason']).toBe(
      'session_end',
    );
    expect(session.store.files.size).toBe(0);
  });

  it('runs git once per session, again only when the session is resumed', () => {
    const session = new ScriptedSession();
    session.run('InstructionsLoaded', { file_path: '/home/dev/shop/CLAUDE.md', memory_type: 'Project' });
    session.run('SessionStart', { source: 'startup', model: 'claude-opus-4-6' });
    session.run('UserPromptSubmit', { prompt: 'one', prompt_id: 'p1' });
    session.run('PreToolUse', tool('t1', 'Bash'));
    session.run('Stop', { prompt_id: 'p1' });
    expect(session.gitCalls).toBe(1);
    session.run('SessionStart', { source: 'resume' });
    expect(session.gitCalls).toBe(2);
    expect(session.store.read('session.json')).toMatchObject({ source: 'resume', model: 'claude-opus-4-6' });
  });

  it('keeps one file per open tool call, so parallel hooks never overwrite each other', () => {
    const session = new ScriptedSession();
    session.run('UserPromptSubmit', { prompt: 'one', prompt_id: 'p1' });
    session.run('PreToolUse', tool('t1', 'Read'));
    session.run('PreToolUse', tool('t2', 'Read'), 0);
    expect(session.store.list('tool-')).toEqual(['tool-t1.json', 'tool-t2.json']);
  });
});

describe('parseHookInput', () => {
  it('needs session_id and hook_event_name and keeps the rest', () => {
    const input = parseHookInput('{"session_id":"s","hook_event_name":"Stop","prompt_id":"p","x":1}');
    expect(input).toMatchObject({ event: 'Stop', sessionId: 's', promptId: 'p', raw: { x: 1 } });
    expect(() => parseHookInput('not json')).toThrow(HookInputError);
    expect(() => parseHookInput('{"hook_event_name":"Stop"}')).toThrow(/no session_id/);
  });
});
