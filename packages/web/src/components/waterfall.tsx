import { type KeyboardEvent, memo, type ReactNode, useCallback, useEffect, useMemo, useRef } from 'react';
import type { Span } from '../lib/api.ts';
import { formatCount, formatMs, formatUsd } from '../lib/format.ts';
import { spanKind } from '../lib/span-content.ts';
import { axisTicks, type FlatRow, type SpanTree } from '../lib/span-tree.ts';
import { ErrorMark, SpanIcon } from './span-icon.tsx';
import { VirtualList, type VirtualListHandle } from './virtual-list.tsx';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 28;
/** indentation stops growing here; deeper rows show their depth instead */
const MAX_INDENT_DEPTH = 24;

export interface WaterfallProps {
  tree: SpanTree<Span>;
  rows: FlatRow[];
  /** index into tree.spans of the selected span */
  selected: number | null;
  /** spans matching the find box */
  matches?: ReadonlySet<number>;
  /** evaluation spans (indices) by the span they judged */
  evaluations: ReadonlyMap<number, number[]>;
  onSelect: (index: number) => void;
  onToggle: (index: number) => void;
}

/** A trace as a collapsible tree of spans against a shared time axis; only rows in view are in the DOM. */
export function Waterfall(props: WaterfallProps): ReactNode {
  const { tree, rows, selected, matches, evaluations, onSelect, onToggle } = props;
  const list = useRef<VirtualListHandle>(null);
  const startUs = tree.startUs;
  const totalUs = Math.max(1, tree.endUs - tree.startUs);
  const ticks = useMemo(() => axisTicks(totalUs / 1000), [totalUs]);

  const position = useMemo(() => {
    const at = new Int32Array(tree.spans.length).fill(-1);
    rows.forEach((row, i) => {
      at[row.index] = i;
    });
    return at;
  }, [rows, tree.spans.length]);

  // bring a newly selected row into view: centred the first time (a shared link), nearest after; collapsing
  // or expanding elsewhere leaves the scroll position alone
  const scrolledTo = useRef<number | null | undefined>(undefined);
  useEffect(() => {
    if (selected === null || scrolledTo.current === selected) return;
    const pos = position[selected] ?? -1;
    if (pos < 0) return;
    list.current?.scrollToIndex(pos, scrolledTo.current === undefined ? 'center' : 'nearest');
    scrolledTo.current = selected;
  }, [selected, position]);

  // a click focuses the tree, not the row: rows come and go as the list scrolls, and keys must keep working
  const selectFromRow = useCallback(
    (index: number) => {
      list.current?.element()?.focus({ preventScroll: true });
      onSelect(index);
    },
    [onSelect],
  );
  const toggleFromRow = useCallback(
    (index: number) => {
      list.current?.element()?.focus({ preventScroll: true });
      onToggle(index);
    },
    [onToggle],
  );

  // "first waterfall row visible", for bench:ui (navigation start → this mark)
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current || rows.length === 0) return;
    marked.current = true;
    performance.mark('loopline:waterfall-rendered');
  }, [rows.length]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (rows.length === 0) return;
    const pos = selected === null ? -1 : (position[selected] ?? -1);
    const row = pos >= 0 ? rows[pos] : undefined;
    const page = Math.max(
      1,
      Math.floor(((list.current?.element()?.clientHeight ?? 600) - HEADER_HEIGHT) / ROW_HEIGHT) - 1,
    );
    const go = (p: number): void => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, p))];
      if (target) onSelect(target.index);
    };
    switch (event.key) {
      case 'ArrowDown':
        go(pos + 1);
        break;
      case 'ArrowUp':
        go(pos < 0 ? 0 : pos - 1);
        break;
      case 'PageDown':
        go(pos + page);
        break;
      case 'PageUp':
        go(pos - page);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!row) go(0);
        else if (row.hasChildren && row.collapsed) onToggle(row.index);
        else if (row.hasChildren) go(pos + 1);
        break;
      case 'ArrowLeft':
        if (!row) go(0);
        else if (row.hasChildren && !row.collapsed) onToggle(row.index);
        else if ((tree.parent[row.index] ?? -1) >= 0) onSelect(tree.parent[row.index] as number);
        break;
      case 'Enter':
      case ' ':
        if (row?.hasChildren) onToggle(row.index);
        else if (!row) go(0);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const header = (
    <div className="wf-header" style={{ height: HEADER_HEIGHT }}>
      <div className="wf-name-col">Span</div>
      <div className="wf-time-col" data-testid="waterfall-axis">
        {ticks.map((t) => {
          const left = (t * 1000 * 100) / totalUs;
          // a label this close to the end would run out of the axis
          if (left > 90) return null;
          return (
            <span key={t} className="wf-tick" style={{ left: `${left}%` }}>
              {t === 0 ? '0' : formatMs(t).replace(/ 0[sm]$/, '')}
            </span>
          );
        })}
      </div>
    </div>
  );

  return (
    <div
      className="wf"
      style={{
        ['--wf-grid' as string]:
          ticks.length > 1 ? `${((ticks[1] as number) * 1000 * 100) / totalUs}%` : '100%',
      }}
    >
      <VirtualList
        handle={list}
        className="wf-scroller"
        testId="waterfall"
        count={rows.length}
        rowHeight={ROW_HEIGHT}
        overscan={10}
        header={header}
        headerHeight={HEADER_HEIGHT}
        role="tree"
        aria-label="Spans of this trace"
        aria-activedescendant={
          selected !== null && (position[selected] ?? -1) >= 0 ? `wf-row-${selected}` : undefined
        }
        tabIndex={0}
        onKeyDown={onKeyDown}
        renderRow={(i) => {
          const row = rows[i] as FlatRow;
          const span = tree.spans[row.index] as Span;
          const evals = evaluations.get(row.index);
          return (
            <WaterfallRow
              key={row.index}
              row={row}
              span={span}
              position={i}
              size={rows.length}
              selected={selected === row.index}
              match={matches?.has(row.index) ?? false}
              evals={evals ? evals.map((e) => tree.spans[e] as Span) : undefined}
              hidden={row.collapsed ? (tree.descendants[row.index] ?? 0) : 0}
              startUs={startUs}
              totalUs={totalUs}
              onSelect={selectFromRow}
              onToggle={toggleFromRow}
            />
          );
        }}
      />
    </div>
  );
}

