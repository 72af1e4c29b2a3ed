import { describe, expect, it } from 'vitest';
import { gitSha, opaqueId, spanId, traceId, uuid } from './ids.ts';
import { Prng } from './prng.ts';
import { ShuffledDeck, WeightedTable } from './weighted-table.ts';

describe('Prng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number): number[] => {
      const rng = new Prng(seed);
      return Array.from({ length: 8 }, () => rng.uint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('gives each stream of a seed its own repeatable sequence, stream 0 being the plain seed', () => {
    const draw = (rng: Prng): number[] => Array.from({ length: 8 }, () => rng.uint32());
    expect(draw(new Prng(42, 0))).toEqual(draw(new Prng(42)));
    expect(draw(new Prng(42, 1))).toEqual(draw(new Prng(42, 1)));
    expect(draw(new Prng(42, 1))).not.toEqual(draw(new Prng(42)));
  });

  it('keeps integers and floats inside their ranges', () => {
    const rng = new Prng(7);
    const ints = Array.from({ length: 10_000 }, () => rng.intBetween(3, 9));
    const floats = Array.from({ length: 10_000 }, () => rng.next());
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6, 7, 8, 9]));
    expect(Math.min(...floats)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...floats)).toBeLessThan(1);
  });

  it('draws log-normal values around their median and counts around their mean', () => {
    const rng = new Prng(1);
    const values = Array.from({ length: 20_001 }, () => rng.logNormal(100, 0.8)).sort((a, b) => a - b);
    expect(values[10_000]).toBeGreaterThan(95);
    expect(values[10_000]).toBeLessThan(105);
    const counts = Array.from({ length: 20_000 }, () => rng.count(4, 1000));
    expect(counts.reduce((a, b) => a + b, 0) / counts.length).toBeCloseTo(4, 0);
  });
});

describe('ids', () => {
  it('have the W3C and provider shapes', () => {
    const rng = new Prng(3);
    expect(traceId(rng)).toMatch(/^[0-9a-f]{32}$/);
    expect(spanId(rng)).toMatch(/^[0-9a-f]{16}$/);
    expect(gitSha(rng)).toMatch(/^[0-9a-f]{40}$/);
    expect(uuid(rng)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(opaqueId(rng, 'toolu_01', 11)).toMatch(/^toolu_01[0-9A-Za-z]{22}$/);
  });
});

describe('sampling', () => {
  it('picks from a weighted table in proportion', () => {
    const rng = new Prng(5);
    const table = new WeightedTable([
      ['a', 3],
      ['b', 1],
    ] as const);
    let a = 0;
    for (let i = 0; i < 40_000; i++) if (table.pick(rng) === 'a') a++;
    expect(a / 40_000).toBeCloseTo(0.75, 1);
  });

  it('deals exact shares over every full deck', () => {
    const rng = new Prng(9);
    const deck = new ShuffledDeck([
      ['x', 32],
      ['y', 68],
    ] as const);
    const dealt = Array.from({ length: 300 }, () => deck.pick(rng));
    expect(dealt.filter((card) => card === 'x')).toHaveLength(96);
    expect(dealt.slice(0, 100)).not.toEqual(dealt.slice(100, 200));
  });
});
