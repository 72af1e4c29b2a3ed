import type { RawDataPoint, RawMetric, RawResourceMetrics, RawScope } from '../raw-otlp.ts';
import type { MetricPointRow } from '../span-row.ts';
import { SlotScratch } from './attribute-slots.ts';
import { datasetFromSlots, mergedAttributesJson, sampleRateFromSlots } from './common-columns.ts';
import { IssueCollector } from './issues.ts';
import {
  clockUs,
  mergeItemOverResource,
  type NormalizeOptions,
  type NormalizeResult,
  type PreparedResource,
  prepareResource,
  prepareScope,
} from './normalize-options.ts';
import { redactAttributes } from './redact.ts';
import { type Rejection, timeRejection } from './time-bounds.ts';

const TEMPORALITIES = ['unspecified', 'delta', 'cumulative'];
const METRIC_TYPES: ReadonlySet<string> = new Set([
  'gauge',
  'sum',
  'histogram',
  'exponential_histogram',
  'summary',
]);

/**
 * OTLP metrics → one MetricPointRow per data point. `buckets` JSON: histogram
 * `{"bounds":[…],"counts":[…]}`; exponential histogram
 * `{"scale":…,"zero_count":…,"positive":{"offset":…,"counts":[…]},"negative":{…}}`; summary
 * `{"quantiles":[{"quantile":…,"value":…}]}`; '' for gauges and sums. A metric without a name, with
 * an unknown type or that the decoder could not read has all its points rejected; a point the decoder
 * could not read, or whose time or start time lies outside the stored window (time-bounds.ts), alone.
 */
export function normalizeMetrics(
  batch: RawResourceMetrics[],
  options: NormalizeOptions,
): NormalizeResult<MetricPointRow> {
  const issues = new IssueCollector();
  const nowUs = clockUs(options);
  const scratch = new SlotScratch();
  const rows: MetricPointRow[] = [];
  let rejected = 0;
  for (const resourceMetrics of batch) {
    const resource = prepareResource(resourceMetrics.resource.attributes, options.captureContent);
    for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
      const scoped = prepareScope(resource, scope, options.captureContent);
      for (const metric of metrics) {
        const problem = metricProblem(metric);
        if (problem !== null) {
          // a metric the decoder could not read may have lost its points: it counts as one at least
          rejected += Math.max(metric.dataPoints.length, metric.malformed === undefined ? 0 : 1);
          issues.add(problem, metric.name);
          continue;
        }
        for (const point of metric.dataPoints) {
          const pointProblem = dataPointProblem(point, nowUs);
          if (pointProblem !== null) {
            rejected++;
            issues.add(pointProblem.problem, pointProblem.example || metric.name);
            continue;
          }
          rows.push(
            pointRow(point, metric, scope, scoped, {
              captureContent: options.captureContent,
              nowUs,
              scratch,
            }),
          );
        }
      }
    }
  }
  return { rows, rejected, errors: issues.messages() };
}

function metricProblem(metric: RawMetric): string | null {
  if (metric.malformed !== undefined) return `metric rejected: ${metric.malformed}`;
  if (metric.name === '') return 'metric rejected: it has no name';
  if (!METRIC_TYPES.has(metric.type)) return 'metric rejected: unknown metric type';
  return null;
}

/** Why a point is rejected: the decoder could not read it, or a time is outside the stored window. */
function dataPointProblem(point: RawDataPoint, nowUs: () => number): Rejection | null {
  if (point.malformed !== undefined) {
    return { problem: `data point rejected: ${point.malformed}`, example: '' };
  }
  return (
    timeRejection('data point rejected: time', point.timeUs, nowUs) ??
    timeRejection('data point rejected: start time', point.startUs, nowUs)
  );
}

interface PointContext {
  captureContent: boolean;
  nowUs: () => number;
  scratch: SlotScratch;
}

function pointRow(
  point: RawDataPoint,
  metric: RawMetric,
  scope: RawScope,
  resource: PreparedResource,
  context: PointContext,
): MetricPointRow {
  const { captureContent, nowUs, scratch } = context;
  const { attributes } = redactAttributes(point.attributes, { captureContent });
  scratch.reset();
  scratch.collect(attributes);
  scratch.fillMissing(resource.slots);
  const slots = scratch.slots;
  const timestamp = point.timeUs > 0 ? point.timeUs : nowUs();
  const scalar = metric.type === 'gauge' || metric.type === 'sum';
  return {
    timestamp,
    // a point without a start time has none: its own time would claim an interval of zero length
    start_timestamp: point.startUs > 0 ? point.startUs : null,
    dataset: datasetFromSlots(resource.slots.slots),
    scope_name: scope.name,
    scope_version: scope.version,
    metric_name: metric.name,
    description: metric.description,
    unit: metric.unit,
    metric_type: metric.type,
    temporality: temporalityOf(metric),
    // monotonicity is a property of sums only
    is_monotonic: metric.type === 'sum' ? metric.isMonotonic : null,
    value: scalar ? (point.value ?? null) : null,
    count: scalar ? null : (point.count ?? null),
    sum: scalar ? null : (point.sum ?? null),
    min: scalar ? null : (point.min ?? null),
    max: scalar ? null : (point.max ?? null),
    buckets: bucketsJson(point, metric),
    sample_rate: sampleRateFromSlots(slots),
    attributes: mergedAttributesJson(
      resource.attributes,
      resource.fragment,
      attributes,
      mergeItemOverResource,
    ),
  };
}

/** Only sums and (exponential) histograms carry an aggregation temporality. */
function temporalityOf(metric: RawMetric): string {
  if (metric.type === 'gauge' || metric.type === 'summary') return 'unspecified';
  return TEMPORALITIES[metric.aggregationTemporality] ?? 'unspecified';
}

function bucketsJson(point: RawDataPoint, metric: RawMetric): string {
  switch (metric.type) {
    case 'histogram':
      return JSON.stringify({ bounds: point.explicitBounds ?? [], counts: point.bucketCounts ?? [] });
    case 'exponential_histogram':
      return JSON.stringify({
        scale: point.scale ?? 0,
        zero_count: point.zeroCount ?? 0,
        positive: exponentialBuckets(point.positive),
        negative: exponentialBuckets(point.negative),
      });
    case 'summary':
      return JSON.stringify({ quantiles: point.quantiles ?? [] });
    default:
      return '';
  }
}

function exponentialBuckets(buckets: RawDataPoint['positive']): { offset: number; counts: number[] } {
  return { offset: buckets?.offset ?? 0, counts: buckets?.bucketCounts ?? [] };
}
