import {
  ANTHROPIC_EXCLUSIVE_INPUT_SCOPES,
  ANTHROPIC_SDK_ATTRIBUTES,
  ANTHROPIC_USAGE_NAMES,
  CLAUDE_CODE_ATTRIBUTES,
  CODEX_ATTRIBUTES,
  GEMINI_CLI_ATTRIBUTES,
  GEN_AI_ATTRIBUTES,
  GEN_AI_DEPRECATED_ATTRIBUTES,
  GEN_AI_DEV_ATTRIBUTES,
  LOOPLINE_ATTRIBUTES,
  OPENINFERENCE_ATTRIBUTES,
  TRACELOOP_ATTRIBUTES,
  VERCEL_AI_ATTRIBUTES,
  VERCEL_AI_OUTER_OPERATIONS,
} from '@loopline/conventions';
import type { Attributes } from '../raw-otlp.ts';
import { collectSlots, emptySlots, type ReadName, type Slots, slot } from './attribute-slots.ts';
import { readCount, readString } from './attribute-values.ts';

/**
 * The one canonical usage model. `inputTokens` INCLUDES cache reads and cache writes; `outputTokens`
 * INCLUDES reasoning. Cache reads, writes (total, 5 min, 1 h) and reasoning are subsets kept apart.
 * `null` means "not reported" (never a silent 0).
 */
export interface CanonicalUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  cacheWrite5mTokens: number | null;
  cacheWrite1hTokens: number | null;
  reasoningTokens: number | null;
}

/** Where the attributes came from; decides emitter-specific counting rules. */
export interface UsageContext {
  /** instrumentation scope name, e.g. `@traceloop/instrumentation-anthropic` */
  scopeName?: string;
  /** span name (Vercel AI SDK outer spans are recognised by it when `ai.operationId` is absent) */
  spanName?: string;
}

export type UsageField =
  | 'input'
  | 'output'
  | 'cache_read'
  | 'cache_write'
  | 'cache_write_5m'
  | 'cache_write_1h'
  | 'reasoning'
  | 'input_no_cache'
  | 'input_extra'
  | 'output_extra';

export interface UsageAlias {
  name: string;
  field: UsageField;
  emitter: string;
  /** for `input` names: whether the count already includes cache reads and writes */
  counting?: 'inclusive' | 'exclusive' | 'inclusive unless the scope is known-exclusive';
}

const GA = GEN_AI_ATTRIBUTES;
const DEP = GEN_AI_DEPRECATED_ATTRIBUTES;
const TL = TRACELOOP_ATTRIBUTES;
const AN = ANTHROPIC_USAGE_NAMES;
const CC = CLAUDE_CODE_ATTRIBUTES;
const OI = OPENINFERENCE_ATTRIBUTES;
const AI = VERCEL_AI_ATTRIBUTES;
const CX = CODEX_ATTRIBUTES;
const GM = GEMINI_CLI_ATTRIBUTES;
const OTEL = 'OpenTelemetry GenAI';
const DEV = 'OpenTelemetry GenAI [dev]';
const CLAUDE = 'Claude Code (llm_request span, api_request event)';

