import { describe, expect, it } from 'vitest';
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
    expect(map({ hook_event_name: 'PreCompress', trigger: 'auto' })).toBe('PreCompact');
    expect(map({ hook_event_name: 'AfterTool', tool_name: 'x', tool_response: { error: 'boom' } })).toBe(
      'PostToolUseFailure',
    );
    expect(geminiToolError({ llmContent: 'ok' })).toBeUndefined();
    expect(geminiToolError({ error: { message: 'exit 1' } })).toBe('exit 1');
  });

  it("Gemini: a policy decision in Gemini's output format; ask has no equivalent", () => {
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
    expect(geminiPolicyOutput(claude('ask'))).toBeNull();
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
