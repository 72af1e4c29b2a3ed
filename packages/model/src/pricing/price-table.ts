import { AppError } from '../app-error.ts';
import bundledPrices from './prices.json' with { type: 'json' };

/**
 * Model prices in USD per 1,000,000 tokens. In the JSON form keys are snake_case (`cache_read`,
 * `cache_write_5m`, `long_context`); loaded tables are camelCase. A null cache price means "charged
 * like the price it falls back to" (see compute-cost.ts).
 */
export type ModelTier = 'flagship' | 'mid' | 'fast' | 'specialised';

export const MODEL_TIERS: readonly ModelTier[] = ['flagship', 'mid', 'fast', 'specialised'];

export interface TokenPrices {
  input: number;
  output: number;
  cacheRead: number | null;
  cacheWrite5m: number | null;
  cacheWrite1h: number | null;
}

/** Prices that apply to the whole request once its prompt (input incl. cache) exceeds `threshold`. */
export interface LongContextPrices extends TokenPrices {
  threshold: number;
}

export interface ModelPrice extends TokenPrices {
  model: string;
  /** `gen_ai.provider.name` spelling of the model's maker, '' when unknown */
  provider: string;
  tier: ModelTier | null;
  longContext: LongContextPrices | null;
}

export interface PriceTable {
  source: string;
  sourceDate: string;
  license: string;
  models: ReadonlyMap<string, ModelPrice>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new AppError('PRICING_INVALID', message, details);
}

function price(entry: Json, key: string, model: string, required: boolean): number | null {
  const value = entry[key];
  if (value === undefined || value === null) {
    if (required) invalid(`price table: model "${model}" has no "${key}" price`, { model, key });
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    invalid(`price table: model "${model}" has an invalid "${key}" price (want a number ≥ 0)`, {
      model,
      key,
    });
  }
  return value;
}

function tokenPrices(entry: Json, model: string): TokenPrices {
  return {
    input: price(entry, 'input', model, true) as number,
    output: price(entry, 'output', model, true) as number,
    cacheRead: price(entry, 'cache_read', model, false),
    cacheWrite5m: price(entry, 'cache_write_5m', model, false),
    cacheWrite1h: price(entry, 'cache_write_1h', model, false),
  };
}

function longContext(entry: Json, model: string): LongContextPrices | null {
  const tier = entry.long_context;
  if (tier === undefined || tier === null) return null;
  if (!isObject(tier)) invalid(`price table: model "${model}" has an invalid "long_context"`, { model });
  const threshold = tier.threshold;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold <= 0) {
    invalid(`price table: model "${model}" long_context.threshold must be a positive integer`, { model });
  }
  return { threshold, ...tokenPrices(tier, `${model} long_context`) };
}

function modelTier(entry: Json, model: string): ModelTier | null {
  const tier = entry.tier;
  if (tier === undefined || tier === null) return null;
  if (typeof tier !== 'string' || !MODEL_TIERS.includes(tier as ModelTier)) {
    invalid(`price table: model "${model}" has tier "${String(tier)}" (want ${MODEL_TIERS.join(', ')})`, {
      model,
    });
  }
  return tier as ModelTier;
}

function loadModel(model: string, entry: unknown): ModelPrice {
  if (!isObject(entry)) invalid(`price table: model "${model}" is not an object`, { model });
  const provider = entry.provider ?? '';
  if (typeof provider !== 'string')
    invalid(`price table: model "${model}" provider must be a string`, { model });
  return {
    model,
    provider,
    tier: modelTier(entry, model),
    ...tokenPrices(entry, model),
    longContext: longContext(entry, model),
  };
}

const text = (json: Json, key: string): string => {
  const value = json[key];
  if (value === undefined) return '';
  if (typeof value !== 'string') invalid(`price table: "${key}" must be a string`, { key });
  return value;
};

/** Validates a price table in its JSON form; throws AppError('PRICING_INVALID') naming the first problem. */
export function loadPriceTable(json: unknown): PriceTable {
  if (!isObject(json)) invalid('price table: expected a JSON object');
  const models = json.models;
  if (!isObject(models)) invalid('price table: "models" must be an object keyed by model name');
  const loaded = new Map<string, ModelPrice>();
  for (const [name, entry] of Object.entries(models)) {
    if (name.trim() === '') invalid('price table: a model name is empty');
    loaded.set(name, loadModel(name, entry));
  }
  return {
    source: text(json, 'source'),
    sourceDate: text(json, 'source_date'),
    license: text(json, 'license'),
    models: loaded,
  };
}

/** `base` with every model of `override` added or replaced; the metadata says both sources. */
export function mergePriceTables(base: PriceTable, override: PriceTable): PriceTable {
  const models = new Map(base.models);
  for (const [name, entry] of override.models) models.set(name, entry);
  const join = (a: string, b: string, separator: string): string =>
    a === '' || a === b ? b : b === '' ? a : `${a}${separator}${b}`;
  return {
    source: join(base.source, override.source, '; overridden by '),
    sourceDate: [base.sourceDate, override.sourceDate].sort().at(-1) ?? '',
    license: join(base.license, override.license, '; '),
    models,
  };
}

let bundled: PriceTable | undefined;

/** The price table shipped with Loopline (prices.json), loaded once. */
export function bundledPriceTable(): PriceTable {
  bundled ??= loadPriceTable(bundledPrices);
  return bundled;
}
