/**
 * Raw* shapes → plain objects in protobufjs `fromObject` form, so protobufjs can write reference bytes.
 * Independent of src/: ids through Buffer, times through BigInt. Gauge and sum values use as_int for
 * safe integers (src/ always writes as_double), so both NumberDataPoint members get exercised. `extras`
 * adds fields Raw* does not model (schema_url, entity refs, dropped counts, exemplars, metadata, …) that a
 * decoder must skip.
 */
import type {
  Attributes,
  AttrValue,
  RawDataPoint,
  RawLogRecord,
  RawMetric,
  RawResource,
  RawResourceLogs,
  RawResourceMetrics,
  RawResourceSpans,
  RawScope,
  RawSpan,
} from '@loopline/model';

type Obj = Record<string, unknown>;

export function tracesToPbObject(items: readonly RawResourceSpans[], extras = false): Obj {
  return {
    resourceSpans: items.map((rs) => ({
      resource: resourceObject(rs.resource, extras),
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: scopeObject(ss.scope, extras),
        spans: ss.spans.map((span) => spanObject(span, extras)),
        ...(extras ? { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' } : {}),
      })),
      ...(extras ? { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' } : {}),
    })),
  };
}

function spanObject(span: RawSpan, extras: boolean): Obj {
  return {
    traceId: bytes(span.traceId),
    spanId: bytes(span.spanId),
    parentSpanId: bytes(span.parentSpanId),
    traceState: span.traceState,
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: nanos(span.startUs),
    endTimeUnixNano: nanos(span.endUs),
    attributes: keyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((e) => ({
      timeUnixNano: nanos(e.timeUs),
      name: e.name,
      attributes: keyValues(e.attributes),
      droppedAttributesCount: extras ? 2 : 0,
    })),
    links: span.links.map((l) => ({
      traceId: bytes(l.traceId),
      spanId: bytes(l.spanId),
      traceState: l.traceState,
      attributes: keyValues(l.attributes),
      flags: extras ? 0x301 : 0,
    })),
    status: { code: span.statusCode, message: span.statusMessage },
    ...(extras ? { droppedEventsCount: 3, droppedLinksCount: 4 } : {}),
  };
}

export function logsToPbObject(items: readonly RawResourceLogs[], extras = false): Obj {
  return {
    resourceLogs: items.map((rl) => ({
      resource: resourceObject(rl.resource, extras),
      scopeLogs: rl.scopeLogs.map((sl) => ({
        scope: scopeObject(sl.scope, extras),
        logRecords: sl.logRecords.map(logObject),
      })),
    })),
  };
}

function logObject(log: RawLogRecord): Obj {
  return {
    timeUnixNano: nanos(log.timeUs),
    observedTimeUnixNano: nanos(log.observedTimeUs),
    severityNumber: log.severityNumber,
    severityText: log.severityText,
    ...(log.body === null ? {} : { body: anyValue(log.body) }),
    attributes: keyValues(log.attributes),
    droppedAttributesCount: log.droppedAttributesCount,
    flags: log.flags,
    traceId: bytes(log.traceId),
    spanId: bytes(log.spanId),
    eventName: log.eventName,
  };
}

export function metricsToPbObject(items: readonly RawResourceMetrics[], extras = false): Obj {
  return {
    resourceMetrics: items.map((rm) => ({
      resource: resourceObject(rm.resource, extras),
      scopeMetrics: rm.scopeMetrics.map((sm) => ({
        scope: scopeObject(sm.scope, extras),
        metrics: sm.metrics.map((m) => metricObject(m, extras)),
      })),
    })),
  };
}

const DATA_FIELDS = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponential_histogram: 'exponentialHistogram',
  summary: 'summary',
} as const;

function metricObject(metric: RawMetric, extras: boolean): Obj {
  const data: Obj = { dataPoints: metric.dataPoints.map((p) => pointObject(metric, p, extras)) };
  if (metric.type !== 'gauge' && metric.type !== 'summary')
    data.aggregationTemporality = metric.aggregationTemporality;
  if (metric.type === 'sum') data.isMonotonic = metric.isMonotonic;
  return {
    name: metric.name,
    description: metric.description,
    unit: metric.unit,
    [DATA_FIELDS[metric.type]]: data,
    ...(extras ? { metadata: keyValues({ 'meta.key': 'meta' }) } : {}),
  };
}

function pointObject(metric: RawMetric, p: RawDataPoint, extras: boolean): Obj {
  const out: Obj = {
    startTimeUnixNano: nanos(p.startUs),
    timeUnixNano: nanos(p.timeUs),
    attributes: keyValues(p.attributes),
    flags: p.flags,
  };
  if (extras)
    out.exemplars = [{ timeUnixNano: nanos(p.timeUs), asDouble: 1.5, spanId: bytes('0102030405060708') }];
  if (p.value !== undefined) {
    if (Number.isSafeInteger(p.value) && !Object.is(p.value, -0)) out.asInt = String(p.value);
    else out.asDouble = p.value;
  }
  if (p.count !== undefined) out.count = String(BigInt(p.count));
  for (const key of ['sum', 'min', 'max'] as const) if (p[key] !== undefined) out[key] = p[key];
  if (p.bucketCounts !== undefined) out.bucketCounts = p.bucketCounts.map((n) => String(BigInt(n)));
  if (p.explicitBounds !== undefined) out.explicitBounds = p.explicitBounds;
  if (metric.type === 'exponential_histogram') {
    out.scale = p.scale ?? 0;
    out.zeroCount = String(BigInt(p.zeroCount ?? 0));
    if (extras) out.zeroThreshold = 1e-9;
    for (const side of ['positive', 'negative'] as const) {
      const b = p[side];
      if (b) out[side] = { offset: b.offset, bucketCounts: b.bucketCounts.map((n) => String(BigInt(n))) };
    }
  }
  if (p.quantiles !== undefined) out.quantileValues = p.quantiles;
  return out;
}

function resourceObject(resource: RawResource, extras: boolean): Obj {
  return {
    attributes: keyValues(resource.attributes),
    droppedAttributesCount: resource.droppedAttributesCount,
    ...(extras ? { entityRefs: [{ type: 'service', idKeys: ['service.name'], schemaUrl: 'x' }] } : {}),
  };
}

function scopeObject(scope: RawScope, extras: boolean): Obj {
  return {
    name: scope.name,
    version: scope.version,
    attributes: keyValues(scope.attributes),
    droppedAttributesCount: extras ? 7 : 0,
  };
}

export function keyValues(attributes: Attributes): Obj[] {
  return Object.keys(attributes).map((key) => ({ key, value: anyValue(attributes[key] ?? null) }));
}

export function anyValue(value: AttrValue): Obj {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    const isInt = Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63 && !Object.is(value, -0);
    return isInt ? { intValue: BigInt(value).toString() } : { doubleValue: value };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value !== null) return { kvlistValue: { values: keyValues(value) } };
  return {};
}

function bytes(hex: string): Uint8Array {
  return Buffer.from(hex, 'hex');
}

function nanos(us: number): string {
  return (BigInt(us) * 1000n).toString();
}
