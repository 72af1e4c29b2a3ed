import { describe, expect, it } from 'vitest';
import { derivePriceTable } from './derive-price-table.ts';
import { loadPriceTable } from './price-table.ts';

/** A two-entry LiteLLM-shaped fixture (per-token USD). */
const LITELLM = {
  'claude-x-20250101': {
    litellm_provider: 'anthropic',
    mode: 'chat',
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.5e-5,
    cache_read_input_token_cost: 3e-7,
    cache_creation_input_token_cost: 3.75e-6,
    cache_creation_input_token_cost_above_1hr: 9e-6,
    input_cost_per_token_above_200k_tokens: 6e-6,
    output_cost_per_token_above_200k_tokens: 2.25e-5,
  },
  'gemini/gemini-y': {
    litellm_provider: 'gemini',
    mode: 'chat',
    // float noise as in the source: (0.1 + 0.2) × 1e-6 = 3.0000000000000004e-7
    input_cost_per_token: (0.1 + 0.2) * 1e-6,
    output_cost_per_token: 4e-7,
    cache_read_input_token_cost: 2.5e-8,
  },
};

describe('derivePriceTable', () => {
  const json = derivePriceTable(LITELLM, {
    source: 'fixture',
    sourceDate: '2026-01-01',
    license: 'MIT',
    models: [
      { name: 'claude-x', provider: 'anthropic', sourceKey: 'claude-x-20250101', tier: 'mid' },
      { name: 'gemini-y', provider: 'gcp.gemini', sourceKey: 'gemini/gemini-y', tier: 'fast' },
    ],
  });

  it('converts per-token prices to rounded per-million prices', () => {
    expect(json.models).toEqual({
      'claude-x': {
        provider: 'anthropic',
        tier: 'mid',
        input: 3,
        output: 15,
        cache_read: 0.3,
        cache_write_5m: 3.75,
        cache_write_1h: 6,
        long_context: { threshold: 200_000, input: 6, output: 22.5, cache_write_1h: 12 },
      },
      'gemini-y': { provider: 'gcp.gemini', tier: 'fast', input: 0.3, output: 0.4, cache_read: 0.025 },
    });
  });

  it('notes every Anthropic 1-hour price it had to set to 2 × input', () => {
    expect(json.notes).toEqual([
      'claude-x: 1h cache write set to 2 × input = 6 (source: 9)',
      'claude-x_above_200k_tokens: 1h cache write set to 2 × input = 12 (source: none)',
    ]);
  });

  it('produces a table loadPriceTable accepts', () => {
    expect(loadPriceTable(json).models.size).toBe(2);
  });

  it('fails loudly when a selected model is missing from the source', () => {
    expect(() =>
      derivePriceTable(LITELLM, {
        source: '',
        sourceDate: '',
        license: '',
        models: [{ name: 'gone', provider: 'openai', sourceKey: 'gone', tier: 'fast' }],
      }),
    ).toThrow('LiteLLM table has no "gone"');
  });
});
