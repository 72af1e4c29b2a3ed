/**
 * The models the demo uses. Every priced model exists under the same name in LiteLLM's public price
 * table (`model_prices_and_context_window.json`, mirror of 2026-07-24), so the server can compute cost;
 * `inhouse-coder-ft-v3` is deliberately in no price table, to exercise the "unknown model" flag.
 */
/**
 * The demo's portfolio tier, the article's buckets: `prior` marks an earlier generation kept in use.
 * (A price table tiers by capability instead and files a prior-generation Opus under flagship.)
 */
export type DemoModelTier = 'flagship' | 'mid' | 'fast' | 'prior' | 'specialised';
export type ProviderName = 'anthropic' | 'openai' | 'gcp.gemini';

/** USD per million tokens. */
export interface DemoModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

export interface DemoModel {
  readonly name: string;
  /** `chat {name}` */
  readonly chatSpanName: string;
  /** What the provider answers with (often the dated snapshot). */
  readonly responseModel: string;
  readonly provider: ProviderName;
  readonly tier: DemoModelTier;
  readonly serverAddress: string;
  /** undefined for a model that no public price table knows */
  readonly price: DemoModelPrice | undefined;
  readonly ttftMedianS: number;
  readonly outputTokensPerS: number;
  /** reports `gen_ai.usage.reasoning.output_tokens` */
  readonly reportsReasoning: boolean;
}

const ANTHROPIC = 'api.anthropic.com';
const OPENAI = 'api.openai.com';
const GEMINI = 'generativelanguage.googleapis.com';

const p = (input: number, output: number, cacheRead: number, cacheWrite: number): DemoModelPrice => ({
  input,
  output,
  cacheRead,
  cacheWrite,
});

const m = (
  name: string,
  responseModel: string,
  provider: ProviderName,
  tier: DemoModelTier,
  price: DemoModelPrice | undefined,
  speed: readonly [ttftMedianS: number, outputTokensPerS: number],
): DemoModel => ({
  name,
  chatSpanName: `chat ${name}`,
  responseModel,
  provider,
  tier,
  serverAddress: provider === 'anthropic' ? ANTHROPIC : provider === 'openai' ? OPENAI : GEMINI,
  price,
  ttftMedianS: speed[0],
  outputTokensPerS: speed[1],
  reportsReasoning: provider !== 'anthropic',
});

export const MODEL_CATALOGUE: readonly DemoModel[] = [
  m('claude-opus-4-6', 'claude-opus-4-6', 'anthropic', 'flagship', p(5, 25, 0.5, 6.25), [1.8, 45]),
  m('claude-sonnet-4-6', 'claude-sonnet-4-6', 'anthropic', 'mid', p(3, 15, 0.3, 3.75), [1.1, 70]),
  m('claude-haiku-4-5', 'claude-haiku-4-5-20251001', 'anthropic', 'fast', p(1, 5, 0.1, 1.25), [0.5, 140]),
  m('claude-opus-4-5', 'claude-opus-4-5-20251101', 'anthropic', 'prior', p(5, 25, 0.5, 6.25), [1.9, 42]),
  m('claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'anthropic', 'prior', p(3, 15, 0.3, 3.75), [1.2, 65]),
  m('claude-opus-4-1', 'claude-opus-4-1-20250805', 'anthropic', 'prior', p(15, 75, 1.5, 18.75), [2.2, 35]),
  m(
    'claude-sonnet-4-20250514',
    'claude-sonnet-4-20250514',
    'anthropic',
    'prior',
    p(3, 15, 0.3, 3.75),
    [1.3, 60],
  ),
  m('inhouse-coder-ft-v3', 'inhouse-coder-ft-v3', 'anthropic', 'specialised', undefined, [0.9, 80]),
  m('gpt-5.1-codex', 'gpt-5.1-codex', 'openai', 'flagship', p(1.25, 10, 0.125, 0), [2.4, 60]),
  m('gpt-5', 'gpt-5-2025-08-07', 'openai', 'mid', p(1.25, 10, 0.125, 0), [2.8, 55]),
  m('gpt-5-mini', 'gpt-5-mini-2025-08-07', 'openai', 'fast', p(0.25, 2, 0.025, 0), [1.2, 110]),
  m('gpt-5-codex', 'gpt-5-codex', 'openai', 'prior', p(1.25, 10, 0.125, 0), [2.5, 58]),
  m('gemini-2.5-pro', 'gemini-2.5-pro', 'gcp.gemini', 'mid', p(1.25, 10, 0.125, 0), [2.0, 75]),
  m('gemini-2.5-flash', 'gemini-2.5-flash', 'gcp.gemini', 'fast', p(0.3, 2.5, 0.03, 0), [0.6, 160]),
];

export type ModelName = string;

const BY_NAME = new Map(MODEL_CATALOGUE.map((model) => [model.name, model]));

/** The catalogue entry for a model name; throws for a name the catalogue does not hold. */
export function modelByName(name: ModelName): DemoModel {
  const model = BY_NAME.get(name);
  if (model === undefined) throw new Error(`demo model catalogue has no model ${name}`);
  return model;
}

/** USD cost as Claude Code reports it (input here excludes cache, as Anthropic counts it). */
export function reportedCostUsd(
  model: DemoModel,
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number },
): number {
  const price = model.price;
  if (price === undefined) return 0;
  const uncached = usage.input - usage.cacheRead - usage.cacheWrite;
  const micro = uncached * price.input + usage.output * price.output + usage.cacheRead * price.cacheRead;
  return (micro + usage.cacheWrite * price.cacheWrite) / 1_000_000;
}
