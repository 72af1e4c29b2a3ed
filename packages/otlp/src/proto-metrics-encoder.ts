import type {
  MetricType,
  RawDataPoint,
  RawMetric,
  RawResourceMetrics,
  RawScopeMetrics,
} from '@loopline/model';
import { encodeAttributes, encodeRequest, encodeResource, encodeScope } from './proto-common-encoder.ts';
import type { ProtoWriter } from './proto-writer.ts';

/**
 * Encodes an OTLP ExportMetricsServiceRequest (protobuf bytes); times go from microseconds to nanoseconds.
 * Gauge and sum values are written as as_double (every JS number is one, so nothing is lost).
 */
export function encodeMetricsProto(resourceMetrics: readonly RawResourceMetrics[]): Uint8Array {
  return encodeRequest(resourceMetrics, encodeResourceMetrics);
}

function encodeResourceMetrics(w: ProtoWriter, item: RawResourceMetrics): void {
  encodeResource(w, 1, item.resource);
  for (const scopeMetrics of item.scopeMetrics) {
    const start = w.fork();
    encodeScopeMetrics(w, scopeMetrics);
    w.ldelim(2, start);
  }
}

function encodeScopeMetrics(w: ProtoWriter, item: RawScopeMetrics): void {
  encodeScope(w, 1, item.scope);
  for (const metric of item.metrics) {
    const start = w.fork();
    encodeMetric(w, metric);
    w.ldelim(2, start);
  }
}

type PointEncoder = (w: ProtoWriter, point: RawDataPoint) => void;

/** Metric `data` oneof field number, and the point encoder, per metric type. */
const DATA_FIELDS: Record<MetricType, { field: number; encodePoint: PointEncoder }> = {
  gauge: { field: 5, encodePoint: encodeNumberPoint },
  sum: { field: 7, encodePoint: encodeNumberPoint },
  histogram: { field: 9, encodePoint: encodeHistogramPoint },
  exponential_histogram: { field: 10, encodePoint: encodeExponentialHistogramPoint },
  summary: { field: 11, encodePoint: encodeSummaryPoint },
};

function encodeMetric(w: ProtoWriter, metric: RawMetric): void {
  w.stringField(1, metric.name);
  w.stringField(2, metric.description);
  w.stringField(3, metric.unit);
  const { field, encodePoint } = DATA_FIELDS[metric.type];
  const start = w.fork();
  for (const point of metric.dataPoints) {
    const pointStart = w.fork();
    encodePoint(w, point);
    w.ldelim(1, pointStart);
  }
  if (metric.type !== 'gauge' && metric.type !== 'summary') w.int32Field(2, metric.aggregationTemporality);
  if (metric.type === 'sum') w.boolField(3, metric.isMonotonic);
  w.ldelim(field, start);
}

/** NumberDataPoint: 2 start, 3 time, 4 as_double, 7 attributes, 8 flags. */
function encodeNumberPoint(w: ProtoWriter, point: RawDataPoint): void {
  w.timeField(2, point.startUs);
  w.timeField(3, point.timeUs);
  if (point.value !== undefined) {
    w.key(4, 1);
    w.double(point.value);
  }
  encodeAttributes(w, 7, point.attributes);
  w.uint32Field(8, point.flags);
}

/** HistogramDataPoint: 2 start, 3 time, 4 count, 5 sum, 6 bucket_counts, 7 explicit_bounds, 9, 10, 11, 12. */
function encodeHistogramPoint(w: ProtoWriter, point: RawDataPoint): void {
  w.timeField(2, point.startUs);
  w.timeField(3, point.timeUs);
  w.fixed64Field(4, point.count ?? 0);
  writeOptionalDouble(w, 5, point.sum);
  writePacked(w, 6, point.bucketCounts, (value) => w.fixed64(value));
  writePacked(w, 7, point.explicitBounds, (value) => w.double(value));
  encodeAttributes(w, 9, point.attributes);
  w.uint32Field(10, point.flags);
  writeOptionalDouble(w, 11, point.min);
  writeOptionalDouble(w, 12, point.max);
}

/** ExponentialHistogramDataPoint: 1 attributes, 2 start, 3 time, 4 count, 5 sum, 6 scale, 7 zero_count, … */
function encodeExponentialHistogramPoint(w: ProtoWriter, point: RawDataPoint): void {
  encodeAttributes(w, 1, point.attributes);
  w.timeField(2, point.startUs);
  w.timeField(3, point.timeUs);
  w.fixed64Field(4, point.count ?? 0);
  writeOptionalDouble(w, 5, point.sum);
  if (point.scale) {
    w.key(6, 0);
    w.sint32(point.scale);
  }
  w.fixed64Field(7, point.zeroCount ?? 0);
  encodeBuckets(w, 8, point.positive);
  encodeBuckets(w, 9, point.negative);
  w.uint32Field(10, point.flags);
  writeOptionalDouble(w, 12, point.min);
  writeOptionalDouble(w, 13, point.max);
}

/** SummaryDataPoint: 2 start, 3 time, 4 count, 5 sum, 6 quantile_values, 7 attributes, 8 flags. */
function encodeSummaryPoint(w: ProtoWriter, point: RawDataPoint): void {
  w.timeField(2, point.startUs);
  w.timeField(3, point.timeUs);
  w.fixed64Field(4, point.count ?? 0);
  w.doubleField(5, point.sum ?? 0);
  for (const { quantile, value } of point.quantiles ?? []) {
    const start = w.fork();
    w.doubleField(1, quantile);
    w.doubleField(2, value);
    w.ldelim(6, start);
  }
  encodeAttributes(w, 7, point.attributes);
  w.uint32Field(8, point.flags);
}

function encodeBuckets(w: ProtoWriter, field: number, buckets: RawDataPoint['positive']): void {
  if (buckets === undefined) return;
  const start = w.fork();
  if (buckets.offset) {
    w.key(1, 0);
    w.sint32(buckets.offset);
  }
  writePacked(w, 2, buckets.bucketCounts, (value) => w.uint64(value));
  w.ldelim(field, start);
}

function writeOptionalDouble(w: ProtoWriter, field: number, value: number | undefined): void {
  if (value === undefined) return;
  w.key(field, 1);
  w.double(value);
}

function writePacked(
  w: ProtoWriter,
  field: number,
  values: readonly number[] | undefined,
  write: (value: number) => void,
): void {
  if (values === undefined || values.length === 0) return;
  const start = w.fork();
  for (const value of values) write(value);
  w.ldelim(field, start);
}
