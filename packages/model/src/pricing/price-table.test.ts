import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error.ts';
import { bundledPriceTable, loadPriceTable, MODEL_TIERS, mergePriceTables } from './price-table.ts';

describe('bundledPriceTable', () => {
  const table = bundledPriceTable();

  it('says where its prices come from', () => {
    expect(table.source).toContain('LiteLLM');
    expect(table.sourceDate).toBe('2026-07-24');
    expect(table.license).toContain('MIT');
  });

  it('prices Anthropic, OpenAI and Google chat models, each with a tier', () => {
    const providers = new Set([...table.models.values()].map((m) => m.provider));
    expect(providers).toEqual(new Set(['anthropic', 'openai', 'gcp.gemini']));
    for (const model of table.models.values()) expect(MODEL_TIERS).toContain(model.tier);
    expect(table.models.get('claude-opus-4-7')?.tier).toBe('flagship');
    expect(table.models.get('claude-sonnet-4-5')?.tier).toBe('mid');
    expect(table.models.get('claude-haiku-4-5')?.tier).toBe('fast');
    expect(table.models.get('gpt-5-codex')?.tier).toBe('specialised');
  });

  it('charges every Anthropic 1-hour cache write at 2 × input', () => {
    for (const model of table.models.values()) {
      if (model.provider !== 'anthropic') continue;
      expect(model.cacheWrite1h).toBeCloseTo(model.input * 2, 9);
      if (model.longContext)
        expect(model.longContext.cacheWrite1h).toBeCloseTo(model.longContext.input * 2, 9);
    }
  });

  it('carries long-context tiers where the source has them', () => {
    expect(table.models.get('claude-sonnet-4-5')?.longContext).toEqual({
      threshold: 200_000,
      input: 6,
      output: 22.5,
      cacheRead: 0.6,
      cacheWrite5m: 7.5,
      cacheWrite1h: 12,
    });
    expect(table.models.get('gpt-5.4')?.longContext?.threshold).toBe(272_000);
    expect(table.models.get('claude-opus-4-7')?.longContext).toBeNull();
  });
});

describe('loadPriceTable', () => {
  const invalid = (json: unknown): AppError => {
    try {
      loadPriceTable(json);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected PRICING_INVALID');
  };

  it.each([
    ['not an object', [], 'expected a JSON object'],
    ['no models', { source: 'x' }, '"models" must be an object'],
    ['missing output', { models: { m: { input: 1 } } }, 'model "m" has no "output" price'],
    ['negative price', { models: { m: { input: -1, output: 1 } } }, 'model "m" has an invalid "input" price'],
    ['string price', { models: { m: { input: '1', output: 1 } } }, 'invalid "input" price'],
    ['bad tier', { models: { m: { input: 1, output: 1, tier: 'huge' } } }, 'has tier "huge"'],
    [
      'bad threshold',
      { models: { m: { input: 1, output: 1, long_context: { threshold: 0, input: 1, output: 1 } } } },
      'threshold',
    ],
    ['bad source', { source: 3, models: {} }, '"source" must be a string'],
  ])('rejects %s with PRICING_INVALID', (_label, json, message) => {
    const error = invalid(json);
    expect(error.code).toBe('PRICING_INVALID');
    expect(error.message).toContain(message);
  });

  it('accepts a minimal override entry', () => {
    const table = loadPriceTable({ models: { 'my-model': { input: 1, output: 2 } } });
    expect(table.models.get('my-model')).toEqual({
      model: 'my-model',
      provider: '',
      tier: null,
      input: 1,
      output: 2,
      cacheRead: null,
      cacheWrite5m: null,
      cacheWrite1h: null,
      longContext: null,
    });
  });
});

describe('mergePriceTables', () => {
  it('adds and replaces models and says both sources', () => {
    const base = bundledPriceTable();
    const override = loadPriceTable({
      source: 'acme negotiated prices',
      source_date: '2026-11-01',
      license: 'internal',
      models: { 'gpt-5': { provider: 'openai', input: 1, output: 8 }, 'acme-llm': { input: 0.5, output: 1 } },
    });
    const merged = mergePriceTables(base, override);
    expect(merged.models.get('gpt-5')?.input).toBe(1);
    expect(merged.models.get('acme-llm')?.output).toBe(1);
    expect(merged.models.get('claude-opus-4-7')?.input).toBe(5);
    expect(merged.models.size).toBe(base.models.size + 1);
    expect(merged.source).toBe(`${base.source}; overridden by acme negotiated prices`);
    expect(merged.sourceDate).toBe('2026-11-01');
    expect(base.models.get('gpt-5')?.input).toBe(1.25);
  });
});
