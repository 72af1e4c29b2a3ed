import { AppError, type ErrorCode, isAppError } from '@loopline/model';

const STATUS: Readonly<Record<ErrorCode, number>> = {
  OTLP_MALFORMED_BODY: 400,
  OTLP_UNSUPPORTED_CONTENT_TYPE: 415,
  OTLP_BAD_COMPRESSION: 400,
  OTLP_BODY_TOO_LARGE: 413,
  INGEST_OVERLOADED: 503,
  SERVER_BUSY: 503,
  REQUEST_TIMEOUT: 408,
  HOST_NOT_ALLOWED: 403,
  ORIGIN_NOT_ALLOWED: 403,
  QUERY_INVALID: 400,
  QUERY_UNKNOWN_COLUMN: 400,
  QUERY_UNKNOWN_DATASET: 404,
  QUERY_TYPE_MISMATCH: 400,
  QUERY_TOO_LARGE: 400,
  // the query ran past its time limit and was cancelled in the engine
  QUERY_TIMEOUT: 504,
  // the client went away (or asked to stop); nginx's "client closed request"
  QUERY_CANCELLED: 499,
  // every reader is busy and the line is full: retry shortly
  QUERY_BUSY: 503,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  PRICING_INVALID: 400,
  STORAGE_FAILED: 500,
  SERVER_UNREACHABLE: 502,
  INTERNAL: 500,
};

/** Fastify's own errors that reach the handler, mapped onto ours */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'OTLP_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'OTLP_UNSUPPORTED_CONTENT_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
};

export interface HttpError {
  status: number;
  error: AppError;
}

/**
 * What a client is told of a failure inside the server: the code and what to do, never the engine's or
 * the runtime's own text (it names tables, paths and internals; the server log keeps it).
 */
const PUBLIC_MESSAGES: Partial<Readonly<Record<ErrorCode, string>>> = {
  STORAGE_FAILED:
    'the store could not complete the request; try again, and see the server log if it persists',
  INTERNAL: 'internal error; see the server log',
};

/** An error as a client may see it: a store or internal failure loses its message and details. */
export function publicError(error: AppError): AppError {
  const message = PUBLIC_MESSAGES[error.code];
  return message === undefined ? error : new AppError(error.code, message);
}

/**
 * The one mapping from any thrown value to a status and a stable-coded error. Never leaks a stack, nor
 * the text of a store or internal failure (callers log `thrown` itself for any status of 500 and over).
 */
export function toHttpError(thrown: unknown): HttpError {
  if (isAppError(thrown)) return { status: STATUS[thrown.code], error: publicError(thrown) };
  const fastifyCode = (thrown as { code?: string }).code;
  const mapped = fastifyCode ? FASTIFY_CODES[fastifyCode] : undefined;
  if (mapped) return { status: STATUS[mapped], error: new AppError(mapped, (thrown as Error).message) };
  if (typeof (thrown as { statusCode?: number }).statusCode === 'number') {
    const status = (thrown as { statusCode: number }).statusCode;
    if (status >= 400 && status < 500) {
      const code: ErrorCode = status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
      return { status, error: new AppError(code, (thrown as Error).message) };
    }
  }
  return { status: 500, error: new AppError('INTERNAL', 'internal error; see the server log') };
}

export function errorBody(error: AppError): { error: { code: string; message: string; details: object } } {
  return { error: { code: error.code, message: error.message, details: error.details ?? {} } };
}