/** Every usage name Loopline maps, in lookup priority order within each field. Documentation and tests. */
export const USAGE_ALIASES: readonly UsageAlias[] = [
  {
    name: GA.USAGE_INPUT_TOKENS,
    field: 'input',
    emitter: OTEL,
    counting: 'inclusive unless the scope is known-exclusive',
  },
  {
    name: DEP.USAGE_PROMPT_TOKENS,
    field: 'input',
    emitter: `${OTEL} (deprecated)`,
    counting: 'inclusive unless the scope is known-exclusive',
  },
  { name: AN.INPUT_TOKENS, field: 'input', emitter: `Anthropic raw usage; ${CLAUDE}`, counting: 'exclusive' },
  { name: OI.TOKEN_COUNT_PROMPT, field: 'input', emitter: 'OpenInference', counting: 'inclusive' },
  { name: AI.USAGE_INPUT_TOKENS, field: 'input', emitter: 'Vercel AI SDK ≥ 5', counting: 'inclusive' },
  { name: AI.USAGE_PROMPT_TOKENS, field: 'input', emitter: 'Vercel AI SDK ≤ 4', counting: 'inclusive' },
  { name: AI.USAGE_TOKENS, field: 'input', emitter: 'Vercel AI SDK (embeddings)', counting: 'inclusive' },
  { name: CX.INPUT_TOKEN_COUNT, field: 'input', emitter: 'Codex CLI; Gemini CLI', counting: 'inclusive' },
  { name: AI.USAGE_INPUT_NO_CACHE_TOKENS, field: 'input_no_cache', emitter: 'Vercel AI SDK 6' },
  {
    name: GM.TOOL_TOKEN_COUNT,
    field: 'input_extra',
    emitter: 'Gemini CLI (toolUsePromptTokenCount; ignored for Codex, where it is the total)',
  },
  { name: GA.USAGE_OUTPUT_TOKENS, field: 'output', emitter: OTEL },
  { name: DEP.USAGE_COMPLETION_TOKENS, field: 'output', emitter: `${OTEL} (deprecated)` },
  { name: AN.OUTPUT_TOKENS, field: 'output', emitter: `Anthropic raw usage; ${CLAUDE}` },
  { name: OI.TOKEN_COUNT_COMPLETION, field: 'output', emitter: 'OpenInference' },
  { name: AI.USAGE_OUTPUT_TOKENS, field: 'output', emitter: 'Vercel AI SDK ≥ 5' },
  { name: AI.USAGE_COMPLETION_TOKENS, field: 'output', emitter: 'Vercel AI SDK ≤ 4' },
  {
    name: CX.OUTPUT_TOKEN_COUNT,
    field: 'output',
    emitter: 'Codex CLI (includes reasoning); Gemini CLI (excludes thoughts)',
  },
  { name: GM.THOUGHTS_TOKEN_COUNT, field: 'output_extra', emitter: 'Gemini CLI (also the reasoning count)' },
  { name: GA.USAGE_CACHE_READ_INPUT_TOKENS, field: 'cache_read', emitter: OTEL },
  {
    name: TL.USAGE_CACHE_READ_INPUT_TOKENS,
    field: 'cache_read',
    emitter: 'OpenLLMetry (underscore spelling)',
  },
  { name: AN.CACHE_READ_INPUT_TOKENS, field: 'cache_read', emitter: 'Anthropic raw usage' },
  { name: CC.CACHE_READ_TOKENS, field: 'cache_read', emitter: CLAUDE },
  { name: OI.TOKEN_COUNT_PROMPT_CACHE_READ, field: 'cache_read', emitter: 'OpenInference' },
  { name: AI.USAGE_INPUT_CACHE_READ_TOKENS, field: 'cache_read', emitter: 'Vercel AI SDK 6' },
  { name: AI.USAGE_CACHED_INPUT_TOKENS, field: 'cache_read', emitter: 'Vercel AI SDK 5' },
  { name: CX.CACHED_TOKEN_COUNT, field: 'cache_read', emitter: 'Codex CLI' },
  { name: GM.CACHED_CONTENT_TOKEN_COUNT, field: 'cache_read', emitter: 'Gemini CLI' },
  {
    name: GEN_AI_DEV_ATTRIBUTES.USAGE_CACHE_WRITE_INPUT_TOKENS,
    field: 'cache_write',
    emitter: `${DEV}; @anthropic-ai/sdk tracing`,
  },
  { name: GA.USAGE_CACHE_CREATION_INPUT_TOKENS, field: 'cache_write', emitter: OTEL },
  {
    name: TL.USAGE_CACHE_CREATION_INPUT_TOKENS,
    field: 'cache_write',
    emitter: 'OpenLLMetry (underscore spelling)',
  },
  { name: AN.CACHE_CREATION_INPUT_TOKENS, field: 'cache_write', emitter: 'Anthropic raw usage' },
  { name: CC.CACHE_CREATION_TOKENS, field: 'cache_write', emitter: CLAUDE },
  { name: OI.TOKEN_COUNT_PROMPT_CACHE_WRITE, field: 'cache_write', emitter: 'OpenInference' },
  { name: AI.USAGE_INPUT_CACHE_WRITE_TOKENS, field: 'cache_write', emitter: 'Vercel AI SDK 6' },
  {
    name: LOOPLINE_ATTRIBUTES.USAGE_CACHE_WRITE_5M_INPUT_TOKENS,
    field: 'cache_write_5m',
    emitter: 'Loopline',
  },
  {
    name: ANTHROPIC_SDK_ATTRIBUTES.USAGE_CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS,
    field: 'cache_write_5m',
    emitter: '@anthropic-ai/sdk tracing',
  },
  {
    name: LOOPLINE_ATTRIBUTES.USAGE_CACHE_WRITE_1H_INPUT_TOKENS,
    field: 'cache_write_1h',
    emitter: 'Loopline',
  },
  {
    name: ANTHROPIC_SDK_ATTRIBUTES.USAGE_CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS,
    field: 'cache_write_1h',
    emitter: '@anthropic-ai/sdk tracing',
  },
  { name: GA.USAGE_REASONING_OUTPUT_TOKENS, field: 'reasoning', emitter: OTEL },
  { name: TL.USAGE_REASONING_TOKENS, field: 'reasoning', emitter: 'OpenLLMetry' },
  { name: OI.TOKEN_COUNT_COMPLETION_REASONING, field: 'reasoning', emitter: 'OpenInference' },
  { name: AI.USAGE_OUTPUT_REASONING_TOKENS, field: 'reasoning', emitter: 'Vercel AI SDK 6' },
  { name: AI.USAGE_REASONING_TOKENS, field: 'reasoning', emitter: 'Vercel AI SDK 5' },
  { name: CX.REASONING_TOKEN_COUNT, field: 'reasoning', emitter: 'Codex CLI (log event)' },
  { name: CX.USAGE_REASONING_OUTPUT_TOKENS, field: 'reasoning', emitter: 'Codex CLI (span)' },
  { name: GM.THOUGHTS_TOKEN_COUNT, field: 'reasoning', emitter: 'Gemini CLI' },
];

