/** What the hook keeps between its processes, one JSON document each (see hook-store.ts). */

import type { SpanAttributes } from '../span-record.ts';
import type { VcsBefore } from './vcs-attribution.ts';

/** Facts about the repository and the person, read from git once per session. */
export interface GitInfo {
  /** `vcs.repository.name`: the remote's last path segment, else the work tree's folder name */
  repositoryName?: string;
  /** `vcs.repository.url.full`: the `origin` remote without credentials */
  repositoryUrl?: string;
  /** `vcs.ref.head.name`; absent on a detached HEAD */
  branch?: string;
  /** `vcs.ref.head.revision` at session start */
  revision?: string;
  /** `user.id` and `user.email`: git's `user.email` */
  userEmail?: string;
}

/** `session.json`: written at SessionStart (or by the first hook of a session it did not see start). */
export interface SessionState {
  sessionId: string;
  cwd?: string;
  startedUs: number;
  source?: string;
  model?: string;
  git: GitInfo | null;
}

/** A finished turn, remembered so late transcript records can still be parented to it. */
export interface TurnRef {
  traceId: string;
  spanId: string;
  startUs: number;
  endUs: number;
}

/** `turn.json`: the current (or last) prompt turn. */
export interface TurnState {
  index: number;
  /** the prompt id when Claude Code sent one, else `#<index>` */
  key: string;
  traceId: string;
  spanId: string;
  startUs: number;
  endedUs?: number;
  promptId?: string;
  promptLength?: number;
  /** the prompt text, only with content capture on */
  prompt?: string;
  permissionMode?: string;
  source?: string;
  /** started by a tool hook because UserPromptSubmit was not seen */
  implicit?: boolean;
  /** Claude Code's own span of the turn (its `claude_code.interaction`), from the hook's TRACEPARENT */
  native?: { traceId: string; spanId: string };
  previous?: TurnRef;
  /** byte offset up to which the main transcript has been read */
  transcriptOffset?: number;
}

/** `tool-<tool_use_id>.json`: a tool call between PreToolUse and PostToolUse(Failure). */
export interface OpenTool {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  toolName: string;
  toolUseId: string;
  startUs: number;
  agentId?: string;
  mcpServer?: string;
  /** JSON of the tool input, only with content capture on */
  arguments?: string;
  /** `loopline.policy.*` attributes when a policy rule asked about or allowed the call */
  policy?: SpanAttributes;
  /** a shell command that may touch git / gh: its text and HEAD before it ran (vcs-attribution.ts) */
  vcsCommand?: string;
  vcsHead?: VcsBefore;
}

/** `agent-<agent_id>.json`: a sub-agent between SubagentStart and SubagentStop. */
export interface OpenAgent {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  agentId: string;
  agentType?: string;
  startUs: number;
}

/** `event-<time>-<unique>.json`: something to record as a span event on the turn that ends next. */
export interface PendingEvent {
  timeUs: number;
  name: string;
  attributes: SpanAttributes;
}

/** `instruction-<path>.json`: an instruction file (CLAUDE.md, rules) loaded in this session. */
export interface InstructionFile {
  path: string;
  memoryType?: string;
  loadReason?: string;
  timeUs: number;
}

/** Document names in the session folder. */
export const STATE_FILES = {
  SESSION: 'session.json',
  TURN: 'turn.json',
  TOOL_PREFIX: 'tool-',
  AGENT_PREFIX: 'agent-',
  EVENT_PREFIX: 'event-',
  INSTRUCTION_PREFIX: 'instruction-',
  /** finished spans waiting for the end of the turn */
  DONE_PREFIX: 'done-',
  /** a finished sub-agent's transcript, read again at the turn's end for records written after SubagentStop */
  SUBAGENT_TRANSCRIPT_PREFIX: 'subtranscript-',
} as const;
