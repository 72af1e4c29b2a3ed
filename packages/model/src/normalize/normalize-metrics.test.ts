import { describe, expect, it } from 'vitest';
import { metric, metrics, point, START_US } from '../../test/raw-builders.ts';
import { bundledPriceTable } from '../pricing/price-table.ts';
import type { RawMetric } from '../raw-otlp.ts';
import type { MetricPointRow } from '../span-row.ts';
import { normalizeMetrics } from './normalize-metrics.ts';
import type { NormalizeOptions } from './normalize-options.ts';

const options: NormalizeOptions = {
  prices: bundledPriceTable(),
  captureContent: false,
  now: () => 1_800_000_000_000,
};

function rowsOf(list: RawMetric[]): MetricPointRow[] {
  const result = normalizeMetrics(metrics(list), options);
  expect(result.errors).toEqual([]);
  return result.rows;
}

describe('metric data point rows', () => {
  it('writes one row per gauge point', () => {
    const rows = rowsOf([
      metric({
        type: 'gauge',
        name: 'process.memory.usage',
        unit: 'By',
        aggregationTemporality: 0,
        dataPoints: [
          point({ value: 10, attributes: { host: 'a' } }),
          point({ value: 12, attributes: { host: 'b' } }),
        ],
      }),
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      timestamp: START_US + 60_000_000,
      start_timestamp: START_US,
      dataset: 'checkout-agent',
      scope_name: 'meter',
      metric_name: 'process.memory.usage',
      unit: 'By',
      metric_type: 'gauge',
      temporality: 'unspecified',
      is_monotonic: null,
      value: 10,
      count: null,
      sum: null,
      buckets: '',
      sample_rate: 1,
    });
    expect(JSON.parse(rows[1]?.attributes ?? '{}')).toEqual({ 'service.name': 'checkout-agent', host: 'b' });
  });

  it('names sum temporality and keeps monotonicity', () => {
    const [delta] = rowsOf([
      metric({
        type: 'sum',
        name: 'claude_code.cost.usage',
        unit: 'USD',
        aggregationTemporality: 1,
        isMonotonic: true,
        dataPoints: [point({ value: 0.42 })],
      }),
    ]);
    const [cumulative] = rowsOf([
      metric({ type: 'sum', aggregationTemporality: 2, dataPoints: [point({ value: 3 })] }),
    ]);
    expect(delta).toMatchObject({
      metric_type: 'sum',
      temporality: 'delta',
      is_monotonic: true,
      value: 0.42,
    });
    expect(cumulative).toMatchObject({ temporality: 'cumulative', is_monotonic: false, value: 3 });
  });

  it('says monotonic only of sums: a gauge or histogram has null there', () => {
    const rows = rowsOf([
      metric({ type: 'gauge', dataPoints: [point({ value: 1 })] }),
      metric({ type: 'histogram', dataPoints: [point({ count: 1, sum: 2, bucketCounts: [1] })] }),
      metric({ type: 'sum', isMonotonic: false, dataPoints: [point({ value: 3 })] }),
    ]);
    expect(rows.map((r) => [r.metric_type, r.is_monotonic])).toEqual([
      ['gauge', null],
      ['histogram', null],
      ['sum', false],
    ]);
  });

  it('leaves the start time null when a point has none, instead of its own time', () => {
    const rows = rowsOf([
      metric({ type: 'gauge', dataPoints: [point({ startUs: 0, value: 1 })] }),
      metric({ type: 'sum', dataPoints: [point({ startUs: 0, value: 2 })] }),
      metric({ type: 'sum', dataPoints: [point({ value: 3 })] }),
    ]);
    expect(rows.map((r) => r.start_timestamp)).toEqual([null, null, START_US]);
    expect(rows[0]?.timestamp).toBe(START_US + 60_000_000);
  });

  it('writes histogram buckets as {bounds, counts}', () => {
    const [row] = rowsOf([
      metric({
        type: 'histogram',
        name: 'gen_ai.client.operation.duration',
        unit: 's',
        aggregationTemporality: 2,
        dataPoints: [
          point({ count: 6, sum: 3.5, min: 0.1, max: 2, explicitBounds: [0.5, 1], bucketCounts: [3, 2, 1] }),
        ],
      }),
    ]);
    expect(row).toMatchObject({
      metric_type: 'histogram',
      temporality: 'cumulative',
      value: null,
      count: 6,
      sum: 3.5,
      min: 0.1,
      max: 2,
    });
    expect(JSON.parse(row?.buckets ?? '')).toEqual({ bounds: [0.5, 1], counts: [3, 2, 1] });
  });

  it('writes exponential histogram buckets with scale, zero count and both ranges', () => {
    const [row] = rowsOf([
      metric({
        type: 'exponential_histogram',
        dataPoints: [
          point({
            count: 7,
            sum: 12,
            scale: 3,
            zeroCount: 1,
            positive: { offset: 2, bucketCounts: [1, 4] },
            negative: { offset: 0, bucketCounts: [1] },
          }),
        ],
      }),
    ]);
    expect(row).toMatchObject({ metric_type: 'exponential_histogram', count: 7, sum: 12 });
    expect(JSON.parse(row?.buckets ?? '')).toEqual({
      scale: 3,
      zero_count: 1,
      positive: { offset: 2, counts: [1, 4] },
      negative: { offset: 0, counts: [1] },
    });
  });

  it('writes summary quantiles', () => {
    const quantiles = [
      { quantile: 0.5, value: 1.2 },
      { quantile: 0.99, value: 4.8 },
    ];
    const [row] = rowsOf([
      metric({ type: 'summary', dataPoints: [point({ count: 100, sum: 150, quantiles })] }),
    ]);
    expect(row).toMatchObject({ metric_type: 'summary', count: 100, sum: 150, temporality: 'unspecified' });
    expect(JSON.parse(row?.buckets ?? '')).toEqual({ quantiles });
  });

  it('rejects every point of a metric without a name and keeps the others', () => {
    const result = normalizeMetrics(
      metrics([
        metric({ type: 'gauge', name: '', dataPoints: [point({ value: 1 }), point({ value: 2 })] }),
        metric({ type: 'gauge', name: 'ok', dataPoints: [point({ value: 3 })] }),
      ]),
      options,
    );
    expect(result.rows.map((r) => r.metric_name)).toEqual(['ok']);
    expect(result.rejected).toBe(2);
    expect(result.errors).toEqual(['1 × metric rejected: it has no name (first: "")']);
  });

  it('masks secrets in point attributes and uses the clock for a point without a time', () => {
    const [row] = rowsOf([
      metric({
        type: 'gauge',
        dataPoints: [
          point({
            timeUs: 0,
            startUs: 0,
            value: 1,
            attributes: { url: 'https://x?key=AKIAIOSFODNN7EXAMPLE' },
          }),
        ],
      }),
    ]);
    expect(row).toMatchObject({ timestamp: 1_800_000_000_000_000, start_timestamp: null });
    expect(JSON.parse(row?.attributes ?? '{}').url).toBe('https://x?key=[REDACTED:aws_access_key_id]');
  });
});
