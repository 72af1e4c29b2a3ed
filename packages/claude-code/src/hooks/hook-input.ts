/**
 * The JSON Claude Code writes to a hook's stdin (SPECS §2.2), read defensively: the format belongs to
 * Claude Code and changes between versions, so every field is optional except the two a hook cannot work
 * without (`session_id`, `hook_event_name`).
 */

/** The events Loopline's hook handles (and `loopline install claude-code` registers). */
export const LOOPLINE_HOOK_EVENTS = [
  'SessionStart',
  'InstructionsLoaded',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
  'SubagentStart',
  'SubagentStop',
  'PreCompact',
  'PostCompact',
  'Notification',
  'Stop',
  'StopFailure',
  'SessionEnd',
] as const;

export type LooplineHookEvent = (typeof LOOPLINE_HOOK_EVENTS)[number];

/** Events whose matcher is a tool name: Loopline registers them with `"matcher": "*"`. */
export const TOOL_MATCHED_EVENTS: ReadonlySet<string> = new Set([
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PermissionRequest',
  'PermissionDenied',
]);

/** One hook invocation's input. Strings are non-empty or absent; `raw` keeps the whole object. */
export interface HookInput {
  event: string;
  sessionId: string;
  transcriptPath?: string;
  cwd?: string;
  promptId?: string;
  permissionMode?: string;
  agentId?: string;
  agentType?: string;
  /**
   * The W3C trace context Claude Code gave this hook process (`TRACEPARENT`, not part of the stdin JSON).
   * With its beta traces on, it names the active span: the turn's `claude_code.interaction`, or a
   * sub-agent's `claude_code.tool.execution` (seen with 2.1.330, when it propagates trace context).
   */
  traceparent?: TraceContext;
  raw: Record<string, unknown>;
}

export interface TraceContext {
  /** 32 hex characters */
  traceId: string;
  /** 16 hex characters */
  spanId: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(?:-.*)?$/;

/** A `traceparent` value (`00-<trace id>-<span id>-<flags>`); undefined when malformed or all zeros. */
export function parseTraceparent(value: string | undefined): TraceContext | undefined {
  const match = TRACEPARENT.exec(value?.trim().toLowerCase() ?? '');
  if (match === null || match[1] === 'ff') return undefined;
  const traceId = match[2]!;
  const spanId = match[3]!;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId };
}

/** Why an input was not usable; the hook logs it and exits 0. */
export class HookInputError extends Error {
  override readonly name = 'HookInputError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty string field of the raw input, else undefined. */
export function text(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A finite number field of the raw input, else undefined. */
export function num(raw: Record<string, unknown>, key: string): number | undefined {
  const value = raw[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Parses stdin text; throws HookInputError when it is not a hook input. `env` is the hook process's
 * environment, for the trace context Claude Code passes there.
 */
export function parseHookInput(stdin: string, env: { TRACEPARENT?: string } = {}): HookInput {
  let raw: unknown;
  try {
    raw = JSON.parse(stdin);
  } catch {
    throw new HookInputError(`stdin is not JSON (${stdin.length} bytes)`);
  }
  if (!isRecord(raw)) throw new HookInputError('stdin is not a JSON object');
  const event = text(raw, 'hook_event_name');
  const sessionId = text(raw, 'session_id');
  if (event === undefined) throw new HookInputError('the input has no hook_event_name');
  if (sessionId === undefined) throw new HookInputError(`the ${event} input has no session_id`);
  const input: HookInput = { event, sessionId, raw };
  const optional = {
    transcriptPath: text(raw, 'transcript_path'),
    cwd: text(raw, 'cwd'),
    promptId: text(raw, 'prompt_id'),
    permissionMode: text(raw, 'permission_mode'),
    agentId: text(raw, 'agent_id'),
    agentType: text(raw, 'agent_type'),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (input as unknown as Record<string, unknown>)[key] = value;
  }
  const traceparent = parseTraceparent(env.TRACEPARENT);
  if (traceparent !== undefined) input.traceparent = traceparent;
  return input;
}
