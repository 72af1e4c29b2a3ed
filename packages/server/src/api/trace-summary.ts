import type { ResultRow } from '../storage/storage.ts';
import { knownCost, knownCostOf } from './known-cost.ts';

/** The head of a trace response: what a trace view shows above its waterfall. */
export interface TraceSummary {
  /** the root span's name: the earliest span without a parent, else the earliest span */
  rootName: string | null;
  spanCount: number;
  errorCount: number;
  start: string;
  durationMs: number;
  /** in the order they first appear */
  datasets: string[];
  /** the sum of the known costs; null when spans with token usage have no price and none has one */
  costUsd: number | null;
  /** spans with token usage but no cost (a model the price table does not know) */
  unpricedSpans: number;
  inputTokens: number;
  outputTokens: number;
  /** more spans than the response holds */
  truncated: boolean;
}

/** Span rows (`timestamp_us`, `span_id`) in time order, ties by span id, as DuckDB's ORDER BY would. */
export function byTimeThenSpanId(a: ResultRow, b: ResultRow): number {
  const at = Number(a.timestamp_us);
  const bt = Number(b.timestamp_us);
  if (at !== bt) return at - bt;
  const as = String(a.span_id);
  const bs = String(b.span_id);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/**
 * The summary of a whole trace from its span rows in time order (`timestamp_us`, `end_timestamp_us`, ids,
 * name, error flag, dataset, cost and tokens): the same figures `traceSummaryLookup` computes in SQL and
 * the same root as trace search, so a trace reads the same on its page, in search results and in a
 * conversation, whichever path served it.
 */
export function summarise(spans: readonly ResultRow[]): TraceSummary {
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  let errors = 0;
  let input = 0;
  let output = 0;
  let root: ResultRow | undefined;
  const datasets = new Set<string>();
  for (const span of spans) {
    const start = Number(span.timestamp_us);
    const end = Number(span.end_timestamp_us);
    if (start < startUs) startUs = start;
    if (end > endUs) endUs = end;
    if (span.is_error === true) errors++;
    input += Number(span.input_tokens ?? 0);
    output += Number(span.output_tokens ?? 0);
    datasets.add(String(span.dataset));
    // spans are in time order: the first without a parent is the root, else the first span
    if (!root || (root.parent_span_id !== '' && span.parent_span_id === '')) root = span;
  }
  return {
    rootName: root ? String(root.name) : null,
    spanCount: spans.length,
    errorCount: errors,
    start: new Date(startUs / 1000).toISOString(),
    durationMs: (endUs - startUs) / 1000,
    datasets: [...datasets],
    ...knownCostOf(spans),
    inputTokens: input,
    outputTokens: output,
    truncated: false,
  };
}

/**
 * The summary of a trace over the span limit, from `traceSummaryLookup`'s row, with the datasets of the
 * spans returned first in the order they appear and those seen only past the limit after them.
 */
export function summaryOf(row: ResultRow, spans: readonly ResultRow[]): TraceSummary {
  const start = Number(row.start_us);
  const datasets = new Set(spans.map((span) => String(span.dataset)));
  for (const dataset of (row.datasets as string[] | null) ?? []) datasets.add(dataset);
  return {
    rootName: (row.root_name as string | null | undefined) ?? null,
    spanCount: Number(row.span_count ?? 0),
    errorCount: Number(row.error_count ?? 0),
    start: new Date(start / 1000).toISOString(),
    durationMs: (Number(row.end_us) - start) / 1000,
    datasets: [...datasets],
    ...knownCost(row.cost_usd, row.unpriced_spans),
    inputTokens: Number(row.input_tokens ?? 0),
    outputTokens: Number(row.output_tokens ?? 0),
    truncated: true,
  };
}
