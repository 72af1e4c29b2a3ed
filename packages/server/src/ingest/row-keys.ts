import type { LogRow, MetricPointRow, SpanRow } from '@loopline/model';
import type { SpanKey } from './recent-span-ids.ts';

/**
 * What makes two rows the same row, as the duplicate filter (`RecentSpanIds`) keys them. A span is its
 * trace and span id, service, name and start time. A log record or a metric point has no id of its own,
 * so its key is everything its sender said about it: a log's time, trace context, event, severity, body,
 * scope and attributes (not the time it was observed at); a point's series (name, type, temporality, unit,
 * attributes), start and end time and values. An exact resend of a request matches, while two records
 * that differ in any of these stay two records. The table is part of the key,
 * so a log record never matches a span.
 */
export const ROW_KEYS: {
  spans: (row: SpanRow) => SpanKey;
  logs: (row: LogRow) => SpanKey;
  metrics: (row: MetricPointRow) => SpanKey;
} = {
  spans: (row) => row,
  logs: (row) => ({
    trace_id: row.trace_id,
    span_id: row.span_id,
    dataset: `logs\u0000${row.dataset}\u0000${row.scope_name}\u0000${row.scope_version ?? ''}`,
    name: fields(row.event_name, row.severity_number, row.severity_text, row.body, row.attributes),
    timestamp: row.timestamp,
  }),
  metrics: (row) => ({
    trace_id: '',
    span_id: '',
    dataset: `metrics\u0000${row.dataset}\u0000${row.scope_name}\u0000${row.scope_version ?? ''}`,
    name: fields(
      row.metric_name,
      row.metric_type,
      row.temporality,
      row.start_timestamp,
      row.attributes,
      row.value,
      row.count,
      row.sum,
      row.min,
      row.max,
      row.buckets,
      row.unit,
    ),
    timestamp: row.timestamp,
  }),
};

/** Values as one string, each prefixed with its length, so no two lists of values give the same text. */
function fields(...values: unknown[]): string {
  let out = '';
  for (const value of values) {
    const text = value === null || value === undefined ? '' : String(value);
    out += value === null || value === undefined ? '-;' : `${text.length}:${text};`;
  }
  return out;
}