const slotsOf = (field: UsageField): number[] => {
  const indices: number[] = [];
  for (const alias of USAGE_ALIASES) {
    if (alias.field === field) indices.push(slot(alias.name as ReadName));
  }
  return indices;
};

const CACHE_READ = slotsOf('cache_read');
const CACHE_WRITE = slotsOf('cache_write');
const CACHE_WRITE_5M = slotsOf('cache_write_5m');
const CACHE_WRITE_1H = slotsOf('cache_write_1h');
const REASONING = slotsOf('reasoning');

const S_GA_IN = slot(GA.USAGE_INPUT_TOKENS);
const S_GA_PROMPT = slot(DEP.USAGE_PROMPT_TOKENS);
const S_GA_OUT = slot(GA.USAGE_OUTPUT_TOKENS);
const S_GA_COMPLETION = slot(DEP.USAGE_COMPLETION_TOKENS);
const S_AN_IN = slot(AN.INPUT_TOKENS);
const S_AN_OUT = slot(AN.OUTPUT_TOKENS);
const S_OI_IN = slot(OI.TOKEN_COUNT_PROMPT);
const S_OI_OUT = slot(OI.TOKEN_COUNT_COMPLETION);
const S_AI_IN = slot(AI.USAGE_INPUT_TOKENS);
const S_AI_PROMPT = slot(AI.USAGE_PROMPT_TOKENS);
const S_AI_TOKENS = slot(AI.USAGE_TOKENS);
const S_AI_NO_CACHE = slot(AI.USAGE_INPUT_NO_CACHE_TOKENS);
const S_AI_OUT = slot(AI.USAGE_OUTPUT_TOKENS);
const S_AI_COMPLETION = slot(AI.USAGE_COMPLETION_TOKENS);
const S_AI_OPERATION_ID = slot(AI.OPERATION_ID);
const S_CX_IN = slot(CX.INPUT_TOKEN_COUNT);
const S_CX_OUT = slot(CX.OUTPUT_TOKEN_COUNT);
const S_GM_CACHED = slot(GM.CACHED_CONTENT_TOKEN_COUNT);
const S_GM_THOUGHTS = slot(GM.THOUGHTS_TOKEN_COUNT);
const S_GM_TOOL = slot(GM.TOOL_TOKEN_COUNT);

const EXCLUSIVE_SCOPES: ReadonlySet<string> = new Set(ANTHROPIC_EXCLUSIVE_INPUT_SCOPES);
const VERCEL_OUTER: ReadonlySet<string> = new Set(VERCEL_AI_OUTER_OPERATIONS);

function first(slots: Slots, indices: readonly number[]): number | null {
  for (const index of indices) {
    const value = readCount(slots[index]);
    if (value !== null) return value;
  }
  return null;
}

const either = (slots: Slots, a: number, b: number): number | null =>
  readCount(slots[a]) ?? readCount(slots[b]);

/** True for a Vercel AI SDK outer span (`ai.generateText`, …), whose usage repeats its inner spans'. */
export function isVercelOuterSpan(slots: Slots, spanName: string | undefined): boolean {
  const operationId = readString(slots[S_AI_OPERATION_ID]) ?? spanName;
  return operationId !== undefined && VERCEL_OUTER.has(operationId);
}

interface CacheTotals {
  read: number;
  write: number;
}

