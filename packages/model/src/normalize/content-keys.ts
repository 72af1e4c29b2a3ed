import {
  CLAUDE_CODE_ATTRIBUTES,
  CLAUDE_CODE_EVENTS,
  CODEX_ATTRIBUTES,
  CODEX_EVENTS,
  COMMON_ATTRIBUTES,
  GEMINI_CLI_ATTRIBUTES,
  GEMINI_CLI_EVENTS,
  GEN_AI_ATTRIBUTES,
  GEN_AI_DEPRECATED_ATTRIBUTES,
  GEN_AI_DEPRECATED_EVENT_FIELDS,
  GEN_AI_DEPRECATED_EVENTS,
  GEN_AI_DEV_ATTRIBUTES,
  GEN_AI_EVENTS,
  GOOGLE_ADK_ATTRIBUTES,
  LANGFUSE_ATTRIBUTES,
  MLFLOW_ATTRIBUTES,
  OPENINFERENCE_ATTRIBUTES,
  PYDANTIC_AI_ATTRIBUTES,
  TOOL_CONTENT_ATTRIBUTES,
  TRACELOOP_ATTRIBUTES,
  VERCEL_AI_ATTRIBUTES,
} from '@loopline/conventions';

/**
 * Which keys are content (prompts, responses, tool arguments and results, retrieved text): dropped
 * before storage unless content capture is on. docs/conventions.md §6 lists them.
 */

/** Attribute keys that are content wherever they appear. */
export const CONTENT_KEYS: ReadonlySet<string> = new Set<string>([
  COMMON_ATTRIBUTES.PROCESS_COMMAND_ARGS,
  COMMON_ATTRIBUTES.PROCESS_COMMAND_LINE,
  GEN_AI_ATTRIBUTES.INPUT_MESSAGES,
  GEN_AI_ATTRIBUTES.OUTPUT_MESSAGES,
  GEN_AI_ATTRIBUTES.SYSTEM_INSTRUCTIONS,
  GEN_AI_ATTRIBUTES.TOOL_CALL_ARGUMENTS,
  GEN_AI_ATTRIBUTES.TOOL_CALL_RESULT,
  GEN_AI_ATTRIBUTES.RETRIEVAL_QUERY_TEXT,
  GEN_AI_DEPRECATED_ATTRIBUTES.PROMPT,
  GEN_AI_DEPRECATED_ATTRIBUTES.COMPLETION,
  GEN_AI_DEPRECATED_ATTRIBUTES.EVENT_CONTENT,
  GEN_AI_DEV_ATTRIBUTES.MEMORY_QUERY_TEXT,
  GEN_AI_DEV_ATTRIBUTES.MEMORY_RECORDS,
  OPENINFERENCE_ATTRIBUTES.INPUT_VALUE,
  OPENINFERENCE_ATTRIBUTES.OUTPUT_VALUE,
  OPENINFERENCE_ATTRIBUTES.PROMPTS,
  OPENINFERENCE_ATTRIBUTES.PROMPT_TEMPLATE_VARIABLES,
  OPENINFERENCE_ATTRIBUTES.RERANKER_QUERY,
  OPENINFERENCE_ATTRIBUTES.TOOL_CALL_FUNCTION_ARGUMENTS,
  VERCEL_AI_ATTRIBUTES.PROMPT,
  VERCEL_AI_ATTRIBUTES.RESPONSE_TEXT,
  VERCEL_AI_ATTRIBUTES.RESPONSE_OBJECT,
  VERCEL_AI_ATTRIBUTES.RESPONSE_TOOL_CALLS,
  VERCEL_AI_ATTRIBUTES.RESPONSE_REASONING,
  VERCEL_AI_ATTRIBUTES.TOOL_CALL_ARGS,
  VERCEL_AI_ATTRIBUTES.TOOL_CALL_RESULT,
  VERCEL_AI_ATTRIBUTES.TOOL_CALL_INPUT,
  VERCEL_AI_ATTRIBUTES.TOOL_CALL_OUTPUT,
  VERCEL_AI_ATTRIBUTES.VALUE,
  VERCEL_AI_ATTRIBUTES.VALUES,
  TRACELOOP_ATTRIBUTES.ENTITY_INPUT,
  TRACELOOP_ATTRIBUTES.ENTITY_OUTPUT,
  TRACELOOP_ATTRIBUTES.PROMPTS,
  TRACELOOP_ATTRIBUTES.COMPLETIONS,
  ...Object.values(LANGFUSE_ATTRIBUTES),
  MLFLOW_ATTRIBUTES.SPAN_INPUTS,
  MLFLOW_ATTRIBUTES.SPAN_OUTPUTS,
  ...Object.values(GOOGLE_ADK_ATTRIBUTES),
  ...Object.values(PYDANTIC_AI_ATTRIBUTES),
  ...Object.values(TOOL_CONTENT_ATTRIBUTES),
  CLAUDE_CODE_ATTRIBUTES.PROMPT,
  CLAUDE_CODE_ATTRIBUTES.RESPONSE,
  CLAUDE_CODE_ATTRIBUTES.TOOL_INPUT,
  GEMINI_CLI_ATTRIBUTES.REQUEST_TEXT,
  GEMINI_CLI_ATTRIBUTES.RESPONSE_TEXT,
  GEMINI_CLI_ATTRIBUTES.FUNCTION_ARGS,
]);

type PrefixLabel = readonly [prefix: string, label: string];

/** `[prefix, label]` for the key family `prefix*`. */
const family = (prefix: string): PrefixLabel => [prefix, `${prefix}*`];

