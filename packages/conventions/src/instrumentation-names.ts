/**
 * Names used by third-party instrumentations that Loopline maps onto the GenAI conventions (SPECS §9).
 * Each group says whether its input count includes cached tokens.
 */

/** Arize OpenInference (`@arizeai/openinference-*`). Prompt counts are INCLUSIVE of cache. */
export const OPENINFERENCE_ATTRIBUTES = {
  SPAN_KIND: 'openinference.span.kind',
  LLM_MODEL_NAME: 'llm.model_name',
  LLM_SYSTEM: 'llm.system',
  LLM_PROVIDER: 'llm.provider',
  TOKEN_COUNT_PROMPT: 'llm.token_count.prompt',
  TOKEN_COUNT_COMPLETION: 'llm.token_count.completion',
  TOKEN_COUNT_TOTAL: 'llm.token_count.total',
  TOKEN_COUNT_PROMPT_CACHE_READ: 'llm.token_count.prompt_details.cache_read',
  TOKEN_COUNT_PROMPT_CACHE_WRITE: 'llm.token_count.prompt_details.cache_write',
  TOKEN_COUNT_COMPLETION_REASONING: 'llm.token_count.completion_details.reasoning',
  COST_TOTAL: 'llm.cost.total',
  TOOL_NAME: 'tool.name',
  TOOL_CALL_ID: 'tool_call.id',
  SESSION_ID: 'session.id',
  USER_ID: 'user.id',
  /** content */
  INPUT_VALUE: 'input.value',
  /** content */
  OUTPUT_VALUE: 'output.value',
  /** content prefix: `llm.input_messages.<n>.message.*` */
  INPUT_MESSAGES_PREFIX: 'llm.input_messages.',
  /** content prefix */
  OUTPUT_MESSAGES_PREFIX: 'llm.output_messages.',
  /** content prefix */
  PROMPTS_PREFIX: 'llm.prompts.',
  /** content: the prompts of a completions call (a list, or a prefix for flattened items) */
  PROMPTS: 'llm.prompts',
  /** content prefix: `llm.prompt_template.variables` etc. */
  PROMPT_TEMPLATE_VARIABLES: 'llm.prompt_template.variables',
  /** content prefix: `retrieval.documents.<n>.document.content` */
  RETRIEVAL_DOCUMENTS_PREFIX: 'retrieval.documents.',
  /** content prefix: `embedding.embeddings.<n>.embedding.text` (and the vector) */
  EMBEDDINGS_PREFIX: 'embedding.embeddings.',
  /** content */
  RERANKER_QUERY: 'reranker.query',
  /** content prefix */
  RERANKER_INPUT_DOCUMENTS_PREFIX: 'reranker.input_documents.',
  /** content prefix */
  RERANKER_OUTPUT_DOCUMENTS_PREFIX: 'reranker.output_documents.',
  /** content: the arguments of a tool call on a TOOL span */
  TOOL_CALL_FUNCTION_ARGUMENTS: 'tool_call.function.arguments',
} as const;

/** Values of `openinference.span.kind`. */
export const OPENINFERENCE_SPAN_KINDS = {
  LLM: 'LLM',
  EMBEDDING: 'EMBEDDING',
  RETRIEVER: 'RETRIEVER',
  TOOL: 'TOOL',
  AGENT: 'AGENT',
  CHAIN: 'CHAIN',
  RERANKER: 'RERANKER',
  GUARDRAIL: 'GUARDRAIL',
  EVALUATOR: 'EVALUATOR',
} as const;

/**
 * Vercel AI SDK (`ai`, `experimental_telemetry`). `ai.usage.inputTokens` is INCLUSIVE of cache;
 * `ai.usage.inputTokenDetails.noCacheTokens` is the exclusive part. The outer `ai.generateText` span
 * repeats the usage of its inner `ai.generateText.doGenerate` span(s).
 */
