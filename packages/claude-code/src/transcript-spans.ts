import {
  CLAUDE_CODE_ATTRIBUTES,
  CLAUDE_CODE_EVENTS,
  COMMON_ATTRIBUTES,
  GEN_AI_ATTRIBUTES,
  GEN_AI_OPERATIONS,
  GEN_AI_PROVIDERS,
  LOOPLINE_ATTRIBUTES,
  VCS_ATTRIBUTES,
} from '@loopline/conventions';
import { rollUpVcs, transcriptToolVcs, VCS_EVENT } from './hooks/vcs-attribution.ts';
import {
  chatSpanId,
  subagentSpanId,
  subagentTraceId,
  toolSpanId,
  turnKey,
  turnSpanId,
  turnTraceId,
} from './ids.ts';
import { contentText, isRecord } from './json-values.ts';
import { CLAUDE_CODE_SERVICE_NAME } from './otlp-json.ts';
import { msToUnixNano, type SpanAttributes, type SpanEventRecord, type SpanRecord } from './span-record.ts';
import type {
  AgentTranscript,
  ApiErrorRecord,
  Compaction,
  LlmCall,
  ToolUse,
  TranscriptSession,
  UserPrompt,
} from './transcript-types.ts';

export interface TranscriptToSpansOptions {
  /** put prompts, responses, tool arguments and results on the spans (off by default) */
  captureContent?: boolean;
  /** `gen_ai.agent.name` of the main agent; default `claude-code` */
  agentName?: string;
}

/** Names of the attributes this module adds beyond the GenAI conventions. */
export const TRANSCRIPT_ATTRIBUTES = {
  /** `compactMetadata.trigger` on a compaction event */
  COMPACTION_TRIGGER: 'claude_code.compaction.trigger',
  /** `compactMetadata.preTokens` on a compaction event */
  COMPACTION_PRE_TOKENS: 'claude_code.compaction.pre_tokens',
  /** the uuid of the prompt record that started a turn (Claude Code's `message.uuid`) */
  MESSAGE_UUID: 'message.uuid',
  /** how many transcript records carried one API response */
  TRANSCRIPT_RECORDS: 'claude_code.transcript.records',
} as const;

const GA = GEN_AI_ATTRIBUTES;
const TOOL_ERROR = 'tool_error';
const API_ERROR = 'api_error';

interface Parent {
  traceId: string;
  spanId: string;
}

interface Context {
  sessionId: string;
  conversationId: string | null;
  capture: boolean;
  spans: SpanRecord[];
  /** tool_use id → the trace and span of its execute_tool span */
  toolSpans: Map<string, Parent>;
  /** tool calls whose output showed commits or PRs, for their turn's roll-up */
  vcsCalls: { traceId: string; toolUseId: string; endMs: number; attributes: SpanAttributes }[];
}

/**
 * A session → span records in Loopline's conventions. One trace per prompt turn: an `invoke_agent
 * claude-code` root, `chat {model}` children with usage (input inclusive of the cache), `execute_tool
 * {tool}` children, and each sub-agent's `invoke_agent` span under the Task / Agent tool call that
 * launched it. Compactions are `claude_code.compaction` events on the turn (or sub-agent) span. Ids are
 * derived from the session id and transcript keys, so repeated runs give identical spans.
 */
export function transcriptToSpans(
  session: TranscriptSession,
  options: TranscriptToSpansOptions = {},
): SpanRecord[] {
  const ctx: Context = {
    sessionId:
      session.sessionId ?? session.main.prompts[0]?.uuid ?? session.main.calls[0]?.key ?? 'unknown-session',
    conversationId: session.sessionId,
    capture: options.captureContent === true,
    spans: [],
    toolSpans: new Map(),
    vcsCalls: [],
  };
  const agentName = options.agentName ?? CLAUDE_CODE_SERVICE_NAME;
  const mainTools = new Map(session.main.toolUses.map((t) => [t.id, t]));
  for (const turn of splitTurns(session.main)) emitTurn(ctx, turn, mainTools, agentName);

  // Sub-agents after their launchers (a launcher may itself sit in a sub-agent).
  let pending = [...session.subagents];
  while (pending.length > 0) {
    const next = pending.filter((a) => a.parentToolUseId !== null && !ctx.toolSpans.has(a.parentToolUseId));
    const ready = pending.filter((a) => !next.includes(a));
    if (ready.length === 0) {
      for (const agent of next) emitSubagent(ctx, agent, null);
      break;
    }
    for (const agent of ready) {
      const parent =
        agent.parentToolUseId === null ? null : (ctx.toolSpans.get(agent.parentToolUseId) ?? null);
      emitSubagent(ctx, agent, parent);
    }
    pending = next;
  }
  extendRoots(ctx.spans);
  rollUpVcsOnRoots(ctx);
  return ctx.spans;
}

