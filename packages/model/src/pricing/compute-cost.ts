import type { LongContextPrices, ModelPrice, TokenPrices } from './price-table.ts';

/** The token counts cost needs; the canonical usage model (input INCLUDES cache, output INCLUDES reasoning). */
export interface CostUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  cacheWrite5mTokens: number | null;
  cacheWrite1hTokens: number | null;
}

export interface CostBreakdown {
  costUsd: number;
  /** uncached input = input − cache read − cache write, at the input price */
  inputUsd: number;
  cacheReadUsd: number;
  cacheWriteUsd: number;
  /** output (reasoning included) at the output price */
  outputUsd: number;
  /** the long-context tier applied (prompt above its threshold) */
  longContext: boolean;
}

const PER_TOKEN = 1 / 1_000_000;

/**
 * Dollar cost of one call.
 * - uncached input = max(0, input − cache read − cache write) at `input`;
 * - cache reads at `cacheRead` (missing → `input`);
 * - 5-minute writes at `cacheWrite5m` (missing → `input`), 1-hour writes at `cacheWrite1h` (missing →
 *   the 5-minute price); writes without a 5m/1h split count as 5-minute writes;
 * - output (reasoning is part of it) at `output`;
 * - when the prompt (input incl. cache) exceeds the long-context threshold, every token is charged at
 *   the long-context prices (a price the tier lacks falls back to the base price).
 */
export function computeCost(usage: CostUsage, price: ModelPrice): CostBreakdown {
  const input = usage.inputTokens ?? 0;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const writeTotal =
    usage.cacheWriteTokens ?? (usage.cacheWrite5mTokens ?? 0) + (usage.cacheWrite1hTokens ?? 0);
  const write1h = Math.min(usage.cacheWrite1hTokens ?? 0, writeTotal);
  const write5m = writeTotal - write1h;
  const uncached = Math.max(0, input - cacheRead - writeTotal);
  const tier = activeTier(price, input);
  const prices: TokenPrices = tier ?? price;
  const pick = (tierValue: number | null, baseValue: number | null, fallback: number): number =>
    tierValue ?? baseValue ?? fallback;
  const readPrice = pick(prices.cacheRead, price.cacheRead, prices.input);
  const write5mPrice = pick(prices.cacheWrite5m, price.cacheWrite5m, prices.input);
  const write1hPrice = pick(prices.cacheWrite1h, price.cacheWrite1h, write5mPrice);
  const inputUsd = uncached * prices.input * PER_TOKEN;
  const cacheReadUsd = cacheRead * readPrice * PER_TOKEN;
  const cacheWriteUsd = (write5m * write5mPrice + write1h * write1hPrice) * PER_TOKEN;
  const outputUsd = (usage.outputTokens ?? 0) * prices.output * PER_TOKEN;
  return {
    costUsd: inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd,
    inputUsd,
    cacheReadUsd,
    cacheWriteUsd,
    outputUsd,
    longContext: tier !== null,
  };
}

function activeTier(price: ModelPrice, prompt: number): LongContextPrices | null {
  const tier = price.longContext;
  return tier !== null && prompt > tier.threshold ? tier : null;
}
