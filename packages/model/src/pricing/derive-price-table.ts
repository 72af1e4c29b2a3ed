import type { ModelTier } from './price-table.ts';

/**
 * Maintainer tool: derives `prices.json` from LiteLLM's `model_prices_and_context_window.json` (MIT).
 * Pure (no file access); docs/conventions.md shows the one-line command that runs it.
 *
 * Tiers are Loopline's judgement: `flagship` = the largest general model of a generation (Opus, GPT-5.x,
 * Gemini Pro, o1/o3); `mid` = the balanced general model (Sonnet, OpenAI `-mini`, Gemini Flash);
 * `fast` = the smallest, cheapest model (Haiku, `-nano`, `gpt-4o-mini`, Flash-Lite); `specialised` =
 * a model sold for one job or one mode (Codex coding models, `-pro` / deep-research high-compute modes).
 */
export interface PriceSelection {
  /** the name in Loopline's table */
  name: string;
  provider: 'anthropic' | 'openai' | 'gcp.gemini';
  /** the LiteLLM key */
  sourceKey: string;
  tier: ModelTier;
}

const a = (name: string, tier: ModelTier, sourceKey = name): PriceSelection => ({
  name,
  provider: 'anthropic',
  sourceKey,
  tier,
});
const o = (name: string, tier: ModelTier, sourceKey = name): PriceSelection => ({
  name,
  provider: 'openai',
  sourceKey,
  tier,
});
const g = (name: string, tier: ModelTier): PriceSelection => ({
  name,
  provider: 'gcp.gemini',
  sourceKey: `gemini/${name}`,
  tier,
});

/** Chat/completion models of the current and recent generations. */
export const BUNDLED_MODELS: readonly PriceSelection[] = [
  a('claude-fable-5', 'flagship'),
  a('claude-opus-5', 'flagship'),
  a('claude-opus-4-8', 'flagship'),
  a('claude-opus-4-7', 'flagship'),
  a('claude-opus-4-6', 'flagship'),
  a('claude-opus-4-5', 'flagship'),
  a('claude-opus-4-1', 'flagship'),
  a('claude-opus-4', 'flagship', 'claude-opus-4-20250514'),
  a('claude-sonnet-5', 'mid'),
  a('claude-sonnet-4-6', 'mid'),
  a('claude-sonnet-4-5', 'mid'),
  a('claude-sonnet-4', 'mid', 'claude-sonnet-4-20250514'),
  a('claude-3-7-sonnet', 'mid', 'claude-3-7-sonnet-20250219'),
  a('claude-haiku-4-5', 'fast'),
  a('claude-3-haiku', 'fast', 'claude-3-haiku-20240307'),
  o('gpt-5.6', 'flagship'),
  o('gpt-5.6-sol', 'flagship'),
  o('gpt-5.6-terra', 'mid'),
  o('gpt-5.6-luna', 'fast'),
  o('gpt-5.5', 'flagship'),
  o('gpt-5.5-pro', 'specialised'),
  o('gpt-5.4', 'flagship'),
  o('gpt-5.4-mini', 'mid'),
  o('gpt-5.4-nano', 'fast'),
  o('gpt-5.4-pro', 'specialised'),
  o('gpt-5.3-codex', 'specialised'),
  o('gpt-5.2', 'flagship'),
  o('gpt-5.2-pro', 'specialised'),
  o('gpt-5.2-codex', 'specialised'),
  o('gpt-5.1', 'flagship'),
  o('gpt-5.1-codex', 'specialised'),
  o('gpt-5.1-codex-max', 'specialised'),
  o('gpt-5.1-codex-mini', 'specialised'),
  o('gpt-5', 'flagship'),
  o('gpt-5-mini', 'mid'),
  o('gpt-5-nano', 'fast'),
  o('gpt-5-pro', 'specialised'),
  o('gpt-5-codex', 'specialised'),
  o('codex-mini-latest', 'specialised'),
  o('gpt-4.1', 'flagship'),
  o('gpt-4.1-mini', 'mid'),
  o('gpt-4.1-nano', 'fast'),
  o('gpt-4o', 'flagship'),
  o('gpt-4o-2024-05-13', 'flagship'),
  o('gpt-4o-mini', 'fast'),
  o('o1', 'flagship'),
  o('o3', 'flagship'),
  o('o3-pro', 'specialised'),
  o('o3-deep-research', 'specialised'),
  o('o3-mini', 'mid'),
  o('o4-mini', 'mid'),
  o('o4-mini-deep-research', 'specialised'),
  g('gemini-3.6-flash', 'mid'),
  g('gemini-3.5-flash', 'mid'),
  g('gemini-3.5-flash-lite', 'fast'),
  g('gemini-3.1-pro-preview', 'flagship'),
  g('gemini-3.1-flash-lite', 'fast'),
  g('gemini-3-pro-preview', 'flagship'),
  g('gemini-3-flash-preview', 'mid'),
  g('gemini-2.5-pro', 'flagship'),
  g('gemini-2.5-flash', 'mid'),
  g('gemini-2.5-flash-lite', 'fast'),
  g('gemini-2.0-flash', 'mid'),
  g('gemini-2.0-flash-lite', 'fast'),
  g('gemini-pro-latest', 'flagship'),
  g('gemini-flash-latest', 'mid'),
  g('gemini-flash-lite-latest', 'fast'),
];

