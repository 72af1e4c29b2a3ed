import { GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import { subagentSpanId } from '../ids.ts';
import { adoptChatSpan, nativeTracesOn, transcriptChatSpans } from './hook-chat-spans.ts';
import type { HookContext } from './hook-context.ts';
import { type HookInput, text } from './hook-input.ts';
import { clip, HOOK_ATTRIBUTES } from './hook-names.ts';
import {
  type OpenAgent,
  type OpenTool,
  type SessionState,
  STATE_FILES,
  type TurnState,
} from './hook-records.ts';
import { sessionAttributes } from './hook-session.ts';
import { defined, keepDone, makeSpan } from './hook-spans.ts';
import { safeName } from './hook-store.ts';
import { agentFile } from './hook-tools.ts';

/** Tools that launch a sub-agent (`Agent`; `Task` before it was renamed). */
const AGENT_TOOLS = new Set(['Agent', 'Task']);

/**
 * The span a new sub-agent nests under: the `execute_tool Agent` call that launched it when exactly one
 * such call of the main thread is open (parallel launches cannot be told apart), else the turn.
 */
function launcherOf(ctx: HookContext, turn: TurnState): string {
  const launchers: OpenTool[] = [];
  for (const name of ctx.store.list(STATE_FILES.TOOL_PREFIX)) {
    const open = ctx.store.read<OpenTool>(name);
    if (open?.traceId === turn.traceId && open.agentId === undefined && AGENT_TOOLS.has(open.toolName)) {
      launchers.push(open);
    }
  }
  return launchers.length === 1 ? launchers[0]!.spanId : turn.spanId;
}

/** SubagentStart: the sub-agent's `invoke_agent {type}` span opens. */
export function subagentStart(ctx: HookContext, input: HookInput, turn: TurnState): void {
  const agentId = input.agentId ?? `unknown-${ctx.unique()}`;
  const open: OpenAgent = {
    traceId: turn.traceId,
    spanId: subagentSpanId(input.sessionId, agentId),
    parentSpanId: launcherOf(ctx, turn),
    agentId,
    startUs: ctx.nowUs,
  };
  if (input.agentType !== undefined) open.agentType = input.agentType;
  ctx.store.write(agentFile(agentId), open);
}

/** SubagentStop: the sub-agent span ends; its own transcript gives its `chat` spans. */
export function subagentStop(
  ctx: HookContext,
  input: HookInput,
  session: SessionState,
  turn: TurnState,
): void {
  const agentId = input.agentId ?? 'unknown';
  const name = agentFile(agentId);
  const open: OpenAgent = ctx.store.read<OpenAgent>(name) ?? {
    traceId: turn.traceId,
    spanId: subagentSpanId(input.sessionId, agentId),
    parentSpanId: turn.spanId,
    agentId,
    startUs: ctx.nowUs,
  };
  if (open.agentType === undefined && input.agentType !== undefined) open.agentType = input.agentType;
  const path = text(input.raw, 'agent_transcript_path');
  const transcript =
    path === undefined || nativeTracesOn(ctx) ? null : (ctx.transcripts?.readAll(path) ?? null);
  if (path !== undefined && transcript !== null) {
    const spans = transcriptChatSpans(transcript, { captureContent: ctx.captureContent, agentPath: path });
    for (const span of spans) keepDone(ctx, adoptChatSpan(span, session, open));
  }
  if (path !== undefined && !nativeTracesOn(ctx)) {
    // Claude Code can write the sub-agent's transcript (or its last response) after SubagentStop ran
    // (seen with 2.1.330): the turn's end reads it again (same span ids, so nothing is counted twice)
    ctx.store.write(`${STATE_FILES.SUBAGENT_TRANSCRIPT_PREFIX}${safeName(agentId)}.json`, { open, path });
  }
  const last = text(input.raw, 'last_assistant_message');
  finishAgent(ctx, session, open, 'completed', ctx.captureContent ? last : undefined);
  ctx.store.remove(name);
}

/** At the turn's end: the finished sub-agents' transcripts again, for records written after SubagentStop. */
export function rereadSubagentTranscripts(ctx: HookContext, session: SessionState): void {
  for (const name of ctx.store.list(STATE_FILES.SUBAGENT_TRANSCRIPT_PREFIX)) {
    const record = ctx.store.read<{ open: OpenAgent; path: string }>(name);
    ctx.store.remove(name);
    if (record === undefined || nativeTracesOn(ctx)) continue;
    const transcript = ctx.transcripts?.readAll(record.path) ?? null;
    if (transcript === null) continue;
    const options = { captureContent: ctx.captureContent, agentPath: record.path };
    for (const span of transcriptChatSpans(transcript, options)) {
      keepDone(ctx, adoptChatSpan(span, session, record.open));
    }
  }
}

/** Sub-agents still open when the turn ends; with `traceId`, only that trace's. */
export function closeOpenAgents(ctx: HookContext, session: SessionState, traceId?: string): void {
  for (const name of ctx.store.list(STATE_FILES.AGENT_PREFIX)) {
    const open = ctx.store.read<OpenAgent>(name);
    if (open !== undefined && traceId !== undefined && open.traceId !== traceId) continue;
    if (open !== undefined) finishAgent(ctx, session, open, 'incomplete', undefined);
    ctx.store.remove(name);
  }
}

function finishAgent(
  ctx: HookContext,
  session: SessionState,
  open: OpenAgent,
  outcome: 'completed' | 'incomplete',
  lastMessage: string | undefined,
): void {
  const agentName = open.agentType ?? 'subagent';
  keepDone(
    ctx,
    makeSpan({
      traceId: open.traceId,
      spanId: open.spanId,
      parentSpanId: open.parentSpanId,
      name: `invoke_agent ${agentName}`,
      kind: 'internal',
      startUs: open.startUs,
      endUs: ctx.nowUs,
      attributes: {
        ...sessionAttributes(session),
        ...defined({
          [GEN_AI_ATTRIBUTES.OPERATION_NAME]: 'invoke_agent',
          [GEN_AI_ATTRIBUTES.AGENT_NAME]: agentName,
          [GEN_AI_ATTRIBUTES.AGENT_ID]: open.agentId,
          [GEN_AI_ATTRIBUTES.PROVIDER_NAME]: 'anthropic',
          [HOOK_ATTRIBUTES.AGENT_OUTCOME]: outcome,
          [GEN_AI_ATTRIBUTES.OUTPUT_MESSAGES]:
            lastMessage === undefined ? undefined : outputMessages(lastMessage),
        }),
      },
    }),
  );
}

/** The GenAI output-messages JSON for one assistant text. */
export function outputMessages(textValue: string): string {
  return JSON.stringify([
    { role: 'assistant', parts: [{ type: 'text', content: clip(textValue) }], finish_reason: 'stop' },
  ]);
}
