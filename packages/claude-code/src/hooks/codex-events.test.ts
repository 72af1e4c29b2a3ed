import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/policy-parse.ts';
import { codexPolicyOutput } from './codex-events.ts';
import type { HookContext } from './hook-context.ts';
import { parseHookInput } from './hook-input.ts';
import { MemoryHookStore } from './hook-store.ts';
import { ASSISTANT_PROFILES, handleAssistantHookEvent } from './profiles.ts';

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

/** Fields every Codex 0.169.0 hook input has. */
const input = (fields: Record<string, unknown>) =>
  parseHookInput(
    JSON.stringify({
      session_id: '01a202e0-85f3-70f3-89db-1c2a779a1114',
      transcript_path: '/home/lee/.codex/sessions/rollout.jsonl',
      cwd: '/repo',
      model: 'gpt-5.5',
      permission_mode: 'bypassPermissions',
      ...fields,
    }),
  );

const run = (ctx: HookContext, event: string, fields: Record<string, unknown> = {}) =>
  handleAssistantHookEvent(ASSISTANT_PROFILES.codex, ctx, input({ hook_event_name: event, ...fields }));

const decision = (permissionDecision: string) =>
  JSON.stringify({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision,
      permissionDecisionReason: 'Force-pushing rewrites shared history (Loopline policy no-force-push)',
    },
  });

describe('Codex CLI 0.169.0 hook input', () => {
  it('Interrupt ends the turn as interrupted; the call still open is incomplete', () => {
    const ctx = context();
    run(ctx, 'UserPromptSubmit', { turn_id: 't1', prompt: 'sleep' });
    run(ctx, 'PreToolUse', {
      turn_id: 't1',
      tool_name: 'Bash',
      tool_input: { command: 'sleep 5' },
      tool_use_id: 'call_1',
    });
    const { spans } = run(ctx, 'Interrupt', { turn_id: 't1' });
    const turn = spans.find((s) => s.name === 'invoke_agent codex');
    expect(turn?.attributes).toMatchObject({
      'prompt.id': 't1',
      'claude_code.turn.end_reason': 'interrupted',
    });
    expect(turn?.status.code).toBe('unset');
    const tool = spans.find((s) => s.name === 'execute_tool Bash');
    expect(tool?.attributes['claude_code.tool.outcome']).toBe('incomplete');
    // SessionEnd (no turn_id) then clears the session's state
    expect(ctx.store.list('').length).toBeGreaterThan(0);
    run(ctx, 'SessionEnd', { reason: 'other' });
    expect(ctx.store.list('')).toEqual([]);
  });

  it('prints only a deny: Codex ignores allow and ask', async () => {
    expect(codexPolicyOutput(decision('deny'))).toBe(decision('deny'));
    expect(codexPolicyOutput(decision('ask'))).toBeNull();
    expect(codexPolicyOutput(decision('allow'))).toBeNull();
    expect(codexPolicyOutput('not json')).toBeNull();

    const ctx = context();
    const file = await parsePolicy(
      "rules:\n  - id: no-force-push\n    match: { tool: Bash, command: 'git push --force' }\n    action: deny\n    reason: Force-pushing rewrites shared history\n",
      '/repo/.loopline/policy.yaml',
    );
    ctx.policy = { rules: file.rules, problems: [], root: '/repo' };
    run(ctx, 'UserPromptSubmit', { turn_id: 't1', prompt: 'push' });
    const push = {
      turn_id: 't1',
      tool_name: 'Bash',
      tool_input: { command: 'git push --force origin main' },
      tool_use_id: 'call_2',
    };
    const output = run(ctx, 'PreToolUse', push).output;
    expect(JSON.parse(output ?? '{}').hookSpecificOutput).toMatchObject({
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('no-force-push'),
    });
  });
});
