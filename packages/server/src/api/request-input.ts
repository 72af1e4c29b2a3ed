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

/**
 * A time given as epoch seconds (`1717200000`, `1717200000.5`) or an ISO 8601 date; epoch milliseconds, or
 * undefined when the text is neither.
 */
export function parseTimeMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? ms : undefined;
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