/** Each trace's root (the turn) carries its tool calls' commits and PRs, as the hook puts them. */
function rollUpVcsOnRoots(ctx: Context): void {
  if (ctx.vcsCalls.length === 0) return;
  const calls = [...ctx.vcsCalls].sort((a, b) => a.endMs - b.endMs);
  for (const root of ctx.spans) {
    if (root.parentSpanId !== null) continue;
    const mine = calls.filter((c) => c.traceId === root.traceId);
    if (mine.length === 0) continue;
    Object.assign(root.attributes, rollUpVcs(mine.map((c) => c.attributes)));
    for (const call of mine) {
      root.events.push({
        name: VCS_EVENT,
        timeUnixNano: msToUnixNano(call.endMs),
        attributes: { [GA.TOOL_CALL_ID]: call.toolUseId, ...call.attributes },
      });
    }
  }
}

/** A root span ends no earlier than anything in its trace (a sub-agent may outlive an interrupted tool). */
function extendRoots(spans: SpanRecord[]): void {
  const ends = new Map<string, number>();
  for (const s of spans) {
    const end = nanoToMs(s.endTimeUnixNano);
    if (end > (ends.get(s.traceId) ?? 0)) ends.set(s.traceId, end);
  }
  for (const s of spans) {
    const end = ends.get(s.traceId) ?? 0;
    if (s.parentSpanId === null && end > nanoToMs(s.endTimeUnixNano)) s.endTimeUnixNano = msToUnixNano(end);
  }
}

/** The main thread's items grouped by the prompt that precedes them. */
interface Turn {
  prompt: UserPrompt | null;
  key: string;
  calls: LlmCall[];
  compactions: Compaction[];
  apiErrors: ApiErrorRecord[];
}

function splitTurns(agent: AgentTranscript): Turn[] {
  // A prompt whose key repeats (the same promptId written twice) continues the turn it names.
  const turns: Turn[] = [];
  const keys = new Set<string>();
  for (const prompt of agent.prompts) {
    const key = turnKey(prompt);
    if (keys.has(key)) continue;
    keys.add(key);
    turns.push({ prompt, key, calls: [], compactions: [], apiErrors: [] });
  }
  let preamble: Turn | null = null;
  const turnAt = (order: number, fallbackKey: string): Turn => {
    // the last prompt before `order` (prompts are in record order)
    let lo = 0;
    let hi = turns.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (turns[mid]!.prompt!.order < order) lo = mid + 1;
      else hi = mid;
    }
    const found = turns[lo - 1];
    if (found !== undefined) return found;
    preamble ??= { prompt: null, key: `preamble:${fallbackKey}`, calls: [], compactions: [], apiErrors: [] };
    return preamble;
  };
  for (const call of agent.calls) turnAt(call.order, call.uuid ?? call.key).calls.push(call);
  for (const c of agent.compactions) turnAt(c.order, c.uuid).compactions.push(c);
  for (const e of agent.apiErrors) turnAt(e.order, e.uuid ?? `api-error-${e.order}`).apiErrors.push(e);
  const out: Turn[] = preamble === null ? [] : [preamble];
  return [...out, ...turns];
}

