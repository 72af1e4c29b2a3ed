import type { MetricType, RawDataPoint, RawMetric, RawResourceMetrics } from '@loopline/model';
import { decodeEnvelope, decodeItem, decodeRequest } from './proto-common-decoder.ts';
import {
  decodeExponentialHistogramPoint,
  decodeHistogramPoint,
  decodeNumberPoint,
  decodeSummaryPoint,
} from './proto-data-point-decoder.ts';
import { envelopeFields, LEN, type MessageFields, messageFields, VARINT } from './proto-fields.ts';
import { ProtoReader } from './proto-reader.ts';

type PointDecoder = (r: ProtoReader, end: number) => RawDataPoint;

const ENVELOPE = envelopeFields('Metrics', 'Metrics', 'metrics');
const METRIC_FIELDS = messageFields('Metric', {
  1: ['name', LEN],
  2: ['description', LEN],
  3: ['unit', LEN],
  5: ['gauge', LEN],
  7: ['sum', LEN],
  9: ['histogram', LEN],
  10: ['exponential_histogram', LEN],
  11: ['summary', LEN],
  12: ['metadata', LEN],
});

/**
 * Decodes an OTLP ExportMetricsServiceRequest (protobuf). Throws AppError('OTLP_MALFORMED_BODY') when the
 * envelope is not well-formed; a metric or a data point that is not comes back `malformed` (as in
 * decodeTracesProto). A metric with none of gauge, sum, histogram, exponential_histogram or summary set
 * carries no data points and is left out.
 */
export function decodeMetricsProto(bytes: Uint8Array): RawResourceMetrics[] {
  return decodeRequest(new ProtoReader(bytes), ENVELOPE, decodeResourceMetrics);
}

function decodeResourceMetrics(r: ProtoReader, end: number): RawResourceMetrics {
  const { resource, scopes } = decodeEnvelope(r, end, ENVELOPE, decodeMetric);
  return { resource, scopeMetrics: scopes.map(({ scope, items }) => ({ scope, metrics: items })) };
}

interface DataKind {
  type: MetricType;
  decodePoint: PointDecoder;
  fields: MessageFields;
}

/** The `data` oneof of Metric: field key → metric type, point decoder and its message's fields. */
const DATA_KINDS: ReadonlyMap<number, DataKind> = new Map<number, DataKind>([
  [42, dataKind('gauge', 'Gauge', decodeNumberPoint)],
  [58, dataKind('sum', 'Sum', decodeNumberPoint)],
  [74, dataKind('histogram', 'Histogram', decodeHistogramPoint)],
  [82, dataKind('exponential_histogram', 'ExponentialHistogram', decodeExponentialHistogramPoint)],
  [90, dataKind('summary', 'Summary', decodeSummaryPoint)],
]);

function dataKind(type: MetricType, message: string, decodePoint: PointDecoder): DataKind {
  const fields: Record<number, readonly [string, number]> = { 1: ['data_points', LEN] };
  if (type !== 'gauge' && type !== 'summary') fields[2] = ['aggregation_temporality', VARINT];
  if (type === 'sum') fields[3] = ['is_monotonic', VARINT];
  return { type, decodePoint, fields: messageFields(message, fields) };
}

function decodeMetric(r: ProtoReader, end: number): RawMetric | undefined {
  const metric: RawMetric = {
    name: '',
    description: '',
    unit: '',
    type: 'gauge',
    aggregationTemporality: 0,
    isMonotonic: false,
    dataPoints: [],
  };
  let hasData = false;
  decodeItem(r, end, metric, (r, end, metric) => {
    hasData = decodeMetricFields(r, end, metric);
  });
  return hasData || metric.malformed !== undefined ? metric : undefined;
}

/** A Metric's fields into `metric`; true when it has data (one of the `data` oneof). */
function decodeMetricFields(r: ProtoReader, end: number, metric: RawMetric): boolean {
  let hasData = false;
  while (r.pos < end) {
    const tag = r.tag();
    const kind = DATA_KINDS.get(tag);
    if (kind !== undefined) {
      // A later member of the oneof replaces an earlier one, as protobuf specifies.
      metric.type = kind.type;
      metric.aggregationTemporality = 0;
      metric.isMonotonic = false;
      metric.dataPoints = [];
      decodeMetricData(r, r.end(end), metric, kind);
      hasData = true;
    } else if (tag === 10) metric.name = r.string(end);
    else if (tag === 18) metric.description = r.string(end);
    else if (tag === 26) metric.unit = r.string(end);
    else r.skip(tag, end, METRIC_FIELDS);
  }
  r.expectEnd(end);
  return hasData;
}

/**
 * Gauge, Sum, Histogram, ExponentialHistogram and Summary share their layout: 1 data_points,
 * 2 aggregation_temporality (not in gauge and summary), 3 is_monotonic (sum only).
 */
function decodeMetricData(r: ProtoReader, end: number, metric: RawMetric, kind: DataKind): void {
  const hasTemporality = metric.type !== 'gauge' && metric.type !== 'summary';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) metric.dataPoints.push(kind.decodePoint(r, r.end(end)));
    else if (tag === 16 && hasTemporality) metric.aggregationTemporality = r.int32();
    else if (tag === 24 && metric.type === 'sum') metric.isMonotonic = r.bool();
    else r.skip(tag, end, kind.fields);
  }
  r.expectEnd(end);
}
