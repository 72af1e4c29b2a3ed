/**
 * Assistant profiles: one hook state machine (`handleHookEvent`, written for Claude Code) serves every
 * assistant whose hooks look like Claude Code's. A profile says what the assistant's spans are called
 * (dataset = `service.name`, `gen_ai.agent.name`, `gen_ai.provider.name`), how its hook events map onto
 * Claude Code's (SPECS §5), whether its transcript can be read for `chat` spans, and what
 * `loopline install <assistant>` registers.
 */
import { GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import type { SpanRecord } from '../span-record.ts';
import { codexPolicyOutput, normaliseCodexInput } from './codex-events.ts';
import { GEMINI_HOOK_EVENTS, geminiPolicyOutput, normaliseGeminiInput } from './gemini-events.ts';
import type { HookContext, HookOutcome } from './hook-context.ts';
import { handleHookEvent } from './hook-handler.ts';
import { type HookInput, LOOPLINE_HOOK_EVENTS, TOOL_MATCHED_EVENTS } from './hook-input.ts';
import { CLAUDE_CODE_AGENT_NAME } from './hook-names.ts';

export const ASSISTANT_IDS = ['claude-code', 'codex', 'gemini'] as const;
export type AssistantId = (typeof ASSISTANT_IDS)[number];

export interface AssistantProfile {
  /** the `loopline hook <id>` / `loopline install <id>` argument */
  id: AssistantId;
  /** for messages: `Claude Code`, `Codex CLI`, `Gemini CLI` */
  displayName: string;
  /** `service.name` of the hook's spans, and so the dataset they land in */
  serviceName: string;
  /** `gen_ai.agent.name` of the turn span (`invoke_agent <agentName>`) */
  agentName: string;
  /** `gen_ai.provider.name` of turn and sub-agent spans */
  providerName: string;
  /** the transcript is Claude Code JSONL, read at the end of a turn for `chat {model}` spans */
  readsTranscripts: boolean;
  /** the assistant's own event names that `loopline install` registers */
  hookEvents: readonly string[];
  /** of those, the events whose matcher is a tool name (registered with `"matcher": "*"`) */
  toolMatchedEvents: ReadonlySet<string>;
  /** the unit of the handler's `timeout` field in the assistant's settings */
  timeoutUnit: 'seconds' | 'milliseconds';
  /** a `name` for Loopline's handler, where the settings format has one */
  handlerName?: string;
  /** the input as Claude Code would have sent it; null: an event Loopline ignores */
  normalise(ctx: HookContext, input: HookInput): HookInput | null;
  /** a policy decision (Claude Code's PreToolUse JSON) in the assistant's own output format */
  policyOutput(output: string): string | null;
}

/**
 * The events real Codex CLI 0.169.0 has hooks for (its embedded hook schemas; SessionEnd's and
 * Interrupt's timeouts are capped at 3 s by Codex). SPECS §5's StopFailure does not exist in it.
 */
export const CODEX_HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PreCompact',
  'PostCompact',
  'Stop',
  'Interrupt',
  'SubagentStart',
  'SubagentStop',
  'SessionEnd',
] as const;

const same = (_ctx: HookContext, input: HookInput): HookInput => input;
const asIs = (output: string): string => output;

export const ASSISTANT_PROFILES: Readonly<Record<AssistantId, AssistantProfile>> = {
  'claude-code': {
    id: 'claude-code',
    displayName: 'Claude Code',
    serviceName: 'claude-code',
    agentName: CLAUDE_CODE_AGENT_NAME,
    providerName: 'anthropic',
    readsTranscripts: true,
    hookEvents: LOOPLINE_HOOK_EVENTS,
    toolMatchedEvents: TOOL_MATCHED_EVENTS,
    timeoutUnit: 'seconds',
    normalise: same,
    policyOutput: asIs,
  },
  codex: {
    id: 'codex',
    displayName: 'Codex CLI',
    serviceName: 'codex-cli',
    agentName: 'codex',
    providerName: 'openai',
    // transcript_path is Codex's rollout file, not Claude Code JSONL: no chat spans from the hook; model
    // calls come from Codex's native OTel (@loopline/model codex-log-spans.ts)
    readsTranscripts: false,
    hookEvents: CODEX_HOOK_EVENTS,
    toolMatchedEvents: new Set(['PreToolUse', 'PostToolUse', 'PermissionRequest']),
    timeoutUnit: 'seconds',
    normalise: normaliseCodexInput,
    // Claude Code's output format, deny only (Codex 0.169.0 ignores allow and ask as unsupported)
    policyOutput: codexPolicyOutput,
  },
  gemini: {
    id: 'gemini',
    displayName: 'Gemini CLI',
    serviceName: 'gemini-cli',
    agentName: 'gemini-cli',
    providerName: 'gcp.gemini',
    // transcript_path is Gemini's own session record, not Claude Code JSONL: no chat spans here; its
    // model calls come from its native telemetry (gemini_cli.api_response → chat spans, docs/stations/ide.md)
    readsTranscripts: false,
    hookEvents: GEMINI_HOOK_EVENTS,
    // Gemini's matcher is a regex and is optional: no matcher means every tool
    toolMatchedEvents: new Set(),
    timeoutUnit: 'milliseconds',
    handlerName: 'loopline',
    normalise: normaliseGeminiInput,
    policyOutput: geminiPolicyOutput,
  },
};

export function isAssistantId(value: string): value is AssistantId {
  return (ASSISTANT_IDS as readonly string[]).includes(value);
}

export function assistantProfile(id: string): AssistantProfile | undefined {
  return isAssistantId(id) ? ASSISTANT_PROFILES[id] : undefined;
}

const NOTHING: HookOutcome = { spans: [], output: null, drainSpool: false };

/**
 * One hook run for an assistant: its input mapped onto Claude Code's events, the shared state machine,
 * then the spans renamed to the assistant (turn span name, agent and provider). Claude Code's own runs go
 * straight to `handleHookEvent`.
 */
export function handleAssistantHookEvent(
  profile: AssistantProfile,
  ctx: HookContext,
  input: HookInput,
): HookOutcome {
  if (profile.id === 'claude-code') return handleHookEvent(ctx, input);
  const mapped = profile.normalise(ctx, input);
  if (mapped === null) return NOTHING;
  const run: HookContext = { ...ctx };
  if (!profile.readsTranscripts) delete run.transcripts;
  const outcome = handleHookEvent(run, mapped);
  return {
    spans: outcome.spans.map((span) => forAssistant(profile, span)),
    output: outcome.output === null ? null : profile.policyOutput(outcome.output),
    drainSpool: outcome.drainSpool,
  };
}

/** A span of the shared state machine as the assistant's: agent and provider names. */
export function forAssistant(profile: AssistantProfile, span: SpanRecord): SpanRecord {
  const attributes = { ...span.attributes };
  let name = span.name;
  if (attributes[GEN_AI_ATTRIBUTES.PROVIDER_NAME] === 'anthropic')
    attributes[GEN_AI_ATTRIBUTES.PROVIDER_NAME] = profile.providerName;
  if (attributes[GEN_AI_ATTRIBUTES.AGENT_NAME] === CLAUDE_CODE_AGENT_NAME && span.parentSpanId === null) {
    attributes[GEN_AI_ATTRIBUTES.AGENT_NAME] = profile.agentName;
    name = `invoke_agent ${profile.agentName}`;
  }
  return { ...span, name, attributes };
}
