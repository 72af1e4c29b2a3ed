import { AppError } from '@loopline/model';
import { z } from 'zod';
import {
  type ConversationListFilter,
  conversationCountLookup,
  conversationFacetsLookup,
  conversationListLookup,
} from '../storage/duckdb/duckdb-conversation-lookups.ts';
import type { Lookup } from '../storage/duckdb/duckdb-lookups.ts';
import type { ResultRow } from '../storage/storage.ts';
import { knownCost } from './known-cost.ts';
import { isoFromMicros, parseInput, parseTimeMs, resolveTimeRange } from './request-input.ts';

export const CONVERSATIONS_DEFAULT_RANGE_SECONDS = 604_800;
export const CONVERSATIONS_DEFAULT_LIMIT = 50;
export const CONVERSATIONS_MAX_LIMIT = 500;
export const FACET_MAX_VALUES = 200;
const MAX_RANGE_SECONDS = 10 * 366 * 86_400;
const MAX_OFFSET = 1_000_000;

const PARAMS = [
  'time_range',
  'start',
  'end',
  'dataset',
  'agent',
  'user',
  'label',
  'q',
  'limit',
  'offset',
] as const;

function wholeNumber(min: number, max: number) {
  const rule = `a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, rule)
    .transform(Number)
    .refine((n) => n >= min && n <= max, rule);
}

const time = z.string().transform((text, ctx) => {
  const ms = parseTimeMs(text);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'epoch seconds or an ISO 8601 date up to the year 3000, e.g. 2026-11-20T12:00:00Z',
    });
    return z.NEVER;
  }
  return ms;
});

const text = z.string().max(1000, 'at most 1000 characters');

const listParams = z.strictObject(
  {
    time_range: wholeNumber(1, MAX_RANGE_SECONDS).optional(),
    start: time.optional(),
    end: time.optional(),
    dataset: text.optional(),
    agent: text.optional(),
    user: text.optional(),
    label: text.optional(),
    q: text.optional(),
    limit: wholeNumber(1, CONVERSATIONS_MAX_LIMIT).optional(),
    offset: wholeNumber(0, MAX_OFFSET).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.map((key) => `"${key}"`).join(', ')}; allowed: ${PARAMS.join(', ')}`
        : undefined,
  },
);

export interface ConversationListItem {
  id: string;
  start: string | null;
  end: string | null;
  durationMs: number;
  datasets: string[];
  agents: string[];
  users: string[];
  traces: number;
  spans: number;
  llmCalls: number;
  toolCalls: number;
  errors: number;
  /** the sum of the known costs; null when spans with token usage have no price and none has one */
  costUsd: number | null;
  /** spans with token usage but no cost (a model the price table does not know) */
  unpricedSpans: number;
  inputTokens: number;
  outputTokens: number;
  evalLabel: string | null;
  evalScore: number | null;
}

export interface ConversationList {
  conversations: ConversationListItem[];
  total: number;
  facets: { datasets: string[]; agents: string[]; users: string[]; labels: string[] };
  meta: { start: string; end: string };
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function toItem(row: ResultRow): ConversationListItem {
  const evaluation = (row.evaluation ?? null) as { label?: unknown; score?: unknown } | null;
  return {
    id: String(row.id),
    start: isoFromMicros(row.start_us),
    end: isoFromMicros(row.end_us),
    durationMs: (num(row.end_us) - num(row.start_us)) / 1000,
    datasets: strings(row.datasets),
    agents: strings(row.agents),
    users: strings(row.users),
    traces: num(row.traces),
    spans: num(row.spans),
    llmCalls: num(row.llm_calls),
    toolCalls: num(row.tool_calls),
    errors: num(row.errors),
    ...knownCost(row.cost_usd, row.unpriced_spans),
    inputTokens: num(row.input_tokens),
    outputTokens: num(row.output_tokens),
    evalLabel: typeof evaluation?.label === 'string' ? evaluation.label : null,
    evalScore: typeof evaluation?.score === 'number' ? evaluation.score : null,
  };
}

/**
 * `GET /api/conversations`: conversations with spans in the range, newest start first, aggregated in SQL.
 * A conversation is named by spans that carry its id and holds every span in the range of their traces (tool
 * spans rarely carry the id, yet are the conversation's tool calls), as `GET /api/conversations/:id` does.
 * `dataset`, `agent`, `user` and `label` keep conversations with any such span; `q` matches part of the id
 * (any case). Facets list the values the filters can take in the range, whatever the filters.
 */
export async function listConversations(
  query: unknown,
  run: (lookup: Lookup) => Promise<ResultRow[]>,
  nowMs = Date.now(),
): Promise<ConversationList> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value))
      throw new AppError('BAD_REQUEST', `give "${key}" once, not ${value.length} times`);
    // `?agent=` is no filter, as a form with an empty field sends it
    if (value !== '') raw[key] = value;
  }
  const params = parseInput(listParams, raw, 'GET /api/conversations');
  const { startMs, endMs } = resolveTimeRange(params, CONVERSATIONS_DEFAULT_RANGE_SECONDS, nowMs);
  const range = { startUs: Math.round(startMs * 1000), endUs: Math.round(endMs * 1000) };
  const filter: ConversationListFilter = {
    ...range,
    dataset: params.dataset,
    agent: params.agent,
    user: params.user,
    label: params.label,
    q: params.q,
  };
  const page = { limit: params.limit ?? CONVERSATIONS_DEFAULT_LIMIT, offset: params.offset ?? 0 };
  const rows = await run(conversationListLookup(filter, page));
  const total =
    rows.length > 0
      ? num(rows[0]?.total)
      : page.offset === 0
        ? 0
        : num((await run(conversationCountLookup(filter)))[0]?.total);
  const [facets] = await run(conversationFacetsLookup(range, FACET_MAX_VALUES));
  return {
    conversations: rows.map(toItem),
    total,
    facets: {
      datasets: strings(facets?.datasets),
      agents: strings(facets?.agents),
      users: strings(facets?.users),
      labels: strings(facets?.labels),
    },
    meta: { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() },
  };
}
