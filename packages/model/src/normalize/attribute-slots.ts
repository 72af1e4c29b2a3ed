import {
  ANTHROPIC_SDK_ATTRIBUTES,
  ANTHROPIC_USAGE_NAMES,
  CICD_ATTRIBUTES,
  CLAUDE_CODE_ATTRIBUTES,
  CODEX_ATTRIBUTES,
  COMMON_ATTRIBUTES,
  GEMINI_CLI_ATTRIBUTES,
  GEN_AI_ATTRIBUTES,
  GEN_AI_DEPRECATED_ATTRIBUTES,
  GEN_AI_DEV_ATTRIBUTES,
  LOOPLINE_ATTRIBUTES,
  OPENINFERENCE_ATTRIBUTES,
  REPORTED_COST_ATTRIBUTES,
  SAMPLE_RATE_ATTRIBUTES,
  TRACELOOP_ATTRIBUTES,
  VCS_ATTRIBUTES,
  VCS_DEPRECATED_ATTRIBUTES,
  VERCEL_AI_ATTRIBUTES,
} from '@loopline/conventions';
import type { Attributes, AttrValue } from '../raw-otlp.ts';

/**
 * Every attribute name normalisation reads gets a fixed slot. One pass over an item's attributes with a
 * Map lookup per key fills the slots; everything after that is array indexing, so the hot path never
 * scans attributes by name or by pattern.
 */
const GA = GEN_AI_ATTRIBUTES;
const CC = CLAUDE_CODE_ATTRIBUTES;
const OI = OPENINFERENCE_ATTRIBUTES;
const AI = VERCEL_AI_ATTRIBUTES;

