/**
 * OpenTelemetry GenAI semantic conventions. Baseline: the v1.41.0 release (the last one that still holds
 * `model/gen-ai/`), which is what Loopline emits. `[dev]` names exist only on the unreleased
 * `semantic-conventions-genai` main branch: Loopline accepts them on ingest and never emits them.
 */

/** Registry attributes of v1.41.0 (`model/gen-ai/registry.yaml`). */
export const GEN_AI_ATTRIBUTES = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  CONVERSATION_ID: 'gen_ai.conversation.id',
  OUTPUT_TYPE: 'gen_ai.output.type',
  REQUEST_MODEL: 'gen_ai.request.model',
  REQUEST_CHOICE_COUNT: 'gen_ai.request.choice.count',
  REQUEST_SEED: 'gen_ai.request.seed',
  REQUEST_STREAM: 'gen_ai.request.stream',
  REQUEST_MAX_TOKENS: 'gen_ai.request.max_tokens',
  REQUEST_TEMPERATURE: 'gen_ai.request.temperature',
  REQUEST_TOP_P: 'gen_ai.request.top_p',
  REQUEST_TOP_K: 'gen_ai.request.top_k',
  REQUEST_FREQUENCY_PENALTY: 'gen_ai.request.frequency_penalty',
  REQUEST_PRESENCE_PENALTY: 'gen_ai.request.presence_penalty',
  REQUEST_STOP_SEQUENCES: 'gen_ai.request.stop_sequences',
  REQUEST_ENCODING_FORMATS: 'gen_ai.request.encoding_formats',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  /** seconds (double) */
  RESPONSE_TIME_TO_FIRST_CHUNK: 'gen_ai.response.time_to_first_chunk',
  /** total input, INCLUDING cache read and cache creation */
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  /** total output, including reasoning */
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  /** subset of input_tokens */
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  /** subset of input_tokens; [dev] renames it to `gen_ai.usage.cache_write.input_tokens` */
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  /** subset of output_tokens */
  USAGE_REASONING_OUTPUT_TOKENS: 'gen_ai.usage.reasoning.output_tokens',
  SYSTEM_INSTRUCTIONS: 'gen_ai.system_instructions',
  INPUT_MESSAGES: 'gen_ai.input.messages',
  OUTPUT_MESSAGES: 'gen_ai.output.messages',
  TOOL_DEFINITIONS: 'gen_ai.tool.definitions',
  AGENT_ID: 'gen_ai.agent.id',
  AGENT_NAME: 'gen_ai.agent.name',
  AGENT_DESCRIPTION: 'gen_ai.agent.description',
  AGENT_VERSION: 'gen_ai.agent.version',
  DATA_SOURCE_ID: 'gen_ai.data_source.id',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_DESCRIPTION: 'gen_ai.tool.description',
  TOOL_TYPE: 'gen_ai.tool.type',
  TOOL_CALL_ARGUMENTS: 'gen_ai.tool.call.arguments',
  TOOL_CALL_RESULT: 'gen_ai.tool.call.result',
  WORKFLOW_NAME: 'gen_ai.workflow.name',
  EMBEDDINGS_DIMENSION_COUNT: 'gen_ai.embeddings.dimension.count',
  RETRIEVAL_QUERY_TEXT: 'gen_ai.retrieval.query.text',
  RETRIEVAL_DOCUMENTS: 'gen_ai.retrieval.documents',
  PROMPT_NAME: 'gen_ai.prompt.name',
  TOKEN_TYPE: 'gen_ai.token.type',
  EVALUATION_NAME: 'gen_ai.evaluation.name',
  EVALUATION_SCORE_VALUE: 'gen_ai.evaluation.score.value',
  EVALUATION_SCORE_LABEL: 'gen_ai.evaluation.score.label',
  EVALUATION_EXPLANATION: 'gen_ai.evaluation.explanation',
} as const;

/** [dev] names (semantic-conventions-genai main). Accepted on ingest, never emitted. */
export const GEN_AI_DEV_ATTRIBUTES = {
  /** rename of `gen_ai.usage.cache_creation.input_tokens` (#440) */
  USAGE_CACHE_WRITE_INPUT_TOKENS: 'gen_ai.usage.cache_write.input_tokens',
  USAGE_TEXT_INPUT_TOKENS: 'gen_ai.usage.text.input_tokens',
  USAGE_IMAGE_INPUT_TOKENS: 'gen_ai.usage.image.input_tokens',
  USAGE_AUDIO_INPUT_TOKENS: 'gen_ai.usage.audio.input_tokens',
  USAGE_TEXT_OUTPUT_TOKENS: 'gen_ai.usage.text.output_tokens',
  USAGE_IMAGE_OUTPUT_TOKENS: 'gen_ai.usage.image.output_tokens',
  USAGE_AUDIO_OUTPUT_TOKENS: 'gen_ai.usage.audio.output_tokens',
  CONVERSATION_COMPACTED: 'gen_ai.conversation.compacted',
  REQUEST_REASONING_LEVEL: 'gen_ai.request.reasoning.level',
  REQUEST_PREVIOUS_RESPONSE_ID: 'gen_ai.request.previous_response.id',
  INVOCATION_IS_NESTED: 'gen_ai.invocation.is_nested',
  PROMPT_VERSION: 'gen_ai.prompt.version',
  /** prefix: `gen_ai.prompt.variable.<key>` (Opt-In content) */
  PROMPT_VARIABLE_PREFIX: 'gen_ai.prompt.variable.',
  MEMORY_STORE_ID: 'gen_ai.memory.store.id',
  MEMORY_RECORD_ID: 'gen_ai.memory.record.id',
  MEMORY_RECORD_COUNT: 'gen_ai.memory.record.count',
  MEMORY_QUERY_TEXT: 'gen_ai.memory.query.text',
  MEMORY_RECORDS: 'gen_ai.memory.records',
  TOKEN_MODALITY: 'gen_ai.token.modality',
} as const;