/** Input tokens INCLUDING cache, from the first input family present (see USAGE_ALIASES). */
function canonicalInput(slots: Slots, cache: CacheTotals, context: UsageContext): number | null {
  const cached = cache.read + cache.write;
  const otel = either(slots, S_GA_IN, S_GA_PROMPT);
  if (otel !== null) {
    const exclusive = context.scopeName !== undefined && EXCLUSIVE_SCOPES.has(context.scopeName);
    return inclusive(otel, cached, exclusive);
  }
  const anthropic = readCount(slots[S_AN_IN]);
  if (anthropic !== null) return anthropic + cached;
  const openInference = readCount(slots[S_OI_IN]);
  if (openInference !== null) return inclusive(openInference, cached, false);
  const noCache = readCount(slots[S_AI_NO_CACHE]);
  if (noCache !== null) return noCache + cached;
  const vercel = readCount(slots[S_AI_IN]) ?? readCount(slots[S_AI_PROMPT]) ?? readCount(slots[S_AI_TOKENS]);
  if (vercel !== null) return inclusive(vercel, cached, false);
  const count = readCount(slots[S_CX_IN]);
  if (count === null) return null;
  const geminiTool = isGeminiShaped(slots) ? (readCount(slots[S_GM_TOOL]) ?? 0) : 0;
  return inclusive(count, cached, false) + geminiTool;
}

/**
 * A count that claims to include the cache but is smaller than the cache itself cannot include it:
 * it is an Anthropic-style exclusive count, so the cache is added.
 */
function inclusive(raw: number, cached: number, exclusive: boolean): number {
  return exclusive || raw < cached ? raw + cached : raw;
}

/** Gemini CLI sends thoughts and cached-content counts; Codex (same input/output names) never does. */
function isGeminiShaped(slots: Slots): boolean {
  return slots[S_GM_THOUGHTS] !== undefined || slots[S_GM_CACHED] !== undefined;
}

function canonicalOutput(slots: Slots): number | null {
  const output =
    either(slots, S_GA_OUT, S_GA_COMPLETION) ??
    readCount(slots[S_AN_OUT]) ??
    readCount(slots[S_OI_OUT]) ??
    either(slots, S_AI_OUT, S_AI_COMPLETION);
  if (output !== null) return output;
  const count = readCount(slots[S_CX_OUT]);
  if (count === null) return null;
  return count + (readCount(slots[S_GM_THOUGHTS]) ?? 0);
}

interface CacheWrites {
  total: number | null;
  write5m: number | null;
  write1h: number | null;
}

/**
 * The cache-write total and its 5 min / 1 h split. Without a total, the halves' sum is the total; with one,
 * a missing half is the rest of it. A split that cannot be the total's (halves that do not add up to it,
 * such as 0 / 0 beside 500 written tokens) is unknown: null, not 0.
 */
function cacheWriteSplit(total: number | null, write5m: number | null, write1h: number | null): CacheWrites {
  if (total === null) {
    const any = write5m !== null || write1h !== null;
    return { total: any ? (write5m ?? 0) + (write1h ?? 0) : null, write5m, write1h };
  }
  const unknown = { total, write5m: null, write1h: null };
  if (write5m === null && write1h === null) return unknown;
  const fiveMin = write5m ?? total - (write1h ?? 0);
  const oneHour = write1h ?? total - fiveMin;
  if (fiveMin < 0 || oneHour < 0 || fiveMin + oneHour !== total) return unknown;
  return { total, write5m: fiveMin, write1h: oneHour };
}

/** Canonical usage from filled slots; null when the item reports no usage at all. */
export function usageFromSlots(slots: Slots, context: UsageContext = {}): CanonicalUsage | null {
  if (isVercelOuterSpan(slots, context.spanName)) return null;
  const cacheRead = first(slots, CACHE_READ);
  const writes = cacheWriteSplit(
    first(slots, CACHE_WRITE),
    first(slots, CACHE_WRITE_5M),
    first(slots, CACHE_WRITE_1H),
  );
  const cacheWrite = writes.total;
  const cache = { read: cacheRead ?? 0, write: cacheWrite ?? 0 };
  const usage: CanonicalUsage = {
    inputTokens: canonicalInput(slots, cache, context),
    outputTokens: canonicalOutput(slots),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    cacheWrite5mTokens: writes.write5m,
    cacheWrite1hTokens: writes.write1h,
    reasoningTokens: first(slots, REASONING),
  };
  const reported =
    usage.inputTokens !== null ||
    usage.outputTokens !== null ||
    cacheRead !== null ||
    cacheWrite !== null ||
    usage.reasoningTokens !== null;
  return reported ? usage : null;
}

/**
 * Canonical usage of one attribute set (a span's, or a log event's such as `claude_code.api_request` or
 * `gemini_cli.api_response`); null when it reports no usage.
 */
export function usageFromAttributes(attrs: Attributes, context: UsageContext = {}): CanonicalUsage | null {
  const slots = emptySlots();
  collectSlots(attrs, slots);
  return usageFromSlots(slots, context);
}
