import { type ReactNode, useEffect, useRef, useState } from 'react';
import { EvalBadge } from '../components/home-eval-badge.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { api, type ConversationList, type ConversationListItem } from '../lib/api.ts';
import { formatCount, formatMs, formatTime } from '../lib/format.ts';
import { formatKnownCost, unpricedTitle } from '../lib/known-cost.ts';
import { href, Link, navigate, useLocation, useTitle } from '../lib/router.tsx';
import {
  describeTimeRange,
  readTimeRange,
  type TimeRange,
  timeRangeParams,
  timeRangeQuery,
} from '../lib/time-range.ts';
import { useAsync } from '../lib/use-async.ts';
import './conversations.css';

const PAGE_SIZE = 50;

/** The filters of the timeline, as URL params and as GET /api/conversations params. */
const FILTERS = [
  { param: 'agent', label: 'Agent', facet: 'agents' },
  { param: 'dataset', label: 'Dataset', facet: 'datasets' },
  { param: 'user', label: 'User', facet: 'users' },
  { param: 'label', label: 'Evaluation', facet: 'labels' },
] as const;
type FilterParam = (typeof FILTERS)[number]['param'] | 'q';

function conversationHref(id: string): string {
  return `/conversations/${encodeURIComponent(id)}`;
}

/**
 * The agent timeline: conversations (traces joined by gen_ai.conversation.id) in the range, newest first,
 * with who and what took part, their size, cost, errors and how a judge labelled them. Filters, search and
 * paging live in the URL.
 */
export function ConversationsPage(): ReactNode {
  useTitle('Agents');
  const location = useLocation();
  const search = location.search;
  const timeRange = readTimeRange(search);
  const filters: Record<FilterParam, string> = {
    agent: search.get('agent') ?? '',
    dataset: search.get('dataset') ?? '',
    user: search.get('user') ?? '',
    label: search.get('label') ?? '',
    q: search.get('q') ?? '',
  };
  const offset = Math.max(0, Math.floor(Number(search.get('offset') ?? 0)) || 0);
  const time = timeRangeQuery(timeRange);
  const params = {
    time_range: time.time_range,
    start: time.start_time,
    end: time.end_time,
    ...filters,
    limit: PAGE_SIZE,
    offset,
  };
  const list = useAsync((signal) => api.conversations(params, { signal }), JSON.stringify(params));
  // keep the last answer's facets so the filters stay put while the next page loads
  const last = useRef<ConversationList | null>(null);
  if (list.status === 'ready') last.current = list.data;
  const facets = last.current?.facets ?? null;

  /** The current URL with some params changed; paging restarts unless `offset` is one of them. */
  const urlWith = (changes: Partial<Record<FilterParam | 'offset', string>>): string =>
    href('/conversations', { ...timeRangeParams(timeRange), ...filters, offset: '', ...changes });
  const active = FILTERS.filter((f) => filters[f.param] !== '');
  const anyFilter = active.length > 0 || filters.q !== '';

  return (
    <div className="conversations" data-testid="conversations">
      <div className="page-header">
        <h1>Agents</h1>
        <span className="sub">
          Conversations across traces, joined by <code>gen_ai.conversation.id</code> ·{' '}
          {describeTimeRange(timeRange)}
        </span>
      </div>

      <search className="timeline-filters">
        {FILTERS.map((filter) => (
          <label key={filter.param} className="filter">
            <span>{filter.label}</span>
            <select
              value={filters[filter.param]}
              data-testid={`filter-${filter.param}`}
              onChange={(event) => navigate(urlWith({ [filter.param]: event.target.value }))}
            >
              <option value="">any</option>
              {withCurrent(facets?.[filter.facet] ?? [], filters[filter.param]).map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        ))}
        <SearchBox value={filters.q} onSearch={(q) => navigate(urlWith({ q }), { replace: true })} />
        {anyFilter ? (
          <button
            type="button"
            className="clear-filters"
            onClick={() => navigate(urlWith({ agent: '', dataset: '', user: '', label: '', q: '' }))}
          >
            Clear filters
          </button>
        ) : null}
      </search>

      {list.status === 'loading' ? <Loading what="conversations" /> : null}
      {list.status === 'error' ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.status === 'ready' ? (
        list.data.conversations.length === 0 ? (
          <NoConversations
            params={params}
            data={list.data}
            offset={offset}
            timeRange={timeRange}
            filters={filters}
            urlWith={urlWith}
          />
        ) : (
          <>
            <Pager data={list.data} offset={offset} urlWith={urlWith} />
            <Timeline data={list.data} />
            {list.data.total > PAGE_SIZE ? (
              <Pager data={list.data} offset={offset} urlWith={urlWith} />
            ) : null}
          </>
        )
      ) : null}
    </div>
  );
}

/** The facet values, plus the current value when the facets do not list it (a shared link, say). */
function withCurrent(values: string[], current: string): string[] {
  return current === '' || values.includes(current) ? values : [current, ...values];
}

/** Search by conversation id: typed text goes to the URL after a short pause. */
function SearchBox(props: { value: string; onSearch: (q: string) => void }): ReactNode {
  const [text, setText] = useState(props.value);
  const onSearch = useRef(props.onSearch);
  onSearch.current = props.onSearch;
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) setText(props.value);
  }, [props.value]);
  useEffect(() => {
    if (!typed.current) return;
    const timer = setTimeout(() => {
      typed.current = false;
      onSearch.current(text.trim());
    }, 300);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <label className="filter search">
      <span>Conversation id</span>
      <input
        type="search"
        value={text}
        placeholder="part of an id"
        data-testid="filter-q"
        onChange={(event) => {
          typed.current = true;
          setText(event.target.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            typed.current = false;
            onSearch.current(text.trim());
          }
        }}
      />
    </label>
  );
}

