import { type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import { SpanDetail } from '../components/span-detail.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { Waterfall } from '../components/waterfall.tsx';
import { ApiError, api, type Span, type TraceResponse } from '../lib/api.ts';
import { formatCount, formatInteger, formatMs, formatTime } from '../lib/format.ts';
import { formatKnownCost, unpricedTitle } from '../lib/known-cost.ts';
import { href, Link, navigate, useLocation, useTitle } from '../lib/router.tsx';
import { evaluationTarget, spanKind } from '../lib/span-content.ts';
import { ancestorsOf, buildSpanTree, flattenTree, parentsOf, type SpanTree } from '../lib/span-tree.ts';
import { useAsync } from '../lib/use-async.ts';
import './trace.css';

interface LoadedTrace {
  response: TraceResponse;
  /** true when the spans carry attributes (the full view), so no per-span request is needed */
  full: boolean;
}

/**
 * The light waterfall view when the server has it; the full trace otherwise (older servers answer an
 * unknown `view` with 400, or ignore it and send every column).
 */
async function loadTrace(traceId: string, signal: AbortSignal): Promise<LoadedTrace> {
  try {
    const response = await api.trace(traceId, 'waterfall', { signal });
    return { response, full: response.spans.some((span) => span.attributes !== undefined) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && /\bview\b/.test(error.message)) {
      return { response: await api.trace(traceId, undefined, { signal }), full: true };
    }
    throw error;
  }
}

/** One trace as a waterfall, with the selected span (`?span=`) in a side panel. */
export function TracePage(props: { traceId: string }): ReactNode {
  const { traceId } = props;
  useTitle(`Trace ${traceId.slice(0, 8)}`);
  const state = useAsync((signal) => loadTrace(traceId, signal), traceId);
  if (state.status === 'loading') return <Loading what="the trace" />;
  if (state.status === 'error') {
    return (
      <ErrorState
        error={state.error}
        onRetry={state.reload}
        hint={
          state.error.code === 'NOT_FOUND' ? (
            <>
              No span of this trace has been stored. Spans take a moment to arrive after they are sent; check
              the id, or find traces from the <Link to="/query">query builder</Link> or the{' '}
              <Link to="/conversations">agent timeline</Link>.
            </>
          ) : null
        }
      />
    );
  }
  return <TraceView traceId={traceId} loaded={state.data} />;
}

function TraceView(props: { traceId: string; loaded: LoadedTrace }): ReactNode {
  const { traceId, loaded } = props;
  const { summary, spans } = loaded.response;
  const location = useLocation();
  const selectedId = location.search.get('span');
  const tree = useMemo(() => buildSpanTree(spans), [spans]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  const rows = useMemo(() => flattenTree(tree, collapsed), [tree, collapsed]);
  const allRows = useMemo(() => flattenTree(tree), [tree]);
  const evaluations = useMemo(
    () => evaluationsByTarget(tree, traceId, loaded.full),
    [tree, traceId, loaded.full],
  );
  const selected = selectedId === null ? null : (tree.byId.get(selectedId.toLowerCase()) ?? null);
  const [find, setFind] = useState('');
  const matches = useMemo(() => findSpans(tree, find), [tree, find]);

  const select = useCallback(
    (index: number | null) => {
      if (index !== null) {
        const hidden = ancestorsOf(tree, index);
        setCollapsed((previous) => {
          if (!hidden.some((a) => previous.has(a))) return previous;
          const next = new Set(previous);
          for (const a of hidden) next.delete(a);
          return next;
        });
      }
      const span = index === null ? undefined : tree.spans[index];
      navigate(href(`/traces/${traceId}`, { span: span?.span_id }), { replace: true });
    },
    [tree, traceId],
  );
  const toggle = useCallback((index: number) => {
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });
  }, []);

  /** the next span after the selection (in tree order) that passes `test`, wrapping around */
  const jump = (test: (index: number) => boolean, backwards = false): void => {
    if (allRows.length === 0) return;
    const order = allRows.map((row) => row.index);
    const from = selected === null ? -1 : order.indexOf(selected);
    for (let step = 1; step <= order.length; step++) {
      const k = backwards
        ? (from - step + order.length * 2) % order.length
        : (from + step + order.length) % order.length;
      const index = order[k] as number;
      if (test(index)) {
        select(index);
        return;
      }
    }
  };

  const fullSpans = useRef<Promise<Map<string, Span>> | null>(null);
  const loadSpan = (spanId: string, signal: AbortSignal): Promise<Span> => {
    if (loaded.full) {
      const at = tree.byId.get(spanId);
      return at === undefined
        ? Promise.reject(new ApiError('NOT_FOUND', `no span ${spanId} in this trace`, 404))
        : Promise.resolve(tree.spans[at] as Span);
    }
    return api.span(traceId, spanId, { signal }).catch(async (error: unknown) => {
      // a server without the span endpoint: the full trace once (kept for every span, so no one
      // selection's signal cancels it), then every span from it
      if (!(error instanceof ApiError && error.status === 404 && /no route/i.test(error.message)))
        throw error;
      fullSpans.current ??= api
        .trace(traceId)
        .then((response) => new Map(response.spans.map((span) => [span.span_id, span])));
      const span = (await fullSpans.current).get(spanId);
      if (!span) throw new ApiError('NOT_FOUND', `no span ${spanId} in trace ${traceId}`, 404);
      return span;
    });
  };
  const selectedSpanId = selected === null ? null : (tree.spans[selected]?.span_id ?? null);
  const detail = useAsync(
    (signal) => (selectedSpanId === null ? Promise.resolve(null) : loadSpan(selectedSpanId, signal)),
    `${traceId}/${selectedSpanId ?? ''}`,
  );
  const rootIndex = tree.roots[0];
  const rootId = rootIndex === undefined ? null : (tree.spans[rootIndex]?.span_id ?? null);
  const root = useAsync(
    (signal) => (rootId === null ? Promise.resolve(null) : loadSpan(rootId, signal)),
    `${traceId}/root/${rootId ?? ''}`,
  );
  const conversationId =
    typeof root.data?.conversation_id === 'string' && root.data.conversation_id !== ''
      ? root.data.conversation_id
      : null;

  const errorCount = summary.errorCount;
  const tokens = summary.inputTokens + summary.outputTokens;
  useTitle(summary.rootName ?? `Trace ${traceId.slice(0, 8)}`);

  return (
    <div className="trace-page" data-testid="trace-page">
      <div className="page-header trace-header">
        <h1 data-testid="trace-title">{summary.rootName ?? '(no root span)'}</h1>
        <span className="sub mono" title="trace id">
          {traceId}
        </span>
        {conversationId ? (
          <Link
            to={`/conversations/${encodeURIComponent(conversationId)}`}
            className="trace-conv-link"
            testId="trace-conversation-link"
          >
            Conversation →
          </Link>
        ) : null}
      </div>
      <div className="stats trace-stats" data-testid="trace-summary">
        <Stat label="Started" value={`${formatTime(summary.start)} UTC`} />
        <Stat label="Duration" value={formatMs(summary.durationMs)} testId="trace-duration" />
        <Stat label="Spans" value={formatInteger(summary.spanCount)} testId="trace-span-count" />
        <Stat
          label="Errors"
          value={formatInteger(errorCount)}
          testId="trace-error-count"
          className={errorCount > 0 ? 'error-text' : undefined}
        />
        <Stat
          label="Cost"
          value={formatKnownCost(summary)}
          title={unpricedTitle(summary)}
          testId="trace-cost"
        />
        <Stat
          label="Tokens in / out"
          value={`${formatCount(summary.inputTokens)} / ${formatCount(summary.outputTokens)}`}
          title={`${formatInteger(tokens)} tokens`}
          testId="trace-tokens"
        />
        <div className="stat">
          <div className="label">Datasets</div>
          <div className="value datasets">
            {summary.datasets.map((d) => (
              <span key={d} className="badge">
                {d}
              </span>
            ))}
          </div>
        </div>
      </div>
      {summary.truncated ? (
        <div className="state trace-truncated" role="status" data-testid="trace-truncated">
          <strong>This trace is larger than one page can hold</strong>
          Only its first {formatInteger(spans.length)} spans by start time are shown; the summary counts
          those.
        </div>
      ) : null}
      <div className="wf-toolbar" role="toolbar" aria-label="Waterfall controls">
        <button type="button" onClick={() => setCollapsed(parentsOf(tree))} data-testid="collapse-all">
          Collapse all
        </button>
        <button type="button" onClick={() => setCollapsed(new Set())} data-testid="expand-all">
          Expand all
        </button>
        <label className="wf-find">
          <span className="visually-hidden">Find a span</span>
          <input
            type="search"
            placeholder="Find span (name, model, tool)…"
            value={find}
            onChange={(event) => setFind(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && matches.size > 0) {
                event.preventDefault();
                jump((i) => matches.has(i), event.shiftKey);
              }
            }}
            data-testid="waterfall-find"
          />
        </label>
        {find ? (
          <span className="muted" data-testid="find-count">
            {formatInteger(matches.size)} match{matches.size === 1 ? '' : 'es'}
            {matches.size > 0 ? ' · Enter for next' : ''}
          </span>
        ) : null}
        {errorCount > 0 ? (
          <button
            type="button"
            className="error-text"
            onClick={() => jump((i) => tree.spans[i]?.is_error === true)}
            data-testid="next-error"
          >
            Next error
          </button>
        ) : null}
        <span className="muted wf-help">↑↓ move · ←→ collapse/expand · Enter toggle</span>
        {tree.orphans > 0 ? (
          <span className="muted" title="spans whose parent was not received are shown at the top level">
            {formatInteger(tree.orphans)} span{tree.orphans === 1 ? '' : 's'} without a received parent
          </span>
        ) : null}
      </div>
      <div className={selected === null ? 'trace-layout' : 'trace-layout with-detail'}>
        <Waterfall
          tree={tree}
          rows={rows}
          selected={selected}
          matches={find ? matches : undefined}
          evaluations={evaluations}
          onSelect={select}
          onToggle={toggle}
        />
        {selected !== null ? (
          <SpanDetail
            traceId={traceId}
            tree={tree}
            index={selected}
            full={detail.status === 'ready' && detail.data?.span_id === selectedSpanId ? detail.data : null}
            fullError={detail.status === 'error' ? detail.error : null}
            evaluations={evaluations.get(selected) ?? []}
            onSelect={select}
            onClose={() => select(null)}
          />
        ) : null}
      </div>
      {selectedId !== null && selected === null ? (
        <p className="muted" role="status">
          The span {selectedId} in this link is not part of this trace.
        </p>
      ) : null}
    </div>
  );
}

