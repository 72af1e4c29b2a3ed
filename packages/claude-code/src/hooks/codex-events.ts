/**
 * Codex CLI's hook input (SPECS §5): Claude Code's format, with the turn named by `turn_id` where Claude
 * Code has `prompt_id`. Codex has no SessionEnd: a session's state stays until it is stale.
 */
import type { HookContext } from './hook-context.ts';
import { type HookInput, text } from './hook-input.ts';

export function normaliseCodexInput(_ctx: HookContext, input: HookInput): HookInput {
  const turnId = text(input.raw, 'turn_id');
  if (input.promptId !== undefined || turnId === undefined) return input;
  return { ...input, promptId: turnId, raw: { ...input.raw, prompt_id: turnId } };
}
