import { AppError, COLUMNS_BY_TABLE, type SignalTable } from '@loopline/model';
import { compileQuery, duckDbDialect, executeQuery, parseQuery, type QueryResult } from '@loopline/query';
import type { SpanKey } from '../ingest/recent-span-ids.ts';
import { ROW_KEYS } from '../ingest/row-keys.ts';
import {
  attributeKeys,
  conversationLookup,
  conversationTracesLookup,
  datasetSummary,
  hasSampledRows,
  type Lookup,
  recentRowsLookup,
  spanLookup,
  type TraceBounds,
  traceBoundsLookup,
  traceSpansLookup,
  traceSummaryLookup,
  tracesSpansLookup,
} from '../storage/duckdb/duckdb-lookups.ts';
import type { QueryOptions, ResultRow, Storage } from '../storage/storage.ts';
import { type ConversationList, listConversations } from './conversation-list.ts';
import { isoFromMicros } from './request-input.ts';
import { ServerTiming } from './server-timing.ts';
import { conversationSummary, type SpanView, toSpanView } from './span-view.ts';
import { searchTraces, type TraceSearchResult } from './trace-search.ts';
import { byTimeThenSpanId, summarise, summaryOf, type TraceSummary } from './trace-summary.ts';

/** spans returned per trace or conversation; the summary says when a trace had more */
const TRACE_SPAN_LIMIT = 20_000;
const TABLES: readonly SignalTable[] = ['spans', 'logs', 'metrics'];
const TRACE_VIEWS = ['full', 'waterfall'] as const;
export type TraceView = (typeof TRACE_VIEWS)[number];

function traceIdOf(traceId: string): string {
  const id = traceId.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id)) {
    throw new AppError('BAD_REQUEST', `"${traceId}" is not a trace id (32 hex characters)`);
  }
  return id;
}

function spanIdOf(spanId: string): string {
  const id = spanId.toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(id)) {
    throw new AppError('BAD_REQUEST', `"${spanId}" is not a span id (16 hex characters)`);
  }
  return id;
}

/** `?view=` of a trace: absent or `full` (every column), or `waterfall` (no attributes, events or links). */
export function traceViewOf(view: unknown): TraceView {
  if (view === undefined || view === '') return 'full';
  if (typeof view === 'string' && (TRACE_VIEWS as readonly string[]).includes(view)) return view as TraceView;
  throw new AppError('BAD_REQUEST', `view must be one of ${TRACE_VIEWS.join(', ')} (default full)`);
}

export interface QueryServiceOptions {
  storage: Storage;
  /** true when some stored rows were sampled (sample_rate ≠ 1): percentiles then weigh rows */
  isSampled: () => boolean;
}

/** Everything the HTTP API and the CLI ask of the store. */
export class QueryService {
  constructor(private readonly options: QueryServiceOptions) {}

  private run(lookup: Lookup, read?: QueryOptions): Promise<ResultRow[]> {
    return this.options.storage.query(lookup.sql, lookup.params, read);
  }

  /**
   * The keys of the last rows stored in each table (`limits[table]` of them), for the duplicate filter
   * (`IngestService.remember`).
   */
  async recentRowKeys(limits: Readonly<Record<SignalTable, number>>): Promise<SpanKey[]> {
    const keys: SpanKey[] = [];
    for (const table of TABLES) {
      const key = ROW_KEYS[table] as unknown as (row: ResultRow) => SpanKey;
      for (const row of await this.run(recentRowsLookup(table, limits[table]))) keys.push(key(row));
    }
    return keys;
  }

  async detectSampled(): Promise<boolean> {
    const [row] = await this.run(hasSampledRows());
    return Number(row?.n ?? 0) > 0;
  }

  async query(
    input: unknown,
    options: { showSql?: boolean; timing?: ServerTiming; read?: QueryOptions } = {},
  ): Promise<QueryResult> {
    const spec = parseQuery(input);
    const compiled = compileQuery(spec, {
      dialect: duckDbDialect,
      weighted: this.options.isSampled(),
      showSql: options.showSql,
    });
    const timing = options.timing ?? new ServerTiming();
    return executeQuery(compiled, (sql, params) =>
      timing.time('store', () => this.options.storage.query(sql, params, options.read)),
    );
  }

