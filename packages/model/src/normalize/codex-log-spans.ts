import {
  CODEX_ATTRIBUTES,
  CODEX_EVENTS,
  CODEX_SERVICE_NAMES,
  COMMON_ATTRIBUTES,
  GEN_AI_ATTRIBUTES,
} from '@loopline/conventions';
import type { Attributes, RawLogRecord, RawResourceLogs, RawResourceSpans, RawSpan } from '../raw-otlp.ts';
import { readNumber, readString } from './attribute-values.ts';
import type { LogSpanDeriver } from './derive-spans-from-logs.ts';
import { DERIVED_FROM, derivedChatSpan, logEventName, personAndRepository } from './derived-chat-span.ts';

/**
 * Codex CLI reports each model call's tokens only on a log event: `codex.sse_event` with `event.kind` =
 * `response.completed` carries `input_token_count` (OpenAI's: cached tokens included), `cached_token_count`,
 * `output_token_count` (reasoning included), `reasoning_token_count`, with the session's `conversation.id`
 * and `model` (seen with Codex 0.169.0). Its hooks carry no usage, and its own trace spans carry usage
 * without model or session. Each such event becomes a `chat {model}` span in the `codex-cli` dataset, the
 * one its hooks write to, so tokens and cost by assistant are one span query. Codex's own spans keep their
 * usage as attributes only (`normalize-spans.ts`): each call is counted once.
 */

/** The dataset of Codex's hook spans and of the chat spans derived here. */
export const CODEX_DATASET = 'codex-cli';
const CODEX_SERVICES: ReadonlySet<string> = new Set(CODEX_SERVICE_NAMES);

const timeOf = (record: RawLogRecord): number => (record.timeUs > 0 ? record.timeUs : record.observedTimeUs);
const USER_KEYS = [CODEX_ATTRIBUTES.USER_EMAIL, CODEX_ATTRIBUTES.USER_ACCOUNT_ID] as const;

const isCompleted = (record: RawLogRecord): boolean =>
  logEventName(record) === CODEX_EVENTS.SSE_EVENT &&
  readString(record.attributes[CODEX_ATTRIBUTES.EVENT_KIND]) === 'response.completed';

/**
 * When each call of the batch started: its `codex.api_request` is logged when the response's headers
 * arrive, `duration_ms` after the request was sent. Per conversation, in time order, a request belongs to
 * the next `response.completed`; a call whose request is not in the batch has no start.
 */
function callStarts(records: readonly RawLogRecord[]): Map<RawLogRecord, number> {
  const timeline = records
    .filter((r) => isCompleted(r) || logEventName(r) === CODEX_EVENTS.API_REQUEST)
    .map((record) => ({ record, request: !isCompleted(record), at: timeOf(record) }))
    .sort((x, y) => x.at - y.at || Number(y.request) - Number(x.request));
  const pending = new Map<string, number>();
  const starts = new Map<RawLogRecord, number>();
  for (const { record, request, at } of timeline) {
    const conversation = readString(record.attributes[CODEX_ATTRIBUTES.CONVERSATION_ID]) ?? '';
    if (request) {
      const ms = readNumber(record.attributes[CODEX_ATTRIBUTES.DURATION_MS]);
      pending.set(conversation, at - Math.round(Math.max(0, ms ?? 0) * 1000));
      continue;
    }
    const start = pending.get(conversation);
    if (start !== undefined && start <= at) starts.set(record, start);
    pending.delete(conversation);
  }
  return starts;
}

interface CallContext {
  resource: Attributes;
  startUs: number | undefined;
}

function chatSpan(
  record: RawLogRecord,
  conversation: string,
  model: string | null,
  context: CallContext,
): RawSpan | null {
  const a = record.attributes;
  const input = readNumber(a[CODEX_ATTRIBUTES.INPUT_TOKEN_COUNT]);
  const output = readNumber(a[CODEX_ATTRIBUTES.OUTPUT_TOKEN_COUNT]);
  if (input === null && output === null) return null;
  const timeUs = timeOf(record);
  const stamp = readString(a['event.timestamp']) ?? String(timeUs);
  const key = `${conversation}|${stamp}|${input}|${output}`;
  const attributes: Attributes = {
    [GEN_AI_ATTRIBUTES.OPERATION_NAME]: 'chat',
    [GEN_AI_ATTRIBUTES.PROVIDER_NAME]: 'openai',
    [GEN_AI_ATTRIBUTES.CONVERSATION_ID]: conversation,
    [DERIVED_FROM]: `${CODEX_EVENTS.SSE_EVENT} response.completed`,
    ...personAndRepository(record, context.resource, USER_KEYS),
  };
  if (model !== null) attributes[GEN_AI_ATTRIBUTES.REQUEST_MODEL] = model;
  if (input !== null) attributes[GEN_AI_ATTRIBUTES.USAGE_INPUT_TOKENS] = input;
  if (output !== null) attributes[GEN_AI_ATTRIBUTES.USAGE_OUTPUT_TOKENS] = output;
  const cached = readNumber(a[CODEX_ATTRIBUTES.CACHED_TOKEN_COUNT]);
  if (cached !== null) attributes['gen_ai.usage.cache_read.input_tokens'] = cached;
  const reasoning = readNumber(a[CODEX_ATTRIBUTES.REASONING_TOKEN_COUNT]);
  if (reasoning !== null) attributes['gen_ai.usage.reasoning.output_tokens'] = reasoning;
  const ttft = readNumber(a.ttft_ms);
  if (ttft !== null && ttft > 0) attributes['gen_ai.response.time_to_first_chunk'] = ttft / 1000;
  const originator = readString(a.originator);
  if (originator !== null) attributes['codex.originator'] = originator;
  const startUs = context.startUs ?? timeUs;
  return derivedChatSpan(record, { conversation, model, key, startUs, endUs: timeUs, attributes });
}

export const codexLogSpans: LogSpanDeriver = {
  name: 'Codex CLI',
  derive(logs: readonly RawResourceLogs[]): RawResourceSpans[] {
    const out: RawResourceSpans[] = [];
    for (const resourceLogs of logs) {
      const service = readString(resourceLogs.resource.attributes[COMMON_ATTRIBUTES.SERVICE_NAME]);
      if (service === null || !CODEX_SERVICES.has(service)) continue;
      const spans: RawSpan[] = [];
      const records = resourceLogs.scopeLogs.flatMap((scope) => scope.logRecords);
      const starts = callStarts(records);
      const resource = resourceLogs.resource.attributes;
      for (const record of records) {
        if (!isCompleted(record)) continue;
        const conversation = readString(record.attributes[CODEX_ATTRIBUTES.CONVERSATION_ID]);
        if (conversation === null) continue;
        const model = readString(record.attributes[CODEX_ATTRIBUTES.MODEL]);
        const span = chatSpan(record, conversation, model, { resource, startUs: starts.get(record) });
        if (span !== null) spans.push(span);
      }
      if (spans.length === 0) continue;
      const version = resourceLogs.resource.attributes[COMMON_ATTRIBUTES.SERVICE_VERSION];
      const dataset: Attributes = { [COMMON_ATTRIBUTES.SERVICE_NAME]: CODEX_DATASET };
      if (version !== undefined) dataset[COMMON_ATTRIBUTES.SERVICE_VERSION] = version;
      out.push({
        resource: { attributes: dataset, droppedAttributesCount: 0 },
        scopeSpans: [{ scope: { name: '@loopline/codex-native', version: '', attributes: {} }, spans }],
      });
    }
    return out;
  },
};
