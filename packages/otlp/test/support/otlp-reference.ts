/**
 * The reference codec for the tests: the protobufjs static code that OpenTelemetry JS generated from the
 * OTLP .proto files and shipped in @opentelemetry/otlp-transformer 0.214 (installed as the dev dependency
 * `otlp-proto-reference`), plus small mappers between protobufjs objects and the Raw* shapes. Written
 * independently of src/ on purpose (BigInt for times, Buffer for ids and base64, Object.fromEntries for
 * kvlists).
 */
import { createRequire } from 'node:module';
import type {
  Attributes,
  AttrValue,
  RawDataPoint,
  RawMetric,
  RawResource,
  RawResourceLogs,
  RawResourceMetrics,
  RawResourceSpans,
  RawScope,
} from '@loopline/model';
import {
  type PbAnyValue,
  type PbDataPoint,
  type PbKeyValue,
  type PbLogsRequest,
  type PbMetric,
  type PbMetricsRequest,
  type PbResource,
  type PbScope,
  type PbTracesRequest,
  TO_OBJECT_OPTIONS,
} from './otlp-reference-types.ts';

export type Signal = 'traces' | 'logs' | 'metrics';

interface ReferenceType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromObject(object: Record<string, unknown>): unknown;
  toObject(message: unknown, options: object): Record<string, unknown>;
}

type Collector = Record<'trace' | 'logs' | 'metrics', { v1: Record<string, ReferenceType> }>;

const generated = createRequire(import.meta.url)('otlp-proto-reference/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: Collector } };
};

const REQUEST_TYPES: Record<Signal, ReferenceType> = {
  traces: generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest as ReferenceType,
  logs: generated.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest as ReferenceType,
  metrics: generated.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest as ReferenceType,
};

export function requestType(signal: Signal): ReferenceType {
  return REQUEST_TYPES[signal];
}

/** protobufjs: a plain object (protobufjs `fromObject` conventions) → wire bytes. */
export function pbEncode(signal: Signal, object: Record<string, unknown>): Uint8Array {
  const type = requestType(signal);
  return type.encode(type.fromObject(object)).finish();
}

/** protobufjs: wire bytes → a plain object with int64 as strings and bytes as base64. */
export function pbDecodeObject(signal: Signal, bytes: Uint8Array): Record<string, unknown> {
  const type = requestType(signal);
  return type.toObject(type.decode(bytes), TO_OBJECT_OPTIONS);
}

export function pbDecodeTraces(bytes: Uint8Array): RawResourceSpans[] {
  const request = pbDecodeObject('traces', bytes) as unknown as PbTracesRequest;
  return request.resourceSpans.map((rs) => ({
    resource: resourceToRaw(rs.resource),
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: scopeToRaw(ss.scope),
      spans: ss.spans.map((span) => ({
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId),
        traceState: span.traceState,
        flags: span.flags,
        name: span.name,
        kind: span.kind,
        startUs: nanosToUs(span.startTimeUnixNano),
        endUs: nanosToUs(span.endTimeUnixNano),
        attributes: attributesToRaw(span.attributes),
        droppedAttributesCount: span.droppedAttributesCount,
        events: span.events.map((e) => ({
          timeUs: nanosToUs(e.timeUnixNano),
          name: e.name,
          attributes: attributesToRaw(e.attributes),
        })),
        links: span.links.map((l) => ({
          traceId: hex(l.traceId),
          spanId: hex(l.spanId),
          traceState: l.traceState,
          attributes: attributesToRaw(l.attributes),
        })),
        statusCode: span.status?.code ?? 0,
        statusMessage: span.status?.message ?? '',
      })),
    })),
  }));
}

export function pbDecodeLogs(bytes: Uint8Array): RawResourceLogs[] {
  const request = pbDecodeObject('logs', bytes) as unknown as PbLogsRequest;
  return request.resourceLogs.map((rl) => ({
    resource: resourceToRaw(rl.resource),
    scopeLogs: rl.scopeLogs.map((sl) => ({
      scope: scopeToRaw(sl.scope),
      logRecords: sl.logRecords.map((log) => ({
        timeUs: nanosToUs(log.timeUnixNano),
        observedTimeUs: nanosToUs(log.observedTimeUnixNano),
        severityNumber: log.severityNumber,
        severityText: log.severityText,
        body: log.body === null ? null : anyValueToRaw(log.body),
        attributes: attributesToRaw(log.attributes),
        droppedAttributesCount: log.droppedAttributesCount,
        flags: log.flags,
        traceId: hex(log.traceId),
        spanId: hex(log.spanId),
        eventName: log.eventName,
      })),
    })),
  }));
}

