import {
  COMMON_ATTRIBUTES,
  GEMINI_CLI_ATTRIBUTES,
  GEMINI_CLI_EVENTS,
  GEMINI_CLI_SERVICE_NAME,
  GEN_AI_ATTRIBUTES,
  GEN_AI_PROVIDERS,
} from '@loopline/conventions';
import type {
  Attributes,
  AttrValue,
  RawLogRecord,
  RawResourceLogs,
  RawResourceSpans,
  RawSpan,
} from '../raw-otlp.ts';
import { readCount, readNumber, readString } from './attribute-values.ts';
import type { LogSpanDeriver } from './derive-spans-from-logs.ts';
import { DERIVED_FROM, derivedChatSpan, logEventName, personAndRepository } from './derived-chat-span.ts';

/**
 * Gemini CLI reports each model call's full usage only on a log event: `gemini_cli.api_response` carries
 * `input_token_count` (promptTokenCount: cached content included), `cached_content_token_count`,
 * `output_token_count` (candidatesTokenCount: thoughts excluded), `thoughts_token_count`,
 * `tool_token_count`, `model`, `duration_ms` and `session.id` (seen with Gemini CLI 0.61.0). Its hooks carry
 * no usage, and its own `llm_call` spans carry none by default (with `telemetry.traces` on: input and
 * output only, no cache or thoughts). Each such event becomes a `chat {model}` span in the `gemini-cli`
 * dataset, the one its hooks write to, with the usage in Loopline's canonical counting: input = prompt +
 * tool-use prompt (cache included), output = candidates + thoughts, cache reads and reasoning apart.
 */

/** The `service.name` of Gemini CLI's own telemetry, of its hook spans, and of the chat spans made here. */
export const GEMINI_DATASET = GEMINI_CLI_SERVICE_NAME;
const GM = GEMINI_CLI_ATTRIBUTES;
const GA = GEN_AI_ATTRIBUTES;

/** Vertex AI when Gemini CLI says it authenticated there; the Gemini API otherwise. */
function providerOf(authType: string | null): string {
  return authType === 'vertex-ai' ? GEN_AI_PROVIDERS.GCP_VERTEX_AI : GEN_AI_PROVIDERS.GCP_GEMINI;
}

const sum = (a: number | null, b: number | null): number | null =>
  a === null && b === null ? null : (a ?? 0) + (b ?? 0);

function finishReasons(value: AttrValue | undefined): string[] | null {
  if (!Array.isArray(value)) return null;
  const reasons = value.filter((v): v is string => typeof v === 'string' && v !== '');
  return reasons.length > 0 ? reasons : null;
}

/** The person: the Google account when signed in with one, else this installation of Gemini CLI. */
const USER_KEYS = [GM.USER_EMAIL, GM.INSTALLATION_ID] as const;

function chatSpan(record: RawLogRecord, conversation: string, resource: Attributes): RawSpan | null {
  const a = record.attributes;
  const prompt = readCount(a[GM.INPUT_TOKEN_COUNT]);
  const candidates = readCount(a[GM.OUTPUT_TOKEN_COUNT]);
  if (prompt === null && candidates === null) return null;
  const cached = readCount(a[GM.CACHED_CONTENT_TOKEN_COUNT]);
  const thoughts = readCount(a[GM.THOUGHTS_TOKEN_COUNT]);
  const tool = readCount(a[GM.TOOL_TOKEN_COUNT]);
  const model = readString(a[GM.MODEL]);
  const promptId = readString(a[GM.PROMPT_ID]);
  const durationMs = readNumber(a[GM.DURATION_MS]);
  // the event is logged when the call has ended
  const endUs = record.timeUs > 0 ? record.timeUs : record.observedTimeUs;
  const startUs = durationMs !== null && durationMs > 0 ? endUs - Math.round(durationMs * 1000) : endUs;
  const stamp = readString(a['event.timestamp']) ?? String(endUs);
  const key = `${conversation}|${stamp}|${promptId}|${model}|${prompt}|${candidates}|${thoughts}|${durationMs}`;
  const attributes: Attributes = {
    [GA.OPERATION_NAME]: 'chat',
    [GA.PROVIDER_NAME]: providerOf(readString(a[GM.AUTH_TYPE])),
    [GA.CONVERSATION_ID]: conversation,
    [DERIVED_FROM]: GEMINI_CLI_EVENTS.API_RESPONSE,
    ...personAndRepository(record, resource, USER_KEYS),
  };
  if (model !== null) attributes[GA.REQUEST_MODEL] = model;
  const input = sum(prompt, tool);
  const output = sum(candidates, thoughts);
  if (input !== null) attributes[GA.USAGE_INPUT_TOKENS] = input;
  if (output !== null) attributes[GA.USAGE_OUTPUT_TOKENS] = output;
  if (cached !== null) attributes[GA.USAGE_CACHE_READ_INPUT_TOKENS] = cached;
  if (thoughts !== null) attributes[GA.USAGE_REASONING_OUTPUT_TOKENS] = thoughts;
  const reasons = finishReasons(a[GM.FINISH_REASONS]);
  if (reasons !== null) attributes[GA.RESPONSE_FINISH_REASONS] = reasons;
  if (promptId !== null) attributes['gemini_cli.prompt_id'] = promptId;
  const role = readString(a[GM.ROLE]);
  if (role !== null) attributes['gemini_cli.role'] = role;
  // under Gemini's own llm_call span when the event carries it (non-streamed calls), else one trace per
  // session: a streamed call's event is logged after its span has closed
  return derivedChatSpan(record, { conversation, model, key, startUs, endUs, attributes });
}

export const geminiLogSpans: LogSpanDeriver = {
  name: 'Gemini CLI',
  derive(logs: readonly RawResourceLogs[]): RawResourceSpans[] {
    const out: RawResourceSpans[] = [];
    for (const resourceLogs of logs) {
      const resource = resourceLogs.resource.attributes;
      if (readString(resource[COMMON_ATTRIBUTES.SERVICE_NAME]) !== GEMINI_DATASET) continue;
      const spans: RawSpan[] = [];
      for (const { logRecords } of resourceLogs.scopeLogs) {
        for (const record of logRecords) {
          if (logEventName(record) !== GEMINI_CLI_EVENTS.API_RESPONSE) continue;
          const conversation =
            readString(record.attributes[COMMON_ATTRIBUTES.SESSION_ID]) ??
            readString(resource[COMMON_ATTRIBUTES.SESSION_ID]);
          if (conversation === null) continue;
          const span = chatSpan(record, conversation, resource);
          if (span !== null) spans.push(span);
        }
      }
      if (spans.length === 0) continue;
      out.push({
        // service.version of Gemini's resource is Node's version, not Gemini's: left out
        resource: {
          attributes: { [COMMON_ATTRIBUTES.SERVICE_NAME]: GEMINI_DATASET },
          droppedAttributesCount: 0,
        },
        scopeSpans: [{ scope: { name: '@loopline/gemini-native', version: '', attributes: {} }, spans }],
      });
    }
    return out;
  },
};
