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
import { DERIVED_FROM, derivedChatSpan, logEventName } from './derived-chat-span.ts';

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

function chatSpan(record: RawLogRecord, conversation: string, model: string | null): RawSpan | null {
  const a = record.attributes;
  const input = readNumber(a[CODEX_ATTRIBUTES.INPUT_TOKEN_COUNT]);
  const output = readNumber(a[CODEX_ATTRIBUTES.OUTPUT_TOKEN_COUNT]);
  if (input === null && output === null) return null;
  const timeUs = record.timeUs > 0 ? record.timeUs : record.observedTimeUs;
  const stamp = readString(a['event.timestamp']) ?? String(timeUs);
  const key = `${conversation}|${stamp}|${input}|${output}`;
  const attributes: Attributes = {
    [GEN_AI_ATTRIBUTES.OPERATION_NAME]: 'chat',
    [GEN_AI_ATTRIBUTES.PROVIDER_NAME]: 'openai',
    [GEN_AI_ATTRIBUTES.CONVERSATION_ID]: conversation,
    [DERIVED_FROM]: `${CODEX_EVENTS.SSE_EVENT} response.completed`,
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
  return derivedChatSpan(record, { conversation, model, key, startUs: timeUs, endUs: timeUs, attributes });
}

export const codexLogSpans: LogSpanDeriver = {
  name: 'Codex CLI',
  derive(logs: readonly RawResourceLogs[]): RawResourceSpans[] {
    const out: RawResourceSpans[] = [];
    for (const resourceLogs of logs) {
      const service = readString(resourceLogs.resource.attributes[COMMON_ATTRIBUTES.SERVICE_NAME]);
      if (service === null || !CODEX_SERVICES.has(service)) continue;
      const spans: RawSpan[] = [];
      for (const { logRecords } of resourceLogs.scopeLogs) {
        for (const record of logRecords) {
          if (logEventName(record) !== CODEX_EVENTS.SSE_EVENT) continue;
          if (readString(record.attributes[CODEX_ATTRIBUTES.EVENT_KIND]) !== 'response.completed') continue;
          const conversation = readString(record.attributes[CODEX_ATTRIBUTES.CONVERSATION_ID]);
          if (conversation === null) continue;
          const span = chatSpan(record, conversation, readString(record.attributes[CODEX_ATTRIBUTES.MODEL]));
          if (span !== null) spans.push(span);
        }
      }
      if (spans.length === 0) continue;
      const version = resourceLogs.resource.attributes[COMMON_ATTRIBUTES.SERVICE_VERSION];
      const resource: Attributes = { [COMMON_ATTRIBUTES.SERVICE_NAME]: CODEX_DATASET };
      if (version !== undefined) resource[COMMON_ATTRIBUTES.SERVICE_VERSION] = version;
      out.push({
        resource: { attributes: resource, droppedAttributesCount: 0 },
        scopeSpans: [{ scope: { name: '@loopline/codex-native', version: '', attributes: {} }, spans }],
      });
    }
    return out;
  },
};
