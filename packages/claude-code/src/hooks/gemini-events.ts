/**
 * Gemini CLI's hooks (SPECS §5; `docs/hooks/reference.md`; checked against Gemini CLI 0.61.0, where every
 * one of them fires in `-p` mode) mapped onto Claude Code's events, so the same state machine makes the
 * same spans:
 *
 *   SessionStart → SessionStart        BeforeAgent → UserPromptSubmit    AfterAgent → Stop
 *   BeforeTool   → PreToolUse          AfterTool   → PostToolUse(Failure) PreCompress manual → PreCompact
 *   Notification → Notification        SessionEnd  → SessionEnd          BeforeModel: the model name
 *
 * Gemini's tool hooks carry no call id, so one is made here: BeforeTool queues an id under a hash of the
 * tool's name and arguments, and AfterTool takes the oldest id queued under the same hash whose call is
 * still open (a call the policy denied never gets an AfterTool).
 */
import type { HookContext } from './hook-context.ts';
import { type HookInput, text } from './hook-input.ts';
import { type SessionState, STATE_FILES } from './hook-records.ts';
import { loadSession } from './hook-session.ts';
import { safeName } from './hook-store.ts';

/**
 * What `loopline install gemini` registers. Left out: AfterModel (run for every streamed chunk),
 * BeforeToolSelection (before every model call, nothing to record), and PreCompress, which Gemini CLI
 * 0.61.0 runs with `trigger: "auto"` before every model call whether or not it compresses.
 */
export const GEMINI_HOOK_EVENTS = [
  'SessionStart',
  'BeforeAgent',
  'BeforeModel',
  'BeforeTool',
  'AfterTool',
  'AfterAgent',
  'Notification',
  'SessionEnd',
] as const;

const SAME_MEANING: Readonly<Record<string, string>> = {
  SessionStart: 'SessionStart',
  BeforeAgent: 'UserPromptSubmit',
  Notification: 'Notification',
  SessionEnd: 'SessionEnd',
};

/** `gemini-tools-<hash>.json`: the ids of open calls with these arguments, oldest first. */
interface ToolQueue {
  next: number;
  open: string[];
}

const QUEUE_PREFIX = 'gemini-tools-';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON with object keys sorted, so the same arguments always give the same text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fnv(textValue: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < textValue.length; i++) h = Math.imul(h ^ textValue.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function callKey(input: HookInput): string {
  return fnv(`${text(input.raw, 'tool_name') ?? ''}\u0000${stableJson(input.raw.tool_input ?? null)}`);
}

function queueOf(ctx: HookContext, key: string): ToolQueue {
  return ctx.store.read<ToolQueue>(`${QUEUE_PREFIX}${key}.json`) ?? { next: 0, open: [] };
}

function saveQueue(ctx: HookContext, key: string, queue: ToolQueue): void {
  if (queue.open.length === 0 && queue.next === 0) return;
  ctx.store.write(`${QUEUE_PREFIX}${key}.json`, queue);
}

/** BeforeTool: a new call id, queued until its AfterTool. */
export function openGeminiToolId(ctx: HookContext, input: HookInput): string {
  const key = callKey(input);
  const queue = queueOf(ctx, key);
  const id = `gemini-${key}-${queue.next}`;
  queue.next++;
  queue.open.push(id);
  saveQueue(ctx, key, queue);
  return id;
}

/** Whether the state machine holds this call's tool span open (PreToolUse wrote it, nothing ended it). */
const isOpen = (ctx: HookContext, id: string): boolean =>
  ctx.store.read(`${STATE_FILES.TOOL_PREFIX}${safeName(id)}.json`) !== undefined;

/**
 * AfterTool: the oldest call with the same name and arguments whose span is still open, dropping older
 * ones that are not (denied by the policy: no AfterTool comes for them); the oldest queued when none is
 * open; a new id when nothing is queued.
 */
export function closeGeminiToolId(ctx: HookContext, input: HookInput): string {
  const key = callKey(input);
  const queue = queueOf(ctx, key);
  const found = queue.open.findIndex((id) => isOpen(ctx, id));
  const at = Math.max(found, 0);
  const id = queue.open[at] ?? `gemini-${key}-${queue.next++}`;
  queue.open.splice(0, at + 1);
  saveQueue(ctx, key, queue);
  return id;
}

/** AfterTool's `tool_response.error` (a string or `{message}`), when the call failed. */
export function geminiToolError(response: unknown): string | undefined {
  if (!isRecord(response)) return undefined;
  const error = response.error;
  if (error === undefined || error === null || error === false || error === '') return undefined;
  if (typeof error === 'string') return error;
  if (isRecord(error) && typeof error.message === 'string' && error.message !== '') return error.message;
  return 'tool failed';
}

/** The lines `run_shell_command` puts after a command's output, last first in what it sends. */
const SHELL_TRAILER = /^(?:Error|Signal|Background PIDs|Process Group PGID): /;

/**
 * A shell command that exited non-zero or was killed: Gemini CLI 0.61.0 reports it as a successful call
 * (no `error`), with `Exit Code: N` / `Signal: S` among the lines after the output in `llmContent`. Read
 * from the end, so output that merely mentions an exit code does not count.
 */
export function geminiShellFailure(toolName: unknown, response: unknown): string | undefined {
  if (toolName !== 'run_shell_command' || !isRecord(response)) return undefined;
  const content = response.llmContent;
  if (typeof content !== 'string') return undefined;
  const lines = content
    .replace(/<\/?untrusted_context>/g, '')
    .trimEnd()
    .split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trimEnd();
    const exit = /^Exit Code: (-?\d+)$/.exec(line);
    if (exit) return exit[1] === '0' ? undefined : line;
    if (line.startsWith('Signal: ')) return line;
    if (!SHELL_TRAILER.test(line)) return undefined;
  }
  return undefined;
}

