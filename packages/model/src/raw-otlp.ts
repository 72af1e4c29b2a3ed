/**
 * Signal-neutral shapes that an OTLP decoder (protobuf or JSON) produces and normalisation consumes.
 * Times are integer microseconds since the Unix epoch (exact: OTLP nanoseconds floor-divided by 1000).
 * Ids are lowercase hex strings ('' when absent). int64 values become numbers (exact below 2^53).
 */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

export interface RawResource {
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface RawScope {
  name: string;
  version: string;
  attributes: Attributes;
}

export interface RawEvent {
  timeUs: number;
  name: string;
  attributes: Attributes;
}

export interface RawLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

export interface RawSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  /** OTLP SpanKind number: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startUs: number;
  endUs: number;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: RawEvent[];
  links: RawLink[];
  /** OTLP StatusCode number: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  /**
   * Why the decoder could not read this span ('attributes (field 9) has wire type 0, expected 2'):
   * normalisation rejects it (OTLP partial success) and keeps the rest of the batch. Absent when read whole.
   */
  malformed?: string;
}

export interface RawScopeSpans {
  scope: RawScope;
  spans: RawSpan[];
}

export interface RawResourceSpans {
  resource: RawResource;
  scopeSpans: RawScopeSpans[];
}

export interface RawLogRecord {
  timeUs: number;
  observedTimeUs: number;
  severityNumber: number;
  severityText: string;
  body: AttrValue;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
  /**
   * Why the decoder could not read this log record ('attributes (field 9) has wire type 0, expected 2'):
   * normalisation rejects it (OTLP partial success) and keeps the rest of the batch. Absent when read whole.
   */
  malformed?: string;
}

export interface RawScopeLogs {
  scope: RawScope;
  logRecords: RawLogRecord[];
}

export interface RawResourceLogs {
  resource: RawResource;
  scopeLogs: RawScopeLogs[];
}

export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

export interface RawDataPoint {
  startUs: number;
  timeUs: number;
  attributes: Attributes;
  flags: number;
  /** gauge and sum */
  value?: number;
  /** histogram, exponential histogram, summary */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  /** histogram */
  bucketCounts?: number[];
  explicitBounds?: number[];
  /** exponential histogram */
  scale?: number;
  zeroCount?: number;
  positive?: { offset: number; bucketCounts: number[] };
  negative?: { offset: number; bucketCounts: number[] };
  /** summary */
  quantiles?: { quantile: number; value: number }[];
  /**
   * Why the decoder could not read this data point ('attributes (field 9) has wire type 0, expected 2'):
   * normalisation rejects it (OTLP partial success) and keeps the rest of the batch. Absent when read whole.
   */
  malformed?: string;
}

export interface RawMetric {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  /** 0 unspecified, 1 delta, 2 cumulative (sum, histogram, exponential histogram) */
  aggregationTemporality: number;
  isMonotonic: boolean;
  dataPoints: RawDataPoint[];
  /**
   * Why the decoder could not read this metric (outside its data points: its points are rejected with it) ('attributes (field 9) has wire type 0, expected 2'):
   * normalisation rejects it (OTLP partial success) and keeps the rest of the batch. Absent when read whole.
   */
  malformed?: string;
}

export interface RawScopeMetrics {
  scope: RawScope;
  metrics: RawMetric[];
}

export interface RawResourceMetrics {
  resource: RawResource;
  scopeMetrics: RawScopeMetrics[];
}
