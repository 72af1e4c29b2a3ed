import { describe, expect, it } from 'vitest';
import { decodeMetricsProto } from './proto-metrics-decoder.ts';
import { ProtoWriter } from './proto-writer.ts';

/** One metric in one scope in one resource; `writeMetric` writes the Metric body. */
function metricsRequest(writeMetric: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  const starts = [w.fork(), w.fork(), w.fork()];
  writeMetric(w);
  w.ldelim(2, starts[2]!);
  w.ldelim(2, starts[1]!);
  w.ldelim(1, starts[0]!);
  return w.finish();
}

function decodeMetrics(
  bytes: Uint8Array,
): ReturnType<typeof decodeMetricsProto>[number]['scopeMetrics'][number]['metrics'] {
  return decodeMetricsProto(bytes)[0]!.scopeMetrics[0]!.metrics;
}

describe('decodeMetricsProto', () => {
  it("marks a data point with a field of the wrong wire type malformed, and keeps the metric's other points", () => {
    const bytes = metricsRequest((w) => {
      w.stringField(1, 'tokens');
      const gauge = w.fork();
      for (const value of [1, 2]) {
        const point = w.fork();
        if (value === 1)
          w.key(3, 0); // time_unix_nano as a varint instead of fixed64
        else w.key(4, 1); // as_double
        if (value === 1) w.uint32(7);
        else w.double(value);
        w.ldelim(1, point);
      }
      w.ldelim(5, gauge);
    });
    const [metric] = decodeMetrics(bytes);
    expect(metric!.dataPoints.map(({ value, malformed }) => ({ value, malformed }))).toEqual([
      {
        value: undefined,
        malformed:
          'malformed protobuf: NumberDataPoint.time_unix_nano (field 3) has wire type 0 (varint), expected 1 (fixed64)',
      },
      { value: 2, malformed: undefined },
    ]);
  });

  it('marks a metric whose own field has the wrong wire type malformed', () => {
    const bytes = metricsRequest((w) => {
      w.stringField(1, 'tokens');
      w.key(3, 0); // unit as a varint
      w.uint32(1);
    });
    expect(decodeMetrics(bytes)).toMatchObject([
      {
        name: 'tokens',
        malformed:
          'malformed protobuf: Metric.unit (field 3) has wire type 0 (varint), expected 2 (length-delimited)',
      },
    ]);
  });

  it('accepts unpacked repeated numbers (and mixes of packed and unpacked)', () => {
    const bytes = metricsRequest((w) => {
      w.stringField(1, 'latency');
      const histogram = w.fork();
      const point = w.fork();
      for (const count of [1, 2]) {
        w.key(6, 1); // bucket_counts, one fixed64 per field
        w.fixed64(count);
      }
      const packed = w.fork();
      w.fixed64(3);
      w.ldelim(6, packed);
      w.key(7, 1); // explicit_bounds, unpacked
      w.double(0.5);
      w.key(7, 1);
      w.double(2.5);
      w.ldelim(1, point);
      w.ldelim(9, histogram);
    });
    expect(decodeMetrics(bytes)[0]!.dataPoints[0]).toMatchObject({
      bucketCounts: [1, 2, 3],
      explicitBounds: [0.5, 2.5],
    });
  });

  it('accepts unpacked exponential histogram bucket counts', () => {
    const bytes = metricsRequest((w) => {
      const data = w.fork();
      const point = w.fork();
      const positive = w.fork();
      w.key(1, 0);
      w.sint32(-4);
      w.key(2, 0);
      w.uint64(7);
      w.key(2, 0);
      w.uint64(2 ** 40);
      w.ldelim(8, positive);
      w.ldelim(1, point);
      w.ldelim(10, data);
    });
    expect(decodeMetrics(bytes)[0]!.dataPoints[0]!.positive).toEqual({
      offset: -4,
      bucketCounts: [7, 2 ** 40],
    });
  });

  it('reads as_int (sfixed64) gauge values, including negative ones', () => {
    const bytes = metricsRequest((w) => {
      const gauge = w.fork();
      const point = w.fork();
      w.key(6, 1); // as_int = -42: two's complement, low word first
      w.fixed32(2 ** 32 - 42);
      w.fixed32(0xffffffff);
      w.ldelim(1, point);
      w.ldelim(5, gauge);
    });
    expect(decodeMetrics(bytes)[0]).toMatchObject({ type: 'gauge', dataPoints: [{ value: -42 }] });
  });

  it('lets a later member of the data oneof replace an earlier one, and drops metrics without data', () => {
    const withTwo = metricsRequest((w) => {
      w.stringField(1, 'twice');
      const gauge = w.fork();
      w.ldelim(1, w.fork());
      w.ldelim(5, gauge);
      const sum = w.fork();
      w.int32Field(2, 2);
      w.boolField(3, true);
      w.ldelim(7, sum);
    });
    expect(decodeMetrics(withTwo)).toEqual([
      {
        name: 'twice',
        description: '',
        unit: '',
        type: 'sum',
        aggregationTemporality: 2,
        isMonotonic: true,
        dataPoints: [],
      },
    ]);
    expect(decodeMetrics(metricsRequest((w) => w.stringField(1, 'no data')))).toEqual([]);
  });

  it('ignores temporality and monotonic fields on metric types that do not have them', () => {
    const bytes = metricsRequest((w) => {
      const gauge = w.fork();
      w.int32Field(2, 2);
      w.boolField(3, true);
      w.ldelim(5, gauge);
    });
    expect(decodeMetrics(bytes)[0]).toMatchObject({
      type: 'gauge',
      aggregationTemporality: 0,
      isMonotonic: false,
    });
  });
});
