import {
  CICD_ATTRIBUTES,
  CLAUDE_CODE_ATTRIBUTES,
  CODEX_ATTRIBUTES,
  CODEX_SERVICE_NAMES,
  COMMON_ATTRIBUTES,
  GEN_AI_ATTRIBUTES,
  GEN_AI_EVENTS,
  OPENINFERENCE_ATTRIBUTES,
  VCS_ATTRIBUTES,
  VCS_DEPRECATED_ATTRIBUTES,
  VERCEL_AI_ATTRIBUTES,
} from '@loopline/conventions';
import type { Attributes, RawEvent, RawLink, RawResourceSpans, RawScope, RawSpan } from '../raw-otlp.ts';
import type { SpanRow } from '../span-row.ts';
import { SlotScratch, type Slots, slot } from './attribute-slots.ts';
import { readNumber, readString } from './attribute-values.ts';
import {
  conversationIdFromSlots,
  datasetFromSlots,
  declaredSampleRate,
  firstString,
  mergedAttributesJson,
  sampleRateFromTraceState,
  userIdFromSlots,
} from './common-columns.ts';
import { reportedCostFromSlots, resolveCost } from './cost.ts';
import { checkHexId, ID_ZERO, IssueCollector, validHexId } from './issues.ts';
import {
  clockUs,
  mergeItemOverResource,
  type NormalizeOptions,
  type NormalizeResult,
  type PreparedResource,
  prepareResource,
  prepareScope,
} from './normalize-options.ts';
import { inferOperation, providerFromSlots } from './operation.ts';
import { maskSecrets, redactAttributes } from './redact.ts';
import { idProblem, spanProblem } from './span-problems.ts';
import { usageFromSlots } from './usage.ts';

const CODEX_SERVICES: ReadonlySet<string> = new Set(CODEX_SERVICE_NAMES);
/** Gemini CLI's own tracer (its hook spans and the chat spans derived from its logs have other scopes). */
const GEMINI_CLI_TRACER = { dataset: 'gemini-cli', scope: 'gemini-cli' } as const;

/**
 * Assistants whose own spans repeat the usage of log events that Loopline turns into the chat spans that
 * count (codex-log-spans.ts, gemini-log-spans.ts): on their spans the usage stays an attribute, so each
 * model call is counted once. Codex's trace spans carry usage without model or session; Gemini CLI's
 * `llm_call` spans (with `telemetry.traces` on) carry input and output only.
 */
function usageRepeatsLogs(dataset: string, scopeName: string): boolean {
  if (CODEX_SERVICES.has(dataset)) return true;
  return dataset === GEMINI_CLI_TRACER.dataset && scopeName === GEMINI_CLI_TRACER.scope;
}

const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODES = ['unset', 'ok', 'error'];

