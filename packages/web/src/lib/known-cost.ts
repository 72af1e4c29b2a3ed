import { formatCount, formatUsd } from './format.ts';

/** A cost as the API reports it: the sum of the known costs and how many spans had usage but no price. */
export interface KnownCost {
  /** null: spans reported tokens but none had a price */
  costUsd: number | null;
  unpricedSpans?: number;
}

/**
 * A cost that never reads as $0 when it is unknown: `$0.25`, `$0.25 + 2 unpriced` when some spans had no
 * price, `unpriced` when none had one (the home page's word for a model the price table does not know),
 * `—` when the cost could not be read at all (a search row whose trace is not indexed).
 */
export function formatKnownCost(cost: KnownCost): string {
  const unpriced = cost.unpricedSpans ?? 0;
  if (cost.costUsd === null) return unpriced > 0 ? 'unpriced' : '—';
  return unpriced > 0
    ? `${formatUsd(cost.costUsd)} + ${formatCount(unpriced)} unpriced`
    : formatUsd(cost.costUsd);
}

/** The hover text that says what the unpriced part is, or undefined when everything was priced. */
export function unpricedTitle(cost: KnownCost): string | undefined {
  const unpriced = cost.unpricedSpans ?? 0;
  if (unpriced === 0) return undefined;
  const spans = unpriced === 1 ? '1 span reports' : `${formatCount(unpriced)} spans report`;
  return `${spans} token usage on a model the price table does not know; ${cost.costUsd === null ? 'no span' : 'only the rest'} could be priced`;
}

/** The known cost of spans (`cost_usd`, `input_tokens`, `output_tokens`), as the server sums a trace. */
export function knownCostOf(
  spans: readonly { cost_usd?: number | null; input_tokens?: number | null; output_tokens?: number | null }[],
): KnownCost {
  let sum: number | null = null;
  let unpricedSpans = 0;
  for (const span of spans) {
    if (typeof span.cost_usd === 'number') sum = (sum ?? 0) + span.cost_usd;
    else if (span.input_tokens != null || span.output_tokens != null) unpricedSpans++;
  }
  return { costUsd: sum ?? (unpricedSpans > 0 ? null : 0), unpricedSpans };
}

/**
 * The cost of a number of LLM calls, as the query sums them (`SUM(cost_usd)` is null when no call had a
 * price): `unpriced` when there were calls and none was priced, `$0.00` only when there were no calls.
 */
export function formatCallsCost(usage: { cost: number | null; llmCalls: number }): string {
  if (usage.cost === null && usage.llmCalls > 0) {
    return formatKnownCost({ costUsd: null, unpricedSpans: usage.llmCalls });
  }
  return formatUsd(usage.cost ?? 0);
}