interface RowProps {
  row: FlatRow;
  span: Span;
  position: number;
  size: number;
  selected: boolean;
  match: boolean;
  evals: Span[] | undefined;
  hidden: number;
  startUs: number;
  totalUs: number;
  onSelect: (index: number) => void;
  onToggle: (index: number) => void;
}

const WaterfallRow = memo(function WaterfallRow(props: RowProps): ReactNode {
  const { row, span, startUs, totalUs } = props;
  const kind = spanKind(span);
  const error = span.is_error === true || span.status_code === 'error';
  const left = ((span.timestamp_us - startUs) * 100) / totalUs;
  const width = (Math.max(0, span.end_timestamp_us - span.timestamp_us) * 100) / totalUs;
  // the duration goes after the bar, else before it, else (a long bar from the start) inside it
  const labelPlace = left + width < 72 ? 'after' : left > 14 ? 'before' : 'inside';
  const indent = Math.min(row.depth, MAX_INDENT_DEPTH);
  const classes = ['wf-row', `k-${kind}`];
  if (props.selected) classes.push('selected');
  if (error) classes.push('error');
  if (props.match) classes.push('match');
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the tree container handles the keyboard (arrows, Enter)
    <div
      id={`wf-row-${row.index}`}
      tabIndex={-1}
      className={classes.join(' ')}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? !row.collapsed : undefined}
      aria-selected={props.selected}
      aria-posinset={props.position + 1}
      aria-setsize={props.size}
      data-testid="waterfall-row"
      data-span-id={span.span_id}
      data-error={error ? 'true' : undefined}
      data-kind={kind}
      onClick={() => props.onSelect(row.index)}
    >
      <div className="wf-name-col" style={{ paddingLeft: 6 + indent * 14 }}>
        {row.hasChildren ? (
          <button
            type="button"
            className="wf-toggle"
            tabIndex={-1}
            aria-label={row.collapsed ? `Expand ${span.name}` : `Collapse ${span.name}`}
            data-testid="waterfall-toggle"
            onClick={(event) => {
              event.stopPropagation();
              props.onToggle(row.index);
            }}
          >
            {row.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="wf-toggle-spacer" />
        )}
        {row.depth > MAX_INDENT_DEPTH ? <span className="wf-depth">{row.depth}</span> : null}
        <SpanIcon kind={kind} />
        {error ? <ErrorMark title={span.status_message ?? undefined} /> : null}
        <span className="wf-name" data-testid="waterfall-name">
          {span.name}
        </span>
        <RowMeta span={span} kind={kind} />
        {props.evals?.map((e) => (
          <span key={e.span_id} className="badge eval-badge" title={e.name}>
            {evalName(e)}: {evalText(e)}
          </span>
        ))}
        {props.hidden > 0 ? <span className="wf-hidden">+{formatCount(props.hidden)}</span> : null}
      </div>
      <div className="wf-time-col">
        <div className="wf-bar" style={{ left: `${left}%`, width: `${width}%` }} />
        <span
          className={labelPlace === 'inside' ? 'wf-dur inside' : 'wf-dur'}
          style={
            labelPlace === 'after'
              ? { left: `calc(${left + width}% + 4px)` }
              : labelPlace === 'before'
                ? { right: `calc(${100 - left}% + 4px)` }
                : { right: `calc(${Math.max(0, 100 - left - width)}% + 4px)` }
          }
        >
          {formatMs(span.duration_ms)}
        </span>
      </div>
    </div>
  );
});

