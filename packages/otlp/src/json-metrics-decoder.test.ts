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
      'bucketCounts[1]: expected unsigned integer',
    ],
    [{ histogram: { dataPoints: [{ explicitBounds: [1, {}] }] } }, 'explicitBounds[1]: expected number'],
    [
      { exponentialHistogram: { dataPoints: [{ positive: { bucketCounts: [-1] } }] } },
      'positive.bucketCounts[0]: expected unsigned integer',
    ],
    [
      { summary: { dataPoints: [{ quantileValues: [{ quantile: 'half' }] }] } },
      'quantileValues[0].quantile: expected number',
    ],
    [{ gauge: { dataPoints: [{ asInt: 1.5 }] } }, 'asInt: expected integer'],
  ])('marks a data point malformed, and keeps the others: %j', (metric, reason) => {
    const kind = Object.keys(metric)[0]!;
    const data = Object.values(metric)[0] as { dataPoints: unknown[] };
    const body = metricsBody({ [kind]: { dataPoints: [...data.dataPoints, {}] } });
    const points = decodeMetricsJson(body)[0]!.scopeMetrics[0]!.metrics[0]!.dataPoints;
    expect(points.map((point) => point.malformed)).toEqual([`malformed JSON: ${reason}`, undefined]);
  });

  it.each([
    [{ gauge: [] }, 'gauge: expected object'],
    [{ sum: { isMonotonic: 'yes' } }, 'sum.isMonotonic: expected boolean'],
  ])('marks a metric malformed, and keeps the others: %j', (metric, reason) => {
    const body = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: 'm', ...metric },
                { name: 'ok', gauge: {} },
              ],
            },
          ],
        },
      ],
    };
    const metrics = decodeMetricsJson(body)[0]!.scopeMetrics[0]!.metrics;
    expect(metrics.map(({ name, malformed }) => ({ name, malformed }))).toEqual([
      { name: 'm', malformed: `malformed JSON: ${reason}` },
      { name: 'ok', malformed: undefined },
    ]);
  });

  it('refuses a malformed envelope', () => {
    const body = { resourceMetrics: [{ scopeMetrics: [{ metrics: {} }] }] };
    expect(() => decodeMetricsJson(body)).toThrow(AppError);
    expect(() => decodeMetricsJson(body)).toThrow(
      'resourceMetrics[0].scopeMetrics[0].metrics: expected array',
    );
  });
});

describe('decodeLogsJson', () => {
  it('reads severity names, and marks a record with a wrongly typed field malformed', () => {
    const body = (log: Record<string, unknown>): unknown => ({
      resourceLogs: [{ scopeLogs: [{ logRecords: [log] }] }],
    });
    const [resource] = decodeLogsJson(
      body({ severityNumber: 'SEVERITY_NUMBER_WARN3', body: { stringValue: 'hi' } }),
    );
    expect(resource!.scopeLogs[0]!.logRecords[0]).toMatchObject({ severityNumber: 15, body: 'hi' });
    const record = (log: Record<string, unknown>) =>
      decodeLogsJson(body(log))[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(record({ eventName: 'e', body: { kvlistValue: { values: {} } } })).toMatchObject({
      eventName: 'e',
      malformed: 'malformed JSON: body.kvlistValue.values: expected array',
    });
    expect(record({ observedTimeUnixNano: 1.5 }).malformed).toBe(
      'malformed JSON: observedTimeUnixNano: expected unsigned integer nanoseconds',
    );
    expect(() => decodeLogsJson({ resourceLogs: [{ scopeLogs: [{ logRecords: 1 }] }] })).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords: expected array',
    );
  });
});
