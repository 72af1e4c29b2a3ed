import {
  type HTMLAttributes,
  type ReactNode,
  type Ref,
  type UIEvent,
  useCallback,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

/**
 * A scroller of fixed-height rows that renders only the rows in view plus `overscan` above and below,
 * so ten thousand rows cost what forty do. The scroller's height comes from CSS (give it one).
 */
export interface VirtualListHandle {
  /** scrolls the least needed to bring row `index` into view (`center` centres it) */
  scrollToIndex: (index: number, align?: 'nearest' | 'center' | 'start') => void;
  element: () => HTMLDivElement | null;
}

export interface VirtualListProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onScroll'> {
  count: number;
  rowHeight: number;
  overscan?: number;
  renderRow: (index: number) => ReactNode;
  /** what shows inside the scroller above the rows (sticky headers); its height must be `headerHeight` */
  header?: ReactNode;
  headerHeight?: number;
  handle?: Ref<VirtualListHandle>;
  testId?: string;
  onRangeChange?: (first: number, last: number) => void;
}

export function VirtualList(props: VirtualListProps): ReactNode {
  const {
    count,
    rowHeight,
    overscan = 12,
    renderRow,
    header,
    headerHeight = 0,
    handle,
    testId,
    onRangeChange,
    className,
    ...rest
  } = props;
  const outer = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);

  useLayoutEffect(() => {
    const element = outer.current;
    if (!element) return;
    setViewport(element.clientHeight);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => {
    setScrollTop(event.currentTarget.scrollTop);
  }, []);

  useImperativeHandle(
    handle,
    () => ({
      element: () => outer.current,
      scrollToIndex: (index, align = 'nearest') => {
        const element = outer.current;
        if (!element || index < 0 || index >= count) return;
        const top = headerHeight + index * rowHeight;
        const visible = element.clientHeight - headerHeight;
        let next = element.scrollTop;
        if (align === 'center') next = top - headerHeight - visible / 2 + rowHeight / 2;
        else if (align === 'start') next = top - headerHeight;
        else if (top < element.scrollTop + headerHeight) next = top - headerHeight;
        else if (top + rowHeight > element.scrollTop + element.clientHeight)
          next = top + rowHeight - element.clientHeight;
        next = Math.max(0, next);
        if (next !== element.scrollTop) {
          element.scrollTop = next;
          setScrollTop(element.scrollTop);
        }
      },
    }),
    [count, rowHeight, headerHeight],
  );

  const bodyTop = Math.max(0, scrollTop - headerHeight);
  const first = Math.max(0, Math.floor(bodyTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((bodyTop + viewport) / rowHeight) + overscan);

  const rangeRef = useRef('');
  useLayoutEffect(() => {
    const key = `${first}:${last}`;
    if (onRangeChange && rangeRef.current !== key) {
      rangeRef.current = key;
      onRangeChange(first, last);
    }
  }, [first, last, onRangeChange]);

  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i));
  return (
    <div
      {...rest}
      ref={outer}
      className={className ? `vlist ${className}` : 'vlist'}
      onScroll={onScroll}
      data-testid={testId}
      data-row-count={count}
    >
      {header}
      <div className="vlist-body" style={{ height: count * rowHeight }}>
        <div className="vlist-window" style={{ transform: `translateY(${first * rowHeight}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
