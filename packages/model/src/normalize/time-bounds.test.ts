import { describe, expect, it } from 'vitest';
import { logRecord, logs, metric, metrics, point, span, traces } from '../../test/raw-builders.ts';
import { bundledPriceTable } from '../pricing/price-table.ts';
import { normalizeLogs } from './normalize-logs.ts';
import { normalizeMetrics } from './normalize-metrics.ts';
import type { NormalizeOptions } from './normalize-options.ts';
import { normalizeSpans } from './normalize-spans.ts';

const NOW_MS = Date.UTC(2026, 11, 8);
const options: NormalizeOptions = { prices: bundledPriceTable(), captureContent: false, now: () => NOW_MS };
const us = (iso: string): number => Date.parse(iso) * 1000;
/** The year 3000 in µs, as OTLP/JSON nanoseconds "32503680000000000000" decode. */
const YEAR_3000 = us('3000-01-01T00:00:00Z');

describe('times outside 2000-01-01 … a day past the clock are rejected per item, with the reason', () => {
  it('a span starting in the year 3000, or in January 1970, or ending far ahead', () => {
    const result = normalizeSpans(
      traces([
        span({ name: 'ok' }),
        span({ startUs: YEAR_3000, endUs: YEAR_3000 + 1 }),
        span({ startUs: 1_763_000_000_000, endUs: 1_763_000_100_000 }),
        span({ endUs: YEAR_3000 }),
      ]),
      options,
    );
    expect(result.rows.map((row) => row.name)).toEqual(['ok']);
    expect(result.rejected).toBe(3);
    expect(result.errors).toEqual([
      `1 × span rejected: start time is more than a day ahead of the server's clock (first: "3000-01-01T00:00:00.000Z")`,
      '1 × span rejected: start time is before 2000-01-01 (seconds, milliseconds or microseconds sent as nanoseconds?) (first: "1970-01-21T09:43:20.000Z")',
      `1 × span rejected: end time is more than a day ahead of the server's clock (first: "3000-01-01T00:00:00.000Z")`,
    ]);
  });

  it('a span a few hours ahead (clock skew) is kept; one ending before it starts is kept with duration 0, said so', () => {
    const ahead = (NOW_MS + 3 * 3600_000) * 1000;
    const result = normalizeSpans(
      traces([span({ startUs: ahead, endUs: ahead + 5 }), span({ name: 'backwards', endUs: 1 })]),
      options,
    );
    expect(result.rejected).toBe(0);
    expect(result.rows.map((row) => row.duration_ms)).toEqual([0.005, 0]);
    expect(result.errors).toEqual([
      '1 × span kept with duration 0: its end time is before its start time (first: "backwards")',
    ]);
  });

  it('a time beyond what a Date holds is named in microseconds', () => {
    const result = normalizeSpans(traces([span({ startUs: 1e22 })]), options);
    expect(result.errors[0]).toContain('(first: "1e+22 µs since 1970")');
  });

  it('log records: time and observed time', () => {
    const result = normalizeLogs(
      logs([
        logRecord({ eventName: 'ok' }),
        logRecord({ timeUs: YEAR_3000 }),
        logRecord({ timeUs: 0, observedTimeUs: 5_000_000 }),
      ]),
      options,
    );
    expect(result.rows.map((row) => row.event_name)).toEqual(['ok']);
    expect(result.rejected).toBe(2);
    expect(result.errors.join('\n')).toMatch(/log record rejected: time is more than a day ahead/);
    expect(result.errors.join('\n')).toMatch(/log record rejected: observed time is before 2000-01-01/);
  });

  it("metric points: time and start time, the metric's other points kept", () => {
    const result = normalizeMetrics(
      metrics([
        metric({
          type: 'sum',
          dataPoints: [point({ value: 1 }), point({ timeUs: YEAR_3000, value: 2 }), point({ startUs: 7 })],
        }),
      ]),
      options,
    );
    expect(result.rows.map((row) => row.value)).toEqual([1]);
    expect(result.rejected).toBe(2);
    expect(result.errors.join('\n')).toMatch(/data point rejected: time is more than a day ahead/);
    expect(result.errors.join('\n')).toMatch(/data point rejected: start time is before 2000-01-01/);
  });
});

describe('items the decoder could not read (malformed) are rejected alone', () => {
  it('a span, a log record, a data point; a malformed metric counts its points, at least one', () => {
    const spans = normalizeSpans(
      traces([span({ name: 'bad', malformed: 'attributes (field 9) has wire type 0, expected 2' }), span()]),
      options,
    );
    expect(spans).toMatchObject({ rejected: 1 });
    expect(spans.rows).toHaveLength(1);
    expect(spans.errors).toEqual([
      '1 × span rejected: attributes (field 9) has wire type 0, expected 2 (first: "bad")',
    ]);
    const records = normalizeLogs(logs([logRecord({ malformed: 'x' }), logRecord()]), options);
    expect({ rejected: records.rejected, rows: records.rows.length }).toEqual({ rejected: 1, rows: 1 });
    const points = normalizeMetrics(
      metrics([
        metric({ type: 'gauge', dataPoints: [point({ malformed: 'y' }), point({ value: 3 })] }),
        metric({ type: 'gauge', name: 'm2', malformed: 'z', dataPoints: [] }),
        metric({ type: 'gauge', name: 'm3', malformed: 'z', dataPoints: [point(), point()] }),
      ]),
      options,
    );
    expect(points.rows.map((row) => row.value)).toEqual([3]);
    expect(points.rejected).toBe(4);
    expect(points.errors).toEqual([
      '1 × data point rejected: y (first: "gen_ai.client.token.usage")',
      '2 × metric rejected: z (first: "m2")',
    ]);
  });
});