/** Deprecated names (`model/gen-ai/deprecated/registry-deprecated.yaml`), mapped on ingest. */
export const GEN_AI_DEPRECATED_ATTRIBUTES = {
  /** replaced by `gen_ai.provider.name` (Claude Code traces still send it) */
  SYSTEM: 'gen_ai.system',
  /** replaced by `gen_ai.usage.input_tokens` */
  USAGE_PROMPT_TOKENS: 'gen_ai.usage.prompt_tokens',
  /** replaced by `gen_ai.usage.output_tokens` */
  USAGE_COMPLETION_TOKENS: 'gen_ai.usage.completion_tokens',
  /** removed; content (also used as a prefix: `gen_ai.prompt.<n>.content`) */
  PROMPT: 'gen_ai.prompt',
  /** removed; content (also used as a prefix: `gen_ai.completion.<n>.content`) */
  COMPLETION: 'gen_ai.completion',
  /** content: the JSON body of a deprecated message event sent as a span event (Azure AI Inference) */
  EVENT_CONTENT: 'gen_ai.event.content',
  OPENAI_REQUEST_SEED: 'gen_ai.openai.request.seed',
  OPENAI_REQUEST_RESPONSE_FORMAT: 'gen_ai.openai.request.response_format',
  OPENAI_REQUEST_SERVICE_TIER: 'gen_ai.openai.request.service_tier',
  OPENAI_RESPONSE_SERVICE_TIER: 'gen_ai.openai.response.service_tier',
  OPENAI_RESPONSE_SYSTEM_FINGERPRINT: 'gen_ai.openai.response.system_fingerprint',
} as const;

/** Well-known `gen_ai.operation.name` values of v1.41.0. */
export const GEN_AI_OPERATIONS = {
  CHAT: 'chat',
  GENERATE_CONTENT: 'generate_content',
  TEXT_COMPLETION: 'text_completion',
  EMBEDDINGS: 'embeddings',
  RETRIEVAL: 'retrieval',
  CREATE_AGENT: 'create_agent',
  INVOKE_AGENT: 'invoke_agent',
  EXECUTE_TOOL: 'execute_tool',
  INVOKE_WORKFLOW: 'invoke_workflow',
} as const;
export type GenAiOperation = (typeof GEN_AI_OPERATIONS)[keyof typeof GEN_AI_OPERATIONS];

/** [dev] operation values. */
export const GEN_AI_DEV_OPERATIONS = {
  PLAN: 'plan',
  FETCH_RESPONSE: 'fetch_response',
  HANDLE_CONVERSATION_TURN: 'handle_conversation_turn',
  CREATE_MEMORY_STORE: 'create_memory_store',
  DELETE_MEMORY_STORE: 'delete_memory_store',
  SEARCH_MEMORY: 'search_memory',
  CREATE_MEMORY: 'create_memory',
  UPDATE_MEMORY: 'update_memory',
  UPSERT_MEMORY: 'upsert_memory',
  DELETE_MEMORY: 'delete_memory',
} as const;

/** Loopline's own operation value for `evaluate {name}` spans (not in the conventions). */
export const LOOPLINE_OPERATIONS = {
  EVALUATE: 'evaluate',
} as const;

/** Well-known `gen_ai.provider.name` values of v1.41.0 (plus [dev] `moonshot_ai`). */
export const GEN_AI_PROVIDERS = {
  OPENAI: 'openai',
  ANTHROPIC: 'anthropic',
  AWS_BEDROCK: 'aws.bedrock',
  AZURE_AI_INFERENCE: 'azure.ai.inference',
  AZURE_AI_OPENAI: 'azure.ai.openai',
  COHERE: 'cohere',
  DEEPSEEK: 'deepseek',
  GCP_GEMINI: 'gcp.gemini',
  GCP_GEN_AI: 'gcp.gen_ai',
  GCP_VERTEX_AI: 'gcp.vertex_ai',
  GROQ: 'groq',
  IBM_WATSONX_AI: 'ibm.watsonx.ai',
  MISTRAL_AI: 'mistral_ai',
  PERPLEXITY: 'perplexity',
  X_AI: 'x_ai',
  /** [dev] */
  MOONSHOT_AI: 'moonshot_ai',
} as const;
export type GenAiProvider = (typeof GEN_AI_PROVIDERS)[keyof typeof GEN_AI_PROVIDERS];

