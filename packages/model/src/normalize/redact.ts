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
  GEN_AI_DEPRECATED_EVENTS,
  GEN_AI_DEV_ATTRIBUTES,
  GEN_AI_EVENTS,
  LOOPLINE_ATTRIBUTES,
  OPENINFERENCE_ATTRIBUTES,
  TRACELOOP_ATTRIBUTES,
  VERCEL_AI_ATTRIBUTES,
} from '@loopline/conventions';
import type { Attributes, AttrValue } from '../raw-otlp.ts';

/**
 * Redaction before storage.
 * 1. Content (prompts, responses, tool arguments and results, retrieved text) is dropped unless
 *    `captureContent` is true; the dropped keys are listed in `loopline.redacted`.
 * 2. Secrets in any string value are always masked as `[REDACTED:<kind>]`, content kept or not.
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
  GEN_AI_DEV_ATTRIBUTES.MEMORY_QUERY_TEXT,
  GEN_AI_DEV_ATTRIBUTES.MEMORY_RECORDS,
  OPENINFERENCE_ATTRIBUTES.INPUT_VALUE,
  OPENINFERENCE_ATTRIBUTES.OUTPUT_VALUE,
  OPENINFERENCE_ATTRIBUTES.PROMPT_TEMPLATE_VARIABLES,
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
  CLAUDE_CODE_ATTRIBUTES.PROMPT,
  CLAUDE_CODE_ATTRIBUTES.RESPONSE,
  CLAUDE_CODE_ATTRIBUTES.TOOL_INPUT,
  GEMINI_CLI_ATTRIBUTES.REQUEST_TEXT,
  GEMINI_CLI_ATTRIBUTES.RESPONSE_TEXT,
  GEMINI_CLI_ATTRIBUTES.FUNCTION_ARGS,
]);

/** Key families that are content; the label (with `*`) is what `loopline.redacted` lists. */
export const CONTENT_PREFIXES: readonly (readonly [prefix: string, label: string])[] = [
  [OPENINFERENCE_ATTRIBUTES.INPUT_MESSAGES_PREFIX, 'llm.input_messages.*'],
  [OPENINFERENCE_ATTRIBUTES.OUTPUT_MESSAGES_PREFIX, 'llm.output_messages.*'],
  [OPENINFERENCE_ATTRIBUTES.PROMPTS_PREFIX, 'llm.prompts.*'],
  ['retrieval.documents.', 'retrieval.documents.*'],
  [`${VERCEL_AI_ATTRIBUTES.PROMPT}.`, 'ai.prompt.*'],
  [`${GEN_AI_DEPRECATED_ATTRIBUTES.COMPLETION}.`, 'gen_ai.completion.*'],
  [GEN_AI_DEV_ATTRIBUTES.PROMPT_VARIABLE_PREFIX, 'gen_ai.prompt.variable.*'],
];

/** Keys that are content only on the named events (generic names elsewhere). */
const EVENT_CONTENT_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [CODEX_EVENTS.TOOL_RESULT, new Set<string>([CODEX_ATTRIBUTES.ARGUMENTS, CODEX_ATTRIBUTES.OUTPUT])],
  [CLAUDE_CODE_EVENTS.API_REQUEST_BODY, new Set(['body'])],
  [CLAUDE_CODE_EVENTS.API_RESPONSE_BODY, new Set(['body'])],
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