const GA = GEN_AI_ATTRIBUTES;
const S_SERVICE_VERSION = slot(COMMON_ATTRIBUTES.SERVICE_VERSION);
const S_ERROR_TYPE = slot(COMMON_ATTRIBUTES.ERROR_TYPE);
const S_AGENT_NAME = slot(GA.AGENT_NAME);
const AGENT_ID = [slot(GA.AGENT_ID), slot(CLAUDE_CODE_ATTRIBUTES.AGENT_ID)];
const REQUEST_MODEL = [
  slot(GA.REQUEST_MODEL),
  slot(OPENINFERENCE_ATTRIBUTES.LLM_MODEL_NAME),
  slot(VERCEL_AI_ATTRIBUTES.MODEL_ID),
  slot(CLAUDE_CODE_ATTRIBUTES.MODEL),
];
const RESPONSE_MODEL = [slot(GA.RESPONSE_MODEL), slot(VERCEL_AI_ATTRIBUTES.RESPONSE_MODEL)];
const TOOL_NAME = [
  slot(GA.TOOL_NAME),
  slot(VERCEL_AI_ATTRIBUTES.TOOL_CALL_NAME),
  slot(OPENINFERENCE_ATTRIBUTES.TOOL_NAME),
  slot(CLAUDE_CODE_ATTRIBUTES.TOOL_NAME),
];
const TOOL_CALL_ID = [
  slot(GA.TOOL_CALL_ID),
  slot(VERCEL_AI_ATTRIBUTES.TOOL_CALL_ID),
  slot(OPENINFERENCE_ATTRIBUTES.TOOL_CALL_ID),
  slot(CLAUDE_CODE_ATTRIBUTES.TOOL_USE_ID),
  slot(CODEX_ATTRIBUTES.CALL_ID),
];
const S_TTFT_SECONDS = slot(GA.RESPONSE_TIME_TO_FIRST_CHUNK);
const TTFT_MS = [
  slot(CLAUDE_CODE_ATTRIBUTES.TTFT_MS),
  slot(VERCEL_AI_ATTRIBUTES.RESPONSE_MS_TO_FIRST_CHUNK),
  slot(VERCEL_AI_ATTRIBUTES.STREAM_MS_TO_FIRST_CHUNK),
];
const S_EVAL_NAME = slot(GA.EVALUATION_NAME);
const S_EVAL_SCORE = slot(GA.EVALUATION_SCORE_VALUE);
const S_EVAL_LABEL = slot(GA.EVALUATION_SCORE_LABEL);
const S_PIPELINE_NAME = slot(CICD_ATTRIBUTES.PIPELINE_NAME);
const S_PIPELINE_RUN_ID = slot(CICD_ATTRIBUTES.PIPELINE_RUN_ID);
const S_TASK_NAME = slot(CICD_ATTRIBUTES.PIPELINE_TASK_NAME);
const S_TASK_RUN_ID = slot(CICD_ATTRIBUTES.PIPELINE_TASK_RUN_ID);
const CICD_RESULT = [slot(CICD_ATTRIBUTES.PIPELINE_RESULT), slot(CICD_ATTRIBUTES.PIPELINE_TASK_RUN_RESULT)];
const VCS_REPOSITORY = [slot(VCS_ATTRIBUTES.REPOSITORY_NAME), slot(VCS_ATTRIBUTES.REPOSITORY_URL_FULL)];
const VCS_REF = [slot(VCS_ATTRIBUTES.REF_HEAD_NAME), slot(VCS_DEPRECATED_ATTRIBUTES.REPOSITORY_REF_NAME)];
const VCS_REVISION = [
  slot(VCS_ATTRIBUTES.REF_HEAD_REVISION),
  slot(VCS_DEPRECATED_ATTRIBUTES.REPOSITORY_REF_REVISION),
];

/**
 * OTLP spans → SpanRow. A span the decoder could not read (`malformed`), whose start or end time lies
 * outside the stored window (time-bounds.ts), whose trace id is not 32 hex characters (or all zeros), or
 * whose span id is not 16 hex characters (or all zeros), is rejected and counted; the rest of the batch
 * is kept. A span that ends before it starts is kept with duration 0, and said so.
 */
export function normalizeSpans(
  batch: RawResourceSpans[],
  options: NormalizeOptions,
): NormalizeResult<SpanRow> {
  const issues = new IssueCollector();
  const context: SpanContext = { options, issues, nowUs: clockUs(options), scratch: new SlotScratch() };
  const rows: SpanRow[] = [];
  let rejected = 0;
  for (const resourceSpans of batch) {
    const resource = prepareResource(resourceSpans.resource.attributes, options.captureContent);
    for (const { scope, spans } of resourceSpans.scopeSpans) {
      const scoped = prepareScope(resource, scope, options.captureContent);
      for (const span of spans) {
        const problem = spanProblem(span, context.nowUs);
        if (problem !== null) {
          rejected++;
          issues.add(problem.problem, problem.example);
          continue;
        }
        const traceId = validHexId(span.traceId, 32);
        const spanId = traceId === null ? null : validHexId(span.spanId, 16);
        if (traceId === null || spanId === null) {
          rejected++;
          issues.add(idProblem(span), `${span.traceId}/${span.spanId}`);
          continue;
        }
        try {
          rows.push(spanRow(span, { traceId, spanId }, scope, scoped, context));
        } catch (error) {
          rejected++;
          issues.add(`span rejected: ${error instanceof Error ? error.message : String(error)}`, span.name);
        }
      }
    }
  }
  return { rows, rejected, errors: issues.messages() };
}

