import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/policy-parse.ts';
import { geminiPolicyOutput, geminiToolError, normaliseGeminiInput } from './gemini-events.ts';
import type { HookContext } from './hook-context.ts';
import { parseHookInput } from './hook-input.ts';
import { MemoryHookStore } from './hook-store.ts';
import { ASSISTANT_PROFILES, assistantProfile, handleAssistantHookEvent } from './profiles.ts';

function context(): HookContext {
  let n = 0;
  let now = 1_760_000_000_000_000;
  return {
    store: new MemoryHookStore(),
    get nowUs() {
      now += 1000;
      return now;
    },
    captureContent: false,
    git: () => null,
    unique: () => String(n++),
  };
}

const input = (fields: Record<string, unknown>) =>
  parseHookInput(JSON.stringify({ session_id: 's1', cwd: '/repo', ...fields }));

describe('assistant profiles', () => {
  it('knows the three assistants and nothing else', () => {
    expect(assistantProfile('codex')?.serviceName).toBe('codex-cli');
    expect(assistantProfile('gemini')?.agentName).toBe('gemini-cli');
    expect(assistantProfile('cursor')).toBeUndefined();
    expect(ASSISTANT_PROFILES['claude-code'].readsTranscripts).toBe(true);
  });

  it('Gemini: a repeated identical call gets a new id, AfterTool takes the oldest open one', () => {
    const ctx = context();
    const tool = { tool_name: 'read_file', tool_input: { b: 1, a: 2 } };
    const ids = [
      normaliseGeminiInput(ctx, input({ hook_event_name: 'BeforeTool', ...tool })),
      normaliseGeminiInput(ctx, input({ hook_event_name: 'BeforeTool', ...tool })),
      // same arguments in another key order
      normaliseGeminiInput(
        ctx,
        input({ hook_event_name: 'AfterTool', tool_name: 'read_file', tool_input: { a: 2, b: 1 } }),
      ),
    ].map((i) => i?.raw.tool_use_id);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe(ids[0]);
  });

  it('Gemini: maps events, ignores AfterModel, turns a failed AfterTool into PostToolUseFailure', () => {
    const ctx = context();
    const map = (fields: Record<string, unknown>) => normaliseGeminiInput(ctx, input(fields))?.event ?? null;
    expect(map({ hook_event_name: 'BeforeAgent', prompt: 'hi' })).toBe('UserPromptSubmit');
    expect(map({ hook_event_name: 'AfterModel' })).toBeNull();
    expect(map({ hook_event_name: 'BeforeToolSelection' })).toBeNull();
    // Gemini CLI 0.61.0 sends "auto" before every model call, compressing or not
    expect(map({ hook_event_name: 'PreCompress', trigger: 'auto' })).toBeNull();
    expect(map({ hook_event_name: 'PreCompress', trigger: 'manual' })).toBe('PreCompact');
    expect(map({ hook_event_name: 'AfterTool', tool_name: 'x', tool_response: { error: 'boom' } })).toBe(
      'PostToolUseFailure',
    );
    expect(geminiToolError({ llmContent: 'ok' })).toBeUndefined();
    expect(geminiToolError({ error: { message: 'exit 1' } })).toBe('exit 1');
    // a shell command's exit code is only in llmContent, after the output
    const shell = (llmContent: string) =>
      map({ hook_event_name: 'AfterTool', tool_name: 'run_shell_command', tool_response: { llmContent } });
    const wrap = (lines: string) => `<untrusted_context>\n${lines}\n</untrusted_context>`;
    expect(shell(wrap('Output: x\nExit Code: 2\nProcess Group PGID: 7'))).toBe('PostToolUseFailure');
    expect(shell(wrap('Output: (empty)\nSignal: SIGTERM'))).toBe('PostToolUseFailure');
    expect(shell(wrap('Output: hello\nProcess Group PGID: 7'))).toBe('PostToolUse');
    expect(shell(wrap('Output: Exit Code: 3 is what it said'))).toBe('PostToolUse');
  });

  it('Gemini: a denied call gets no AfterTool; the next identical call still closes its own span', async () => {
    const ctx = context();
    const file = await parsePolicy(
      "rules:\n  - id: no-force-push\n    match: { command: 'git push -f' }\n    action: deny\n",
      '/repo/.loopline/policy.yaml',
    );
    const push = { tool_name: 'run_shell_command', tool_input: { command: 'git push -f' } };
    const run = (event: string, fields: Record<string, unknown> = {}) =>
      handleAssistantHookEvent(ASSISTANT_PROFILES.gemini, ctx, input({ hook_event_name: event, ...fields }));
    run('BeforeAgent', { prompt: 'push' });
    ctx.policy = { rules: file.rules, problems: [], root: '/repo' };
    expect(run('BeforeTool', push).output).toContain('"decision":"deny"');
    ctx.policy = undefined;
    expect(run('BeforeTool', push).output).toBeNull();
    run('AfterTool', { ...push, tool_response: { llmContent: 'Output: pushed' } });
    const { spans } = run('AfterAgent', { prompt_response: 'done' });
    const outcomes = spans
      .filter((s) => s.name === 'execute_tool run_shell_command')
      .map((s) => [s.attributes['gen_ai.tool.call.id'], s.attributes['claude_code.tool.outcome']]);
    expect(outcomes).toHaveLength(2);
    expect(new Set(outcomes.map(([id]) => id)).size).toBe(2);
    expect(outcomes.map(([, outcome]) => outcome).sort()).toEqual(['denied', 'success']);
  });

  it("Gemini: a policy decision in Gemini's output format (0.61.0 honours deny, ask and allow)", () => {
    const claude = (decision: string) =>
      JSON.stringify({
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: decision,
          permissionDecisionReason: 'r',
        },
      });
    expect(geminiPolicyOutput(claude('deny'))).toBe('{"decision":"deny","reason":"r"}\n');
    expect(geminiPolicyOutput(claude('allow'))).toBe('{"decision":"allow","reason":"r"}\n');
    expect(geminiPolicyOutput(claude('ask'))).toBe('{"decision":"ask","reason":"r"}\n');
  });

  it('Codex: turn_id names the turn, spans carry the Codex agent and provider, no transcript is read', () => {
    const ctx = context();
    let reads = 0;
    const none = (): null => {
      reads++;
      return null;
    };
    ctx.transcripts = { readFrom: none, readAll: none, size: none };
    const codex = ASSISTANT_PROFILES.codex;
    const run = (fields: Record<string, unknown>) =>
      handleAssistantHookEvent(codex, ctx, input({ transcript_path: '/r.jsonl', model: 'gpt-5', ...fields }));
    run({ hook_event_name: 'UserPromptSubmit', turn_id: 't1', prompt: 'x' });
    run({ hook_event_name: 'PreToolUse', turn_id: 't1', tool_use_id: 'c1', tool_name: 'shell' });
    run({ hook_event_name: 'PostToolUse', turn_id: 't1', tool_use_id: 'c1', tool_name: 'shell' });
    const { spans } = run({ hook_event_name: 'Stop', turn_id: 't1' });
    expect(reads).toBe(0);
    const turn = spans.find((s) => s.parentSpanId === null)!;
    expect(turn.name).toBe('invoke_agent codex');
    expect(turn.attributes).toMatchObject({
      'gen_ai.agent.name': 'codex',
      'gen_ai.provider.name': 'openai',
      'prompt.id': 't1',
    });
    expect(spans.find((s) => s.name === 'execute_tool shell')?.parentSpanId).toBe(turn.spanId);
  });
});