function Pager(props: {
  data: ConversationList;
  offset: number;
  urlWith: (changes: { offset: string }) => string;
}): ReactNode {
  const { data, offset } = props;
  const first = offset + 1;
  const lastShown = offset + data.conversations.length;
  const previous = Math.max(0, offset - PAGE_SIZE);
  return (
    <div className="pager">
      <span data-testid="showing">
        Showing {formatCount(first)}–{formatCount(lastShown)} of{' '}
        <strong data-testid="total" data-value={data.total}>
          {formatCount(data.total)}
        </strong>{' '}
        conversation{data.total === 1 ? '' : 's'}
      </span>
      <span className="pager-buttons">
        <button
          type="button"
          disabled={offset === 0}
          onClick={() => navigate(props.urlWith({ offset: previous > 0 ? String(previous) : '' }))}
        >
          ← Newer
        </button>
        <button
          type="button"
          disabled={lastShown >= data.total}
          data-testid="next-page"
          onClick={() => navigate(props.urlWith({ offset: String(offset + PAGE_SIZE) }))}
        >
          Older →
        </button>
      </span>
    </div>
  );
}

function Timeline(props: { data: ConversationList }): ReactNode {
  const windowStart = Date.parse(props.data.meta.start);
  const windowEnd = Date.parse(props.data.meta.end);
  const span = Math.max(1, windowEnd - windowStart);
  const position = (item: ConversationListItem): { left: string; width: string } | null => {
    const start = item.start ? Date.parse(item.start) : Number.NaN;
    if (!Number.isFinite(start)) return null;
    const end = item.end ? Date.parse(item.end) : start;
    const left = Math.min(1, Math.max(0, (start - windowStart) / span));
    const right = Math.min(1, Math.max(left, (end - windowStart) / span));
    return { left: `${(left * 100).toFixed(3)}%`, width: `${((right - left) * 100).toFixed(3)}%` };
  };
  return (
    <div className="table-wrap">
      <table className="data timeline-table" data-testid="conversation-table">
        <thead>
          <tr>
            <th>Start (UTC)</th>
            <th className="when">
              <span className="visually-hidden">Position in the time range</span>
            </th>
            <th>Conversation</th>
            <th className="num">Duration</th>
            <th>Agents</th>
            <th>Datasets</th>
            <th>User</th>
            <th className="num">Traces</th>
            <th className="num">LLM calls</th>
            <th className="num">Tool calls</th>
            <th className="num">Errors</th>
            <th className="num">Cost</th>
            <th>Evaluation</th>
          </tr>
        </thead>
        <tbody>
          {props.data.conversations.map((item) => {
            const bar = position(item);
            return (
              <tr
                key={item.id}
                className="clickable"
                data-testid="conversation-row"
                data-id={item.id}
                data-agents={JSON.stringify(item.agents)}
                onClick={() => navigate(conversationHref(item.id))}
              >
                <td className="nowrap mono small">{formatTime(item.start)}</td>
                <td className="when" aria-hidden="true">
                  <span className="when-track">
                    {bar ? <span className="when-bar" style={{ left: bar.left, width: bar.width }} /> : null}
                  </span>
                </td>
                <td className="conversation-id">
                  <Link to={conversationHref(item.id)} title={item.id}>
                    {item.id}
                  </Link>
                </td>
                <td className="num nowrap">{formatMs(item.durationMs)}</td>
                <td>
                  <Chips values={item.agents} />
                </td>
                <td>
                  <Chips values={item.datasets} className="dataset" />
                </td>
                <td className="nowrap">
                  {item.users.length === 0 ? <span className="muted">—</span> : item.users.join(', ')}
                </td>
                <td className="num">{formatCount(item.traces)}</td>
                <td className="num">{formatCount(item.llmCalls)}</td>
                <td className="num">{formatCount(item.toolCalls)}</td>
                <td className="num">
                  {item.errors > 0 ? (
                    <span className="badge error">{formatCount(item.errors)}</span>
                  ) : (
                    <span className="muted">0</span>
                  )}
                </td>
                <td className="num" data-testid="conversation-cost" title={unpricedTitle(item)}>
                  {formatKnownCost(item)}
                </td>
                <td>
                  <EvalBadge label={item.evalLabel} score={item.evalScore} testId="eval-label" />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Chips(props: { values: string[]; className?: string }): ReactNode {
  if (props.values.length === 0) return <span className="muted">—</span>;
  return (
    <span className="chips">
      {props.values.map((value) => (
        <span key={value} className={`chip ${props.className ?? ''}`}>
          {value}
        </span>
      ))}
    </span>
  );
}

/** Nothing matched: say which filter to loosen (or what to do when there are no conversations at all). */
function NoConversations(props: {
  params: Record<string, string | number | undefined>;
  data: ConversationList;
  offset: number;
  timeRange: TimeRange;
  filters: Record<FilterParam, string>;
  urlWith: (changes: Partial<Record<FilterParam | 'offset', string>>) => string;
}): ReactNode {
  const { data, filters } = props;
  const active: { param: FilterParam; label: string; value: string }[] = [
    ...FILTERS.filter((f) => filters[f.param] !== '').map((f) => ({
      param: f.param,
      label: f.label.toLowerCase(),
      value: filters[f.param],
    })),
    ...(filters.q !== '' ? [{ param: 'q' as const, label: 'id containing', value: filters.q }] : []),
  ];
  // how many conversations each filter hides: the count without it (one small request per filter)
  const without = useAsync(
    (signal) =>
      Promise.all(
        (props.offset > 0 ? [] : active).map((filter) =>
          api
            .conversations({ ...props.params, [filter.param]: '', limit: 1, offset: 0 }, { signal })
            .then((r) => r.total),
        ),
      ),
    JSON.stringify([props.params, active]),
  );
  if (props.offset > 0 && data.total > 0) {
    return (
      <div className="state state-empty" data-testid="empty-state">
        <strong>No conversations on this page</strong>
        <p>
          There are {formatCount(data.total)}.{' '}
          <Link to={props.urlWith({ offset: '' })}>Go to the first page</Link>.
        </p>
      </div>
    );
  }
  if (active.length === 0) {
    return (
      <div className="state state-empty" data-testid="empty-state">
        <strong>No conversations in {describeTimeRange(props.timeRange).toLowerCase()}</strong>
        <p>
          Conversations are traces that share a <code>gen_ai.conversation.id</code> (a Claude Code session, an
          agent run). Widen the time range above, or send agent traces that set it: assistants hooked up with{' '}
          <code>loopline install</code>, agents run with <code>loopline run --agent</code> or instrumented
          with <code>@loopline/sdk</code>.
        </p>
      </div>
    );
  }
  return (
    <div className="state state-empty" data-testid="empty-state">
      <strong>
        No conversations match these filters in {describeTimeRange(props.timeRange).toLowerCase()}
      </strong>
      <p>Loosen a filter:</p>
      <ul className="loosen">
        {active.map((filter, index) => (
          <li key={filter.param}>
            {filter.label} <code>{filter.value}</code> —{' '}
            <Link to={props.urlWith({ [filter.param]: '' })} testId={`loosen-${filter.param}`}>
              remove it
            </Link>
            {without.status === 'ready' ? (
              <span className="muted">
                {' '}
                → {formatCount(without.data[index])} conversation{without.data[index] === 1 ? '' : 's'}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="muted">Or widen the time range above.</p>
    </div>
  );
}
