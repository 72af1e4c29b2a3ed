import type { MetricType, RawDataPoint, RawMetric, RawResourceMetrics } from '@loopline/model';
import { decodeEnvelope, decodeRequest } from './proto-common-decoder.ts';
import {
  decodeExponentialHistogramPoint,
  decodeHistogramPoint,
  decodeNumberPoint,
  decodeSummaryPoint,
} from './proto-data-point-decoder.ts';
import { ProtoReader } from './proto-reader.ts';

type PointDecoder = (r: ProtoReader, end: number) => RawDataPoint;

/**
 * Decodes an OTLP ExportMetricsServiceRequest (protobuf). Throws AppError('OTLP_MALFORMED_BODY') when the
 * bytes are not a well-formed message; unknown fields are skipped. A metric with none of gauge, sum,
 * histogram, exponential_histogram or summary set carries no data points and is left out.
 */
export function decodeMetricsProto(bytes: Uint8Array): RawResourceMetrics[] {
  return decodeRequest(new ProtoReader(bytes), decodeResourceMetrics);
}

function decodeResourceMetrics(r: ProtoReader, end: number): RawResourceMetrics {
  const { resource, scopes } = decodeEnvelope(r, end, decodeMetric);
  return { resource, scopeMetrics: scopes.map(({ scope, items }) => ({ scope, metrics: items })) };
}

/** The `data` oneof of Metric: field key → metric type and point decoder. */
const DATA_KINDS: ReadonlyMap<number, { type: MetricType; decodePoint: PointDecoder }> = new Map([
  [42, { type: 'gauge', decodePoint: decodeNumberPoint }],
  [58, { type: 'sum', decodePoint: decodeNumberPoint }],
  [74, { type: 'histogram', decodePoint: decodeHistogramPoint }],
  [82, { type: 'exponential_histogram', decodePoint: decodeExponentialHistogramPoint }],
  [90, { type: 'summary', decodePoint: decodeSummaryPoint }],
]);

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
  while (r.pos < end) {
    const tag = r.tag();
    const kind = DATA_KINDS.get(tag);
    if (kind !== undefined) {
      // A later member of the oneof replaces an earlier one, as protobuf specifies.
      metric.type = kind.type;
      metric.aggregationTemporality = 0;
      metric.isMonotonic = false;
      metric.dataPoints = [];
      decodeMetricData(r, r.end(end), metric, kind.decodePoint);
      hasData = true;
    } else if (tag === 10) metric.name = r.string(end);
    else if (tag === 18) metric.description = r.string(end);
    else if (tag === 26) metric.unit = r.string(end);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return hasData ? metric : undefined;
}

/**
 * Gauge, Sum, Histogram, ExponentialHistogram and Summary share their layout: 1 data_points,
 * 2 aggregation_temporality (not in gauge and summary), 3 is_monotonic (sum only).
 */
function decodeMetricData(r: ProtoReader, end: number, metric: RawMetric, decodePoint: PointDecoder): void {
  const hasTemporality = metric.type !== 'gauge' && metric.type !== 'summary';
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) metric.dataPoints.push(decodePoint(r, r.end(end)));
    else if (tag === 16 && hasTemporality) metric.aggregationTemporality = r.int32();
    else if (tag === 24 && metric.type === 'sum') metric.isMonotonic = r.bool();
    else r.skip(tag, end);
  }
  r.expectEnd(end);
}
