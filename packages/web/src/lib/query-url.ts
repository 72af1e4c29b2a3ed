import type { QuerySpec } from './api.ts';
import { href } from './router.tsx';

/**
 * A query lives in the URL as `?q=<the query's JSON>`, so a query, its chart and its traces can be shared
 * as links. Every page that shows a number links to the query that produced it with `queryHref`.
 */
export function queryHref(spec: QuerySpec): string {
  return href('/query', { q: JSON.stringify(spec) });
}

/** The traces matching a query's dataset, filters and time range (what a clicked point opens). */
export function tracesHref(spec: QuerySpec): string {
  return href('/traces', { q: JSON.stringify(spec) });
}

/** The query in `?q=`; `{}` when absent; an Error with a readable message when it is not JSON. */
export function readQuerySpec(search: URLSearchParams): QuerySpec {
  const text = search.get('q');
  if (text === null || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('The query in this link is not valid JSON; open the query builder to start a new one.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      'The query in this link is not a query object; open the query builder to start a new one.',
    );
  }
  return parsed as QuerySpec;
}
