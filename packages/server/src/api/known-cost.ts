/**
 * What a set of spans (a trace, a conversation, a search row) cost as far as the price table knows. A
 * span is unpriced when it reports token usage but has no cost: its model is not in the price table
 * (`cost_source = unknown_model`). The cost is the sum of the known costs; when usage was reported but
 * nothing was priced it is unknown (null), never a silent $0. Spans without usage or cost (tools,
 * agents) spend nothing, so a trace without LLM calls costs 0, as the home page's totals read.
 */
export interface KnownCost {
  /** the sum of the known costs; null when spans with usage have no cost and none has one */
  costUsd: number | null;
  /** spans with token usage but no cost */
  unpricedSpans: number;
}

/** A span (row) is unpriced: token usage without a cost. The same test as `UNPRICED_SPAN_SQL`. */
export function isUnpriced(span: Readonly<Record<string, unknown>>): boolean {
  return (
    (span.cost_usd === null || span.cost_usd === undefined) &&
    ((span.input_tokens !== null && span.input_tokens !== undefined) ||
      (span.output_tokens !== null && span.output_tokens !== undefined))
  );
}

/** The known cost from a SQL `sum(cost_usd)` (null without any cost) and the count of unpriced spans. */
export function knownCost(costSum: unknown, unpriced: unknown): KnownCost {
  const unpricedSpans = Number(unpriced ?? 0);
  if (costSum === null || costSum === undefined)
    return { costUsd: unpricedSpans > 0 ? null : 0, unpricedSpans };
  return { costUsd: Number(costSum), unpricedSpans };
}

/** The known cost of span rows (`cost_usd`, `input_tokens`, `output_tokens`). */
export function knownCostOf(spans: readonly Readonly<Record<string, unknown>>[]): KnownCost {
  let sum: number | null = null;
  let unpriced = 0;
  for (const span of spans) {
    if (typeof span.cost_usd === 'number') sum = (sum ?? 0) + span.cost_usd;
    else if (isUnpriced(span)) unpriced++;
  }
  return knownCost(sum, unpriced);
}
