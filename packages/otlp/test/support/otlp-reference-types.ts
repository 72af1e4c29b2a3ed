/** Shapes of protobufjs `toObject(message, TO_OBJECT_OPTIONS)` output for the OTLP requests. */
import type protobuf from 'protobufjs';

export const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = {
  longs: String,
  bytes: String,
  defaults: true,
  arrays: true,
  oneofs: true,
};

export interface PbAnyValue {
  value?:
    | 'stringValue'
    | 'boolValue'
    | 'intValue'
    | 'doubleValue'
    | 'arrayValue'
    | 'kvlistValue'
    | 'bytesValue';
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values: PbAnyValue[] };
  kvlistValue?: { values: PbKeyValue[] };
}

export interface PbKeyValue {
  key: string;
  value: PbAnyValue | null;
}

export interface PbResource {
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
}

export interface PbScope {
  name: string;
  version: string;
  attributes: PbKeyValue[];
}

export interface PbSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
  events: { timeUnixNano: string; name: string; attributes: PbKeyValue[] }[];
  links: { traceId: string; spanId: string; traceState: string; attributes: PbKeyValue[] }[];
  status: { code: number; message: string } | null;
}

export interface PbTracesRequest {
  resourceSpans: {
    resource: PbResource | null;
    scopeSpans: { scope: PbScope | null; spans: PbSpan[] }[];
  }[];
}

export interface PbLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: PbAnyValue | null;
  attributes: PbKeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
}

export interface PbLogsRequest {
  resourceLogs: {
    resource: PbResource | null;
    scopeLogs: { scope: PbScope | null; logRecords: PbLogRecord[] }[];
  }[];
}

export interface PbBuckets {
  offset: number;
  bucketCounts: string[];
}

export interface PbDataPoint {
  attributes: PbKeyValue[];
  startTimeUnixNano: string;
  timeUnixNano: string;
  flags: number;
  value?: 'asDouble' | 'asInt';
  asDouble?: number;
  asInt?: string;
  count?: string;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: string[];
  explicitBounds?: number[];
  scale?: number;
  zeroCount?: string;
  positive?: PbBuckets | null;
  negative?: PbBuckets | null;
  quantileValues?: { quantile: number; value: number }[];
}

interface PbMetricData {
  dataPoints: PbDataPoint[];
  aggregationTemporality?: number;
  isMonotonic?: boolean;
}

export interface PbMetric {
  name: string;
  description: string;
  unit: string;
  data?: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
  gauge?: PbMetricData;
  sum?: PbMetricData;
  histogram?: PbMetricData;
  exponentialHistogram?: PbMetricData;
  summary?: PbMetricData;
}

export interface PbMetricsRequest {
  resourceMetrics: {
    resource: PbResource | null;
    scopeMetrics: { scope: PbScope | null; metrics: PbMetric[] }[];
  }[];
}
