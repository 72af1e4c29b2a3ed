import { describe, expect, test } from 'vitest';
import { parseQuery } from '../spec/parse-query.ts';
import { defaultGranularity, resolveTimeWindow } from './time-window.ts';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const window = (input: object) => resolveTimeWindow(parseQuery(input), NOW);

describe('resolveTimeWindow', () => {
  test('defaults to the two hours before now', () => {
    expect(window({})).toEqual({ startMs: NOW - 7_200_000, endMs: NOW, granularitySeconds: 60 });
  });

  test('time_range runs forwards from start_time and backwards from end_time', () => {
    expect(window({ start_time: 1000, time_range: 600 })).toMatchObject({
      startMs: 1_000_000,
      endMs: 1_600_000,
    });
    expect(window({ end_time: 1000, time_range: 600 })).toMatchObject({ startMs: 400_000, endMs: 1_000_000 });
    expect(window({ start_time: 1000, end_time: 4600 })).toMatchObject({
      startMs: 1_000_000,
      endMs: 4_600_000,
    });
  });

  test('an explicit granularity is kept', () => {
    expect(window({ time_range: 3600, granularity: 300 }).granularitySeconds).toBe(300);
  });
});

describe('defaultGranularity', () => {
  test.each([
    120,
    600,
    3600,
    7200,
    21_600,
    86_400,
    3 * 86_400,
    7 * 86_400,
    30 * 86_400,
    90 * 86_400,
    365 * 86_400,
  ])('gives 60 to 120 points over %i s', (range) => {
    const points = range / defaultGranularity(range);
    expect(points).toBeGreaterThanOrEqual(60);
    expect(points).toBeLessThanOrEqual(120);
  });

  test('never goes below one second', () => {
    expect(defaultGranularity(30)).toBe(1);
  });
});