/** Key families that are content; the label (with `*`) is what `loopline.redacted` lists. */
export const CONTENT_PREFIXES: readonly PrefixLabel[] = [
  family(OPENINFERENCE_ATTRIBUTES.INPUT_MESSAGES_PREFIX),
  family(OPENINFERENCE_ATTRIBUTES.OUTPUT_MESSAGES_PREFIX),
  family(OPENINFERENCE_ATTRIBUTES.PROMPTS_PREFIX),
  family(OPENINFERENCE_ATTRIBUTES.RETRIEVAL_DOCUMENTS_PREFIX),
  family(OPENINFERENCE_ATTRIBUTES.EMBEDDINGS_PREFIX),
  family(OPENINFERENCE_ATTRIBUTES.RERANKER_INPUT_DOCUMENTS_PREFIX),
  family(OPENINFERENCE_ATTRIBUTES.RERANKER_OUTPUT_DOCUMENTS_PREFIX),
  family(`${TRACELOOP_ATTRIBUTES.COMPLETIONS}.`),
  family(`${VERCEL_AI_ATTRIBUTES.PROMPT}.`),
  family(`${GEN_AI_DEPRECATED_ATTRIBUTES.COMPLETION}.`),
  family(GEN_AI_DEV_ATTRIBUTES.PROMPT_VARIABLE_PREFIX),
];

/** Keys (and key families) that are content only on the named events: generic names elsewhere. */
interface EventContent {
  keys: ReadonlySet<string>;
  prefixes: readonly PrefixLabel[];
}

const { CONTENT, MESSAGE, TOOL_CALLS } = GEN_AI_DEPRECATED_EVENT_FIELDS;
const MESSAGE_EVENT: EventContent = {
  keys: new Set([CONTENT, MESSAGE, TOOL_CALLS]),
  prefixes: [family(`${CONTENT}.`), family(`${MESSAGE}.`), family(`${TOOL_CALLS}.`)],
};
const keysOnly = (...keys: string[]): EventContent => ({ keys: new Set(keys), prefixes: [] });

const EVENT_CONTENT: ReadonlyMap<string, EventContent> = new Map([
  [GEN_AI_DEPRECATED_EVENTS.SYSTEM_MESSAGE, MESSAGE_EVENT],
  [GEN_AI_DEPRECATED_EVENTS.USER_MESSAGE, MESSAGE_EVENT],
  [GEN_AI_DEPRECATED_EVENTS.ASSISTANT_MESSAGE, MESSAGE_EVENT],
  [GEN_AI_DEPRECATED_EVENTS.TOOL_MESSAGE, MESSAGE_EVENT],
  [GEN_AI_DEPRECATED_EVENTS.CHOICE, MESSAGE_EVENT],
  [CODEX_EVENTS.TOOL_RESULT, keysOnly(CODEX_ATTRIBUTES.ARGUMENTS, CODEX_ATTRIBUTES.OUTPUT)],
  [CLAUDE_CODE_EVENTS.API_REQUEST_BODY, keysOnly('body')],
  [CLAUDE_CODE_EVENTS.API_RESPONSE_BODY, keysOnly('body')],
]);

/** Log events whose record body is content (replaced unless content capture is on). */
export const CONTENT_EVENTS: ReadonlySet<string> = new Set<string>([
  GEN_AI_EVENTS.CLIENT_INFERENCE_OPERATION_DETAILS,
  ...Object.values(GEN_AI_DEPRECATED_EVENTS),
  CLAUDE_CODE_EVENTS.USER_PROMPT,
  CLAUDE_CODE_EVENTS.ASSISTANT_RESPONSE,
  CLAUDE_CODE_EVENTS.API_REQUEST_BODY,
  CLAUDE_CODE_EVENTS.API_RESPONSE_BODY,
  CODEX_EVENTS.USER_PROMPT,
  GEMINI_CLI_EVENTS.USER_PROMPT,
]);

const GEN_AI_PROMPT_PREFIX = `${GEN_AI_DEPRECATED_ATTRIBUTES.PROMPT}.`;
const LABEL_CACHE_LIMIT = 50_000;
const labelCache = new Map<string, string | null>();

function labelOf(key: string, keys: ReadonlySet<string>, prefixes: readonly PrefixLabel[]): string | null {
  if (keys.has(key)) return key;
  for (const [prefix, label] of prefixes) if (key.startsWith(prefix)) return label;
  return null;
}

function computeContentLabel(key: string): string | null {
  const label = labelOf(key, CONTENT_KEYS, CONTENT_PREFIXES);
  if (label !== null) return label;
  // OpenLLMetry indexed prompts `gen_ai.prompt.0.content`; `gen_ai.prompt.name` is not content
  if (key.startsWith(GEN_AI_PROMPT_PREFIX)) {
    const next = key.charCodeAt(GEN_AI_PROMPT_PREFIX.length);
    if (next >= 48 && next <= 57) return 'gen_ai.prompt.*';
  }
  return null;
}

/** The `loopline.redacted` label when `key` is content anywhere, else null. Memoised. */
export function contentLabel(key: string): string | null {
  let label = labelCache.get(key);
  if (label === undefined) {
    label = computeContentLabel(key);
    if (labelCache.size >= LABEL_CACHE_LIMIT) labelCache.clear();
    labelCache.set(key, label);
  }
  return label;
}

/** Finds the content label of a key on one item: anywhere, or on that event only. */
export type ContentLabeller = (key: string) => string | null;

/** The labeller for an item (span, event, log record) named `eventName`, if any. */
export function contentLabeller(eventName: string | undefined): ContentLabeller {
  const event = eventName === undefined ? undefined : EVENT_CONTENT.get(eventName);
  if (event === undefined) return contentLabel;
  return (key) => contentLabel(key) ?? labelOf(key, event.keys, event.prefixes);
}
