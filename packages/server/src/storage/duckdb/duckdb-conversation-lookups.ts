import type { SqlParam } from '../storage.ts';
import { type Lookup, UNPRICED_SPAN_SQL } from './duckdb-lookups.ts';

/**
 * The conversation list ("agent timeline"), aggregated per conversation id in SQL. A conversation is named
 * by the spans that carry its id; it holds every span (in the range) of the traces those spans belong to,
 * as `GET /api/conversations/:id` does, so tool spans, which rarely carry the id, count too. Fixed SQL
 * text; every user value is a parameter.
 */
export interface ConversationListFilter {
  startUs: number;
  endUs: number;
  /** keep conversations with any span of this dataset / agent / user / evaluation label */
  dataset?: string | undefined;
  agent?: string | undefined;
  user?: string | undefined;
  label?: string | undefined;
  /** case-insensitive substring of the conversation id */
  q?: string | undefined;
}

class Params {
  readonly list: SqlParam[] = [];
  add(value: unknown, type: string): string {
    this.list.push({ value, type });
    return `$${this.list.length}`;
  }
}

/**
 * `conversation_traces` (each trace with a span in the range that carries a conversation id, and that id)
 * and `conversation_spans` (their spans in the range). The time filter comes first, so zone maps skip
 * every row group outside the range.
 */
function conversationSpansCtes(params: Params, filter: ConversationListFilter): string {
  const start = params.add(filter.startUs, 'timestamp');
  const end = params.add(filter.endUs, 'timestamp');
  const q =
    filter.q === undefined
      ? ''
      : `\n    HAVING contains(lower(max(conversation_id)), lower(${params.add(filter.q, 'string')}))`;
  return `conversation_traces AS (
    SELECT trace_id, max(conversation_id) AS conversation_id FROM spans
    WHERE timestamp >= ${start} AND timestamp < ${end} AND conversation_id IS NOT NULL AND conversation_id <> ''
    GROUP BY trace_id${q}
  ),
  conversation_spans AS (
    SELECT t.conversation_id, s.timestamp, s.end_timestamp, s.span_id, s.trace_id, s.dataset, s.agent_name,
      s.user_id, s.operation, s.is_error, s.cost_usd, s.input_tokens, s.output_tokens, s.eval_label, s.eval_score
    FROM spans s JOIN conversation_traces t ON s.trace_id = t.trace_id
    WHERE s.timestamp >= ${start} AND s.timestamp < ${end}
  )`;
}

const distinctValues = (column: string): string => `list_sort(list_distinct(list(NULLIF(${column}, ''))))`;

/** One row per conversation that passes the filters; the filters keep whole conversations. */
function conversationsCte(params: Params, filter: ConversationListFilter): string {
  const having = [
    filter.dataset === undefined ? '' : `bool_or(dataset = ${params.add(filter.dataset, 'string')})`,
    filter.agent === undefined ? '' : `bool_or(agent_name = ${params.add(filter.agent, 'string')})`,
    filter.user === undefined ? '' : `bool_or(user_id = ${params.add(filter.user, 'string')})`,
    filter.label === undefined ? '' : `bool_or(eval_label = ${params.add(filter.label, 'string')})`,
  ].filter(Boolean);
  return `${conversationSpansCtes(params, filter)},
  conversations AS (
    SELECT conversation_id AS id,
      epoch_us(min(timestamp)) AS start_us,
      epoch_us(max(end_timestamp)) AS end_us,
      ${distinctValues('dataset')} AS datasets,
      ${distinctValues('agent_name')} AS agents,
      ${distinctValues('user_id')} AS users,
      count(DISTINCT trace_id) AS traces,
      count(*) AS spans,
      count(*) FILTER (WHERE operation IN ('chat', 'text_completion')) AS llm_calls,
      count(*) FILTER (WHERE operation = 'execute_tool') AS tool_calls,
      count(*) FILTER (WHERE is_error) AS errors,
      sum(cost_usd) AS cost_usd,
      count(*) FILTER (WHERE ${UNPRICED_SPAN_SQL}) AS unpriced_spans,
      coalesce(sum(input_tokens), 0) AS input_tokens,
      coalesce(sum(output_tokens), 0) AS output_tokens,
      arg_max({'label': eval_label, 'score': eval_score}, (timestamp, span_id))
        FILTER (WHERE eval_label IS NOT NULL OR eval_score IS NOT NULL) AS evaluation
    FROM conversation_spans
    GROUP BY conversation_id${having.length > 0 ? `\n    HAVING ${having.join(' AND ')}` : ''}
  )`;
}

/** A page of conversations, newest start first, each row with the number of conversations in all. */
export function conversationListLookup(
  filter: ConversationListFilter,
  page: { limit: number; offset: number },
): Lookup {
  const params = new Params();
  const ctes = conversationsCte(params, filter);
  return {
    sql: `WITH ${ctes}
    SELECT *, count(*) OVER () AS total FROM conversations
    ORDER BY start_us DESC, id
    LIMIT ${params.add(page.limit, 'integer')} OFFSET ${params.add(page.offset, 'integer')}`,
    params: params.list,
  };
}

/** The number of conversations that pass the filters (for a page past the end). */
export function conversationCountLookup(filter: ConversationListFilter): Lookup {
  const params = new Params();
  const ctes = conversationsCte(params, filter);
  return { sql: `WITH ${ctes} SELECT count(*) AS total FROM conversations`, params: params.list };
}

/** The values the list can be filtered by, among conversation spans in the range: sorted, at most `max` each. */
export function conversationFacetsLookup(range: { startUs: number; endUs: number }, max: number): Lookup {
  const params = new Params();
  const ctes = conversationSpansCtes(params, range);
  const top = (column: string): string => `list_slice(${distinctValues(column)}, 1, ${Math.trunc(max)})`;
  return {
    sql: `WITH ${ctes}
    SELECT ${top('dataset')} AS datasets, ${top('agent_name')} AS agents, ${top('user_id')} AS users,
      ${top('eval_label')} AS labels
    FROM conversation_spans`,
    params: params.list,
  };
}
