import type { ReactNode } from 'react';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { ApiError, api, type QuerySpec, type TraceListItem } from '../lib/api.ts';
import { formatCount, formatMs, formatTime } from '../lib/format.ts';
import { formatKnownCost, unpricedTitle } from '../lib/known-cost.ts';
import { describeFilter, describeRange, withTimeRange } from '../lib/query-spec.ts';
import { queryHref, readQuerySpec } from '../lib/query-url.ts';
import { href, Link, navigate, useLocation, useTitle } from '../lib/router.tsx';
import { readTimeRange } from '../lib/time-range.ts';
import { useAsync } from '../lib/use-async.ts';
import './query.css';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** A trace as the search returns it (the server may add fields, and a trace may lack a root). */
type Hit = TraceListItem & { spanCount?: number; rootIsError?: boolean | null };

/**
 * The traces matching a query (what a clicked point, cell or row opens): its datasets, filters and time
 * range, newest first. The top bar's time range, once touched, replaces the query's own range.
 */
export function TracesPage(): ReactNode {
  useTitle('Traces');
  const location = useLocation();
  const search = location.search;
  let spec: QuerySpec = {};
  let specError: string | null = null;
  try {
    spec = readQuerySpec(search);
  } catch (error) {
    specError = error instanceof Error ? error.message : String(error);
  }
  const hasTime =
    spec.time_range !== undefined || spec.start_time !== undefined || spec.end_time !== undefined;
  const override = search.has('range') || (search.has('from') && search.has('to'));
  const effective = override || !hasTime ? withTimeRange(spec, readTimeRange(search)) : spec;
  const requested = Number(search.get('limit'));
  const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_LIMIT) : DEFAULT_LIMIT;
  const inexact = search.get('inexact') === '1';

  const state = useAsync(
    (signal) =>
      specError
        ? Promise.reject(new ApiError('BAD_LINK', specError, 0))
        : api.searchTraces(effective, limit, { signal }),
    `${JSON.stringify(effective)}\n${limit}\n${specError ?? ''}`,
  );

  const moreHref = href(location.pathname, {
    ...Object.fromEntries(search.entries()),
    limit: Math.min(limit * 2, MAX_LIMIT),
  });

  return (
    <div className="tl-page">
      <div className="page-header">
        <h1>Traces</h1>
        <span className="sub">newest first</span>
        <Link to={queryHref(effective)} className="tl-back" testId="back-to-query">
          ← Open as a query
        </Link>
      </div>
      <Summary
        spec={effective}
        meta={state.status === 'ready' ? state.data.meta : undefined}
        fromQuery={hasTime && !override}
      />
      {inexact ? (
        <p className="tl-note" data-testid="inexact-note">
          The query combines its filters with OR, so the clicked group could not be added to them: these are
          the traces of the whole query in that time.
        </p>
      ) : null}
      {state.status === 'loading' ? (
        <Loading what="traces" />
      ) : state.status === 'error' ? (
        <ErrorState
          error={state.error}
          onRetry={state.error.status >= 500 || state.error.status === 0 ? state.reload : undefined}
          hint={
            <>
              Fix the query in the <Link to={queryHref(effective)}>query builder</Link>.
            </>
          }
        />
      ) : state.data.traces.length === 0 ? (
        <EmptyState title="No traces matched">
          <p>
            No span in this time range matches the query. Widen the time range (top right), or loosen the
            filters in the <Link to={queryHref(effective)}>query builder</Link>.
          </p>
        </EmptyState>
      ) : (
        <div className="panel">
          <TraceTable traces={state.data.traces as Hit[]} />
          <div className="tl-more">
            <span className="muted" data-testid="traces-count">
              {state.data.traces.length} trace{state.data.traces.length === 1 ? '' : 's'}
              {state.data.traces.length >= limit ? ' (the newest; there may be more)' : ''}
            </span>
            {state.data.traces.length >= limit && limit < MAX_LIMIT ? (
              <Link to={moreHref} testId="more-traces">
                Show more
              </Link>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}

function Summary(props: {
  spec: QuerySpec;
  meta?: { start: string; end: string };
  fromQuery: boolean;
}): ReactNode {
  const { spec } = props;
  const filters = spec.filters ?? [];
  const datasets =
    spec.dataset === undefined ? [] : Array.isArray(spec.dataset) ? spec.dataset : [spec.dataset];
  const joiner = spec.filter_combination === 'OR' ? 'or' : 'and';
  return (
    <div className="tl-summary" data-testid="traces-summary">
      <div className="tl-filters">
        <span>Traces with spans</span>
        {datasets.length > 0 ? (
          <span>
            in <strong>{datasets.join(', ')}</strong>
          </span>
        ) : (
          <span>in all datasets</span>
        )}
        {filters.length > 0 ? <span>where</span> : null}
        {filters.map((filter, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: filters have no identity but their place
          <span key={i} className="tl-filter">
            {i > 0 ? <span className="muted">{joiner} </span> : null}
            <code data-testid="traces-filter">{describeFilter(filter)}</code>
          </span>
        ))}
      </div>
      <div className="muted" data-testid="traces-range">
        {describeRange(spec)}
        {props.meta && (spec.start_time === undefined || spec.end_time === undefined)
          ? ` (${formatTime(props.meta.start)} – ${formatTime(props.meta.end)} UTC)`
          : ''}
        {props.fromQuery ? ' · the range of the query; a range picked at the top right replaces it' : ''}
      </div>
    </div>
  );
}

function TraceTable(props: { traces: Hit[] }): ReactNode {
  return (
    <table className="data tl-table" data-testid="traces-table">
      <thead>
        <tr>
          <th scope="col">Root span</th>
          <th scope="col">Dataset</th>
          <th scope="col">Start (UTC)</th>
          <th scope="col" className="num">
            Duration
          </th>
          <th scope="col" className="num">
            Matched spans
          </th>
          <th scope="col" className="num">
            Errors
          </th>
          <th scope="col" className="num">
            Cost
          </th>
        </tr>
      </thead>
      <tbody>
        {props.traces.map((trace) => {
          const to = `/traces/${encodeURIComponent(trace.traceId)}`;
          return (
            <tr
              key={trace.traceId}
              className="clickable"
              data-testid="trace-row"
              data-trace-id={trace.traceId}
              onClick={(event) => {
                if ((event.target as HTMLElement).closest('a')) return;
                navigate(to);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter') navigate(to);
              }}
            >
              <td className="tl-name">
                <Link to={to} testId="trace-link">
                  {trace.rootName ?? <em>root span not stored</em>}
                </Link>
                <div className="tl-id">{trace.traceId}</div>
              </td>
              <td>{trace.dataset ?? <span className="muted">—</span>}</td>
              <td>{formatTime(trace.start)}</td>
              <td className="num">{formatMs(trace.durationMs)}</td>
              <td className="num" data-testid="trace-matched" data-value={trace.matchedSpans}>
                {formatCount(trace.matchedSpans)}
                {trace.spanCount ? <span className="muted"> / {formatCount(trace.spanCount)}</span> : null}
              </td>
              <td className="num">
                {trace.errors > 0 ? <span className="badge error">{formatCount(trace.errors)}</span> : '0'}
              </td>
              <td className="num" data-testid="trace-cost" title={unpricedTitle(trace)}>
                {formatKnownCost(trace)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
