/**
 * The structured form of a Claude Code session read from its transcript JSONL (SPECS §3): the main
 * conversation plus its sub-agents, each API call counted once. Times are milliseconds since the epoch
 * (transcripts carry ISO timestamps with millisecond precision); `null` means "not in the transcript".
 */

/** Token usage of one API call. Loopline's canonical input INCLUDES cache reads and writes. */
export interface CallUsage {
  /** `gen_ai.usage.input_tokens`: uncached input + cache read + cache write */
  inputTokens: number;
  /** Anthropic's raw `usage.input_tokens`: input neither read from nor written to the cache */
  uncachedInputTokens: number;
  /** `usage.output_tokens` (thinking included) */
  outputTokens: number;
  /** `usage.cache_read_input_tokens` */
  cacheReadTokens: number;
  /** `usage.cache_creation_input_tokens` (else the sum of the 5 min / 1 h split) */
  cacheWriteTokens: number;
  /** `usage.cache_creation.ephemeral_5m_input_tokens`; null when the split is absent or does not add up */
  cacheWrite5mTokens: number | null;
  /** `usage.cache_creation.ephemeral_1h_input_tokens`; null when the split is absent or does not add up */
  cacheWrite1hTokens: number | null;
  /** `usage.output_tokens_details.thinking_tokens` when reported (a subset of output) */
  reasoningTokens: number | null;
  /** `usage.service_tier` */
  serviceTier: string | null;
  /** `usage.speed` (`standard` / `fast`) */
  speed: string | null;
}

/** A content block of an assistant message, as written by Claude Code (Anthropic Messages shapes). */
export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: string; [key: string]: unknown };

/** One model API call, rebuilt from the one-record-per-content-block entries sharing `message.id` + `requestId`. */
export interface LlmCall {
  /** position in its agent's record order (orders prompts, calls and compactions into turns) */
  order: number;
  /** dedup key: `message.id:requestId` (or `message.id`, or `uuid:<record uuid>` when there is no id) */
  key: string;
  messageId: string | null;
  requestId: string | null;
  model: string | null;
  stopReason: string | null;
  usage: CallUsage | null;
  /** content blocks of all the message's records, in order, duplicates dropped */
  content: ContentBlock[];
  /** ids of the tool_use blocks in `content`, in order */
  toolUseIds: string[];
  /** uuid of the first record of the message */
  uuid: string | null;
  /** all record uuids that carried this message (any file) */
  recordUuids: string[];
  /** how many transcript records carried this message (content blocks, repeats, sidechain copies) */
  records: number;
  /** when the request went out: the timestamp of the user record (prompt or tool result) it answers */
  requestStartMs: number | null;
  /** timestamp of the first record of the message */
  firstRecordMs: number | null;
  /** timestamp of the last record of the message */
  lastRecordMs: number | null;
  /** first record − request start, ms (an upper bound of time to first token: records are per finished block) */
  ttftMs: number | null;
  /** true when every record of the message was a sidechain record */
  isSidechain: boolean;
}

/** A user prompt that starts a turn (not a tool result, meta message, command output or compact summary). */
export interface UserPrompt {
  /** position in its agent's record order (orders prompts, calls and compactions into turns) */
  order: number;
  uuid: string;
  /** `promptId` of the record when Claude Code wrote one (= hook `prompt_id`, OTel `prompt.id`) */
  promptId: string | null;
  timestampMs: number | null;
  /** the prompt text (content; only put on spans with `captureContent`) */
  text: string;
  gitBranch: string | null;
  cwd: string | null;
  permissionMode: string | null;
}

export interface ToolResult {
  uuid: string | null;
  timestampMs: number | null;
  isError: boolean;
  /** the tool_result `content` (content) */
  content: unknown;
  /** the envelope's `toolUseResult` (structured tool output; content) */
  toolUseResult: unknown;
}

export interface ToolUse {
  /** `toolu_…` */
  id: string;
  name: string;
  /** tool input (content) */
  input: unknown;
  /** key of the LLM call whose message asked for it */
  callKey: string;
  /** timestamp of the record that carried the tool_use block */
  timestampMs: number | null;
  result: ToolResult | null;
}

export interface Compaction {
  /** position in its agent's record order (orders prompts, calls and compactions into turns) */
  order: number;
  uuid: string;
  timestampMs: number | null;
  /** `compactMetadata.trigger`: `auto` or `manual` */
  trigger: string | null;
  /** `compactMetadata.preTokens` */
  preTokens: number | null;
  /** text of the following `isCompactSummary` user record (content) */
  summary: string | null;
}

export interface TranscriptSummary {
  summary: string;
  leafUuid: string | null;
}

/** A synthetic `isApiErrorMessage` entry: Claude Code's record of a failed API call (no usage). */
export interface ApiErrorRecord {
  /** position in its agent's record order (orders prompts, calls and compactions into turns) */
  order: number;
  uuid: string | null;
  timestampMs: number | null;
  /** the entry's `error` field when present (`rate_limit`, `overloaded`, …) */
  error: string | null;
  /** the message text, e.g. `API Error: 529 …` (content) */
  text: string;
}

/** One agent's conversation: the main thread, or one sub-agent. */
export interface AgentTranscript {
  /** null for the main thread */
  agentId: string | null;
  isSidechain: boolean;
  /** `main`; `file` = read from `subagents/agent-<id>.jsonl`; `inline` = only found as sidechain records */
  source: 'main' | 'file' | 'inline';
  /** the path given for the file, if any */
  path: string | null;
  /** `subagent_type` of the Task / Agent tool call that launched it */
  agentType: string | null;
  /** the Task / Agent tool_use that launched it (in any agent), when it could be matched */
  parentToolUseId: string | null;
  prompts: UserPrompt[];
  calls: LlmCall[];
  toolUses: ToolUse[];
  compactions: Compaction[];
  apiErrors: ApiErrorRecord[];
  firstTimestampMs: number | null;
  lastTimestampMs: number | null;
  /** distinct records assigned to this agent */
  records: number;
}

export interface TranscriptStats {
  /** transcript texts read (main + sub-agent files) */
  files: number;
  /** non-empty lines */
  lines: number;
  /** lines that were not a JSON object (counted, skipped) */
  badLines: number;
  /** the first few bad lines as `<file>:<line>: <reason>` */
  problems: string[];
  /** JSON records read */
  records: number;
  /** records seen again (same uuid) in another file or later in the same file */
  duplicateRecords: number;
  /** records with `isSidechain: true` */
  sidechainRecords: number;
  /** assistant records (before merging) */
  assistantRecords: number;
  /** records of other types (file-history-snapshot, progress, …) */
  otherRecords: number;
  /** tool results whose tool_use was not found */
  unmatchedToolResults: number;
}

export interface TranscriptSession {
  sessionId: string | null;
  cwd: string | null;
  gitBranch: string | null;
  version: string | null;
  main: AgentTranscript;
  subagents: AgentTranscript[];
  summaries: TranscriptSummary[];
  stats: TranscriptStats;
}

/** A sub-agent transcript file (`<session>/subagents/agent-<agentId>.jsonl`). */
export interface SubagentTranscriptInput {
  text: string;
  /** the agent id; read from `path` (`agent-<id>.jsonl`) or the records' `agentId` when omitted */
  agentId?: string;
  path?: string;
}

export interface ParseTranscriptOptions {
  /** sub-agent transcript files of the same session */
  subagents?: readonly SubagentTranscriptInput[];
  /** the main file's path, for messages */
  path?: string;
}
