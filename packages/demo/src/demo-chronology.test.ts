import { describe, expect, it } from 'vitest';
import { DATASET_NAMES } from './dataset-catalogue.ts';
import { type CollectedDemo, type CollectedSpan, collectDemo, TEST_END_MS } from './demo-test-fixture.ts';

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
/** About the longest a unit lasts (an IDE session, a long investigator conversation). */
const LONGEST_UNIT_US = 3 * HOUR_US;
const SUNDAY_NIGHT_MS = Date.UTC(2026, 10, 22, 3, 17);
const demo = collectDemo({ spans: 200_000 });

/** The spans of each yielded batch that holds spans (the last batch may hold only metric points). */
function batchesOf(run: CollectedDemo): CollectedSpan[][] {
  const batches: CollectedSpan[][] = [];
  let offset = 0;
  for (const size of run.batchSizes) {
    if (size > 0) batches.push(run.spans.slice(offset, offset + size));
    offset += size;
  }
  return batches;
}

function earliestStart(batch: readonly CollectedSpan[]): number {
  return batch.reduce((min, { span }) => Math.min(min, span.startUs), Number.POSITIVE_INFINITY);
}

function latestStart(batch: readonly CollectedSpan[]): number {
  return batch.reduce((max, { span }) => Math.max(max, span.startUs), 0);
}

describe('the demo in time order', () => {
  it.each([
    { spans: 200_000 },
    { spans: 50_000, seed: 3, days: 2, batchSpans: 500, endTimeMs: SUNDAY_NIGHT_MS },
  ])('moves forward through the window, batch after batch (%o)', (options) => {
    const batches = batchesOf(collectDemo(options));
    const endUs = (options.endTimeMs ?? TEST_END_MS) * 1000;
    const windowUs = (options.days ?? 7) * DAY_US;
    const backwards: string[] = [];
    for (let i = 1; i < batches.length; i++) {
      const stepUs = earliestStart(batches[i - 1]!) - earliestStart(batches[i]!);
      if (stepUs > LONGEST_UNIT_US) backwards.push(`batch ${i}: ${(stepUs / HOUR_US).toFixed(1)} h back`);
    }
    expect(batches.length).toBeGreaterThan(50);
    expect(backwards).toEqual([]);
    expect(earliestStart(batches.at(-1)!)).toBeGreaterThan(endUs - windowUs / 10);
  });

  it('keeps each batch to a short stretch of the week', () => {
    const stretches = batchesOf(demo)
      .map((batch) => (latestStart(batch) - earliestStart(batch)) / HOUR_US)
      .sort((a, b) => a - b);
    expect(stretches[Math.floor(stretches.length / 2)]).toBeLessThan(6);
    expect(stretches.at(-1)).toBeLessThan(24);
  });

  it('starts at the beginning of the window and ends at its end', () => {
    const batches = batchesOf(demo);
    const endUs = TEST_END_MS * 1000;
    const startUs = endUs - 7 * DAY_US;
    const lastEndUs = batches.at(-1)!.reduce((max, { span }) => Math.max(max, span.endUs), 0);
    expect(earliestStart(batches[0]!) - startUs).toBeLessThan(HOUR_US);
    expect(endUs - lastEndUs).toBeLessThan(HOUR_US);
  });

  it('spreads every dataset over the whole week, with spans on its first and its last day', () => {
    const endUs = TEST_END_MS * 1000;
    const startUs = endUs - 7 * DAY_US;
    const firstDay = new Set(
      demo.spans.filter((s) => s.span.startUs < startUs + DAY_US).map((s) => s.dataset),
    );
    const lastDay = new Set(demo.spans.filter((s) => s.span.startUs >= endUs - DAY_US).map((s) => s.dataset));
    expect([...firstDay].sort()).toEqual([...DATASET_NAMES].sort());
    expect([...lastDay].sort()).toEqual([...DATASET_NAMES].sort());
  });
});