interface SpanContext {
  options: NormalizeOptions;
  issues: IssueCollector;
  nowUs: () => number;
  scratch: SlotScratch;
}

interface SpanIds {
  traceId: string;
  spanId: string;
}

function parentId(span: RawSpan, issues: IssueCollector): string {
  const parent = span.parentSpanId;
  if (parent === '') return '';
  const valid = validHexId(parent, 16);
  if (valid !== null) return valid;
  if (checkHexId(parent, 16) !== ID_ZERO) {
    issues.add('span kept as a root: parent span id is not 16 hex characters', parent);
  }
  return '';
}

function spanRow(
  span: RawSpan,
  ids: SpanIds,
  scope: RawScope,
  resource: PreparedResource,
  context: SpanContext,
): SpanRow {
  const { options, scratch } = context;
  const { attributes } = redactAttributes(span.attributes, { captureContent: options.captureContent });
  scratch.reset();
  scratch.collect(attributes);
  scratch.fillMissing(resource.slots);
  const slots = scratch.slots;
  const usage = usageRepeatsLogs(datasetFromSlots(resource.slots.slots), scope.name)
    ? null
    : usageFromSlots(slots, { scopeName: scope.name, spanName: span.name });
  const requestModel = firstString(slots, REQUEST_MODEL);
  const responseModel = firstString(slots, RESPONSE_MODEL);
  const provider = providerFromSlots(slots);
  const operation = inferOperation(slots, {
    spanName: span.name,
    hasUsage: usage !== null && (usage.inputTokens !== null || usage.outputTokens !== null),
    hasModel: requestModel !== null || responseModel !== null,
  });
  const cost = resolveCost({
    usage,
    reportedCostUsd: reportedCostFromSlots(slots),
    model: responseModel ?? requestModel,
    provider,
    prices: options.prices,
  });
  const events = eventsOf(span.events, options.captureContent);
  const evaluation = evaluationOf(slots, events);
  const start = span.startUs > 0 ? span.startUs : context.nowUs();
  const end = Math.max(span.endUs, start);
  if (span.endUs > 0 && span.endUs < start) {
    context.issues.add('span kept with duration 0: its end time is before its start time', span.name);
  }
  const statusCode = STATUS_CODES[span.statusCode] ?? 'unset';
  const traceState = span.traceState;
  return {
    timestamp: start,
    end_timestamp: end,
    duration_ms: (end - start) / 1000,
    trace_id: ids.traceId,
    span_id: ids.spanId,
    parent_span_id: parentId(span, context.issues),
    trace_state: traceState,
    name: maskSecrets(span.name),
    kind: SPAN_KINDS[span.kind] ?? 'unspecified',
    status_code: statusCode,
    status_message: maskSecrets(span.statusMessage),
    is_error: statusCode === 'error',
    dataset: datasetFromSlots(resource.slots.slots),
    service_version: readString(resource.slots.slots[S_SERVICE_VERSION]),
    scope_name: scope.name,
    scope_version: scope.version,
    operation,
    provider,
    request_model: requestModel,
    response_model: responseModel,
    agent_name: readString(slots[S_AGENT_NAME]),
    agent_id: firstString(slots, AGENT_ID),
    conversation_id: conversationIdFromSlots(slots),
    tool_name: firstString(slots, TOOL_NAME),
    tool_call_id: firstString(slots, TOOL_CALL_ID),
    error_type: readString(slots[S_ERROR_TYPE]),
    user_id: userIdFromSlots(slots),
    cicd_pipeline_name: readString(slots[S_PIPELINE_NAME]),
    cicd_pipeline_run_id: readString(slots[S_PIPELINE_RUN_ID]),
    cicd_task_name: readString(slots[S_TASK_NAME]),
    cicd_task_run_id: readString(slots[S_TASK_RUN_ID]),
    cicd_result: firstString(slots, CICD_RESULT),
    vcs_repository: firstString(slots, VCS_REPOSITORY),
    vcs_ref: firstString(slots, VCS_REF),
    vcs_revision: firstString(slots, VCS_REVISION),
    input_tokens: usage?.inputTokens ?? null,
    output_tokens: usage?.outputTokens ?? null,
    cache_read_tokens: usage?.cacheReadTokens ?? null,
    cache_write_tokens: usage?.cacheWriteTokens ?? null,
    cache_write_5m_tokens: usage?.cacheWrite5mTokens ?? null,
    cache_write_1h_tokens: usage?.cacheWrite1hTokens ?? null,
    reasoning_tokens: usage?.reasoningTokens ?? null,
    cost_usd: cost.costUsd,
    cost_source: cost.costSource,
    ttft_ms: ttftOf(slots),
    eval_name: evaluation.name,
    eval_score: evaluation.score,
    eval_label: evaluation.label,
    sample_rate: sampleRate(slots, traceState),
    attributes: mergedAttributesJson(
      resource.attributes,
      resource.fragment,
      attributes,
      mergeItemOverResource,
    ),
    events: events.json,
    links: linksJson(span.links, options.captureContent),
    model_tier: cost.modelTier,
  };
}

