import { describe, expect, it } from 'vitest';
import { type CostUsage, computeCost } from './compute-cost.ts';
import { lookupModel } from './lookup-model.ts';
import { bundledPriceTable, type ModelPrice } from './price-table.ts';

const table = bundledPriceTable();
const priceOf = (model: string): ModelPrice => {
  const price = lookupModel(table, model);
  if (price === undefined) throw new Error(`no price for ${model}`);
  return price;
};

const usage = (fields: Partial<CostUsage>): CostUsage => ({
  inputTokens: null,
  outputTokens: null,
  cacheReadTokens: null,
  cacheWriteTokens: null,
  cacheWrite5mTokens: null,
  cacheWrite1hTokens: null,
  ...fields,
});

describe('computeCost', () => {
  it('charges a Claude Code turn on claude-sonnet-4-5 (writes without a split count as 5 min)', () => {
    // $/M: input 3, cache read 0.30, cache write 5m 3.75, output 15
    // uncached 91,660 − 84,562 − 7,096 = 2     × 3    = $0.000006
    // cache read 84,562                         × 0.30 = $0.0253686
    // cache write 7,096 (5 min)                 × 3.75 = $0.02661
    // output 1,200                              × 15   = $0.018
    // total                                             = $0.0699846
    const cost = computeCost(
      usage({ inputTokens: 91_660, cacheReadTokens: 84_562, cacheWriteTokens: 7_096, outputTokens: 1_200 }),
      priceOf('claude-sonnet-4-5-20250929'),
    );
    expect(cost.inputUsd).toBeCloseTo(0.000006, 12);
    expect(cost.cacheReadUsd).toBeCloseTo(0.0253686, 12);
    expect(cost.cacheWriteUsd).toBeCloseTo(0.02661, 12);
    expect(cost.outputUsd).toBeCloseTo(0.018, 12);
    expect(cost.costUsd).toBeCloseTo(0.0699846, 12);
    expect(cost.longContext).toBe(false);
  });

  it('charges 1-hour writes at their own price', () => {
    // same turn, 4,000 of the 7,096 written for 1 h (Anthropic 1h = 2 × input = $6/M):
    // 5 min 3,096 × 3.75 = $0.01161; 1 h 4,000 × 6 = $0.024; writes $0.03561
    // total = 0.000006 + 0.0253686 + 0.03561 + 0.018 = $0.0789846
    const cost = computeCost(
      usage({
        inputTokens: 91_660,
        cacheReadTokens: 84_562,
        cacheWriteTokens: 7_096,
        cacheWrite1hTokens: 4_000,
        outputTokens: 1_200,
      }),
      priceOf('claude-sonnet-4-5'),
    );
    expect(cost.cacheWriteUsd).toBeCloseTo(0.03561, 12);
    expect(cost.costUsd).toBeCloseTo(0.0789846, 12);
  });

  it('switches the whole request to the long-context tier above the threshold', () => {
    // claude-sonnet-4-5 above 200,000 prompt tokens: input 6, cache read 0.60, output 22.5 ($/M)
    // uncached 250,000 − 200,000 = 50,000 × 6 = $0.30; read 200,000 × 0.6 = $0.12; output 2,000 × 22.5 = $0.045
    // total $0.465
    const cost = computeCost(
      usage({ inputTokens: 250_000, cacheReadTokens: 200_000, outputTokens: 2_000 }),
      priceOf('claude-sonnet-4-5'),
    );
    expect(cost.longContext).toBe(true);
    expect(cost.costUsd).toBeCloseTo(0.465, 12);
  });

  it('keeps base prices at exactly the threshold', () => {
    // 200,000 × $3/M = $0.60
    const cost = computeCost(usage({ inputTokens: 200_000 }), priceOf('claude-sonnet-4-5'));
    expect(cost.longContext).toBe(false);
    expect(cost.costUsd).toBeCloseTo(0.6, 12);
  });

  it('charges OpenAI reasoning as output (gpt-5)', () => {
    // gpt-5: input 1.25, cache read 0.125, output 10 ($/M)
    // uncached 10,000 − 8,000 = 2,000 × 1.25 = $0.0025; read 8,000 × 0.125 = $0.001
    // output 3,000 (2,500 of it reasoning) × 10 = $0.03; total $0.0335
    const cost = computeCost(
      usage({ inputTokens: 10_000, cacheReadTokens: 8_000, outputTokens: 3_000 }),
      priceOf('gpt-5'),
    );
    expect(cost.costUsd).toBeCloseTo(0.0335, 12);
  });

  it('uses the Gemini 2.5 Pro long-context tier', () => {
    // above 200,000: input 2.5, cache read 0.25, output 15 ($/M)
    // uncached 200,000 × 2.5 = $0.50; read 100,000 × 0.25 = $0.025; output 1,000 × 15 = $0.015; total $0.54
    const cost = computeCost(
      usage({ inputTokens: 300_000, cacheReadTokens: 100_000, outputTokens: 1_000 }),
      priceOf('models/gemini-2.5-pro'),
    );
    expect(cost.costUsd).toBeCloseTo(0.54, 12);
  });

  it('charges cache tokens at the input price when the model has no cache prices', () => {
    const plain: ModelPrice = {
      model: 'plain',
      provider: '',
      tier: null,
      input: 2,
      output: 4,
      cacheRead: null,
      cacheWrite5m: null,
      cacheWrite1h: null,
      longContext: null,
    };
    // (100 uncached + 300 read + 100 written) × 2 = 1,000 µ$; 50 output × 4 = 200 µ$ → $0.0012
    const cost = computeCost(
      usage({ inputTokens: 500, cacheReadTokens: 300, cacheWriteTokens: 100, outputTokens: 50 }),
      plain,
    );
    expect(cost.costUsd).toBeCloseTo(0.0012, 12);
  });

  it('treats missing counts as zero and never goes negative on inconsistent input', () => {
    expect(computeCost(usage({}), priceOf('gpt-5')).costUsd).toBe(0);
    const cost = computeCost(usage({ inputTokens: 10, cacheReadTokens: 50 }), priceOf('gpt-5'));
    expect(cost.inputUsd).toBe(0);
  });
});