const READ_NAMES = [
  // resource / identity
  COMMON_ATTRIBUTES.SERVICE_NAME,
  COMMON_ATTRIBUTES.SERVICE_VERSION,
  COMMON_ATTRIBUTES.USER_ID,
  COMMON_ATTRIBUTES.ENDUSER_ID,
  COMMON_ATTRIBUTES.USER_EMAIL,
  COMMON_ATTRIBUTES.USER_NAME,
  COMMON_ATTRIBUTES.SESSION_ID,
  COMMON_ATTRIBUTES.ERROR_TYPE,
  CODEX_ATTRIBUTES.CONVERSATION_ID,
  CODEX_ATTRIBUTES.USER_ACCOUNT_ID,
  GEMINI_CLI_ATTRIBUTES.INSTALLATION_ID,
  ...SAMPLE_RATE_ATTRIBUTES,
  // gen_ai identity
  GA.OPERATION_NAME,
  GA.PROVIDER_NAME,
  GEN_AI_DEPRECATED_ATTRIBUTES.SYSTEM,
  GA.REQUEST_MODEL,
  GA.RESPONSE_MODEL,
  GA.AGENT_NAME,
  GA.AGENT_ID,
  GA.CONVERSATION_ID,
  GA.TOOL_NAME,
  GA.TOOL_CALL_ID,
  GA.RESPONSE_TIME_TO_FIRST_CHUNK,
  GA.EVALUATION_NAME,
  GA.EVALUATION_SCORE_VALUE,
  GA.EVALUATION_SCORE_LABEL,
  // third-party identity
  OI.SPAN_KIND,
  OI.LLM_MODEL_NAME,
  OI.LLM_SYSTEM,
  OI.LLM_PROVIDER,
  OI.TOOL_NAME,
  OI.TOOL_CALL_ID,
  AI.OPERATION_ID,
  AI.MODEL_ID,
  AI.MODEL_PROVIDER,
  AI.RESPONSE_MODEL,
  AI.TOOL_CALL_NAME,
  AI.TOOL_CALL_ID,
  AI.RESPONSE_MS_TO_FIRST_CHUNK,
  AI.STREAM_MS_TO_FIRST_CHUNK,
  TRACELOOP_ATTRIBUTES.LLM_REQUEST_TYPE,
  TRACELOOP_ATTRIBUTES.SPAN_KIND,
  CC.MODEL,
  CC.TOOL_NAME,
  CC.TOOL_USE_ID,
  CC.AGENT_ID,
  CC.TTFT_MS,
  CODEX_ATTRIBUTES.CALL_ID,
  // cicd / vcs
  CICD_ATTRIBUTES.PIPELINE_NAME,
  CICD_ATTRIBUTES.PIPELINE_RUN_ID,
  CICD_ATTRIBUTES.PIPELINE_TASK_NAME,
  CICD_ATTRIBUTES.PIPELINE_TASK_RUN_ID,
  CICD_ATTRIBUTES.PIPELINE_RESULT,
  CICD_ATTRIBUTES.PIPELINE_TASK_RUN_RESULT,
  VCS_ATTRIBUTES.REPOSITORY_NAME,
  VCS_ATTRIBUTES.REPOSITORY_URL_FULL,
  VCS_ATTRIBUTES.REF_HEAD_NAME,
  VCS_ATTRIBUTES.REF_HEAD_REVISION,
  VCS_DEPRECATED_ATTRIBUTES.REPOSITORY_REF_NAME,
  VCS_DEPRECATED_ATTRIBUTES.REPOSITORY_REF_REVISION,
  // usage: OpenTelemetry GenAI and its aliases
  GA.USAGE_INPUT_TOKENS,
  GEN_AI_DEPRECATED_ATTRIBUTES.USAGE_PROMPT_TOKENS,
  GA.USAGE_OUTPUT_TOKENS,
  GEN_AI_DEPRECATED_ATTRIBUTES.USAGE_COMPLETION_TOKENS,
  GA.USAGE_CACHE_READ_INPUT_TOKENS,
  TRACELOOP_ATTRIBUTES.USAGE_CACHE_READ_INPUT_TOKENS,
  GEN_AI_DEV_ATTRIBUTES.USAGE_CACHE_WRITE_INPUT_TOKENS,
  GA.USAGE_CACHE_CREATION_INPUT_TOKENS,
  TRACELOOP_ATTRIBUTES.USAGE_CACHE_CREATION_INPUT_TOKENS,
  LOOPLINE_ATTRIBUTES.USAGE_CACHE_WRITE_5M_INPUT_TOKENS,
  LOOPLINE_ATTRIBUTES.USAGE_CACHE_WRITE_1H_INPUT_TOKENS,
  ANTHROPIC_SDK_ATTRIBUTES.USAGE_CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS,
  ANTHROPIC_SDK_ATTRIBUTES.USAGE_CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS,
  GA.USAGE_REASONING_OUTPUT_TOKENS,
  TRACELOOP_ATTRIBUTES.USAGE_REASONING_TOKENS,
  // usage: Anthropic raw usage object and Claude Code (both cache-exclusive input)
  ANTHROPIC_USAGE_NAMES.INPUT_TOKENS,
  ANTHROPIC_USAGE_NAMES.OUTPUT_TOKENS,
  ANTHROPIC_USAGE_NAMES.CACHE_READ_INPUT_TOKENS,
  ANTHROPIC_USAGE_NAMES.CACHE_CREATION_INPUT_TOKENS,
  CC.CACHE_READ_TOKENS,
  CC.CACHE_CREATION_TOKENS,
  // usage: OpenInference
  OI.TOKEN_COUNT_PROMPT,
  OI.TOKEN_COUNT_COMPLETION,
  OI.TOKEN_COUNT_PROMPT_CACHE_READ,
  OI.TOKEN_COUNT_PROMPT_CACHE_WRITE,
  OI.TOKEN_COUNT_COMPLETION_REASONING,
  // usage: Vercel AI SDK
  AI.USAGE_INPUT_TOKENS,
  AI.USAGE_PROMPT_TOKENS,
  AI.USAGE_TOKENS,
  AI.USAGE_OUTPUT_TOKENS,
  AI.USAGE_COMPLETION_TOKENS,
  AI.USAGE_INPUT_NO_CACHE_TOKENS,
  AI.USAGE_INPUT_CACHE_READ_TOKENS,
  AI.USAGE_CACHED_INPUT_TOKENS,
  AI.USAGE_INPUT_CACHE_WRITE_TOKENS,
  AI.USAGE_OUTPUT_REASONING_TOKENS,
  AI.USAGE_REASONING_TOKENS,
  // usage: Codex and Gemini CLI
  CODEX_ATTRIBUTES.INPUT_TOKEN_COUNT,
  CODEX_ATTRIBUTES.OUTPUT_TOKEN_COUNT,
  CODEX_ATTRIBUTES.CACHED_TOKEN_COUNT,
  CODEX_ATTRIBUTES.REASONING_TOKEN_COUNT,
  CODEX_ATTRIBUTES.USAGE_REASONING_OUTPUT_TOKENS,
  GEMINI_CLI_ATTRIBUTES.CACHED_CONTENT_TOKEN_COUNT,
  GEMINI_CLI_ATTRIBUTES.THOUGHTS_TOKEN_COUNT,
  GEMINI_CLI_ATTRIBUTES.TOOL_TOKEN_COUNT,
  // reported cost
  REPORTED_COST_ATTRIBUTES.GEN_AI_USAGE_COST,
  REPORTED_COST_ATTRIBUTES.COST_USD,
  REPORTED_COST_ATTRIBUTES.COST_USD_MICROS,
  REPORTED_COST_ATTRIBUTES.LLM_COST_TOTAL,
] as const;