export const GEN_AI_OUTPUT_TYPES = {
  TEXT: 'text',
  JSON: 'json',
  IMAGE: 'image',
  SPEECH: 'speech',
} as const;

export const GEN_AI_TOKEN_TYPES = {
  INPUT: 'input',
  OUTPUT: 'output',
} as const;

/** Event names (span events or log records with `event_name`). */
export const GEN_AI_EVENTS = {
  CLIENT_INFERENCE_OPERATION_DETAILS: 'gen_ai.client.inference.operation.details',
  EVALUATION_RESULT: 'gen_ai.evaluation.result',
  CLIENT_OPERATION_EXCEPTION: 'gen_ai.client.operation.exception',
} as const;

/** Deprecated content-carrying events. */
export const GEN_AI_DEPRECATED_EVENTS = {
  SYSTEM_MESSAGE: 'gen_ai.system.message',
  USER_MESSAGE: 'gen_ai.user.message',
  ASSISTANT_MESSAGE: 'gen_ai.assistant.message',
  TOOL_MESSAGE: 'gen_ai.tool.message',
  CHOICE: 'gen_ai.choice',
  /** pre-1.28 span events holding `gen_ai.prompt` / `gen_ai.completion` */
  CONTENT_PROMPT: 'gen_ai.content.prompt',
  CONTENT_COMPLETION: 'gen_ai.content.completion',
} as const;

/**
 * Fields of the deprecated message events (`gen_ai.*.message`, `gen_ai.choice`) that hold content, as
 * body keys or span event attributes (Strands Agents sends `content` and `message`); `message.*` and
 * `tool_calls.*` when flattened. Generic names, so content only on those events.
 */
export const GEN_AI_DEPRECATED_EVENT_FIELDS = {
  CONTENT: 'content',
  MESSAGE: 'message',
  TOOL_CALLS: 'tool_calls',
} as const;

export const GEN_AI_METRICS = {
  CLIENT_TOKEN_USAGE: 'gen_ai.client.token.usage',
  CLIENT_OPERATION_DURATION: 'gen_ai.client.operation.duration',
  CLIENT_OPERATION_TIME_TO_FIRST_CHUNK: 'gen_ai.client.operation.time_to_first_chunk',
  CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK: 'gen_ai.client.operation.time_per_output_chunk',
  SERVER_REQUEST_DURATION: 'gen_ai.server.request.duration',
  SERVER_TIME_PER_OUTPUT_TOKEN: 'gen_ai.server.time_per_output_token',
  SERVER_TIME_TO_FIRST_TOKEN: 'gen_ai.server.time_to_first_token',
} as const;

/** [dev] metrics that replace `gen_ai.client.token.usage` and rename the chunk metrics. */
export const GEN_AI_DEV_METRICS = {
  CLIENT_INFERENCE_DURATION: 'gen_ai.client.inference.duration',
  CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK: 'gen_ai.client.inference.time_to_first_chunk',
  CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK: 'gen_ai.client.inference.time_per_output_chunk',
  CLIENT_INFERENCE_USAGE_INPUT_TOKENS: 'gen_ai.client.inference.usage.input_tokens',
  CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS: 'gen_ai.client.inference.usage.output_tokens',
  CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.client.inference.usage.cache_read.input_tokens',
  CLIENT_INFERENCE_USAGE_CACHE_WRITE_INPUT_TOKENS: 'gen_ai.client.inference.usage.cache_write.input_tokens',
  CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS: 'gen_ai.client.inference.usage.reasoning.output_tokens',
  CLIENT_INFERENCE_OPERATION_INPUT_TOKENS: 'gen_ai.client.inference.operation.input_tokens',
  CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS: 'gen_ai.client.inference.operation.output_tokens',
  WORKFLOW_DURATION: 'gen_ai.workflow.duration',
  EXECUTE_TOOL_DURATION: 'gen_ai.execute_tool.duration',
  INVOKE_AGENT_DURATION: 'gen_ai.invoke_agent.duration',
  INVOCATION_DURATION: 'gen_ai.invocation.duration',
} as const;

/** MCP (v1.41.0 `model/mcp/*`). */
export const MCP_ATTRIBUTES = {
  METHOD_NAME: 'mcp.method.name',
  SESSION_ID: 'mcp.session.id',
  RESOURCE_URI: 'mcp.resource.uri',
  PROTOCOL_VERSION: 'mcp.protocol.version',
  JSONRPC_REQUEST_ID: 'jsonrpc.request.id',
} as const;
