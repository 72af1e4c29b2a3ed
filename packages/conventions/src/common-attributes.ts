/** General OpenTelemetry names Loopline reads on every signal, and Loopline's own attribute names. */
export const COMMON_ATTRIBUTES = {
  SERVICE_NAME: 'service.name',
  SERVICE_VERSION: 'service.version',
  /** the person, in lookup order: user.id, enduser.id, user.email, user.name */
  USER_ID: 'user.id',
  ENDUSER_ID: 'enduser.id',
  USER_EMAIL: 'user.email',
  USER_NAME: 'user.name',
  /** Claude Code, Gemini CLI and OpenInference session id */
  SESSION_ID: 'session.id',
  ERROR_TYPE: 'error.type',
  EVENT_NAME: 'event.name',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  /**
   * The process's command line (OTel process resource). Content: an assistant started as `gemini -p
   * "<prompt>"` puts its prompt there, on every record (seen with Gemini CLI 0.61.0).
   */
  PROCESS_COMMAND_ARGS: 'process.command_args',
  PROCESS_COMMAND_LINE: 'process.command_line',
} as const;

/** The dataset of a signal whose resource has no `service.name`. */
export const UNKNOWN_SERVICE = 'unknown_service';

/**
 * Attributes read as "this item stands for N items" (1-in-N sampling), in lookup order. `SampleRate` is
 * Honeycomb's name; the other two are common spellings. Values ≥ 1 count; anything else means 1.
 */
export const SAMPLE_RATE_ATTRIBUTES = ['SampleRate', 'sample_rate', 'sampling.rate'] as const;

/** Names Loopline itself writes. */
export const LOOPLINE_ATTRIBUTES = {
  /** list of attribute keys (or key families such as `llm.input_messages.*`) dropped as content */
  REDACTED: 'loopline.redacted',
  /** 5-minute cache writes; a Loopline extension of the GenAI usage names */
  USAGE_CACHE_WRITE_5M_INPUT_TOKENS: 'gen_ai.usage.cache_creation.5m.input_tokens',
  /** 1-hour cache writes; a Loopline extension of the GenAI usage names */
  USAGE_CACHE_WRITE_1H_INPUT_TOKENS: 'gen_ai.usage.cache_creation.1h.input_tokens',
} as const;
