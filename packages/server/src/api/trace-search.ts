import { AppError } from '@loopline/model';
import {
  type CompiledQuery,
  type CompiledStatement,
  compileQuery,
  duckDbDialect,
  MAX_BUCKETS,
  MAX_LIMIT,
  parseQuery,
  type QuerySpecInput,
  type StatementRole,
} from '@loopline/query';
import { z } from 'zod';
import { traceRootsLookup, tracesBoundsLookup } from '../storage/duckdb/duckdb-lookups.ts';
import type { ResultRow, SqlParam } from '../storage/storage.ts';
import { knownCost } from './known-cost.ts';
import { isoFromMicros, parseInput } from './request-input.ts';

export const TRACE_SEARCH_DEFAULT_LIMIT = 20;
export const TRACE_SEARCH_MAX_LIMIT = 200;

const searchBody = z.strictObject(
  {
    query: z.record(z.string(), z.unknown(), {
      error: 'a query object as POST /api/query takes (docs/query-language.md) is required',
    }),
    limit: z
      .number({ error: `a whole number from 1 to ${TRACE_SEARCH_MAX_LIMIT}` })
      .int(`a whole number from 1 to ${TRACE_SEARCH_MAX_LIMIT}`)
      .min(1, `a whole number from 1 to ${TRACE_SEARCH_MAX_LIMIT}`)
      .max(TRACE_SEARCH_MAX_LIMIT, `a whole number from 1 to ${TRACE_SEARCH_MAX_LIMIT}`)
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? 'the body takes only query and limit' : undefined,
  },
);

export interface TraceSearchHit {
  traceId: string;
  rootName: string | null;
  dataset: string | null;
  rootIsError: boolean | null;
  start: string | null;
  durationMs: number | null;
  spanCount: number;
  matchedSpans: number;
  errors: number;
  /** the whole trace's known cost, as its page shows it; null when its usage has no price at all */
  costUsd: number | null;
  /** the trace's spans with token usage but no cost */
  unpricedSpans: number;
}

export interface TraceSearchResult {
  traces: TraceSearchHit[];
  meta: { start: string; end: string };
}

export interface TraceSearchOptions {
  run: (sql: string, params: readonly SqlParam[]) => Promise<ResultRow[]>;
  weighted: boolean;
  nowMs?: number;
}

interface Candidate {
  traceId: string;
  matched: number;
  startUs: number;
  endUs: number;
}

/** What the query's spans are: its source, datasets and filters, without calculations or grouping. */
type Selection = Pick<QuerySpecInput, 'source' | 'dataset' | 'filters' | 'filter_combination'>;
type Compile = (extra: QuerySpecInput) => CompiledQuery;

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

/**
 * "Open the matching traces" of a query (a clicked chart point, heatmap cell or result row): the traces
 * with spans that match its datasets, filters and time range, most recently started first, with how many
 * of their spans matched and what each trace cost. The query compiler does all the matching:
 *
 * 1. a series of COUNT_DISTINCT(trace.trace_id) over the range at the finest granularity finds how far
 *    back from the end the first `limit` traces lie (the cutoff);
 * 2. the compiled `groups` statement, broken down by trace id over [cutoff, end), lists the candidates;
 *    the trace index gives each one's start;
 * 3. when the `limit`-th newest candidate started before the cutoff, a trace with no matching span after
 *    the cutoff could have started later, so the cutoff moves back to that start and step 2 runs again
 *    (once suffices); with too few candidates the cutoff moves back by twice as many buckets.
 *
 * Every listed trace started at or after the final cutoff, so its matched counts cover the whole range.
 */
