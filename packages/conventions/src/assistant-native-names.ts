/**
 * Names the IDE assistants use in their own OpenTelemetry export (SPECS §4, §5). Token counts in these
 * names are often sent as decimal strings; readers must accept both numbers and numeric strings.
 */

/** Claude Code `service.name` values. */
export const CLAUDE_CODE_SERVICE_NAMES = ['claude-code', 'claude-code-desktop'] as const;

/** Claude Code trace spans (beta, `CLAUDE_CODE_ENHANCED_TELEMETRY_BETA=1`). */
export const CLAUDE_CODE_SPANS = {
  /** root span, one per prompt */
  INTERACTION: 'claude_code.interaction',
  /** one model call; carries the native usage names below */
  LLM_REQUEST: 'claude_code.llm_request',
  TOOL: 'claude_code.tool',
  TOOL_BLOCKED_ON_USER: 'claude_code.tool.blocked_on_user',
  TOOL_EXECUTION: 'claude_code.tool.execution',
  HOOK: 'claude_code.hook',
} as const;

/**
 * Claude Code log events: the record body (and Loopline's `event_name`) is the full name; the
 * `event.name` attribute holds only the suffix after `claude_code.`.
 */
export const CLAUDE_CODE_EVENTS = {
  USER_PROMPT: 'claude_code.user_prompt',
  ASSISTANT_RESPONSE: 'claude_code.assistant_response',
  TOOL_RESULT: 'claude_code.tool_result',
  API_REQUEST: 'claude_code.api_request',
  API_ERROR: 'claude_code.api_error',
  TOOL_DECISION: 'claude_code.tool_decision',
  API_REFUSAL: 'claude_code.api_refusal',
  API_REQUEST_BODY: 'claude_code.api_request_body',
  API_RESPONSE_BODY: 'claude_code.api_response_body',
  API_RETRIES_EXHAUSTED: 'claude_code.api_retries_exhausted',
  COMPACTION: 'claude_code.compaction',
  SUBAGENT_COMPLETED: 'claude_code.subagent_completed',
} as const;

/** Claude Code attribute names (spans and log events). */
export const CLAUDE_CODE_ATTRIBUTES = {
  /** Anthropic-EXCLUSIVE: input tokens not read from or written to the cache */
  INPUT_TOKENS: 'input_tokens',
  OUTPUT_TOKENS: 'output_tokens',
  CACHE_READ_TOKENS: 'cache_read_tokens',
  CACHE_CREATION_TOKENS: 'cache_creation_tokens',
  COST_USD: 'cost_usd',
  COST_USD_MICROS: 'cost_usd_micros',
  /** time to first token, milliseconds */
  TTFT_MS: 'ttft_ms',
  DURATION_MS: 'duration_ms',
  MODEL: 'model',
  REQUEST_ID: 'request_id',
  QUERY_SOURCE: 'query_source',
  SPEED: 'speed',
  EFFORT: 'effort',
  AGENT_ID: 'agent_id',
  PARENT_AGENT_ID: 'parent_agent_id',
  STOP_REASON: 'stop_reason',
  TOOL_NAME: 'tool_name',
  TOOL_USE_ID: 'tool_use_id',
  TOOL_PARAMETERS: 'tool_parameters',
  /** content: raw tool input (≈4 KB) */
  TOOL_INPUT: 'tool_input',
  /** content: the user's prompt (`claude_code.user_prompt`) */
  PROMPT: 'prompt',
  /** content: the assistant's response (`claude_code.assistant_response`) */
  RESPONSE: 'response',
  PROMPT_ID: 'prompt.id',
  SESSION_ID: 'session.id',
  ORGANIZATION_ID: 'organization.id',
  USER_ACCOUNT_UUID: 'user.account_uuid',
} as const;

export const CLAUDE_CODE_METRICS = {
  SESSION_COUNT: 'claude_code.session.count',
  LINES_OF_CODE_COUNT: 'claude_code.lines_of_code.count',
  PULL_REQUEST_COUNT: 'claude_code.pull_request.count',
  COMMIT_COUNT: 'claude_code.commit.count',
  COST_USAGE: 'claude_code.cost.usage',
  TOKEN_USAGE: 'claude_code.token.usage',
  CODE_EDIT_TOOL_DECISION: 'claude_code.code_edit_tool.decision',
  ACTIVE_TIME_TOTAL: 'claude_code.active_time.total',
} as const;

/**
 * `service.name` of Codex's own OTel export: its originator (`codex exec` → `codex_exec`, seen with
 * 0.169.0; the interactive CLI → `codex_cli_rs`).
 */
export const CODEX_SERVICE_NAMES = ['codex_exec', 'codex_cli_rs'] as const;

/** `service.name` of Gemini CLI's own OTel export (seen with 0.61.0), and of Loopline's Gemini spans. */
export const GEMINI_CLI_SERVICE_NAME = 'gemini-cli';

/** OpenAI Codex CLI log events (`codex-rs/otel/src/events/session_telemetry.rs`). */
export const CODEX_EVENTS = {
  CONVERSATION_STARTS: 'codex.conversation_starts',
  API_REQUEST: 'codex.api_request',
  /** with `event.kind=response.completed` it carries the token counts below */
  SSE_EVENT: 'codex.sse_event',
  USER_PROMPT: 'codex.user_prompt',
  TOOL_DECISION: 'codex.tool_decision',
  TOOL_RESULT: 'codex.tool_result',
  SANDBOX_OUTCOME: 'codex.sandbox_outcome',
} as const;