  /**
   * A trace as JSON text: `{traceId, summary, spans}` with every column of each span (`full`: attributes,
   * events and links as JSON) or the waterfall's (`waterfall`), each span's JSON built by DuckDB and sent
   * as it is. The trace index gives the time bounds first, so the span read filters on constants DuckDB's
   * zone maps can use. One statement then reads every span with the few columns the summary needs, and
   * the spans are ordered and summed here; only a trace over the span limit takes a second, ordered read
   * and a summary statement (two statements side by side had read the same cold blocks twice).
   */
  async traceJson(
    traceId: string,
    view: TraceView = 'full',
    timing = new ServerTiming(),
    read?: QueryOptions,
  ): Promise<string> {
    const id = traceIdOf(traceId);
    const bounds = await timing.time('bounds', () => this.traceBounds(id, read));
    const rows = await timing.time('spans', () =>
      this.run(traceSpansLookup(id, bounds, TRACE_SPAN_LIMIT + 1, view), read),
    );
    if (rows.length === 0) throw new AppError('NOT_FOUND', `no spans for trace ${id}`);
    const truncated = rows.length > TRACE_SPAN_LIMIT;
    let spans: ResultRow[];
    let summary: TraceSummary;
    if (!truncated) {
      spans = rows.sort(byTimeThenSpanId);
      summary = summarise(spans);
    } else {
      const [[row], first] = await timing.time('over_limit', () =>
        Promise.all([
          this.run(traceSummaryLookup(id, bounds), read),
          this.run(traceSpansLookup(id, bounds, TRACE_SPAN_LIMIT, view, 'time'), read),
        ]),
      );
      spans = first;
      summary = summaryOf(row ?? {}, spans);
    }
    const head = JSON.stringify({ traceId: id, summary });
    return `${head.slice(0, -1)},"spans":[${spans.map((span) => span.span).join(',')}]}`;
  }

  /**
   * The time bounds the trace index holds for a trace, read before its spans so they filter on constants
   * (null when the index lacks it: every row group is read).
   */
  private async traceBounds(id: string, read?: QueryOptions): Promise<TraceBounds | null> {
    const [known] = await this.run(traceBoundsLookup(id), read);
    if (known?.start_us === null || known?.start_us === undefined) return null;
    return { startUs: Number(known.start_us), endUs: Number(known.end_us) };
  }

  /** One span of a trace with its attributes, events and links. */
  async span(traceId: string, spanId: string, read?: QueryOptions): Promise<SpanView> {
    const id = traceIdOf(traceId);
    const span = spanIdOf(spanId);
    const [row] = await this.run(spanLookup(id, span, await this.traceBounds(id, read)), read);
    if (!row) throw new AppError('NOT_FOUND', `no span ${span} in trace ${id}`);
    return toSpanView(row);
  }

  /** The conversation list ("agent timeline"); `query` is the request's query string. */
  conversations(query: unknown, read?: QueryOptions): Promise<ConversationList> {
    return listConversations(query, (lookup) => this.run(lookup, read));
  }

  /** The traces behind a query's matches (a clicked chart point, heatmap cell or result row). */
  searchTraces(body: unknown, read?: QueryOptions): Promise<TraceSearchResult> {
    return searchTraces(body, {
      run: (sql, params) => this.options.storage.query(sql, params, read),
      weighted: this.options.isSampled(),
    });
  }

  async conversation(
    conversationId: string,
    timing = new ServerTiming(),
    read?: QueryOptions,
  ): Promise<object> {
    const [known] = await timing.time('traces', () =>
      this.run(conversationTracesLookup(conversationId), read),
    );
    const traceIds = Array.isArray(known?.trace_ids) ? (known.trace_ids as string[]) : [];
    const lookup =
      traceIds.length > 0 && typeof known?.start_us === 'number' && typeof known.end_us === 'number'
        ? tracesSpansLookup(traceIds, { startUs: known.start_us, endUs: known.end_us }, TRACE_SPAN_LIMIT)
        : conversationLookup(conversationId, TRACE_SPAN_LIMIT);
    const spans = (await timing.time('spans', () => this.run(lookup, read))).map(toSpanView);
    if (spans.length === 0) throw new AppError('NOT_FOUND', `no spans for conversation "${conversationId}"`);
    return {
      conversationId,
      ...conversationSummary(spans),
      truncated: spans.length >= TRACE_SPAN_LIMIT,
      spans,
    };
  }

  async datasets(read?: QueryOptions): Promise<object> {
    const result: Record<string, object> = {};
    for (const table of TABLES) {
      const typed = new Set(COLUMNS_BY_TABLE[table].map((col) => col.name));
      const summary = await this.run(datasetSummary(table), read);
      const keys = await this.run(attributeKeys(table, 20_000), read);
      result[table] = {
        columns: COLUMNS_BY_TABLE[table].map(({ name, column, type, description }) => ({
          name,
          column,
          type,
          description,
        })),
        datasets: summary.map((row) => ({
          name: row.dataset,
          rows: row.rows,
          first: isoFromMicros(row.first_us),
          last: isoFromMicros(row.last_us),
          attributes: keys
            .filter((key) => key.dataset === row.dataset && !typed.has(String(key.key)))
            .map((key) => ({ name: key.key, type: attributeType(String(key.json_type)) })),
        })),
      };
    }
    return result;
  }
}

function attributeType(jsonType: string): string {
  switch (jsonType) {
    case 'BIGINT':
    case 'UBIGINT':
      return 'integer';
    case 'DOUBLE':
      return 'float';
    case 'BOOLEAN':
      return 'boolean';
    case 'ARRAY':
      return 'array';
    case 'OBJECT':
      return 'object';
    default:
      return 'string';
  }
}
