import { describe, expect, it } from 'vitest';
import { DATASET_CATALOGUE, datasetByName } from './dataset-catalogue.ts';
import { collectDemo, countBy, percent } from './demo-test-fixture.ts';
import { MODEL_CATALOGUE, modelByName } from './model-catalogue.ts';

const demo = collectDemo({ spans: 200_000 });
const chats = demo.spans.filter(({ span }) => span.attributes['gen_ai.operation.name'] === 'chat');
const modelOf = (c: (typeof chats)[number]): string => String(c.span.attributes['gen_ai.request.model']);

describe('the model portfolio', () => {
  it('matches the article in Claude Code: flagship ~40 %, mid ~26 %, fast ~13 %, specialised/prior ~20 %', () => {
    const claude = chats.filter((c) => c.dataset === 'claude-code');
    const intended = countTiers(datasetByName('claude-code').models.map((m) => [m.model, m.share * 100]));
    const observed = countBy(claude, (c) => tierGroup(modelOf(c)));
    for (const [tier, share] of intended) {
      expect(Math.abs(percent(observed.get(tier) ?? 0, claude.length) - share)).toBeLessThan(3);
    }
    expect(new Set(claude.map(modelOf)).size).toBe(8);
  });

  it('uses exactly the catalogue models in each dataset', () => {
    for (const dataset of DATASET_CATALOGUE) {
      const used = new Set(chats.filter((c) => c.dataset === dataset.name).map(modelOf));
      expect([...used].sort()).toEqual(dataset.models.map((m) => m.model).sort());
    }
  });

  it('keeps each dataset close to its intended model shares', () => {
    for (const dataset of DATASET_CATALOGUE) {
      const own = chats.filter((c) => c.dataset === dataset.name);
      const counts = countBy(own, modelOf);
      for (const { model, share } of dataset.models) {
        expect(Math.abs(percent(counts.get(model) ?? 0, own.length) - share * 100)).toBeLessThan(6);
      }
    }
  });

  it('sends about 0.5 % of IDE chats to a model no price table knows', () => {
    const unpriced = MODEL_CATALOGUE.filter((m) => m.price === undefined).map((m) => m.name);
    expect(unpriced).toEqual(['inhouse-coder-ft-v3']);
    const claude = chats.filter((c) => c.dataset === 'claude-code');
    const share = percent(claude.filter((c) => unpriced.includes(modelOf(c))).length, claude.length);
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(1);
  });

  it('shares the span budget the way the catalogue says', () => {
    const counts = countBy(demo.spans, (s) => s.dataset);
    expect(DATASET_CATALOGUE.reduce((sum, d) => sum + d.spanShare, 0)).toBeCloseTo(1, 5);
    for (const dataset of DATASET_CATALOGUE) {
      expect(
        Math.abs(percent(counts.get(dataset.name) ?? 0, demo.spans.length) - dataset.spanShare * 100),
      ).toBeLessThan(1);
    }
  });

  it('keeps the IDE cache honest: most Claude Code input is read from cache, some is written', () => {
    const claude = chats.filter((c) => c.dataset === 'claude-code' && c.span.statusCode !== 2);
    const sum = (key: string): number =>
      claude.reduce((total, c) => total + Number(c.span.attributes[key] ?? 0), 0);
    const input = sum('gen_ai.usage.input_tokens');
    expect(percent(sum('gen_ai.usage.cache_read.input_tokens'), input)).toBeGreaterThan(60);
    expect(percent(sum('gen_ai.usage.cache_creation.input_tokens'), input)).toBeGreaterThan(2);
  });
});

function tierGroup(model: string): string {
  const tier = modelByName(model).tier;
  return tier === 'prior' || tier === 'specialised' ? 'specialised or prior' : tier;
}

function countTiers(entries: readonly (readonly [string, number])[]): Map<string, number> {
  const tiers = new Map<string, number>();
  for (const [model, share] of entries)
    tiers.set(tierGroup(model), (tiers.get(tierGroup(model)) ?? 0) + share);
  return tiers;
}
