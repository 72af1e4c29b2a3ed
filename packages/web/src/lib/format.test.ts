import { describe, expect, it } from 'vitest';
import { formatMs, formatUsd, formatValue } from './format.ts';

describe('formatMs', () => {
  it('reads durations at every scale', () => {
    expect(formatMs(0.5)).toBe('0.50 ms');
    expect(formatMs(250)).toBe('250 ms');
    expect(formatMs(1500)).toBe('1.50 s');
    expect(formatMs(42_000)).toBe('42.0 s');
    expect(formatMs(61_000)).toBe('1m 1s');
    expect(formatMs(2 * 3600_000 + 5 * 60_000)).toBe('2h 5m');
    expect(formatMs(null)).toBe('—');
  });

  it('never shows 60 seconds or 60 minutes', () => {
    expect(formatMs(119_600)).toBe('2m 0s');
    expect(formatMs(3_599_700)).toBe('1h 0m');
    expect(formatMs(2 * 3600_000 + 59 * 60_000 + 45_000)).toBe('3h 0m');
  });
});

describe('formatUsd and formatValue', () => {
  it('keeps small costs readable and integers exact', () => {
    expect(formatUsd(0.0012)).toBe('$0.0012');
    expect(formatUsd(283.981)).toBe('$283.98');
    expect(formatValue(1234567)).toBe('1,234,567');
    expect(formatValue(true)).toBe('true');
  });
});
