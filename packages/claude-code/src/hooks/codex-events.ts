/**
 * Codex CLI's hook input, as the real Codex 0.169.0 sends it: Claude Code's format with the turn named by
 * `turn_id` where Claude Code has `prompt_id`. Its shell tool (`exec_command`) reaches the hooks as
 * `tool_name: "Bash"` with `tool_input.command`, so Claude Code policy rules match it unchanged;
 * `tool_response` is the command's output text, with no exit code (a failed command is not a failed call).
 *
 * Events (0.169.0's hook schemas): SessionStart, UserPromptSubmit, PreToolUse, PermissionRequest,
 * PostToolUse, PreCompact, PostCompact, SubagentStart, SubagentStop, Stop, plus two Claude Code does not
 * have in this form: `Interrupt` (the turn was interrupted, e.g. Ctrl-C; `turn_id` given) and
 * `SessionEnd` (`reason: "other"`, no `turn_id`). There is no StopFailure and no PostToolUseFailure.
 */
import type { HookContext } from './hook-context.ts';
import { type HookInput, text } from './hook-input.ts';

export function normaliseCodexInput(_ctx: HookContext, input: HookInput): HookInput {
  const turnId = text(input.raw, 'turn_id');
  if (input.promptId !== undefined || turnId === undefined) return input;
  return { ...input, promptId: turnId, raw: { ...input.raw, prompt_id: turnId } };
}

/**
 * A policy decision as Codex takes it. Codex 0.169.0 acts on PreToolUse's `permissionDecision: "deny"`
 * (it needs the reason) and calls `allow` and `ask` unsupported (seen: the call then runs as if the hook
 * said nothing), so only a deny is printed; an allow or ask rule is recorded on the span and Codex's own
 * approval settings decide.
 */
export function codexPolicyOutput(output: string): string | null {
  try {
    const parsed = JSON.parse(output) as { hookSpecificOutput?: { permissionDecision?: unknown } };
    return parsed.hookSpecificOutput?.permissionDecision === 'deny' ? output : null;
  } catch {
    return null;
  }
}
