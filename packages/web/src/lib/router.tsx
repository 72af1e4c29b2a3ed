import { type MouseEvent, type ReactNode, useEffect, useSyncExternalStore } from 'react';

/**
 * A small client-side router over the History API: the whole state of a page lives in its URL (path and
 * search params), so every view can be shared and reloaded.
 */
export interface Location {
  pathname: string;
  search: URLSearchParams;
}

const listeners = new Set<() => void>();
let snapshot = read();

function read(): { pathname: string; search: string } {
  return { pathname: window.location.pathname, search: window.location.search };
}

function emit(): void {
  snapshot = read();
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', emit);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Go to a URL inside the app; `replace` swaps the current history entry (e.g. while typing). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const current = window.location.pathname + window.location.search;
  if (to === current) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  if (!options.replace) window.scrollTo(0, 0);
  emit();
}

export function useLocation(): Location {
  const state = useSyncExternalStore(subscribe, () => snapshot);
  return { pathname: state.pathname, search: new URLSearchParams(state.search) };
}

/** Matches `pattern` like `/traces/:id` against a path; returns the decoded params or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string;
    const value = have[i] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}

/** Builds `path?query` from params, leaving out empty values. */
export function href(path: string, params: Record<string, string | number | undefined | null> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  title?: string;
  testId?: string;
}): ReactNode {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.to);
  };
  return (
    <a
      href={props.to}
      onClick={onClick}
      className={props.className}
      title={props.title}
      data-testid={props.testId}
    >
      {props.children}
    </a>
  );
}

/** Sets the document title while a page is shown. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Loopline` : 'Loopline';
  }, [title]);
}
