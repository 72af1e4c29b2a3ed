/**
 * Plain span records: what `transcriptToSpans` produces and `spansToOtlpJson` encodes. Times are Unix
 * nanoseconds as decimal strings (exact, no bigint); ids are lowercase hex.
 */

export type SpanAttributeValue = string | number | boolean | string[];
export type SpanAttributes = Record<string, SpanAttributeValue>;

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface SpanStatus {
  code: 'unset' | 'ok' | 'error';
  message?: string;
}

export interface SpanEventRecord {
  name: string;
  timeUnixNano: string;
  attributes: SpanAttributes;
}

export interface SpanRecord {
  /** 32 hex characters */
  traceId: string;
  /** 16 hex characters */
  spanId: string;
  /** 16 hex characters, or null for a root span */
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: SpanStatus;
  attributes: SpanAttributes;
  events: SpanEventRecord[];
}

/** Milliseconds since the epoch → Unix nanoseconds as a decimal string. */
export function msToUnixNano(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  return whole === 0 ? '0' : `${whole}000000`;
}
