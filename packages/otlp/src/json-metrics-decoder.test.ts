import { AppError } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { decodeLogsJson } from './json-logs-decoder.ts';
import { decodeMetricsJson } from './json-metrics-decoder.ts';

function metricsBody(metric: Record<string, unknown>): unknown {
  return { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'm', ...metric }] }] }] };
}

describe('decodeMetricsJson', () => {
  it('reads asInt strings, uint64 strings, enum names and snake_case', () => {
    const [resource] = decodeMetricsJson(
      metricsBody({
        sum: {
          aggregation_temporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
          is_monotonic: true,
          data_points: [{ as_int: '-12', time_unix_nano: '1000000' }, { asDouble: 'Infinity' }, {}],
        },
      }),
    );
    expect(resource!.scopeMetrics[0]!.metrics[0]).toStrictEqual({
      name: 'm',
      description: '',
      unit: '',
      type: 'sum',
      aggregationTemporality: 2,
      isMonotonic: true,
      dataPoints: [
        { startUs: 0, timeUs: 1000, attributes: {}, flags: 0, value: -12 },
        { startUs: 0, timeUs: 0, attributes: {}, flags: 0, value: Infinity },
        { startUs: 0, timeUs: 0, attributes: {}, flags: 0 },
      ],
    });
  });

  it('drops a metric without data, like the protobuf decoder', () => {
    expect(decodeMetricsJson(metricsBody({}))[0]!.scopeMetrics[0]!.metrics).toEqual([]);
  });

  it.each([
    [
      { histogram: { dataPoints: [{ bucketCounts: ['1', 'x'] }] } },
      'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts[1]: expected unsigned integer',
    ],
    [
      { histogram: { dataPoints: [{ explicitBounds: [1, {}] }] } },
      'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].explicitBounds[1]: expected number',
    ],
    [
      { exponentialHistogram: { dataPoints: [{ positive: { bucketCounts: [-1] } }] } },
      'resourceMetrics[0].scopeMetrics[0].metrics[0].exponentialHistogram.dataPoints[0].positive.bucketCounts[0]: expected unsigned integer',
    ],
    [
      { summary: { dataPoints: [{ quantileValues: [{ quantile: 'half' }] }] } },
      'resourceMetrics[0].scopeMetrics[0].metrics[0].summary.dataPoints[0].quantileValues[0].quantile: expected number',
    ],
    [{ gauge: [] }, 'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge: expected object'],
    [
      { gauge: { dataPoints: [{ asInt: 1.5 }] } },
      'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].asInt: expected integer',
    ],
    [
      { sum: { isMonotonic: 'yes' } },
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.isMonotonic: expected boolean',
    ],
  ])('refuses %j', (metric, message) => {
    const body = metricsBody(metric as Record<string, unknown>);
    expect(() => decodeMetricsJson(body)).toThrow(AppError);
    expect(() => decodeMetricsJson(body)).toThrow(message);
  });
});

describe('decodeLogsJson', () => {
  it('reads severity names and names the path of a wrongly typed field', () => {
    const body = (log: Record<string, unknown>): unknown => ({
      resourceLogs: [{ scopeLogs: [{ logRecords: [log] }] }],
    });
    const [resource] = decodeLogsJson(
      body({ severityNumber: 'SEVERITY_NUMBER_WARN3', body: { stringValue: 'hi' } }),
    );
    expect(resource!.scopeLogs[0]!.logRecords[0]).toMatchObject({ severityNumber: 15, body: 'hi' });
    expect(() => decodeLogsJson(body({ body: { kvlistValue: { values: {} } } }))).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords[0].body.kvlistValue.values: expected array',
    );
    expect(() => decodeLogsJson(body({ observedTimeUnixNano: 1.5 }))).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords[0].observedTimeUnixNano: expected unsigned integer nanoseconds',
    );
  });
});
