import { describe, expect, it } from 'vitest';
import { lookupModel } from './lookup-model.ts';
import { bundledPriceTable, loadPriceTable, mergePriceTables } from './price-table.ts';

const table = bundledPriceTable();

describe('lookupModel', () => {
  it.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['CLAUDE-SONNET-4-5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
    ['claude-sonnet-4-5[1m]', 'claude-sonnet-4-5'],
    ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1'],
    ['claude-opus-4-1@20250805', 'claude-opus-4-1'],
    ['projects/p/locations/us-east5/publishers/anthropic/models/claude-opus-4-7', 'claude-opus-4-7'],
    ['gpt-5-2025-08-07', 'gpt-5'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
    ['openai/gpt-4.1-nano', 'gpt-4.1-nano'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['publishers/google/models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
    ['gemini-3.1-pro', 'gemini-3.1-pro-preview'],
    ['gemini-3.1-flash-lite-preview', 'gemini-3.1-flash-lite'],
  ])('%s → %s', (model, expected) => {
    expect(lookupModel(table, model)?.model).toBe(expected);
  });

  it.each(['llama-3.3-70b', 'claude-opus-4-9', 'mistral-large', ''])('%s is unknown', (model) => {
    expect(lookupModel(table, model)).toBeUndefined();
  });

  it('prefers a provider-scoped entry when the provider is given', () => {
    const override = loadPriceTable({
      source: 'team override',
      models: { 'aws.bedrock/claude-sonnet-4-5': { provider: 'anthropic', input: 3.3, output: 16.5 } },
    });
    const merged = mergePriceTables(table, override);
    expect(lookupModel(merged, 'claude-sonnet-4-5', 'aws.bedrock')?.input).toBe(3.3);
    expect(lookupModel(merged, 'claude-sonnet-4-5', 'anthropic')?.input).toBe(3);
    expect(lookupModel(merged, 'claude-sonnet-4-5')?.input).toBe(3);
  });
});
