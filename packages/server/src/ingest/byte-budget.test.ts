import { describe, expect, it } from 'vitest';
import { ByteBudget } from './byte-budget.ts';

describe('ByteBudget', () => {
  it('admits reservations while they fit, and again once released', () => {
    const budget = new ByteBudget(100);
    const a = budget.reserve(60);
    expect(a?.bytes).toBe(60);
    expect(budget.reserve(50)).toBeNull();
    const b = budget.reserve(40);
    expect(budget.inUse).toBe(100);
    a?.release();
    a?.release();
    expect(budget.inUse).toBe(40);
    expect(budget.reserve(50)).not.toBeNull();
    b?.release();
  });

  it('grows a reservation as a chunked body arrives, refusing what does not fit', () => {
    const budget = new ByteBudget(100);
    const other = budget.reserve(30);
    const chunked = budget.reserve(0);
    expect(chunked?.grow(50)).toBe(true);
    expect(chunked?.grow(30)).toBe(false);
    expect(chunked?.bytes).toBe(50);
    chunked?.release();
    other?.release();
    expect(budget.inUse).toBe(0);
  });

  it('admits one request larger than the whole budget when nothing else is in flight', () => {
    const budget = new ByteBudget(100);
    const big = budget.reserve(500);
    expect(big).not.toBeNull();
    expect(budget.reserve(1)).toBeNull();
    big?.release();
  });
});
