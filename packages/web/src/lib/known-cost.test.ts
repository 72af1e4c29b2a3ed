import { describe, expect, it } from 'vitest';
import { formatCallsCost, formatKnownCost, knownCostOf, unpricedTitle } from './known-cost.ts';

describe('a cost with an unpriced part', () => {
  it('reads unpriced when nothing had a price, the known cost and the unpriced count when some had', () => {
    expect(formatKnownCost({ costUsd: null, unpricedSpans: 3 })).toBe('unpriced');
    expect(formatKnownCost({ costUsd: 1.5, unpricedSpans: 2 })).toBe('$1.50 + 2 unpriced');
    expect(formatKnownCost({ costUsd: 0, unpricedSpans: 0 })).toBe('$0.00');
    expect(formatKnownCost({ costUsd: null, unpricedSpans: 0 })).toBe('—');
    expect(unpricedTitle({ costUsd: 1.5, unpricedSpans: 0 })).toBeUndefined();
    expect(unpricedTitle({ costUsd: null, unpricedSpans: 1 })).toMatch(/^1 span reports token usage/);
  });

  it('sums spans as the server does: tokens without a cost are unpriced, spans without usage cost nothing', () => {
    const priced = { cost_usd: 0.25, input_tokens: 10, output_tokens: 2 };
    const unpriced = { cost_usd: null, input_tokens: 10, output_tokens: 2 };
    const tool = { cost_usd: null, input_tokens: null, output_tokens: null };
    expect(knownCostOf([unpriced, tool])).toEqual({ costUsd: null, unpricedSpans: 1 });
    expect(knownCostOf([priced, unpriced, tool])).toEqual({ costUsd: 0.25, unpricedSpans: 1 });
    expect(knownCostOf([tool])).toEqual({ costUsd: 0, unpricedSpans: 0 });
  });

  it('reads the cost of LLM calls as unpriced when none had a price, $0.00 only when there were none', () => {
    expect(formatCallsCost({ cost: null, llmCalls: 12 })).toBe('unpriced');
    expect(formatCallsCost({ cost: null, llmCalls: 0 })).toBe('$0.00');
    expect(formatCallsCost({ cost: 0, llmCalls: 0 })).toBe('$0.00');
    expect(formatCallsCost({ cost: 1.5, llmCalls: 12 })).toBe('$1.50');
  });
});
