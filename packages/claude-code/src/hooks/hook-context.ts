import type { ResolvedPolicy } from '../policy/policy-types.ts';
import type { SpanRecord } from '../span-record.ts';
import type { GitInfo } from './hook-records.ts';
import type { HookStore } from './hook-store.ts';
import type { VcsReader } from './vcs-attribution.ts';

/** Reads Claude Code's transcripts, for the LLM calls hooks cannot see; null when unreadable. */
export interface TranscriptSource {
  /** the complete lines from byte `offset` on, and the offset just after the last of them */
  readFrom(path: string, offset: number): { text: string; offset: number } | null;
  /** a whole file (a sub-agent's transcript) */
  readAll(path: string): string | null;
  /** the file's size in bytes: where the records of a turn starting now will be written */
  size(path: string): number | null;
}

/** Everything a hook needs from the outside world; the CLI supplies files, clock and git. */
export interface HookContext {
  store: HookStore;
  /** now, integer microseconds since the epoch */
  nowUs: number;
  /** put prompts, responses and tool input/output on spans */
  captureContent: boolean;
  /** repository and person facts of a folder; called at most once per session */
  git(cwd: string | undefined): GitInfo | null;
  /** HEAD and new commits of a work tree, for commits a tool call made; absent: none attributed */
  vcs?: VcsReader;
  /** a short string unique to this process and call, for event file names */
  unique(): string;
  /** absent: no `chat {model}` spans */
  transcripts?: TranscriptSource;
  /** the policy rules in force for this hook's folder (PreToolUse only); absent: no policy file */
  policy?: ResolvedPolicy;
  /**
   * Claude Code exports its own beta traces to Loopline, so its `claude_code.llm_request` spans are the
   * model calls and the hook makes no transcript `chat` spans (each call counted once). Absent: decided
   * from the process environment by `nativeTracesToLoopline` (hooks inherit Claude Code's environment).
   */
  nativeTraces?: boolean;
}

/** What one hook run produced. */
export interface HookOutcome {
  /** finished spans to send now (or spool) */
  spans: SpanRecord[];
  /** stdout for Claude Code (a decision); null prints nothing */
  output: string | null;
  /** a good moment to resend a few spooled files */
  drainSpool: boolean;
}

/** Integer microseconds → OTLP's Unix nanoseconds as a decimal string. */
export function usToNano(us: number): string {
  const whole = Math.max(0, Math.round(us));
  return whole === 0 ? '0' : `${whole}000`;
}
