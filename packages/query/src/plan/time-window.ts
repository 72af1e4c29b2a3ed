import { queryInvalid } from '../spec/query-errors.ts';
import { DEFAULT_TIME_RANGE_SECONDS, type QuerySpec } from '../spec/query-spec.ts';

/** The resolved time range of a query: `[startMs, endMs)`, and the width of a series bucket. */
export interface TimeWindow {
  readonly startMs: number;
  readonly endMs: number;
  readonly granularitySeconds: number;
}

/** A series never has more buckets than this; a finer granularity is an error. */
export const MAX_BUCKETS = 1000;

/** Bucket widths (seconds) where each step at most doubles the last, so a series keeps 60-120 points. */
const NICE_GRANULARITIES = [
  1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10_800, 14_400, 21_600,
  43_200, 86_400, 172_800,
];

/** The smallest nice width giving at most 120 buckets (so at least 60 once the range exceeds 2 minutes). */
export function defaultGranularity(rangeSeconds: number): number {
  const target = rangeSeconds / 120;
  const nice = NICE_GRANULARITIES.find((seconds) => seconds >= target);
  return nice ?? Math.ceil(target / 86_400) * 86_400;
}

/** Timestamp parameters are epoch microseconds, like the stored rows. */
export const toMicros = (ms: number): number => Math.round(ms * 1000);

/**
 * Honeycomb's rules: `start_time` + `end_time` is absolute; either with `time_range` runs forwards from
 * the start or back from the end; `time_range` alone (default two hours) ends now.
 */
function resolveRangeMs(spec: QuerySpec, nowMs: number): [number, number] {
  const { start_time: start, end_time: end, time_range: range } = spec;
  if (start !== undefined && end !== undefined) {
    if (range !== undefined) {
      throw queryInvalid('time_range', 'give at most two of time_range, start_time and end_time');
    }
    return [start * 1000, end * 1000];
  }
  const rangeMs = (range ?? DEFAULT_TIME_RANGE_SECONDS) * 1000;
  if (start !== undefined) return [start * 1000, start * 1000 + rangeMs];
  const endMs = end === undefined ? nowMs : end * 1000;
  return [endMs - rangeMs, endMs];
}

export function resolveTimeWindow(spec: QuerySpec, nowMs: number): TimeWindow {
  const [startMs, endMs] = resolveRangeMs(spec, nowMs);
  if (endMs <= startMs) throw queryInvalid('end_time', 'end_time must be after start_time');
  const rangeSeconds = (endMs - startMs) / 1000;
  const minimum = Math.max(1, Math.ceil(rangeSeconds / MAX_BUCKETS));
  const granularitySeconds = spec.granularity ?? defaultGranularity(rangeSeconds);
  if (granularitySeconds < minimum) {
    throw queryInvalid(
      'granularity',
      `${granularitySeconds} s would make more than ${MAX_BUCKETS} buckets over ${rangeSeconds} s; use at least ${minimum}`,
    );
  }
  return Object.freeze({ startMs, endMs, granularitySeconds });
}