export interface DeriveOptions {
  source: string;
  sourceDate: string;
  license: string;
  models?: readonly PriceSelection[];
}

type Entry = Record<string, unknown>;

/** USD per token → USD per million tokens, rounded to kill float noise (0.09999999999999999 → 0.1). */
const perMillion = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 1e12) / 1e6 : null;

const TIER_KEY = /^input_cost_per_token_above_(\d+)k_tokens$/;

function tierSuffix(entry: Entry): { suffix: string; threshold: number } | null {
  for (const key of Object.keys(entry)) {
    const match = TIER_KEY.exec(key);
    if (match?.[1] !== undefined)
      return { suffix: `_above_${match[1]}k_tokens`, threshold: Number(match[1]) * 1000 };
  }
  return null;
}

function prices(entry: Entry, suffix: string, anthropic: boolean, name: string, notes: string[]): Entry {
  const input = perMillion(entry[`input_cost_per_token${suffix}`]);
  const output = perMillion(entry[`output_cost_per_token${suffix}`]);
  const out: Entry = { input, output };
  const cacheRead = perMillion(entry[`cache_read_input_token_cost${suffix}`]);
  const write5m = perMillion(entry[`cache_creation_input_token_cost${suffix}`]);
  if (cacheRead !== null && cacheRead > 0) out.cache_read = cacheRead;
  if (write5m !== null && write5m > 0) out.cache_write_5m = write5m;
  if (anthropic && input !== null) {
    const sourced = perMillion(entry[`cache_creation_input_token_cost_above_1hr${suffix}`]);
    const doubled = Math.round(input * 2 * 1e6) / 1e6;
    if (sourced !== doubled) {
      notes.push(
        `${name}${suffix}: 1h cache write set to 2 × input = ${doubled} (source: ${sourced ?? 'none'})`,
      );
    }
    out.cache_write_1h = doubled;
  }
  return out;
}

/** The prices.json object for the selected models; notes list every value not copied from the source. */
export function derivePriceTable(litellm: unknown, options: DeriveOptions): Entry {
  if (typeof litellm !== 'object' || litellm === null) throw new Error('LiteLLM table must be an object');
  const source = litellm as Record<string, Entry>;
  const notes: string[] = [];
  const models: Record<string, Entry> = {};
  for (const selection of options.models ?? BUNDLED_MODELS) {
    const entry = source[selection.sourceKey];
    if (entry === undefined) throw new Error(`LiteLLM table has no "${selection.sourceKey}"`);
    const anthropic = selection.provider === 'anthropic';
    const model: Entry = {
      provider: selection.provider,
      tier: selection.tier,
      ...prices(entry, '', anthropic, selection.name, notes),
    };
    const tier = tierSuffix(entry);
    if (tier !== null) {
      model.long_context = {
        threshold: tier.threshold,
        ...prices(entry, tier.suffix, anthropic, selection.name, notes),
      };
    }
    models[selection.name] = model;
  }
  return {
    source: options.source,
    source_date: options.sourceDate,
    license: options.license,
    unit: 'USD per 1,000,000 tokens',
    notes,
    models,
  };
}