export async function searchTraces(input: unknown, options: TraceSearchOptions): Promise<TraceSearchResult> {
  const body = parseInput(searchBody, input, 'POST /api/traces/search');
  const spec = parseQuery(body.query);
  if (spec.source !== 'spans') {
    throw new AppError(
      'BAD_REQUEST',
      `query.source: traces are made of spans; "${spec.source}" cannot be opened as traces (use "spans")`,
    );
  }
  const limit = body.limit ?? TRACE_SEARCH_DEFAULT_LIMIT;
  const nowMs = options.nowMs ?? Date.now();
  const selection: Selection = {
    source: 'spans',
    filters: spec.filters,
    filter_combination: spec.filter_combination,
    ...(spec.dataset === undefined ? {} : { dataset: spec.dataset }),
  };
  const compile: Compile = (extra) =>
    compileQuery({ ...selection, ...extra }, { dialect: duckDbDialect, nowMs, weighted: options.weighted });
  const { startMs, endMs } = compile({
    time_range: spec.time_range,
    start_time: spec.start_time,
    end_time: spec.end_time,
  }).shape;
  const meta = { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() };
  const [startSeconds, endSeconds] = [startMs / 1000, endMs / 1000];

  // 1. distinct matching traces per time bucket, newest bucket first
  const rangeSeconds = (endSeconds * 1000 - startSeconds * 1000) / 1000;
  const located = compile({
    start_time: startSeconds,
    end_time: endSeconds,
    granularity: Math.max(1, Math.ceil(rangeSeconds / MAX_BUCKETS)),
    calculations: [{ op: 'COUNT_DISTINCT', column: 'trace.trace_id' }],
  });
  const traceCount = located.shape.calculations[0]?.alias as string;
  const buckets = (await execute(options, statementOf(located.statements, 'series')))
    .map((row) => ({ timeMs: num(row.time_ms), traces: num(row[traceCount]) }))
    .filter((bucket) => bucket.traces > 0)
    .sort((a, b) => b.timeMs - a.timeMs);
  if (buckets.length === 0) return { traces: [], meta };
  let seen = 0;
  let newest = buckets.findIndex((bucket) => {
    seen += bucket.traces;
    return seen >= limit;
  });
  newest = newest < 0 ? buckets.length : newest + 1;
  const cutoffOf = (count: number): number =>
    count >= buckets.length ? startMs : Math.max(startMs, (buckets[count - 1] as { timeMs: number }).timeMs);

  // 2 + 3. candidates after the cutoff, moved back until the newest `limit` are certain
  let cutoffMs = cutoffOf(newest);
  let top: Candidate[] = [];
  for (let round = 0; round < 32; round++) {
    top = (await candidates(options, compile, cutoffMs / 1000, endSeconds)).slice(0, limit);
    if (cutoffMs <= startMs) break;
    if (top.length < limit) {
      newest *= 2;
      cutoffMs = cutoffOf(newest);
      continue;
    }
    const oldestStartMs = Math.floor((top[top.length - 1] as Candidate).startUs / 1000);
    if (oldestStartMs >= cutoffMs) break;
    cutoffMs = Math.max(startMs, oldestStartMs);
  }
  return { traces: await describe(options, top), meta };
}

function statementOf(statements: readonly CompiledStatement[], role: StatementRole): CompiledStatement {
  const statement = statements.find((s) => s.role === role);
  if (!statement) throw new AppError('INTERNAL', `the compiled query has no ${role} statement`);
  return statement;
}

function execute(options: TraceSearchOptions, statement: CompiledStatement): Promise<ResultRow[]> {
  return options.run(statement.sql, [...statement.params]);
}

/** Traces with matching spans in [fromSeconds, endSeconds), newest start first. */
async function candidates(
  options: TraceSearchOptions,
  compile: Compile,
  fromSeconds: number,
  endSeconds: number,
): Promise<Candidate[]> {
  const compiled = compile({
    start_time: fromSeconds,
    end_time: endSeconds,
    breakdowns: ['trace.trace_id'],
    calculations: [{ op: 'COUNT' }],
    limit: MAX_LIMIT,
  });
  const key = compiled.shape.keys[0]?.slot as string;
  const count = compiled.shape.calculations[0]?.alias as string;
  const rows = await execute(options, statementOf(compiled.statements, 'groups'));
  const ids = rows.map((row) => String(row[key]));
  if (ids.length === 0) return [];
  const lookup = tracesBoundsLookup(ids);
  const bounds = new Map(
    (await options.run(lookup.sql, lookup.params)).map((row) => [String(row.trace_id), row]),
  );
  return rows
    .map((row) => {
      const traceId = String(row[key]);
      const known = bounds.get(traceId);
      return {
        traceId,
        matched: num(row[count]),
        startUs: typeof known?.start_us === 'number' ? known.start_us : Number.NEGATIVE_INFINITY,
        endUs: num(known?.end_us),
      };
    })
    .sort((a, b) => b.startUs - a.startUs || (a.traceId < b.traceId ? -1 : 1));
}

/** Each trace's root span and whole-trace counts and cost, read inside the traces' own time bounds. */
async function describe(options: TraceSearchOptions, top: Candidate[]): Promise<TraceSearchHit[]> {
  const indexed = top.filter((hit) => Number.isFinite(hit.startUs));
  const roots = new Map<string, ResultRow>();
  if (indexed.length > 0) {
    const lookup = traceRootsLookup(
      indexed.map((hit) => hit.traceId),
      {
        startUs: Math.min(...indexed.map((hit) => hit.startUs)),
        endUs: Math.max(...indexed.map((hit) => hit.endUs)),
      },
    );
    for (const row of await options.run(lookup.sql, lookup.params)) roots.set(String(row.trace_id), row);
  }
  return top.map((hit) => {
    const root = roots.get(hit.traceId);
    const startUs = typeof root?.start_us === 'number' ? root.start_us : undefined;
    const endUs = typeof root?.end_us === 'number' ? root.end_us : undefined;
    return {
      traceId: hit.traceId,
      rootName: typeof root?.root_name === 'string' ? root.root_name : null,
      dataset: typeof root?.root_dataset === 'string' ? root.root_dataset : null,
      rootIsError: typeof root?.root_is_error === 'boolean' ? root.root_is_error : null,
      start: isoFromMicros(startUs),
      durationMs: startUs !== undefined && endUs !== undefined ? (endUs - startUs) / 1000 : null,
      spanCount: num(root?.span_count),
      matchedSpans: hit.matched,
      errors: num(root?.errors),
      ...(root ? knownCost(root.cost_usd, root.unpriced_spans) : { costUsd: null, unpricedSpans: 0 }),
    };
  });
}
