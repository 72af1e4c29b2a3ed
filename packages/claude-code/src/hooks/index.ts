/**
 * The Claude Code hook's logic (pure): what each hook event does to the session's state and which spans
 * it finishes, and the settings.json merge of `loopline install claude-code`. The CLI supplies the files,
 * the clock, git and the transport.
 */

export { normaliseCodexInput } from './codex-events.ts';
export {
  GEMINI_HOOK_EVENTS,
  geminiPolicyOutput,
  geminiToolError,
  normaliseGeminiInput,
} from './gemini-events.ts';
export { NATIVE_TRACES_ENV, nativeTracesToLoopline } from './hook-chat-spans.ts';
export type { HookContext, HookOutcome, TranscriptSource } from './hook-context.ts';
export { usToNano } from './hook-context.ts';
export { handleHookEvent } from './hook-handler.ts';
export type { HookInput, LooplineHookEvent } from './hook-input.ts';
export { HookInputError, LOOPLINE_HOOK_EVENTS, parseHookInput, TOOL_MATCHED_EVENTS } from './hook-input.ts';
export { CLAUDE_CODE_AGENT_NAME, HOOK_ATTRIBUTES, HOOK_EVENT_NAMES } from './hook-names.ts';
export type { GitInfo, SessionState, TurnState } from './hook-records.ts';
export { STATE_FILES } from './hook-records.ts';
export type { HookStore } from './hook-store.ts';
export { MemoryHookStore, safeName } from './hook-store.ts';
export type { AssistantId, AssistantProfile } from './profiles.ts';
export {
  ASSISTANT_IDS,
  ASSISTANT_PROFILES,
  assistantProfile,
  CODEX_HOOK_EVENTS,
  forAssistant,
  handleAssistantHookEvent,
  isAssistantId,
} from './profiles.ts';
export type { InstallPlan, InstallRecord, InstallResult, UninstallResult } from './settings-merge.ts';
export {
  installHooks,
  isLooplineHookCommand,
  looplineHookCommandOf,
  mergeInstallRecords,
  nativeOtelEnv,
  SettingsShapeError,
  uninstallHooks,
} from './settings-merge.ts';
export type { VcsHead, VcsReader } from './vcs-attribution.ts';
export { changeUrls, mayTouchVcs, pushedRef, shellCommand, VCS_EVENT } from './vcs-attribution.ts';
