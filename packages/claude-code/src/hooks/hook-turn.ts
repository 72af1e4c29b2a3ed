import { COMMON_ATTRIBUTES, GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import { subagentSpanId, turnSpanId, turnTraceId } from '../ids.ts';
import { turnPolicyAttributes } from '../policy/policy-hook.ts';
import type { SpanRecord, SpanStatus } from '../span-record.ts';
import { closeOpenAgents, outputMessages, rereadSubagentTranscripts } from './hook-agents.ts';
import { adoptChatSpan, nativeTracesOn, spanStartUs, transcriptChatSpans } from './hook-chat-spans.ts';
import type { HookContext } from './hook-context.ts';
import { type HookInput, text } from './hook-input.ts';
import { CLAUDE_CODE_AGENT_NAME, clip, HOOK_ATTRIBUTES } from './hook-names.ts';
import { type InstructionFile, type SessionState, STATE_FILES, type TurnState } from './hook-records.ts';
import { sessionAttributes } from './hook-session.ts';
import { defined, keepDone, makeSpan, takePendingEvents } from './hook-spans.ts';
import { closeOpenTools } from './hook-tools.ts';
import { turnVcsAttributes } from './vcs-attribution.ts';

/** Why a turn ended, as `claude_code.turn.end_reason`. */
export type TurnEndReason = 'stop' | 'stop_failure' | 'interrupted' | 'session_end';

export interface TurnEnd {
  reason: TurnEndReason;
  /** StopFailure's error type */
  error?: string;
  /** the final assistant text (put on the span only with content capture on) */
  lastMessage?: string;
}

/** Records from the transcript may trail the hooks by this much. */
const TRANSCRIPT_SLACK_MS = 2000;

/**
 * The turn a hook belongs to: the current one, unless the input names another prompt (then
 * UserPromptSubmit was missed and a turn starts here). Hooks inside a sub-agent always use the current
 * turn. The trace id comes from the session id and the prompt id, so parallel hooks agree on it.
 */
export function turnFor(ctx: HookContext, input: HookInput, session: SessionState): TurnState {
  const turn = ctx.store.read<TurnState>(STATE_FILES.TURN);
  if (turn === undefined) return startTurn(ctx, input, session, true);
  const samePrompt =
    input.promptId === undefined || turn.promptId === undefined || turn.promptId === input.promptId;
  return samePrompt || input.agentId !== undefined ? turn : startTurn(ctx, input, session, true);
}

/** UserPromptSubmit (or a hook of a turn that was not seen starting): a new turn and trace. */
export function startTurn(
  ctx: HookContext,
  input: HookInput,
  session: SessionState,
  implicit: boolean,
): TurnState {
  const previous = ctx.store.read<TurnState>(STATE_FILES.TURN);
  if (previous !== undefined && previous.endedUs === undefined) {
    if (!implicit && input.promptId !== undefined && previous.promptId === input.promptId) return previous;
    closeTurn(ctx, session, previous, { reason: 'interrupted' });
  }
  const index = previous === undefined ? 0 : previous.index + 1;
  let key = input.promptId ?? `#${index}`;
  if (key === previous?.key) key = `${key}#${index}`;
  const turn: TurnState = {
    index,
    key,
    traceId: turnTraceId(input.sessionId, key),
    spanId: turnSpanId(input.sessionId, key),
    startUs: ctx.nowUs,
  };
  if (input.promptId !== undefined) turn.promptId = input.promptId;
  if (input.permissionMode !== undefined) turn.permissionMode = input.permissionMode;
  if (implicit) turn.implicit = true;
  // a sub-agent's hooks carry the context of its Agent call, not the turn's
  if (input.traceparent !== undefined && input.agentId === undefined) turn.native = input.traceparent;
  const prompt = input.event === 'UserPromptSubmit' ? text(input.raw, 'prompt') : undefined;
  if (prompt !== undefined) {
    turn.promptLength = prompt.length;
    if (ctx.captureContent) turn.prompt = clip(prompt);
  }
  const source = text(input.raw, 'source');
  if (input.event === 'UserPromptSubmit' && source !== undefined) turn.source = source;
  if (previous?.transcriptOffset === undefined && input.transcriptPath !== undefined) {
    const size = ctx.transcripts?.size(input.transcriptPath) ?? null;
    if (size !== null) turn.transcriptOffset = size;
  }
  if (previous !== undefined) {
    turn.previous = {
      traceId: previous.traceId,
      spanId: previous.spanId,
      startUs: previous.startUs,
      endUs: previous.endedUs ?? ctx.nowUs,
    };
    if (previous.transcriptOffset !== undefined) turn.transcriptOffset = previous.transcriptOffset;
  }
  ctx.store.write(STATE_FILES.TURN, turn);
  return turn;
}

/**
 * Stop / StopFailure / SessionEnd: the turn's `chat` spans from the transcript, then the turn span, and
 * every tool call or sub-agent still open ends. Nothing is sent here: the caller takes the finished spans.
 */
export function endTurn(ctx: HookContext, input: HookInput, session: SessionState, end: TurnEnd): void {
  const turn = ctx.store.read<TurnState>(STATE_FILES.TURN);
  if (turn === undefined) return;
  addChatSpans(ctx, input, session, turn);
  rereadSubagentTranscripts(ctx, session);
  // Stop runs under the turn's interaction span too (SessionEnd under none: Claude Code's own TRACEPARENT)
  if (turn.native === undefined && input.traceparent !== undefined && input.agentId === undefined) {
    if (input.event === 'Stop' || input.event === 'StopFailure') turn.native = input.traceparent;
  }
  if (turn.endedUs === undefined) closeTurn(ctx, session, turn, end);
  else ctx.store.write(STATE_FILES.TURN, turn);
}

/**
 * Reads the transcript from where the last turn stopped; late records of the previous turn go there.
 * None when Claude Code's own traces reach Loopline: its `llm_request` spans are the model calls then.
 */
function addChatSpans(ctx: HookContext, input: HookInput, session: SessionState, turn: TurnState): void {
  if (ctx.transcripts === undefined || input.transcriptPath === undefined || nativeTracesOn(ctx)) return;
  const read = ctx.transcripts.readFrom(input.transcriptPath, turn.transcriptOffset ?? 0);
  if (read === null) return;
  turn.transcriptOffset = read.offset;
  const slackUs = TRANSCRIPT_SLACK_MS * 1000;
  const spans = transcriptChatSpans(read.text, { captureContent: ctx.captureContent });
  // The transcript's own turn (trace id from the prompt record's promptId, as the hook's) decides first.
  // Claude Code may write a turn's last response after its Stop hook ran; read at the next Stop it comes
  // before that turn's prompt record (no prompt of its own in this stretch): it is the previous turn's.
  const hasOwnPrompt = spans.some((span) => span.traceId === turn.traceId);
  for (const span of spans) {
    const startUs = spanStartUs(span);
    const owner =
      span.traceId === turn.traceId
        ? turn
        : turn.previous !== undefined &&
            (span.traceId === turn.previous.traceId || (hasOwnPrompt && isPreamble(span, spans, turn)))
          ? turn.previous
          : startUs >= turn.startUs - slackUs
            ? turn
            : turn.previous !== undefined && startUs >= turn.previous.startUs - slackUs
              ? turn.previous
              : undefined;
    if (owner === undefined) continue;
    // a sub-agent's call (older transcripts keep them inline) goes under that sub-agent's span
    const agentId = span.attributes[GEN_AI_ATTRIBUTES.AGENT_ID];
    const parent =
      typeof agentId === 'string'
        ? { traceId: owner.traceId, spanId: subagentSpanId(session.sessionId, agentId) }
        : owner;
    keepDone(ctx, adoptChatSpan(span, session, parent));
  }
}

/** A call the stretch holds before the current turn's first call, under no prompt of its own. */
function isPreamble(span: SpanRecord, spans: SpanRecord[], turn: TurnState): boolean {
  const firstOwn = spans.findIndex((s) => s.traceId === turn.traceId);
  const at = spans.indexOf(span);
  return firstOwn >= 0 && at < firstOwn && !spans.some((s, i) => i < at && s.traceId !== span.traceId);
}

function instructionFiles(ctx: HookContext): string[] {
  const paths = new Set<string>();
  for (const name of ctx.store.list(STATE_FILES.INSTRUCTION_PREFIX)) {
    const file = ctx.store.read<InstructionFile>(name);
    if (file !== undefined) paths.add(file.path);
  }
  return [...paths].sort();
}

/** The `invoke_agent claude-code` span of a turn, with the session's pending events. */
export function closeTurn(ctx: HookContext, session: SessionState, turn: TurnState, end: TurnEnd): void {
  // An interrupted turn is closed by the next turn's first hook: parallel hooks of that next turn may
  // already have opened calls, so only this turn's calls end here. At a real end, every straggler ends.
  const only = end.reason === 'interrupted' ? turn.traceId : undefined;
  closeOpenTools(ctx, session, only);
  closeOpenAgents(ctx, session, only);
  const files = instructionFiles(ctx);
  const events = takePendingEvents(ctx);
  const status: SpanStatus =
    end.reason === 'stop_failure'
      ? { code: 'error', message: end.error ?? 'stop failure' }
      : { code: 'unset' };
  const attributes = {
    ...sessionAttributes(session),
    ...defined({
      [GEN_AI_ATTRIBUTES.OPERATION_NAME]: 'invoke_agent',
      [GEN_AI_ATTRIBUTES.AGENT_NAME]: CLAUDE_CODE_AGENT_NAME,
      [GEN_AI_ATTRIBUTES.PROVIDER_NAME]: 'anthropic',
      [GEN_AI_ATTRIBUTES.REQUEST_MODEL]: session.model,
      [HOOK_ATTRIBUTES.PROMPT_ID]: turn.promptId,
      [HOOK_ATTRIBUTES.TURN_INDEX]: turn.index,
      [HOOK_ATTRIBUTES.NATIVE_TRACE_ID]: turn.native?.traceId,
      [HOOK_ATTRIBUTES.NATIVE_SPAN_ID]: turn.native?.spanId,
      [HOOK_ATTRIBUTES.TURN_END_REASON]: end.reason,
      [HOOK_ATTRIBUTES.PROMPT_LENGTH]: turn.promptLength,
      [HOOK_ATTRIBUTES.PROMPT_SOURCE]: turn.source,
      [HOOK_ATTRIBUTES.PERMISSION_MODE]: turn.permissionMode,
      [HOOK_ATTRIBUTES.INSTRUCTION_FILES]: files.length > 0 ? files : undefined,
      [COMMON_ATTRIBUTES.ERROR_TYPE]: end.reason === 'stop_failure' ? (end.error ?? '_OTHER') : undefined,
      [GEN_AI_ATTRIBUTES.INPUT_MESSAGES]:
        turn.prompt === undefined
          ? undefined
          : JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: turn.prompt }] }]),
      [GEN_AI_ATTRIBUTES.OUTPUT_MESSAGES]:
        ctx.captureContent && end.lastMessage !== undefined ? outputMessages(end.lastMessage) : undefined,
    }),
    ...turnPolicyAttributes(events),
    ...turnVcsAttributes(events),
  };
  keepDone(
    ctx,
    makeSpan({
      traceId: turn.traceId,
      spanId: turn.spanId,
      parentSpanId: null,
      name: `invoke_agent ${CLAUDE_CODE_AGENT_NAME}`,
      kind: 'internal',
      startUs: turn.startUs,
      endUs: ctx.nowUs,
      attributes,
      events,
      status,
    }),
  );
  turn.endedUs = ctx.nowUs;
  ctx.store.write(STATE_FILES.TURN, turn);
}