function RowMeta(props: { span: Span; kind: string }): ReactNode {
  const { span } = props;
  if (props.kind === 'llm') {
    const model = span.request_model ?? span.response_model;
    const showModel = model && !span.name.includes(model);
    return (
      <span className="wf-meta">
        {showModel ? <span>{model}</span> : null}
        {span.input_tokens != null || span.output_tokens != null ? (
          <span title="input → output tokens">
            {formatCount(span.input_tokens)}→{formatCount(span.output_tokens)}
          </span>
        ) : null}
        {span.cost_usd != null ? <span>{formatUsd(span.cost_usd)}</span> : null}
      </span>
    );
  }
  if (props.kind === 'eval' && (span.eval_label != null || span.eval_score != null)) {
    return <span className="badge eval-badge">{evalText(span)}</span>;
  }
  if (props.kind === 'agent' && span.agent_name && !span.name.includes(span.agent_name)) {
    return <span className="wf-meta">{span.agent_name}</span>;
  }
  return null;
}

export function evalText(span: Pick<Span, 'eval_label' | 'eval_score'>): string {
  const parts: string[] = [];
  if (span.eval_label != null && span.eval_label !== '') parts.push(String(span.eval_label));
  if (span.eval_score != null) parts.push(String(Math.round(Number(span.eval_score) * 1000) / 1000));
  return parts.length === 2 ? `${parts[0]} (${parts[1]})` : (parts[0] ?? '—');
}

/** An evaluation's name: `gen_ai.evaluation.name`, else the span name without its `evaluate ` prefix. */
export function evalName(span: Pick<Span, 'eval_name' | 'name'>): string {
  if (span.eval_name) return span.eval_name;
  return span.name.replace(/^evaluate\s+/, '') || 'evaluation';
}