/** Codex attribute names. Counts follow OpenAI: input INCLUDES cached, output INCLUDES reasoning. */
export const CODEX_ATTRIBUTES = {
  INPUT_TOKEN_COUNT: 'input_token_count',
  OUTPUT_TOKEN_COUNT: 'output_token_count',
  CACHED_TOKEN_COUNT: 'cached_token_count',
  REASONING_TOKEN_COUNT: 'reasoning_token_count',
  /** misnamed: Codex passes `total_tokens` here; never added to input */
  TOOL_TOKEN_COUNT: 'tool_token_count',
  /** span attribute on Codex's responses span */
  USAGE_REASONING_OUTPUT_TOKENS: 'codex.usage.reasoning_output_tokens',
  USAGE_TOTAL_TOKENS: 'codex.usage.total_tokens',
  CONVERSATION_ID: 'conversation.id',
  MODEL: 'model',
  EVENT_KIND: 'event.kind',
  CALL_ID: 'call_id',
  /** content on `codex.user_prompt` ("[REDACTED]" unless log_user_prompt) */
  PROMPT: 'prompt',
  /** content on `codex.tool_result` */
  ARGUMENTS: 'arguments',
  /** content on `codex.tool_result` */
  OUTPUT: 'output',
  /** on every event when signed in with ChatGPT (absent with an API key) */
  USER_EMAIL: 'user.email',
  USER_ACCOUNT_ID: 'user.account_id',
  /** on `codex.api_request`: from the request to the response's headers */
  DURATION_MS: 'duration_ms',
} as const;

export const CODEX_METRICS = {
  TOOL_CALL: 'codex.tool.call',
  TOOL_CALL_DURATION_MS: 'codex.tool.call.duration_ms',
  API_REQUEST: 'codex.api_request',
  API_REQUEST_DURATION_MS: 'codex.api_request.duration_ms',
  TURN_E2E_DURATION_MS: 'codex.turn.e2e_duration_ms',
  TURN_TTFT_DURATION_MS: 'codex.turn.ttft.duration_ms',
  TURN_TOKEN_USAGE: 'codex.turn.token_usage',
} as const;

/**
 * Gemini CLI log events (`docs/cli/telemetry.md`), in the `event.name` attribute; resource and scope are
 * both `gemini-cli` (seen with Gemini CLI 0.61.0). Its trace spans are named by `gen_ai.operation.name`
 * (`llm_call`, `tool_call`, `schedule_tool_calls`); `llm_call` carries `gen_ai.usage.input_tokens` and
 * `output_tokens` only with `telemetry.traces` on, and never the cached or thought counts.
 */
export const GEMINI_CLI_EVENTS = {
  CONFIG: 'gemini_cli.config',
  USER_PROMPT: 'gemini_cli.user_prompt',
  TOOL_CALL: 'gemini_cli.tool_call',
  API_REQUEST: 'gemini_cli.api_request',
  /** carries the token counts below; sent after a streamed call ends, outside its `llm_call` span */
  API_RESPONSE: 'gemini_cli.api_response',
  API_ERROR: 'gemini_cli.api_error',
  FILE_OPERATION: 'gemini_cli.file_operation',
  /** one run of a configured hook (event, name, duration, exit code) */
  HOOK_CALL: 'gemini_cli.hook_call',
} as const;

/**
 * Gemini CLI attribute names, copied from the Gemini API `usageMetadata`: `input_token_count`
 * (promptTokenCount) INCLUDES `cached_content_token_count`; `output_token_count` (candidatesTokenCount)
 * EXCLUDES `thoughts_token_count`; `tool_token_count` (toolUsePromptTokenCount) is extra input;
 * total = input + output + thoughts + tool.
 */
export const GEMINI_CLI_ATTRIBUTES = {
  INPUT_TOKEN_COUNT: 'input_token_count',
  OUTPUT_TOKEN_COUNT: 'output_token_count',
  CACHED_CONTENT_TOKEN_COUNT: 'cached_content_token_count',
  THOUGHTS_TOKEN_COUNT: 'thoughts_token_count',
  TOOL_TOKEN_COUNT: 'tool_token_count',
  TOTAL_TOKEN_COUNT: 'total_token_count',
  MODEL: 'model',
  /** content on `gemini_cli.user_prompt` */
  PROMPT: 'prompt',
  /** content on `gemini_cli.api_request` */
  REQUEST_TEXT: 'request_text',
  /** content on `gemini_cli.api_response` */
  RESPONSE_TEXT: 'response_text',
  /** content on `gemini_cli.tool_call` */
  FUNCTION_ARGS: 'function_args',
  /** the prompt a call belongs to: the session id in `-p` mode, `<session>########<n>` interactively */
  PROMPT_ID: 'prompt_id',
  /** who made the call: `main` for the agent loop, others for helper calls */
  ROLE: 'role',
  /** `gemini-api-key`, `vertex-ai`, `oauth-personal`, … */
  AUTH_TYPE: 'auth_type',
  DURATION_MS: 'duration_ms',
  FINISH_REASONS: 'finish_reasons',
  /** on every event when signed in with Google */
  USER_EMAIL: 'user.email',
  /** on every event: this installation of Gemini CLI */
  INSTALLATION_ID: 'installation.id',
} as const;

export const GEMINI_CLI_METRICS = {
  SESSION_COUNT: 'gemini_cli.session.count',
  TOOL_CALL_COUNT: 'gemini_cli.tool.call.count',
  TOOL_CALL_LATENCY: 'gemini_cli.tool.call.latency',
  API_REQUEST_COUNT: 'gemini_cli.api.request.count',
  API_REQUEST_LATENCY: 'gemini_cli.api.request.latency',
  TOKEN_USAGE: 'gemini_cli.token.usage',
  LINES_CHANGED: 'gemini_cli.lines.changed',
} as const;
