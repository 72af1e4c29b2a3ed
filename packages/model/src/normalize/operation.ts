import {
  CLAUDE_CODE_SPANS,
  GEN_AI_ATTRIBUTES,
  GEN_AI_DEPRECATED_ATTRIBUTES,
  GEN_AI_OPERATIONS,
  GEN_AI_PROVIDERS,
  LOOPLINE_OPERATIONS,
  OPENINFERENCE_ATTRIBUTES,
  OPENINFERENCE_SPAN_KINDS,
  TRACELOOP_ATTRIBUTES,
  VERCEL_AI_ATTRIBUTES,
} from '@loopline/conventions';
import { type Slots, slot } from './attribute-slots.ts';
import { readString } from './attribute-values.ts';

const OP = GEN_AI_OPERATIONS;

/**
 * `gen_ai.operation.name` when present; otherwise inferred for known third-party spans. Rules, in order:
 * 1. `gen_ai.operation.name` as sent.
 * 2. Vercel AI SDK (`ai.operationId`, else the span name): `*.doGenerate` / `*.doStream` → chat,
 *    `*.doEmbed` → embeddings, `ai.toolCall` → execute_tool. Outer `ai.generateText` etc. stay null.
 * 3. OpenInference `openinference.span.kind`: LLM → chat, EMBEDDING → embeddings, RETRIEVER →
 *    retrieval, TOOL → execute_tool, AGENT → invoke_agent, EVALUATOR → evaluate.
 * 4. Claude Code spans: `claude_code.llm_request` → chat, `claude_code.tool` → execute_tool,
 *    `claude_code.interaction` (one prompt turn of the agent loop) → invoke_agent.
 * 5. OpenLLMetry `llm.request.type`: chat → chat, completion → text_completion, embedding →
 *    embeddings; `traceloop.span.kind`: tool → execute_tool, agent → invoke_agent, workflow →
 *    invoke_workflow.
 * 6. Any other span that reports token usage and names a model is an LLM call → chat.
 */
const S_OPERATION = slot(GEN_AI_ATTRIBUTES.OPERATION_NAME);
const S_AI_OPERATION_ID = slot(VERCEL_AI_ATTRIBUTES.OPERATION_ID);
const S_OI_KIND = slot(OPENINFERENCE_ATTRIBUTES.SPAN_KIND);
const S_TL_REQUEST_TYPE = slot(TRACELOOP_ATTRIBUTES.LLM_REQUEST_TYPE);
const S_TL_KIND = slot(TRACELOOP_ATTRIBUTES.SPAN_KIND);

const OPENINFERENCE_OPERATIONS: ReadonlyMap<string, string> = new Map([
  [OPENINFERENCE_SPAN_KINDS.LLM, OP.CHAT],
  [OPENINFERENCE_SPAN_KINDS.EMBEDDING, OP.EMBEDDINGS],
  [OPENINFERENCE_SPAN_KINDS.RETRIEVER, OP.RETRIEVAL],
  [OPENINFERENCE_SPAN_KINDS.TOOL, OP.EXECUTE_TOOL],
  [OPENINFERENCE_SPAN_KINDS.AGENT, OP.INVOKE_AGENT],
  [OPENINFERENCE_SPAN_KINDS.EVALUATOR, LOOPLINE_OPERATIONS.EVALUATE],
]);

const CLAUDE_CODE_OPERATIONS: ReadonlyMap<string, string> = new Map([
  [CLAUDE_CODE_SPANS.LLM_REQUEST, OP.CHAT],
  [CLAUDE_CODE_SPANS.TOOL, OP.EXECUTE_TOOL],
  [CLAUDE_CODE_SPANS.INTERACTION, OP.INVOKE_AGENT],
]);

const TRACELOOP_REQUEST_TYPES: ReadonlyMap<string, string> = new Map([
  ['chat', OP.CHAT],
  ['completion', OP.TEXT_COMPLETION],
  ['embedding', OP.EMBEDDINGS],
]);

const TRACELOOP_SPAN_KINDS: ReadonlyMap<string, string> = new Map([
  ['tool', OP.EXECUTE_TOOL],
  ['agent', OP.INVOKE_AGENT],
  ['workflow', OP.INVOKE_WORKFLOW],
]);

function vercelOperation(operationId: string): string | null {
  if (!operationId.startsWith('ai.')) return null;
  if (operationId === 'ai.toolCall') return OP.EXECUTE_TOOL;
  if (operationId.endsWith('.doEmbed')) return OP.EMBEDDINGS;
  if (operationId.endsWith('.doGenerate') || operationId.endsWith('.doStream')) return OP.CHAT;
  return null;
}

export interface OperationContext {
  spanName: string;
  /** the span reports token usage */
  hasUsage: boolean;
  /** the span names a model */
  hasModel: boolean;
}