function emitTurn(ctx: Context, turn: Turn, toolUses: Map<string, ToolUse>, agentName: string): void {
  const traceId = turnTraceId(ctx.sessionId, turn.key);
  const spanId = turnSpanId(ctx.sessionId, turn.key);
  const parent = { traceId, spanId };
  const first = ctx.spans.length;
  for (const call of turn.calls) {
    emitChat(ctx, call, parent, null);
    for (const id of call.toolUseIds) {
      const use = toolUses.get(id);
      if (use !== undefined && use.callKey === call.key) emitTool(ctx, use, parent, null);
    }
  }
  const start = turn.prompt?.timestampMs ?? earliest(ctx.spans.slice(first)) ?? 0;
  const end = Math.max(start, latest(ctx.spans.slice(first)) ?? start);
  const attributes: SpanAttributes = agentAttributes(ctx, agentName);
  if (turn.prompt !== null) {
    if (turn.prompt.promptId !== null) attributes[CLAUDE_CODE_ATTRIBUTES.PROMPT_ID] = turn.prompt.promptId;
    attributes[TRANSCRIPT_ATTRIBUTES.MESSAGE_UUID] = turn.prompt.uuid;
    if (turn.prompt.gitBranch !== null) attributes[VCS_ATTRIBUTES.REF_HEAD_NAME] = turn.prompt.gitBranch;
    if (ctx.capture) attributes[GA.INPUT_MESSAGES] = userMessages(turn.prompt.text);
  }
  const status = turnStatus(turn, attributes);
  ctx.spans.splice(first, 0, {
    traceId,
    spanId,
    parentSpanId: null,
    name: `${GEN_AI_OPERATIONS.INVOKE_AGENT} ${agentName}`,
    kind: 'internal',
    startTimeUnixNano: msToUnixNano(start),
    endTimeUnixNano: msToUnixNano(end),
    status,
    attributes,
    events: [...compactionEvents(turn.compactions), ...apiErrorEvents(ctx, turn.apiErrors)],
  });
}

/** A turn whose last word was a synthetic API-error entry failed. */
function turnStatus(turn: Turn, attributes: SpanAttributes): SpanRecord['status'] {
  const lastError = turn.apiErrors[turn.apiErrors.length - 1];
  const lastCall = turn.calls[turn.calls.length - 1];
  if (lastError === undefined || (lastCall !== undefined && lastCall.order > lastError.order)) {
    return { code: 'unset' };
  }
  attributes[COMMON_ATTRIBUTES.ERROR_TYPE] = lastError.error ?? API_ERROR;
  return { code: 'error' };
}

function emitSubagent(ctx: Context, agent: AgentTranscript, launcher: Parent | null): void {
  const agentId = agent.agentId ?? 'unknown-agent';
  const traceId = launcher?.traceId ?? subagentTraceId(ctx.sessionId, agentId);
  const spanId = subagentSpanId(ctx.sessionId, agentId);
  const self = { traceId, spanId };
  const first = ctx.spans.length;
  const toolUses = new Map(agent.toolUses.map((t) => [t.id, t]));
  for (const call of agent.calls) {
    emitChat(ctx, call, self, agentId);
    for (const id of call.toolUseIds) {
      const use = toolUses.get(id);
      if (use !== undefined && use.callKey === call.key) emitTool(ctx, use, self, agentId);
    }
  }
  const start = agent.firstTimestampMs ?? earliest(ctx.spans.slice(first)) ?? 0;
  const end = Math.max(start, agent.lastTimestampMs ?? start, latest(ctx.spans.slice(first)) ?? start);
  const name = agent.agentType ?? 'subagent';
  const attributes = agentAttributes(ctx, name);
  attributes[GA.AGENT_ID] = agentId;
  const prompt = agent.prompts[0];
  if (ctx.capture && prompt !== undefined) attributes[GA.INPUT_MESSAGES] = userMessages(prompt.text);
  ctx.spans.splice(first, 0, {
    traceId,
    spanId,
    parentSpanId: launcher?.spanId ?? null,
    name: `${GEN_AI_OPERATIONS.INVOKE_AGENT} ${name}`,
    kind: 'internal',
    startTimeUnixNano: msToUnixNano(start),
    endTimeUnixNano: msToUnixNano(end),
    status: { code: 'unset' },
    attributes,
    events: [...compactionEvents(agent.compactions), ...apiErrorEvents(ctx, agent.apiErrors)],
  });
}

function agentAttributes(ctx: Context, agentName: string): SpanAttributes {
  const attributes: SpanAttributes = {
    [GA.OPERATION_NAME]: GEN_AI_OPERATIONS.INVOKE_AGENT,
    [GA.PROVIDER_NAME]: GEN_AI_PROVIDERS.ANTHROPIC,
    [GA.AGENT_NAME]: agentName,
  };
  if (ctx.conversationId !== null) attributes[GA.CONVERSATION_ID] = ctx.conversationId;
  return attributes;
}

