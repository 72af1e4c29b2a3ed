import type { MetricType, RawDataPoint, RawMetric, RawResourceMetrics } from '@loopline/model';
import {
  attributesToJson,
  doubleToJson,
  int64ToJson,
  type JsonValue,
  type OtlpJsonObject,
  resourceToJson,
  scopeToJson,
  timeToJson,
} from './json-common-encoder.ts';

/**
 * Encodes metrics as an OTLP/JSON ExportMetricsServiceRequest object (pass it to JSON.stringify). Gauge
 * and sum values are written as asDouble.
 */
export function encodeMetricsJson(resourceMetrics: readonly RawResourceMetrics[]): OtlpJsonObject {
  return {
    resourceMetrics: resourceMetrics.map((item) => ({
      resource: resourceToJson(item.resource),
      scopeMetrics: item.scopeMetrics.map((scopeMetrics) => ({
        scope: scopeToJson(scopeMetrics.scope),
        metrics: scopeMetrics.metrics.map(metricToJson),
      })),
    })),
  };
}

const DATA_NAMES: Record<MetricType, string> = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponential_histogram: 'exponentialHistogram',
  summary: 'summary',
};

function metricToJson(metric: RawMetric): OtlpJsonObject {
  const data: OtlpJsonObject = {
    dataPoints: metric.dataPoints.map((point) => pointToJson(metric.type, point)),
  };
  if (metric.type !== 'gauge' && metric.type !== 'summary') {
    data.aggregationTemporality = metric.aggregationTemporality;
  }
  if (metric.type === 'sum') data.isMonotonic = metric.isMonotonic;
  return {
    name: metric.name,
    description: metric.description,
    unit: metric.unit,
    [DATA_NAMES[metric.type]]: data,
  };
}

function pointToJson(type: MetricType, point: RawDataPoint): OtlpJsonObject {
  const out: OtlpJsonObject = {
    startTimeUnixNano: timeToJson(point.startUs),
    timeUnixNano: timeToJson(point.timeUs),
    attributes: attributesToJson(point.attributes),
    flags: point.flags,
  };
  if (type === 'gauge' || type === 'sum') {
    if (point.value !== undefined) out.asDouble = doubleToJson(point.value);
    return out;
  }
  out.count = int64ToJson(point.count ?? 0);
  for (const key of ['sum', 'min', 'max'] as const) {
    const value = point[key];
    if (value !== undefined) out[key] = doubleToJson(value);
  }
  if (type === 'histogram') {
    out.bucketCounts = (point.bucketCounts ?? []).map(int64ToJson);
    out.explicitBounds = (point.explicitBounds ?? []).map(doubleToJson);
  } else if (type === 'exponential_histogram') {
    Object.assign(out, exponentialToJson(point));
  } else {
    out.quantileValues = (point.quantiles ?? []).map((q) => ({
      quantile: doubleToJson(q.quantile),
      value: doubleToJson(q.value),
    }));
  }
  return out;
}

function exponentialToJson(point: RawDataPoint): OtlpJsonObject {
  const buckets = (value: RawDataPoint['positive']): JsonValue => ({
    offset: value?.offset ?? 0,
    bucketCounts: (value?.bucketCounts ?? []).map(int64ToJson),
  });
  return {
    scale: point.scale ?? 0,
    zeroCount: int64ToJson(point.zeroCount ?? 0),
    positive: buckets(point.positive),
    negative: buckets(point.negative),
  };
}
