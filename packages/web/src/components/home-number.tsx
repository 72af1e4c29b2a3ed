import type { CSSProperties, MouseEvent, ReactNode } from 'react';
import type { QuerySpec } from '../lib/api.ts';
import { queryHref } from '../lib/query-url.ts';
import { navigate } from '../lib/router.tsx';

/**
 * A number that links to the query that produced it: the query builder opens with `spec` (same time
 * range), so anyone can check where it came from. `value` is the raw number (kept in `data-value` for
 * tests and tools); `children` is how it reads.
 */
export function QueryNumber(props: {
  spec: QuerySpec;
  value: number | null;
  children: ReactNode;
  testId?: string;
  className?: string;
  title?: string;
  style?: CSSProperties;
}): ReactNode {
  const to = queryHref(props.spec);
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a
      href={to}
      onClick={onClick}
      className={props.className ? `qnum ${props.className}` : 'qnum'}
      title={props.title ?? 'Open the query that produced this number'}
      style={props.style}
      data-testid={props.testId}
      data-value={props.value === null ? '' : String(props.value)}
    >
      {props.children}
    </a>
  );
}