function emitChat(ctx: Context, call: LlmCall, parent: Parent, agentId: string | null): void {
  const model = call.model ?? 'unknown';
  const attributes: SpanAttributes = {
    [GA.OPERATION_NAME]: GEN_AI_OPERATIONS.CHAT,
    [GA.PROVIDER_NAME]: GEN_AI_PROVIDERS.ANTHROPIC,
  };
  if (call.model !== null) {
    attributes[GA.REQUEST_MODEL] = call.model;
    attributes[GA.RESPONSE_MODEL] = call.model;
  }
  if (call.messageId !== null) attributes[GA.RESPONSE_ID] = call.messageId;
  if (call.requestId !== null) attributes[CLAUDE_CODE_ATTRIBUTES.REQUEST_ID] = call.requestId;
  if (ctx.conversationId !== null) attributes[GA.CONVERSATION_ID] = ctx.conversationId;
  if (agentId !== null) attributes[GA.AGENT_ID] = agentId;
  if (call.stopReason !== null) attributes[GA.RESPONSE_FINISH_REASONS] = [call.stopReason];
  const u = call.usage;
  if (u !== null) {
    attributes[GA.USAGE_INPUT_TOKENS] = u.inputTokens;
    attributes[GA.USAGE_OUTPUT_TOKENS] = u.outputTokens;
    attributes[GA.USAGE_CACHE_READ_INPUT_TOKENS] = u.cacheReadTokens;
    attributes[GA.USAGE_CACHE_CREATION_INPUT_TOKENS] = u.cacheWriteTokens;
    if (u.cacheWrite5mTokens !== null && u.cacheWrite1hTokens !== null) {
      attributes[LOOPLINE_ATTRIBUTES.USAGE_CACHE_WRITE_5M_INPUT_TOKENS] = u.cacheWrite5mTokens;
      attributes[LOOPLINE_ATTRIBUTES.USAGE_CACHE_WRITE_1H_INPUT_TOKENS] = u.cacheWrite1hTokens;
    }
    if (u.reasoningTokens !== null) attributes[GA.USAGE_REASONING_OUTPUT_TOKENS] = u.reasoningTokens;
  }
  if (call.ttftMs !== null) attributes[GA.RESPONSE_TIME_TO_FIRST_CHUNK] = call.ttftMs / 1000;
  attributes[TRANSCRIPT_ATTRIBUTES.TRANSCRIPT_RECORDS] = call.records;
  if (ctx.capture) attributes[GA.OUTPUT_MESSAGES] = assistantMessages(call);
  const start = call.requestStartMs ?? call.firstRecordMs ?? 0;
  const end = Math.max(start, call.lastRecordMs ?? start);
  ctx.spans.push({
    traceId: parent.traceId,
    spanId: chatSpanId(ctx.sessionId, call.messageId ?? call.key, call.requestId),
    parentSpanId: parent.spanId,
    name: `${GEN_AI_OPERATIONS.CHAT} ${model}`,
    kind: 'client',
    startTimeUnixNano: msToUnixNano(start),
    endTimeUnixNano: msToUnixNano(end),
    status: { code: 'unset' },
    attributes,
    events: [],
  });
}

function emitTool(ctx: Context, use: ToolUse, parent: Parent, agentId: string | null): void {
  const spanId = toolSpanId(ctx.sessionId, use.id);
  ctx.toolSpans.set(use.id, { traceId: parent.traceId, spanId });
  const attributes: SpanAttributes = {
    [GA.OPERATION_NAME]: GEN_AI_OPERATIONS.EXECUTE_TOOL,
    [GA.TOOL_NAME]: use.name,
    [GA.TOOL_CALL_ID]: use.id,
    [GA.TOOL_TYPE]: 'function',
  };
  if (ctx.conversationId !== null) attributes[GA.CONVERSATION_ID] = ctx.conversationId;
  if (agentId !== null) attributes[GA.AGENT_ID] = agentId;
  const result = use.result;
  let status: SpanRecord['status'] = { code: 'unset' };
  if (result?.isError === true) {
    attributes[COMMON_ATTRIBUTES.ERROR_TYPE] = TOOL_ERROR;
    status = ctx.capture
      ? { code: 'error', message: truncate(resultText(result.content), 1000) }
      : { code: 'error' };
  }
  if (ctx.capture) {
    attributes[GA.TOOL_CALL_ARGUMENTS] = JSON.stringify(use.input ?? null);
    if (result !== null) attributes[GA.TOOL_CALL_RESULT] = resultText(result.content);
  }
  const start = use.timestampMs ?? 0;
  const end = Math.max(start, result?.timestampMs ?? start);
  if (result !== null) {
    // commits and PRs from the command's output, even a failed one's (no HEAD to read after the fact)
    const vcs = transcriptToolVcs(use.name, use.input, resultText(result.content), result.toolUseResult);
    if (Object.keys(vcs).length > 0) {
      Object.assign(attributes, vcs);
      ctx.vcsCalls.push({ traceId: parent.traceId, toolUseId: use.id, endMs: end, attributes: vcs });
    }
  }
  ctx.spans.push({
    traceId: parent.traceId,
    spanId,
    parentSpanId: parent.spanId,
    name: `${GEN_AI_OPERATIONS.EXECUTE_TOOL} ${use.name}`,
    kind: 'internal',
    startTimeUnixNano: msToUnixNano(start),
    endTimeUnixNano: msToUnixNano(end),
    status,
    attributes,
    events: [],
  });
}

