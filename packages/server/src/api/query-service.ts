import { AppError, COLUMNS_BY_TABLE, type SignalTable } from '@loopline/model';
import { compileQuery, duckDbDialect, executeQuery, parseQuery, type QueryResult } from '@loopline/query';
import {
  attributeKeys,
  conversationLookup,
  conversationTracesLookup,
  datasetSummary,
  hasSampledRows,
  type Lookup,
  traceBoundsLookup,
  traceLookup,
  tracesSpansLookup,
} from '../storage/duckdb/duckdb-lookups.ts';
import type { ResultRow, Storage } from '../storage/storage.ts';
import { conversationSummary, type SpanView, toSpanView, traceSummary } from './span-view.ts';

/** spans returned per trace or conversation; the summary says when a trace had more */
const TRACE_SPAN_LIMIT = 20_000;
const TABLES: readonly SignalTable[] = ['spans', 'logs', 'metrics'];

export interface QueryServiceOptions {
  storage: Storage;
  /** true when some stored rows were sampled (sample_rate ≠ 1): percentiles then weigh rows */
  isSampled: () => boolean;
}

/** Everything the HTTP API and the CLI ask of the store. */
export class QueryService {
  constructor(private readonly options: QueryServiceOptions) {}

  private run(lookup: Lookup): Promise<ResultRow[]> {
    return this.options.storage.query(lookup.sql, lookup.params);
  }

  async detectSampled(): Promise<boolean> {
    const [row] = await this.run(hasSampledRows());
    return Number(row?.n ?? 0) > 0;
  }

  async query(input: unknown, options: { showSql?: boolean } = {}): Promise<QueryResult> {
    const spec = parseQuery(input);
    const compiled = compileQuery(spec, {
      dialect: duckDbDialect,
      weighted: this.options.isSampled(),
      showSql: options.showSql,
    });
    return executeQuery(compiled, (sql, params) => this.options.storage.query(sql, params));
  }

  async trace(traceId: string): Promise<{ traceId: string; summary: object; spans: SpanView[] }> {
    const id = traceId.toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(id)) {
      throw new AppError('BAD_REQUEST', `"${traceId}" is not a trace id (32 hex characters)`);
    }
    const [bounds] = await this.run(traceBoundsLookup(id));
    const known =
      typeof bounds?.start_us === 'number' && typeof bounds.end_us === 'number'
        ? { startUs: bounds.start_us, endUs: bounds.end_us }
        : undefined;
    const spans = (await this.run(traceLookup(id, TRACE_SPAN_LIMIT, known))).map(toSpanView);
    if (spans.length === 0) throw new AppError('NOT_FOUND', `no spans for trace ${id}`);
    const truncated = spans.length >= TRACE_SPAN_LIMIT;
    return { traceId: id, summary: { ...traceSummary(spans), truncated }, spans };
  }

  async conversation(conversationId: string): Promise<object> {
    const [known] = await this.run(conversationTracesLookup(conversationId));
    const traceIds = Array.isArray(known?.trace_ids) ? (known.trace_ids as string[]) : [];
    const lookup =
      traceIds.length > 0 && typeof known?.start_us === 'number' && typeof known.end_us === 'number'
        ? tracesSpansLookup(traceIds, { startUs: known.start_us, endUs: known.end_us }, TRACE_SPAN_LIMIT)
        : conversationLookup(conversationId, TRACE_SPAN_LIMIT);
    const spans = (await this.run(lookup)).map(toSpanView);
    if (spans.length === 0) throw new AppError('NOT_FOUND', `no spans for conversation "${conversationId}"`);
    return {
      conversationId,
      ...conversationSummary(spans),
      truncated: spans.length >= TRACE_SPAN_LIMIT,
      spans,
    };
  }

  async datasets(): Promise<object> {
    const result: Record<string, object> = {};
    for (const table of TABLES) {
      const typed = new Set(COLUMNS_BY_TABLE[table].map((col) => col.name));
      const summary = await this.run(datasetSummary(table));
      const keys = await this.run(attributeKeys(table, 20_000));
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

function isoFromMicros(value: unknown): string | null {
  return typeof value === 'number' ? new Date(value / 1000).toISOString() : null;
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
