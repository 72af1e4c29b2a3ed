/**
 * @loopline/claude-code: Claude Code's transcripts and hook events in Loopline's conventions. Pure:
 * no Node built-ins, so the `loopline hook claude-code` and `loopline import claude-code` commands can
 * both use it. Reading files is the caller's job.
 */
export type {
  AssistantId,
  AssistantProfile,
  GitInfo,
  HookContext,
  HookInput,
  HookOutcome,
  HookStore,
  InstallPlan,
  InstallRecord,
  InstallResult,
  LooplineHookEvent,
  SessionState,
  TranscriptSource,
  TurnState,
  UninstallResult,
  VcsHead,
  VcsReader,
} from './hooks/index.ts';
export {
  ASSISTANT_IDS,
  ASSISTANT_PROFILES,
  assistantProfile,
  CLAUDE_CODE_AGENT_NAME,
  CODEX_HOOK_EVENTS,
  GEMINI_HOOK_EVENTS,
  HOOK_ATTRIBUTES,
  HOOK_EVENT_NAMES,
  HookInputError,
  handleAssistantHookEvent,
  handleHookEvent,
  installHooks,
  isAssistantId,
  isLooplineHookCommand,
  LOOPLINE_HOOK_EVENTS,
  looplineHookCommandOf,
  MemoryHookStore,
  mergeInstallRecords,
  NATIVE_TRACES_ENV,
  nativeOtelEnv,
  nativeTracesToLoopline,
  parseHookInput,
  SettingsShapeError,
  STATE_FILES,
  safeName,
  TOOL_MATCHED_EVENTS,
  uninstallHooks,
  usToNano,
} from './hooks/index.ts';
export {
  chatSpanId,
  hash64,
  spanIdFrom,
  subagentSpanId,
  subagentTraceId,
  toolSpanId,
  traceIdFrom,
  turnKey,
  turnSpanId,
  turnTraceId,
} from './ids.ts';
export { callKey, usageOf } from './llm-calls.ts';
export type { OtlpAnyValue, OtlpExportTraceServiceRequest, OtlpKeyValue, OtlpSpan } from './otlp-json.ts';
export { CLAUDE_CODE_SERVICE_NAME, spansToOtlpJson, TRANSCRIPT_SCOPE } from './otlp-json.ts';
export { parseTranscript } from './parse-transcript.ts';
export type {
  PolicyAction,
  PolicyDecision,
  PolicyFile,
  PolicyFileRef,
  PolicyLevel,
  PolicyMatch,
  PolicyMatchSpec,
  PolicyOutcome,
  PolicyProblem,
  PolicyRule,
  ResolvedPolicy,
  ToolCall,
} from './policy/index.ts';
export {
  decisionOutput,
  evaluatePolicy,
  formatProblem,
  globMatch,
  globToRegExp,
  mcpParts,
  POLICY_ACTIONS,
  POLICY_ATTRIBUTES,
  POLICY_CACHE_FILE,
  POLICY_DENIED_ERROR_TYPE,
  POLICY_EVENT_NAMES,
  POLICY_LEVELS,
  parsePolicy,
  policyPath,
  resolvePolicy,
  ruleMatches,
  suggest,
  toolCallOf,
} from './policy/index.ts';
export type { SessionTotals } from './session-totals.ts';
export { sessionTotals } from './session-totals.ts';
export type {
  SpanAttributes,
  SpanAttributeValue,
  SpanEventRecord,
  SpanKind,
  SpanRecord,
  SpanStatus,
} from './span-record.ts';
export { msToUnixNano } from './span-record.ts';
export { SUBAGENT_TOOL_NAMES } from './subagent-links.ts';
export { subagentIdFromPath } from './transcript-entries.ts';
export type { TranscriptToSpansOptions } from './transcript-spans.ts';
export { TRANSCRIPT_ATTRIBUTES, transcriptResource, transcriptToSpans } from './transcript-spans.ts';
export type {
  AgentTranscript,
  ApiErrorRecord,
  CallUsage,
  Compaction,
  ContentBlock,
  LlmCall,
  ParseTranscriptOptions,
  SubagentTranscriptInput,
  ToolResult,
  ToolUse,
  TranscriptSession,
  TranscriptStats,
  TranscriptSummary,
  UserPrompt,
} from './transcript-types.ts';