export const VERCEL_AI_ATTRIBUTES = {
  OPERATION_ID: 'ai.operationId',
  MODEL_ID: 'ai.model.id',
  MODEL_PROVIDER: 'ai.model.provider',
  RESPONSE_MODEL: 'ai.response.model',
  USAGE_INPUT_TOKENS: 'ai.usage.inputTokens',
  USAGE_OUTPUT_TOKENS: 'ai.usage.outputTokens',
  USAGE_TOTAL_TOKENS: 'ai.usage.totalTokens',
  /** ai ≤ 4 */
  USAGE_PROMPT_TOKENS: 'ai.usage.promptTokens',
  /** ai ≤ 4 */
  USAGE_COMPLETION_TOKENS: 'ai.usage.completionTokens',
  /** embeddings */
  USAGE_TOKENS: 'ai.usage.tokens',
  USAGE_CACHED_INPUT_TOKENS: 'ai.usage.cachedInputTokens',
  USAGE_REASONING_TOKENS: 'ai.usage.reasoningTokens',
  USAGE_INPUT_NO_CACHE_TOKENS: 'ai.usage.inputTokenDetails.noCacheTokens',
  USAGE_INPUT_CACHE_READ_TOKENS: 'ai.usage.inputTokenDetails.cacheReadTokens',
  USAGE_INPUT_CACHE_WRITE_TOKENS: 'ai.usage.inputTokenDetails.cacheWriteTokens',
  USAGE_OUTPUT_REASONING_TOKENS: 'ai.usage.outputTokenDetails.reasoningTokens',
  /** milliseconds, on doStream spans */
  RESPONSE_MS_TO_FIRST_CHUNK: 'ai.response.msToFirstChunk',
  /** milliseconds, ai ≤ 4 */
  STREAM_MS_TO_FIRST_CHUNK: 'ai.stream.msToFirstChunk',
  TOOL_CALL_NAME: 'ai.toolCall.name',
  TOOL_CALL_ID: 'ai.toolCall.id',
  TELEMETRY_FUNCTION_ID: 'ai.telemetry.functionId',
  /** content prefix: `ai.prompt`, `ai.prompt.messages`, `ai.prompt.tools`, … */
  PROMPT: 'ai.prompt',
  /** content */
  RESPONSE_TEXT: 'ai.response.text',
  RESPONSE_OBJECT: 'ai.response.object',
  RESPONSE_TOOL_CALLS: 'ai.response.toolCalls',
  RESPONSE_REASONING: 'ai.response.reasoning',
  TOOL_CALL_ARGS: 'ai.toolCall.args',
  TOOL_CALL_RESULT: 'ai.toolCall.result',
  TOOL_CALL_INPUT: 'ai.toolCall.input',
  TOOL_CALL_OUTPUT: 'ai.toolCall.output',
  VALUE: 'ai.value',
  VALUES: 'ai.values',
  EMBEDDING: 'ai.embedding',
  EMBEDDINGS: 'ai.embeddings',
} as const;

/** Vercel AI SDK outer operations (usage repeated from their inner spans). */
export const VERCEL_AI_OUTER_OPERATIONS = [
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
  'ai.embed',
  'ai.embedMany',
] as const;

/** Traceloop OpenLLMetry. */
export const TRACELOOP_ATTRIBUTES = {
  /** chat | completion | embedding | rerank */
  LLM_REQUEST_TYPE: 'llm.request.type',
  /** workflow | task | agent | tool */
  SPAN_KIND: 'traceloop.span.kind',
  USAGE_TOTAL_TOKENS: 'llm.usage.total_tokens',
  /** underscore spelling of the cache names (older OpenLLMetry) */
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read_input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation_input_tokens',
  USAGE_REASONING_TOKENS: 'gen_ai.usage.reasoning_tokens',
  /** content */
  ENTITY_INPUT: 'traceloop.entity.input',
  /** content */
  ENTITY_OUTPUT: 'traceloop.entity.output',
  /** content (older OpenLLMetry): `llm.prompts.<n>.content`, also sent whole */
  PROMPTS: 'llm.prompts',
  /** content (older OpenLLMetry): `llm.completions.<n>.content`, also sent whole */
  COMPLETIONS: 'llm.completions',
} as const;