function computeContentLabel(key: string): string | null {
  if (CONTENT_KEYS.has(key)) return key;
  for (const [prefix, label] of CONTENT_PREFIXES) if (key.startsWith(prefix)) return label;
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

interface SecretRule {
  kind: string;
  pattern: RegExp;
  replacement: string;
}

const rule = (kind: string, pattern: RegExp, keep = ''): SecretRule => ({
  kind,
  pattern,
  replacement: `${keep}[REDACTED:${kind}]`,
});

/** Order matters: `sk-ant-` before the generic `sk-`. */
export const SECRET_RULES: readonly SecretRule[] = [
  rule(
    'private_key',
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  ),
  rule('anthropic_api_key', /\bsk-ant-[A-Za-z0-9_-]{16,}/g),
  rule('openai_api_key', /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g),
  rule('aws_access_key_id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g),
  rule('github_token', /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g),
  rule('slack_token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/g),
  rule('google_api_key', /\bAIza[0-9A-Za-z_-]{35}/g),
  {
    kind: 'bearer_token',
    pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
    replacement: '$1[REDACTED:bearer_token]',
  },
];

/** One cheap test that rules out almost every string before the per-kind patterns run. */
const SECRET_HINT = /sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|-----BEGIN|[Bb]earer|BEARER/;
const SHORTEST_SECRET = 12;

/** Replaces every secret in `text` with `[REDACTED:<kind>]`; returns `text` itself when there is none. */
export function maskSecrets(text: string): string {
  if (text.length < SHORTEST_SECRET || !SECRET_HINT.test(text)) return text;
  let masked = text;
  for (const { pattern, replacement } of SECRET_RULES) masked = masked.replace(pattern, replacement);
  return masked;
}

/** Masks secrets in a value, recursing into arrays and maps; returns `value` itself when unchanged. */
export function maskValue(value: AttrValue): AttrValue {
  if (typeof value === 'string') return maskSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: AttrValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as AttrValue;
      const masked = maskValue(item);
      if (masked !== item) {
        copy ??= value.slice();
        copy[i] = masked;
      }
    }
    return copy ?? value;
  }
  const result = maskAttributes(value);
  return result;
}

function maskAttributes(attrs: { [key: string]: AttrValue }): { [key: string]: AttrValue } {
  let copy: { [key: string]: AttrValue } | undefined;
  for (const key in attrs) {
    const item = attrs[key] as AttrValue;
    const masked = maskValue(item);
    if (masked !== item) {
      copy ??= { ...attrs };
      copy[key] = masked;
    }
  }
  return copy ?? attrs;
}

export interface RedactOptions {
  /** keep content attributes (secrets are masked either way) */
  captureContent: boolean;
  /** the event or log event name, for event-specific content keys */
  eventName?: string;
}

export interface RedactResult {
  /** `attrs` itself when nothing changed; else a copy with content dropped and secrets masked */
  attributes: Attributes;
  /** labels of the dropped content keys (also written to `loopline.redacted`) */
  dropped: string[];
}

const NOTHING_DROPPED: string[] = [];

/**
 * Drops content (unless captured) and masks secrets in one attribute set. When anything was dropped,
 * the result carries `loopline.redacted` = the sorted labels, merged with any list already there.
 */
export function redactAttributes(attrs: Attributes, options: RedactOptions): RedactResult {
  const eventKeys = options.eventName === undefined ? undefined : EVENT_CONTENT_KEYS.get(options.eventName);
  let dropped: string[] | undefined;
  let changed = false;
  for (const key in attrs) {
    if (!options.captureContent) {
      const label = contentLabel(key) ?? (eventKeys?.has(key) ? key : null);
      if (label !== null) {
        dropped ??= [];
        if (!dropped.includes(label)) dropped.push(label);
        changed = true;
        continue;
      }
    }
    const value = attrs[key] as AttrValue;
    if (typeof value === 'string' ? value.length >= SHORTEST_SECRET : typeof value === 'object') {
      if (maskValue(value) !== value) changed = true;
    }
  }
  if (!changed) return { attributes: attrs, dropped: NOTHING_DROPPED };
  return rebuild(attrs, options.captureContent, eventKeys, dropped ?? NOTHING_DROPPED);
}

function rebuild(
  attrs: Attributes,
  captureContent: boolean,
  eventKeys: ReadonlySet<string> | undefined,
  dropped: string[],
): RedactResult {
  const out: Attributes = {};
  for (const key in attrs) {
    if (!captureContent && (contentLabel(key) !== null || eventKeys?.has(key))) continue;
    out[key] = maskValue(attrs[key] as AttrValue);
  }
  if (dropped.length > 0) {
    out[LOOPLINE_ATTRIBUTES.REDACTED] = mergeRedactedLists(out[LOOPLINE_ATTRIBUTES.REDACTED], dropped);
  }
  return { attributes: out, dropped };
}

/** Union of an existing `loopline.redacted` value and new labels, sorted. */
export function mergeRedactedLists(existing: AttrValue | undefined, labels: readonly string[]): string[] {
  const all = new Set<string>(labels);
  if (Array.isArray(existing)) {
    for (const item of existing) if (typeof item === 'string') all.add(item);
  } else if (typeof existing === 'string' && existing !== '') {
    all.add(existing);
  }
  return [...all].sort();
}

export const REDACTED_CONTENT = '[REDACTED:content]';

/**
 * A log record body: masked always; replaced by `[REDACTED:content]` when the event is a content event
 * (a body that only repeats the event name is kept), or map-shaped with content keys dropped.
 */
export function redactBody(
  body: AttrValue,
  eventName: string,
  captureContent: boolean,
): { body: AttrValue; dropped: boolean } {
  if (!captureContent && CONTENT_EVENTS.has(eventName)) {
    const onlyName = body === null || body === '' || body === eventName;
    if (!onlyName) return { body: REDACTED_CONTENT, dropped: true };
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const result = redactAttributes(body, { captureContent, eventName });
    return { body: result.attributes, dropped: result.dropped.length > 0 };
  }
  return { body: maskValue(body), dropped: false };
}