export type ReadName = (typeof READ_NAMES)[number];

/** Slot values by slot index; `undefined` when the attribute is absent. */
export type Slots = (AttrValue | undefined)[];

const SLOT_BY_NAME = new Map<string, number>();
for (const name of READ_NAMES) {
  if (!SLOT_BY_NAME.has(name)) SLOT_BY_NAME.set(name, SLOT_BY_NAME.size);
}

export const SLOT_COUNT = SLOT_BY_NAME.size;

/** The slot of a name normalisation reads (resolved once, at module load, by each reader). */
export function slot(name: ReadName): number {
  const index = SLOT_BY_NAME.get(name);
  if (index === undefined) throw new Error(`attribute ${name} has no slot`);
  return index;
}

export function emptySlots(): Slots {
  return new Array<AttrValue | undefined>(SLOT_COUNT).fill(undefined);
}

/** Copies the values of read names from `attrs` into `slots` (later calls overwrite earlier ones). */
export function collectSlots(attrs: Attributes, slots: Slots): void {
  for (const key in attrs) {
    const index = SLOT_BY_NAME.get(key);
    if (index !== undefined) slots[index] = attrs[key];
  }
}

/** The slots an attribute set fills, with the list of filled indices (for cheap merging). */
export interface SlotSnapshot {
  slots: Slots;
  filled: number[];
}

export function snapshotSlots(attrs: Attributes): SlotSnapshot {
  const slots = emptySlots();
  collectSlots(attrs, slots);
  const filled: number[] = [];
  for (let i = 0; i < SLOT_COUNT; i++) if (slots[i] !== undefined) filled.push(i);
  return { slots, filled };
}

/**
 * A reusable slot array for the hot path: only the slots an item filled are reset afterwards, so no
 * array is allocated or fully cleared per item. Single-threaded use within one synchronous call.
 */
export class SlotScratch {
  readonly slots: Slots = emptySlots();
  private readonly touched: number[] = [];

  collect(attrs: Attributes): void {
    const { slots, touched } = this;
    for (const key in attrs) {
      const index = SLOT_BY_NAME.get(key);
      if (index === undefined) continue;
      if (slots[index] === undefined) touched.push(index);
      slots[index] = attrs[key];
    }
  }

  fillMissing(lower: SlotSnapshot): void {
    const { slots, touched } = this;
    for (const index of lower.filled) {
      if (slots[index] === undefined) {
        slots[index] = lower.slots[index];
        touched.push(index);
      }
    }
  }

  reset(): void {
    const { slots, touched } = this;
    for (const index of touched) slots[index] = undefined;
    touched.length = 0;
  }
}
