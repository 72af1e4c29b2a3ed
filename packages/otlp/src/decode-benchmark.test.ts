import { describe, expect, it } from 'vitest';
import { measureTraceDecodeRate, sampleResourceSpans } from './decode-benchmark.ts';

describe('measureTraceDecodeRate', () => {
  it('reports a positive rate for the sample body', () => {
    const result = measureTraceDecodeRate({ spansPerRequest: 50, durationMs: 20 });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.spansPerSecond).toBeGreaterThan(0);
    expect(result.bytesPerSpan).toBeGreaterThan(200);
  });

  it('makes deterministic spans with valid ids and the requested attribute count', () => {
    const [resourceSpans] = sampleResourceSpans(3, 12);
    const spans = resourceSpans!.scopeSpans[0]!.spans;
    expect(spans).toHaveLength(3);
    for (const span of spans) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(Object.keys(span.attributes)).toHaveLength(12);
    }
    expect(sampleResourceSpans(3, 12)).toStrictEqual(sampleResourceSpans(3, 12));
  });
});
