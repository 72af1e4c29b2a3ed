/**
 * The one error family. Codes are stable strings that clients may switch on; no transport status lives
 * here (the HTTP mapper in the server and the CLI handler decide how to show each code).
 */
export const ERROR_CODES = [
  'OTLP_MALFORMED_BODY',
  'OTLP_UNSUPPORTED_CONTENT_TYPE',
  'OTLP_BAD_COMPRESSION',
  'OTLP_BODY_TOO_LARGE',
  'INGEST_OVERLOADED',
  'SERVER_BUSY',
  'REQUEST_TIMEOUT',
  'HOST_NOT_ALLOWED',
  'ORIGIN_NOT_ALLOWED',
  'QUERY_INVALID',
  'QUERY_UNKNOWN_COLUMN',
  'QUERY_UNKNOWN_DATASET',
  'QUERY_TYPE_MISMATCH',
  'QUERY_TOO_LARGE',
  'QUERY_TIMEOUT',
  'QUERY_CANCELLED',
  'QUERY_BUSY',
  'NOT_FOUND',
  'BAD_REQUEST',
  'PRICING_INVALID',
  'STORAGE_FAILED',
  'SERVER_UNREACHABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  /**
   * `options.cause`: the error this one wraps (an engine's, a library's), kept for the server log; the
   * message is what a client may be shown, the cause never is.
   */
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