function Stat(props: {
  label: string;
  value: string;
  testId?: string;
  className?: string;
  title?: string | undefined;
}): ReactNode {
  return (
    <div className="stat" title={props.title}>
      <div className="label">{props.label}</div>
      <div className={props.className ? `value ${props.className}` : 'value'} data-testid={props.testId}>
        {props.value}
      </div>
    </div>
  );
}

/** Evaluation spans by the span of this trace they judged (parent, or link / target attribute when known). */
function evaluationsByTarget(tree: SpanTree<Span>, traceId: string, full: boolean): Map<number, number[]> {
  const out = new Map<number, number[]>();
  tree.spans.forEach((span, index) => {
    if (spanKind(span) !== 'eval') return;
    let target: number | undefined;
    if (full) {
      const named = evaluationTarget(span);
      if (named && (named.traceId === undefined || named.traceId === traceId))
        target = tree.byId.get(named.spanId);
    } else {
      const p = tree.parent[index] ?? -1;
      target = p >= 0 ? p : undefined;
    }
    if (target === undefined) return;
    const list = out.get(target) ?? [];
    list.push(index);
    out.set(target, list);
  });
  return out;
}

function findSpans(tree: SpanTree<Span>, text: string): Set<number> {
  const out = new Set<number>();
  const needle = text.trim().toLowerCase();
  if (needle === '') return out;
  tree.spans.forEach((span, index) => {
    for (const value of [span.name, span.request_model, span.tool_name, span.agent_name, span.span_id]) {
      if (typeof value === 'string' && value.toLowerCase().includes(needle)) {
        out.add(index);
        return;
      }
    }
  });
  return out;
}