/** A declared rate (even 1) wins over the tracestate threshold; with neither, 1. */
function sampleRate(slots: Slots, traceState: string): number {
  const declared = declaredSampleRate(slots);
  if (declared !== null) return declared;
  return traceState === '' ? 1 : sampleRateFromTraceState(traceState);
}

/** `gen_ai.response.time_to_first_chunk` (seconds) × 1000, else Claude Code `ttft_ms`, else Vercel ms. */
function ttftOf(slots: Slots): number | null {
  const seconds = readNumber(slots[S_TTFT_SECONDS]);
  if (seconds !== null && seconds >= 0) return seconds * 1000;
  for (const index of TTFT_MS) {
    const ms = readNumber(slots[index]);
    if (ms !== null && ms >= 0) return ms;
  }
  return null;
}

interface PreparedEvents {
  json: string;
  /** attributes of the first `gen_ai.evaluation.result` event, after redaction */
  evaluation: Attributes | null;
}

const NO_EVENTS: PreparedEvents = { json: '[]', evaluation: null };

function eventsOf(events: RawEvent[], captureContent: boolean): PreparedEvents {
  if (events.length === 0) return NO_EVENTS;
  let evaluation: Attributes | null = null;
  const out = events.map((event) => {
    const { attributes } = redactAttributes(event.attributes, { captureContent, eventName: event.name });
    if (evaluation === null && event.name === GEN_AI_EVENTS.EVALUATION_RESULT) evaluation = attributes;
    return { time: event.timeUs, name: event.name, attributes };
  });
  return { json: JSON.stringify(out), evaluation };
}

function linksJson(links: RawLink[], captureContent: boolean): string {
  if (links.length === 0) return '[]';
  return JSON.stringify(
    links.map((link) => ({
      trace_id: link.traceId.toLowerCase(),
      span_id: link.spanId.toLowerCase(),
      trace_state: link.traceState,
      attributes: redactAttributes(link.attributes, { captureContent }).attributes,
    })),
  );
}

interface Evaluation {
  name: string | null;
  score: number | null;
  label: string | null;
}

/** Evaluation columns from span attributes, else from the first `gen_ai.evaluation.result` event. */
function evaluationOf(slots: Slots, events: PreparedEvents): Evaluation {
  const name = readString(slots[S_EVAL_NAME]);
  const score = readNumber(slots[S_EVAL_SCORE]);
  const label = readString(slots[S_EVAL_LABEL]);
  if (name !== null || score !== null || label !== null || events.evaluation === null) {
    return { name, score, label };
  }
  const attrs = events.evaluation;
  return {
    name: readString(attrs[GA.EVALUATION_NAME]),
    score: readNumber(attrs[GA.EVALUATION_SCORE_VALUE]),
    label: readString(attrs[GA.EVALUATION_SCORE_LABEL]),
  };
}
