import type { ModelShare } from './dataset-catalogue.ts';
import { type DemoModel, modelByName } from './model-catalogue.ts';
import { type Picker, ShuffledDeck, WeightedTable } from './weighted-table.ts';

/** A dataset's models split into the main loop's choice and the cheap side-job model. */
export interface ModelMix {
  readonly main: Picker<DemoModel>;
  readonly aux: { readonly model: DemoModel; readonly probability: number } | undefined;
}

const DECK_SIZE = 1000;

/** Independent picks in proportion to the shares (for choices made per chat or per turn). */
export function modelTable(shares: readonly ModelShare[]): WeightedTable<DemoModel> {
  return new WeightedTable(shares.map((s) => [modelByName(s.model), s.share] as const));
}

/**
 * Picks dealt from a shuffled deck (for choices made once per run or conversation): with only
 * hundreds of runs, a deck keeps the realised shares close to the intended ones.
 */
export function modelDeck(shares: readonly ModelShare[]): ShuffledDeck<DemoModel> {
  const total = shares.reduce((sum, s) => sum + s.share, 0);
  return new ShuffledDeck(
    shares.map((s) => [modelByName(s.model), Math.round((s.share / total) * DECK_SIZE)] as const),
  );
}

/**
 * Splits shares so that, per chat span, the fast tier lands on its share: the fast model runs as an
 * extra side call before a main call with probability share / (1 − share).
 */
export function splitModelMix(shares: readonly ModelShare[], choice: 'per-turn' | 'per-run'): ModelMix {
  const fast = shares.find((s) => modelByName(s.model).tier === 'fast');
  const rest = shares.filter((s) => s !== fast);
  const main = choice === 'per-turn' ? modelTable(rest) : modelDeck(rest);
  if (fast === undefined) return { main, aux: undefined };
  return { main, aux: { model: modelByName(fast.model), probability: fast.share / (1 - fast.share) } };
}
