import { REPORTED_COST_ATTRIBUTES } from '@loopline/conventions';
import { computeCost } from '../pricing/compute-cost.ts';
import { lookupModel } from '../pricing/lookup-model.ts';
import type { ModelTier, PriceTable } from '../pricing/price-table.ts';
import type { Attributes } from '../raw-otlp.ts';
import type { CostSource } from '../span-row.ts';
import { collectSlots, emptySlots, type Slots, slot } from './attribute-slots.ts';
import { readNumber } from './attribute-values.ts';
import type { CanonicalUsage } from './usage.ts';

const S_GEN_AI_COST = slot(REPORTED_COST_ATTRIBUTES.GEN_AI_USAGE_COST);
const S_COST_USD = slot(REPORTED_COST_ATTRIBUTES.COST_USD);
const S_COST_USD_MICROS = slot(REPORTED_COST_ATTRIBUTES.COST_USD_MICROS);
const S_LLM_COST_TOTAL = slot(REPORTED_COST_ATTRIBUTES.LLM_COST_TOTAL);

/** A cost the emitter reported, in USD: `gen_ai.usage.cost`, `cost_usd`, `cost_usd_micros` / 1e6, `llm.cost.total`. */
export function reportedCostFromSlots(slots: Slots): number | null {
  const direct = readNumber(slots[S_GEN_AI_COST]) ?? readNumber(slots[S_COST_USD]);
  if (direct !== null && direct >= 0) return direct;
  const micros = readNumber(slots[S_COST_USD_MICROS]);
  if (micros !== null && micros >= 0) return micros / 1_000_000;
  const total = readNumber(slots[S_LLM_COST_TOTAL]);
  return total !== null && total >= 0 ? total : null;
}

export function reportedCostFromAttributes(attrs: Attributes): number | null {
  const slots = emptySlots();
  collectSlots(attrs, slots);
  return reportedCostFromSlots(slots);
}

export interface ResolvedCost {
  costUsd: number | null;
  costSource: CostSource | null;
  /** the priced model's tier, whether the cost was reported or computed */
  modelTier: ModelTier | null;
}

export interface CostInput {
  usage: CanonicalUsage | null;
  reportedCostUsd: number | null;
  /** response model, else request model */
  model: string | null;
  provider: string | null;
  prices: PriceTable;
}

const NO_COST: ResolvedCost = { costUsd: null, costSource: null, modelTier: null };
const UNKNOWN_MODEL: ResolvedCost = { costUsd: null, costSource: 'unknown_model', modelTier: null };

/**
 * A reported cost is kept ('reported'); else usage is priced when the model is in the table
 * ('computed'); usage with an unknown or missing model gets null cost and 'unknown_model' (never a
 * silent 0); no usage and no reported cost gives nulls.
 */
export function resolveCost(input: CostInput): ResolvedCost {
  const price =
    input.model === null ? undefined : lookupModel(input.prices, input.model, input.provider ?? undefined);
  const modelTier = price?.tier ?? null;
  if (input.reportedCostUsd !== null)
    return { costUsd: input.reportedCostUsd, costSource: 'reported', modelTier };
  if (input.usage === null) return modelTier === null ? NO_COST : { ...NO_COST, modelTier };
  if (price === undefined) return UNKNOWN_MODEL;
  return { costUsd: computeCost(input.usage, price).costUsd, costSource: 'computed', modelTier };
}
