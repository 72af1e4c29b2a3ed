import type {
  MetricType,
  RawDataPoint,
  RawMetric,
  RawResourceMetrics,
  RawScopeMetrics,
} from '@loopline/model';
import { decodeJsonRequest, decodeResourceJson, decodeScopeJson } from './json-common-decoder.ts';
import {
  decodeExponentialHistogramPointJson,
  decodeHistogramPointJson,
  decodeNumberPointJson,
  decodeSummaryPointJson,
} from './json-data-point-decoder.ts';
import type { JsonPath } from './json-path.ts';
import {
  type JsonObject,
  mapItems,
  mapObjects,
  readBool,
  readEnum,
  readObject,
  readString,
  stringOf,
} from './json-reader.ts';
import { AGGREGATION_TEMPORALITY_NAMES } from './otlp-enum-names.ts';

/**
 * Decodes an OTLP/JSON ExportMetricsServiceRequest: text, UTF-8 bytes or a parsed object (rules as in
 * decodeTracesJson: a metric or data point that cannot be read comes back `malformed`). A metric with no
 * data (none of gauge, sum, histogram, exponentialHistogram, summary) is left out, as in
 * decodeMetricsProto.
 */
export function decodeMetricsJson(body: unknown): RawResourceMetrics[] {
  return decodeJsonRequest(body, 'resourceMetrics', decodeResourceMetrics);
}

function decodeResourceMetrics(path: JsonPath, obj: JsonObject): RawResourceMetrics {
  return {
    resource: decodeResourceJson(path, obj),
    scopeMetrics: mapObjects(path, obj, 'scopeMetrics', decodeScopeMetrics),
  };
}

function decodeScopeMetrics(path: JsonPath, obj: JsonObject): RawScopeMetrics {
  const scope = decodeScopeJson(path, obj);
  const metrics = mapItems(path, obj, 'metrics', decodeMetric, malformedMetric);
  return { scope, metrics: metrics.filter((metric) => metric !== undefined) };
}

type PointDecoder = (path: JsonPath, obj: JsonObject) => RawDataPoint;

interface DataKind {
  name: string;
  type: MetricType;
  decodePoint: PointDecoder;
}

const DATA_KINDS: readonly DataKind[] = [
  { name: 'gauge', type: 'gauge', decodePoint: decodeNumberPointJson },
  { name: 'sum', type: 'sum', decodePoint: decodeNumberPointJson },
  { name: 'histogram', type: 'histogram', decodePoint: decodeHistogramPointJson },
  {
    name: 'exponentialHistogram',
    type: 'exponential_histogram',
    decodePoint: decodeExponentialHistogramPointJson,
  },
  { name: 'summary', type: 'summary', decodePoint: decodeSummaryPointJson },
];

function malformedMetric(reason: string, item: unknown): RawMetric {
  return {
    name: stringOf(item, 'name'),
    description: '',
    unit: '',
    type: 'gauge',
    aggregationTemporality: 0,
    isMonotonic: false,
    dataPoints: [],
    malformed: reason,
  };
}

function malformedPoint(reason: string): RawDataPoint {
  return { startUs: 0, timeUs: 0, attributes: {}, flags: 0, malformed: reason };
}

function decodeMetric(path: JsonPath, obj: JsonObject): RawMetric | undefined {
  const name = readString(path, obj, 'name');
  const description = readString(path, obj, 'description');
  const unit = readString(path, obj, 'unit');
  for (const kind of DATA_KINDS) {
    const data = readObject(path, obj, kind.name);
    if (data === undefined) continue;
    path.push(kind.name);
    const metric = { name, description, unit, ...decodeMetricData(path, data, kind) };
    path.pop();
    return metric;
  }
  return undefined;
}

function decodeMetricData(
  path: JsonPath,
  data: JsonObject,
  { type, decodePoint }: DataKind,
): Pick<RawMetric, 'type' | 'aggregationTemporality' | 'isMonotonic' | 'dataPoints'> {
  const hasTemporality = type !== 'gauge' && type !== 'summary';
  return {
    type,
    aggregationTemporality: hasTemporality
      ? readEnum(path, data, 'aggregationTemporality', AGGREGATION_TEMPORALITY_NAMES)
      : 0,
    isMonotonic: type === 'sum' ? readBool(path, data, 'isMonotonic') : false,
    dataPoints: mapItems(path, data, 'dataPoints', decodePoint, malformedPoint),
  };
}