export function inferOperation(slots: Slots, context: OperationContext): string | null {
  const explicit = readString(slots[S_OPERATION]);
  if (explicit !== null) return explicit;
  const vercel = vercelOperation(readString(slots[S_AI_OPERATION_ID]) ?? context.spanName);
  if (vercel !== null) return vercel;
  const openInferenceKind = readString(slots[S_OI_KIND]);
  const fromOpenInference =
    openInferenceKind && OPENINFERENCE_OPERATIONS.get(openInferenceKind.toUpperCase());
  if (fromOpenInference) return fromOpenInference;
  const fromClaudeCode = CLAUDE_CODE_OPERATIONS.get(context.spanName);
  if (fromClaudeCode !== undefined) return fromClaudeCode;
  const requestType = readString(slots[S_TL_REQUEST_TYPE]);
  const fromRequestType = requestType && TRACELOOP_REQUEST_TYPES.get(requestType);
  if (fromRequestType) return fromRequestType;
  const traceloopKind = readString(slots[S_TL_KIND]);
  const fromTraceloopKind = traceloopKind && TRACELOOP_SPAN_KINDS.get(traceloopKind);
  if (fromTraceloopKind) return fromTraceloopKind;
  return context.hasUsage && context.hasModel ? OP.CHAT : null;
}

const KNOWN_PROVIDERS: ReadonlySet<string> = new Set(Object.values(GEN_AI_PROVIDERS));

/**
 * Old or third-party provider spellings → `gen_ai.provider.name` values. Deprecated `gen_ai.system`
 * values, OpenInference `llm.provider` / `llm.system`, Vercel AI SDK `ai.model.provider` prefixes.
 */
export const PROVIDER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['vertex_ai', GEN_AI_PROVIDERS.GCP_VERTEX_AI],
  ['vertexai', GEN_AI_PROVIDERS.GCP_VERTEX_AI],
  ['google.vertex', GEN_AI_PROVIDERS.GCP_VERTEX_AI],
  ['gemini', GEN_AI_PROVIDERS.GCP_GEMINI],
  ['google.generative-ai', GEN_AI_PROVIDERS.GCP_GEMINI],
  ['google', GEN_AI_PROVIDERS.GCP_GEN_AI],
  ['az.ai.inference', GEN_AI_PROVIDERS.AZURE_AI_INFERENCE],
  ['az.ai.openai', GEN_AI_PROVIDERS.AZURE_AI_OPENAI],
  ['azure', GEN_AI_PROVIDERS.AZURE_AI_OPENAI],
  ['azure-openai', GEN_AI_PROVIDERS.AZURE_AI_OPENAI],
  ['aws', GEN_AI_PROVIDERS.AWS_BEDROCK],
  ['bedrock', GEN_AI_PROVIDERS.AWS_BEDROCK],
  ['amazon-bedrock', GEN_AI_PROVIDERS.AWS_BEDROCK],
  ['mistralai', GEN_AI_PROVIDERS.MISTRAL_AI],
  ['mistral', GEN_AI_PROVIDERS.MISTRAL_AI],
  ['xai', GEN_AI_PROVIDERS.X_AI],
  ['watsonx', GEN_AI_PROVIDERS.IBM_WATSONX_AI],
  ['moonshotai', GEN_AI_PROVIDERS.MOONSHOT_AI],
]);

const PROVIDER_CACHE_LIMIT = 10_000;
const providerCache = new Map<string, string>();

function computeProvider(raw: string): string {
  const lower = raw.toLowerCase();
  if (KNOWN_PROVIDERS.has(lower)) return lower;
  const alias = PROVIDER_ALIASES.get(lower);
  if (alias !== undefined) return alias;
  // Vercel style `anthropic.messages`, `openai.chat`, `google.vertex.chat`: try shorter dotted prefixes
  let end = lower.lastIndexOf('.');
  while (end > 0) {
    const prefix = lower.slice(0, end);
    if (KNOWN_PROVIDERS.has(prefix)) return prefix;
    const prefixAlias = PROVIDER_ALIASES.get(prefix);
    if (prefixAlias !== undefined) return prefixAlias;
    end = lower.lastIndexOf('.', end - 1);
  }
  return raw;
}

/** A provider value in `gen_ai.provider.name` spelling; unknown values are kept as sent. Memoised. */
export function normalizeProvider(raw: string): string {
  let provider = providerCache.get(raw);
  if (provider === undefined) {
    provider = computeProvider(raw);
    if (providerCache.size >= PROVIDER_CACHE_LIMIT) providerCache.clear();
    providerCache.set(raw, provider);
  }
  return provider;
}

const PROVIDER_SLOTS = [
  slot(GEN_AI_ATTRIBUTES.PROVIDER_NAME),
  slot(GEN_AI_DEPRECATED_ATTRIBUTES.SYSTEM),
  slot(OPENINFERENCE_ATTRIBUTES.LLM_PROVIDER),
  slot(OPENINFERENCE_ATTRIBUTES.LLM_SYSTEM),
  slot(VERCEL_AI_ATTRIBUTES.MODEL_PROVIDER),
];

/** `gen_ai.provider.name`, else deprecated `gen_ai.system`, `llm.provider`, `llm.system`, `ai.model.provider`. */
export function providerFromSlots(slots: Slots): string | null {
  for (const index of PROVIDER_SLOTS) {
    const raw = readString(slots[index]);
    if (raw !== null) return normalizeProvider(raw);
  }
  return null;
}