function as(input: HookInput, event: string, extra: Record<string, unknown> = {}): HookInput {
  const raw: Record<string, unknown> = { ...input.raw, hook_event_name: event };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) raw[key] = value;
  return { ...input, event, raw };
}

/** BeforeModel: `llm_request.model` becomes the session's model (on every later turn span). */
function recordModel(ctx: HookContext, input: HookInput): void {
  const request = input.raw.llm_request;
  const model = isRecord(request) && typeof request.model === 'string' ? request.model : undefined;
  if (model === undefined || model === '') return;
  const session: SessionState = loadSession(ctx, input);
  if (session.model === model) return;
  ctx.store.write(STATE_FILES.SESSION, { ...session, model });
}

/** A Gemini CLI hook input as the Claude Code event it corresponds to; null for events with no span. */
export function normaliseGeminiInput(ctx: HookContext, input: HookInput): HookInput | null {
  const raw = input.raw;
  switch (input.event) {
    case 'BeforeTool':
      return as(input, 'PreToolUse', { tool_use_id: openGeminiToolId(ctx, input) });
    case 'AfterTool': {
      const error =
        geminiToolError(raw.tool_response) ?? geminiShellFailure(raw.tool_name, raw.tool_response);
      return as(input, error === undefined ? 'PostToolUse' : 'PostToolUseFailure', {
        tool_use_id: closeGeminiToolId(ctx, input),
        error,
      });
    }
    case 'AfterAgent':
      return as(input, 'Stop', { last_assistant_message: text(raw, 'prompt_response') });
    case 'BeforeModel':
      recordModel(ctx, input);
      return null;
    case 'PreCompress':
      // "auto" comes before every model call, compressing or not (Gemini CLI 0.61.0): only /compress counts
      return text(raw, 'trigger') === 'manual' ? as(input, 'PreCompact') : null;
    default: {
      const event = SAME_MEANING[input.event];
      return event === undefined ? null : as(input, event);
    }
  }
}

/**
 * A policy decision in Gemini's BeforeTool output (Gemini CLI 0.61.0 reads `decision` and `reason` from
 * stdout): "deny" blocks the call (the model gets "Tool execution blocked: <reason>", no AfterTool
 * follows); "ask" makes Gemini ask for confirmation; "allow" passes.
 */
export function geminiPolicyOutput(output: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return null;
  }
  const specific = isRecord(parsed) ? parsed.hookSpecificOutput : undefined;
  if (!isRecord(specific)) return null;
  const decision = specific.permissionDecision;
  const reason =
    typeof specific.permissionDecisionReason === 'string' ? specific.permissionDecisionReason : undefined;
  if (decision === 'deny')
    return `${JSON.stringify({ decision: 'deny', reason: reason ?? 'denied by Loopline policy' })}\n`;
  if (decision === 'ask')
    return `${JSON.stringify(reason === undefined ? { decision: 'ask' } : { decision: 'ask', reason })}\n`;
  if (decision === 'allow')
    return `${JSON.stringify(reason === undefined ? { decision: 'allow' } : { decision: 'allow', reason })}\n`;
  return null;
}
