/**
 * Names the hook writes beyond the GenAI conventions. `claude_code.*` is Claude Code's own namespace (its
 * native OTel export uses it too); `prompt.id` and `session.id` are the names Claude Code's native events
 * carry, so hook spans and native events can be joined on them.
 */
export const HOOK_ATTRIBUTES = {
  SESSION_ID: 'session.id',
  PROMPT_ID: 'prompt.id',
  /** string[]: every instruction file (CLAUDE.md, rules) loaded in the session so far */
  INSTRUCTION_FILES: 'claude_code.instructions.files',
  TURN_INDEX: 'claude_code.turn.index',
  /**
   * The trace and span of Claude Code's own `claude_code.interaction` for the turn (its beta traces), from
   * the TRACEPARENT it gives hooks: the turn's native spans are the trace with this id.
   */
  NATIVE_TRACE_ID: 'claude_code.native.trace_id',
  NATIVE_SPAN_ID: 'claude_code.native.span_id',
  /** `stop`, `stop_failure`, `interrupted`, `session_end` */
  TURN_END_REASON: 'claude_code.turn.end_reason',
  PROMPT_LENGTH: 'claude_code.prompt.length',
  PROMPT_SOURCE: 'claude_code.prompt.source',
  PERMISSION_MODE: 'claude_code.permission_mode',
  SESSION_SOURCE: 'claude_code.session.source',
  /** `success`, `error`, `interrupted`, `denied`, `incomplete` */
  TOOL_OUTCOME: 'claude_code.tool.outcome',
  /** the tool's own duration as Claude Code reports it (PostToolUse `duration_ms`) */
  TOOL_DURATION_MS: 'claude_code.tool.duration_ms',
  MCP_SERVER: 'claude_code.mcp_server.name',
  PERMISSION_DECISION: 'claude_code.permission.decision',
  PERMISSION_REASON: 'claude_code.permission.reason',
  AGENT_OUTCOME: 'claude_code.agent.outcome',
  REQUEST_ID: 'claude_code.request_id',
  SPEED: 'claude_code.speed',
  SERVICE_TIER: 'claude_code.service_tier',
} as const;

/** Span event names. Attributes of instruction events use Claude Code's field names. */
export const HOOK_EVENT_NAMES = {
  SESSION_START: 'claude_code.session_start',
  INSTRUCTIONS_LOADED: 'claude_code.instructions_loaded',
  PERMISSION_REQUEST: 'claude_code.permission_request',
  PERMISSION_DENIED: 'claude_code.permission_denied',
  PRE_COMPACT: 'claude_code.pre_compact',
  COMPACTION: 'claude_code.compaction',
  NOTIFICATION: 'claude_code.notification',
} as const;

/** The agent name of the turn span (`invoke_agent claude-code`). */
export const CLAUDE_CODE_AGENT_NAME = 'claude-code';

/** Longest content string put on a span (prompt, tool arguments and results, responses). */
export const MAX_CONTENT_CHARS = 16_384;

export function clip(value: string, max = MAX_CONTENT_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max)}…[truncated ${value.length - max} chars]`;
}