function compactionEvents(compactions: readonly Compaction[]): SpanEventRecord[] {
  return compactions.map((c) => {
    const attributes: SpanAttributes = {};
    if (c.trigger !== null) attributes[TRANSCRIPT_ATTRIBUTES.COMPACTION_TRIGGER] = c.trigger;
    if (c.preTokens !== null) attributes[TRANSCRIPT_ATTRIBUTES.COMPACTION_PRE_TOKENS] = c.preTokens;
    return {
      name: CLAUDE_CODE_EVENTS.COMPACTION,
      timeUnixNano: msToUnixNano(c.timestampMs ?? 0),
      attributes,
    };
  });
}

function apiErrorEvents(ctx: Context, errors: readonly ApiErrorRecord[]): SpanEventRecord[] {
  return errors.map((e) => {
    const attributes: SpanAttributes = { [COMMON_ATTRIBUTES.ERROR_TYPE]: e.error ?? API_ERROR };
    if (ctx.capture && e.text !== '') attributes['error.message'] = e.text;
    return { name: CLAUDE_CODE_EVENTS.API_ERROR, timeUnixNano: msToUnixNano(e.timestampMs ?? 0), attributes };
  });
}

/** `gen_ai.input.messages` of one user prompt (JSON text, GenAI message shape). */
function userMessages(text: string): string {
  return JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]);
}

/** `gen_ai.output.messages` of one response: text, reasoning and tool-call parts. */
function assistantMessages(call: LlmCall): string {
  const parts: unknown[] = [];
  for (const block of call.content) {
    if (block.type === 'text' && typeof block.text === 'string')
      parts.push({ type: 'text', content: block.text });
    else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      parts.push({ type: 'reasoning', content: block.thinking });
    } else if (block.type === 'tool_use') {
      parts.push({ type: 'tool_call', id: block.id, name: block.name, arguments: block.input });
    }
  }
  const message: Record<string, unknown> = { role: 'assistant', parts };
  if (call.stopReason !== null) message.finish_reason = call.stopReason;
  return JSON.stringify([message]);
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content) && content.every((b) => isRecord(b) && b.type === 'text'))
    return contentText(content);
  return JSON.stringify(content ?? null);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function earliest(spans: readonly SpanRecord[]): number | null {
  let min: number | null = null;
  for (const s of spans) {
    const ms = nanoToMs(s.startTimeUnixNano);
    if (ms > 0 && (min === null || ms < min)) min = ms;
  }
  return min;
}

function latest(spans: readonly SpanRecord[]): number | null {
  let max: number | null = null;
  for (const s of spans) {
    const ms = nanoToMs(s.endTimeUnixNano);
    if (max === null || ms > max) max = ms;
  }
  return max;
}

function nanoToMs(nanos: string): number {
  return nanos.length > 6 ? Number(nanos.slice(0, -6)) : 0;
}

/** Resource attributes for a session's spans: `service.name = claude-code`, `service.version` = its version. */
export function transcriptResource(session: TranscriptSession): SpanAttributes {
  const resource: SpanAttributes = { [COMMON_ATTRIBUTES.SERVICE_NAME]: CLAUDE_CODE_SERVICE_NAME };
  if (session.version !== null) resource[COMMON_ATTRIBUTES.SERVICE_VERSION] = session.version;
  return resource;
}
