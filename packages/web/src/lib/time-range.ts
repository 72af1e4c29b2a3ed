/**
 * The time range every page shares, kept in the URL: `range=7d` (relative to now) or `from`/`to` (epoch
 * seconds, absolute). Turned into the query language's `time_range` or `start_time`/`end_time`.
 */

export interface TimeRange {
  /** relative range in seconds, or null when absolute */
  seconds: number | null;
  from: number | null;
  to: number | null;
}

export const RANGE_PRESETS: readonly { label: string; value: string; seconds: number }[] = [
  { label: 'Last 15 minutes', value: '15m', seconds: 900 },
  { label: 'Last hour', value: '1h', seconds: 3600 },
  { label: 'Last 6 hours', value: '6h', seconds: 6 * 3600 },
  { label: 'Last 24 hours', value: '24h', seconds: 86_400 },
  { label: 'Last 7 days', value: '7d', seconds: 7 * 86_400 },
  { label: 'Last 30 days', value: '30d', seconds: 30 * 86_400 },
];

export const DEFAULT_RANGE = '7d';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90m` → 5400; null when not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

/** `5400` → `90m`, choosing the largest unit that divides evenly. */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    const size = UNITS[unit] as number;
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

export function readTimeRange(search: URLSearchParams): TimeRange {
  const from = Number(search.get('from'));
  const to = Number(search.get('to'));
  if (search.has('from') && search.has('to') && Number.isFinite(from) && Number.isFinite(to) && to > from) {
    return { seconds: null, from, to };
  }
  const seconds =
    parseDuration(search.get('range') ?? DEFAULT_RANGE) ?? (parseDuration(DEFAULT_RANGE) as number);
  return { seconds, from: null, to: null };
}

/** URL params for a range (to merge into a page's own params). */
export function timeRangeParams(range: TimeRange): Record<string, string> {
  if (range.seconds !== null) return { range: formatDuration(range.seconds) };
  return { from: String(range.from), to: String(range.to) };
}

/** The query-language fields for a range. */
export function timeRangeQuery(range: TimeRange): {
  time_range?: number;
  start_time?: number;
  end_time?: number;
} {
  if (range.seconds !== null) return { time_range: range.seconds };
  return { start_time: range.from as number, end_time: range.to as number };
}

export function describeTimeRange(range: TimeRange): string {
  if (range.seconds !== null) {
    const preset = RANGE_PRESETS.find((p) => p.seconds === range.seconds);
    return preset?.label ?? `Last ${formatDuration(range.seconds)}`;
  }
  const fmt = (s: number): string => new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return `${fmt(range.from as number)} – ${fmt(range.to as number)} UTC`;
}
