import { isAppError } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { generateDemo } from './demo-generator.ts';
import { collectDemo, TEST_END_MS } from './demo-test-fixture.ts';

function serialise(options: Parameters<typeof generateDemo>[0]): string {
  return [...generateDemo({ endTimeMs: TEST_END_MS, ...options })]
    .map((batch) => JSON.stringify(batch))
    .join('\n');
}

function countSpans(spans: number): number {
  let total = 0;
  for (const batch of generateDemo({ spans, endTimeMs: TEST_END_MS })) total += batch.spanCount;
  return total;
}

describe('generateDemo', () => {
  it('is byte-identical for the same seed and options, and differs for another seed or window', () => {
    const first = serialise({ seed: 42, spans: 20_000 });
    expect(serialise({ seed: 42, spans: 20_000 })).toBe(first);
    expect(serialise({ seed: 43, spans: 20_000 })).not.toBe(first);
    expect(serialise({ seed: 42, spans: 20_000, endTimeMs: TEST_END_MS - 3_600_000 })).not.toBe(first);
  });

  it.each([2_000, 20_000, 200_000])('writes about %i spans, within 5 percent', (spans) => {
    const total = countSpans(spans);
    expect(Math.abs(total - spans) / spans).toBeLessThan(0.05);
  });

  it('cuts batches of exactly batchSpans, with spanCount matching the spans inside', () => {
    const demo = collectDemo({ spans: 20_000, batchSpans: 1500 });
    expect(demo.batchSizes.slice(0, -1).every((size) => size === 1500)).toBe(true);
    expect(demo.batchSizes.reduce((a, b) => a + b, 0)).toBe(demo.spans.length);
  });

  it('is lazy: a 10-million-span run hands over batch after batch with flat memory', () => {
    const generator = generateDemo({ spans: 10_000_000, endTimeMs: TEST_END_MS });
    const heapBefore = process.memoryUsage().heapUsed;
    let batches = 0;
    let spans = 0;
    for (const batch of generator) {
      batches++;
      spans += batch.spanCount;
      expect(batch.spanCount).toBe(2000);
      if (spans >= 500_000) break;
    }
    expect(batches).toBe(250);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(300 * 1024 * 1024);
  });

  it('rejects options it cannot honour with a BAD_REQUEST AppError', () => {
    for (const options of [
      { spans: 0 },
      { batchSpans: -1 },
      { days: 0 },
      { seed: 1.5 },
      { endTimeMs: Number.NaN },
    ]) {
      let error: unknown;
      try {
        generateDemo(options);
      } catch (caught) {
        error = caught;
      }
      expect(isAppError(error) && error.code === 'BAD_REQUEST').toBe(true);
    }
  });
});
