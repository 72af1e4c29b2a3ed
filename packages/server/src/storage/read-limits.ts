import { AppError, isAppError } from '@loopline/model';
import type { QueryOptions } from './storage.ts';

/** What one read may cost: every statement a client can start is bounded in time and size. */
export interface ReadLimits {
  /** time limit when the caller gives none (waiting for a reader included) */
  timeoutMs: number;
  /** rows one statement may return; more is refused before any is converted */
  maxRows: number;
  /** string characters (and 8 per other value) one statement may return */
  maxBytes: number;
}

/**
 * Defaults: a query runs 30 s at most unless asked otherwise (up to the server's maximum); 100,000 rows
 * or 64 MiB of values per statement (a 100,000-row result took 1.7 s to turn into JS objects, and its JSON
 * must stay far from V8's string limit, which a heavy breakdown once hit).
 */
export const DEFAULT_READ_LIMITS: ReadLimits = {
  timeoutMs: 30_000,
  maxRows: 100_000,
  maxBytes: 64 * 1024 * 1024,
};

/**
 * Reader connections by default: queries that run at once. Each running statement holds one of libuv's
 * four pool threads in the DuckDB binding, so three leave one for the writer's checkpoint.
 */
export const DEFAULT_READERS = 3;

export interface Deadline {
  /** aborted with a `QUERY_TIMEOUT` or `QUERY_CANCELLED` AppError as its reason */
  signal: AbortSignal;
  dispose(): void;
}

/** One signal for a read: the caller's (client gone → cancelled) or the time limit (→ timed out). */
export function deadlineSignal(options: QueryOptions, limits: ReadLimits): Deadline {
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? limits.timeoutMs;
  const timer = setTimeout(() => controller.abort(timedOut(options.limitMs ?? timeoutMs)), timeoutMs);
  const onCancel = (): void => controller.abort(cancelled());
  if (options.signal?.aborted) onCancel();
  else options.signal?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCancel);
    },
  };
}

export function timedOut(timeoutMs: number): AppError {
  return new AppError(
    'QUERY_TIMEOUT',
    `the query ran past its ${timeoutMs} ms time limit and was cancelled; narrow the time range or the filters, or raise timeout_ms`,
    { timeoutMs },
  );
}

export function cancelled(): AppError {
  return new AppError('QUERY_CANCELLED', 'the query was cancelled: its client went away');
}

/** The error a failed read reports: why it was stopped, our own error, or the engine's wrapped. */
export function readFailure(error: unknown, signal: AbortSignal): AppError {
  if (signal.aborted && isAppError(signal.reason)) return signal.reason;
  if (isAppError(error)) return error;
  return new AppError('STORAGE_FAILED', 'query failed in the store', undefined, { cause: error });
}