/** Langfuse SDK v3+ span attributes (`langfuse.observation.metadata.*` is kept: tags, not content). */
export const LANGFUSE_ATTRIBUTES = {
  /** content */
  OBSERVATION_INPUT: 'langfuse.observation.input',
  /** content */
  OBSERVATION_OUTPUT: 'langfuse.observation.output',
  /** content */
  TRACE_INPUT: 'langfuse.trace.input',
  /** content */
  TRACE_OUTPUT: 'langfuse.trace.output',
} as const;

/** MLflow tracing span attributes (JSON). */
export const MLFLOW_ATTRIBUTES = {
  SPAN_TYPE: 'mlflow.spanType',
  /** content */
  SPAN_INPUTS: 'mlflow.spanInputs',
  /** content */
  SPAN_OUTPUTS: 'mlflow.spanOutputs',
} as const;

/** Google Agent Development Kit (ADK) span attributes. All content. */
export const GOOGLE_ADK_ATTRIBUTES = {
  LLM_REQUEST: 'gcp.vertex.agent.llm_request',
  LLM_RESPONSE: 'gcp.vertex.agent.llm_response',
  TOOL_CALL_ARGS: 'gcp.vertex.agent.tool_call_args',
  TOOL_RESPONSE: 'gcp.vertex.agent.tool_response',
} as const;

/** Pydantic AI (Logfire) span attributes of instrumentation versions 1 and 2. All content. */
export const PYDANTIC_AI_ATTRIBUTES = {
  TOOL_ARGUMENTS: 'tool_arguments',
  TOOL_RESPONSE: 'tool_response',
  ALL_MESSAGES_EVENTS: 'all_messages_events',
  ALL_MESSAGES: 'pydantic_ai.all_messages',
  FINAL_RESULT: 'final_result',
} as const;

/** Tool-call attributes of hand-rolled and smaller SDKs (`tool.name` is read, not content). */
export const TOOL_CONTENT_ATTRIBUTES = {
  ARGS: 'tool.args',
  ARGUMENTS: 'tool.arguments',
  INPUT: 'tool.input',
  OUTPUT: 'tool.output',
  RESULT: 'tool.result',
} as const;

/**
 * Instrumentation scopes whose `gen_ai.usage.input_tokens` (and `prompt_tokens`) is Anthropic's raw,
 * cache-EXCLUSIVE count. Observed: `@traceloop/instrumentation-anthropic` 0.27 and earlier.
 */
export const ANTHROPIC_EXCLUSIVE_INPUT_SCOPES = ['@traceloop/instrumentation-anthropic'] as const;

/**
 * Anthropic's raw `usage` object names (Messages API), as some instrumentations copy them onto spans.
 * `input_tokens` is EXCLUSIVE of `cache_read_input_tokens` and `cache_creation_input_tokens`.
 */
export const ANTHROPIC_USAGE_NAMES = {
  INPUT_TOKENS: 'input_tokens',
  OUTPUT_TOKENS: 'output_tokens',
  CACHE_READ_INPUT_TOKENS: 'cache_read_input_tokens',
  CACHE_CREATION_INPUT_TOKENS: 'cache_creation_input_tokens',
} as const;

/** `@anthropic-ai/sdk` built-in tracing: the 5-minute / 1-hour split of cache writes. */
export const ANTHROPIC_SDK_ATTRIBUTES = {
  USAGE_CACHE_CREATION_EPHEMERAL_5M_INPUT_TOKENS: 'anthropic.usage.cache_creation.ephemeral_5m_input_tokens',
  USAGE_CACHE_CREATION_EPHEMERAL_1H_INPUT_TOKENS: 'anthropic.usage.cache_creation.ephemeral_1h_input_tokens',
} as const;

/** Reported-cost names seen in the wild (USD). */
export const REPORTED_COST_ATTRIBUTES = {
  /** Langfuse / community spans */
  GEN_AI_USAGE_COST: 'gen_ai.usage.cost',
  /** Claude Code */
  COST_USD: 'cost_usd',
  /** Claude Code, micro-dollars */
  COST_USD_MICROS: 'cost_usd_micros',
  /** OpenInference */
  LLM_COST_TOTAL: 'llm.cost.total',
} as const;