export function pbDecodeMetrics(bytes: Uint8Array): RawResourceMetrics[] {
  const request = pbDecodeObject('metrics', bytes) as unknown as PbMetricsRequest;
  return request.resourceMetrics.map((rm) => ({
    resource: resourceToRaw(rm.resource),
    scopeMetrics: rm.scopeMetrics.map((sm) => ({
      scope: scopeToRaw(sm.scope),
      metrics: sm.metrics.flatMap((m) => {
        const metric = metricToRaw(m);
        return metric === undefined ? [] : [metric];
      }),
    })),
  }));
}

const METRIC_TYPES = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponentialHistogram: 'exponential_histogram',
  summary: 'summary',
} as const;

function metricToRaw(m: PbMetric): RawMetric | undefined {
  if (m.data === undefined) return undefined;
  const data = m[m.data]!;
  return {
    name: m.name,
    description: m.description,
    unit: m.unit,
    type: METRIC_TYPES[m.data],
    aggregationTemporality: data.aggregationTemporality ?? 0,
    isMonotonic: data.isMonotonic ?? false,
    dataPoints: data.dataPoints.map((p) => pointToRaw(m.data!, p)),
  };
}

function pointToRaw(kind: PbMetric['data'], p: PbDataPoint): RawDataPoint {
  const point: RawDataPoint = {
    startUs: nanosToUs(p.startTimeUnixNano),
    timeUs: nanosToUs(p.timeUnixNano),
    attributes: attributesToRaw(p.attributes),
    flags: p.flags,
  };
  if (kind === 'gauge' || kind === 'sum') {
    if (p.value === 'asDouble') point.value = p.asDouble!;
    if (p.value === 'asInt') point.value = Number(p.asInt);
    return point;
  }
  point.count = Number(p.count);
  if (kind === 'summary') {
    point.sum = p.sum!;
    point.quantiles = (p.quantileValues ?? []).map((q) => ({ quantile: q.quantile, value: q.value }));
    return point;
  }
  for (const key of ['sum', 'min', 'max'] as const) if (p[key] !== undefined) point[key] = p[key];
  if (kind === 'histogram') {
    point.bucketCounts = (p.bucketCounts ?? []).map(Number);
    point.explicitBounds = p.explicitBounds ?? [];
    return point;
  }
  point.scale = p.scale!;
  point.zeroCount = Number(p.zeroCount);
  const buckets = (b: PbDataPoint['positive']): { offset: number; bucketCounts: number[] } => ({
    offset: b?.offset ?? 0,
    bucketCounts: (b?.bucketCounts ?? []).map(Number),
  });
  point.positive = buckets(p.positive);
  point.negative = buckets(p.negative);
  return point;
}

function resourceToRaw(resource: PbResource | null): RawResource {
  return {
    attributes: attributesToRaw(resource?.attributes ?? []),
    droppedAttributesCount: resource?.droppedAttributesCount ?? 0,
  };
}

function scopeToRaw(scope: PbScope | null): RawScope {
  return {
    name: scope?.name ?? '',
    version: scope?.version ?? '',
    attributes: attributesToRaw(scope?.attributes ?? []),
  };
}

function attributesToRaw(list: readonly PbKeyValue[]): Attributes {
  return Object.fromEntries(list.map((kv) => [kv.key, kv.value === null ? null : anyValueToRaw(kv.value)]));
}

function anyValueToRaw(value: PbAnyValue): AttrValue {
  switch (value.value) {
    case 'stringValue':
      return value.stringValue!;
    case 'boolValue':
      return value.boolValue!;
    case 'intValue':
      return Number(value.intValue);
    case 'doubleValue':
      return value.doubleValue!;
    case 'bytesValue':
      return value.bytesValue!;
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map(anyValueToRaw);
    case 'kvlistValue':
      return attributesToRaw(value.kvlistValue?.values ?? []);
    default:
      return null;
  }
}

function hex(base64: string): string {
  return Buffer.from(base64, 'base64').toString('hex');
}

function nanosToUs(nanos: string): number {
  return Number(BigInt(nanos) / 1000n);
}
