import { AppError } from '@loopline/model';
import type { z } from 'zod';

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
    .join('');
}

/**
 * Validates a request body or query string with a zod schema; a failure is `BAD_REQUEST` whose message
 * names each bad field and what it allows (`limit: a whole number from 1 to 500`).
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = formatPath(issue.path);
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  throw new AppError('BAD_REQUEST', `${what}: ${problems.join('; ')}`, { problems });
}

/** The latest time a request may name, as in the query language (year 3000; the store counts microseconds). */
export const MAX_TIME_MS = 32_503_680_000_000;

/**
 * A time given as epoch seconds (`1717200000`, `1717200000.5`) or an ISO 8601 date, from 1970 to the year
 * 3000; epoch milliseconds, or undefined when the text is neither (or out of that range: a time past
 * int64 microseconds failed in the store).
 */
export function parseTimeMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let ms: number;
  if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) ms = Date.parse(trimmed);
  else return undefined;
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIME_MS ? ms : undefined;
}

export interface TimeRangeInput {
  time_range?: number | undefined;
  start?: number | undefined;
  end?: number | undefined;
}

/**
 * Like the query language: `start` + `end` is absolute; either with `time_range` runs forwards from the
 * start or back from the end; `time_range` alone (default `defaultSeconds`) ends now. Epoch milliseconds.
 */
export function resolveTimeRange(
  input: TimeRangeInput,
  defaultSeconds: number,
  nowMs: number,
): { startMs: number; endMs: number } {
  const { time_range: range, start, end } = input;
  if (start !== undefined && end !== undefined) {
    if (range !== undefined) {
      throw new AppError('BAD_REQUEST', 'give at most two of time_range, start and end');
    }
    if (end <= start) throw new AppError('BAD_REQUEST', 'end must be after start');
    return { startMs: start, endMs: end };
  }
  const rangeMs = (range ?? defaultSeconds) * 1000;
  if (start !== undefined) return { startMs: start, endMs: start + rangeMs };
  const endMs = end ?? nowMs;
  return { startMs: endMs - rangeMs, endMs };
}

export const isoFromMicros = (value: unknown): string | null =>
  typeof value === 'number' ? new Date(value / 1000).toISOString() : null;
