import { Component, type ErrorInfo, lazy, type ReactNode, Suspense } from 'react';
import { Loading } from './components/states.tsx';
import { TimeRangePicker } from './components/time-range-picker.tsx';
import { Link, matchPath, useLocation } from './lib/router.tsx';

// Each page is its own chunk, so opening a trace does not parse ECharts and the chart pages first.
// biome-ignore lint/suspicious/noExplicitAny: page components take different props
const named = <K extends string>(load: () => Promise<Record<K, (props: any) => ReactNode>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));
const HomePage = named(() => import('./pages/home.tsx'), 'HomePage');
const QueryPage = named(() => import('./pages/query.tsx'), 'QueryPage');
const TracesPage = named(() => import('./pages/traces.tsx'), 'TracesPage');
const TracePage = named(() => import('./pages/trace.tsx'), 'TracePage');
const ConversationsPage = named(() => import('./pages/conversations.tsx'), 'ConversationsPage');
const ConversationPage = named(() => import('./pages/conversation.tsx'), 'ConversationPage');
const BoardsPage = named(() => import('./pages/boards.tsx'), 'BoardsPage');
const BoardPage = named(() => import('./pages/boards.tsx'), 'BoardPage');

interface Route {
  path: string;
  render: (params: Record<string, string>) => ReactNode;
  /** pages that read the shared time range show the picker */
  timeRange?: boolean;
}

const ROUTES: Route[] = [
  { path: '/', render: () => <HomePage />, timeRange: true },
  { path: '/query', render: () => <QueryPage /> },
  { path: '/traces', render: () => <TracesPage />, timeRange: true },
  { path: '/traces/:traceId', render: (p) => <TracePage traceId={p.traceId as string} /> },
  { path: '/conversations', render: () => <ConversationsPage />, timeRange: true },
  { path: '/conversations/:id', render: (p) => <ConversationPage conversationId={p.id as string} /> },
  { path: '/boards', render: () => <BoardsPage /> },
  { path: '/boards/:boardId', render: (p) => <BoardPage boardId={p.boardId as string} />, timeRange: true },
];

const NAV = [
  { to: '/', label: 'The line' },
  { to: '/query', label: 'Query' },
  { to: '/conversations', label: 'Agents' },
  { to: '/boards', label: 'Boards' },
];

export function App(): ReactNode {
  const location = useLocation();
  let page: ReactNode = null;
  let timeRange = false;
  for (const route of ROUTES) {
    const params = matchPath(route.path, location.pathname);
    if (params) {
      page = route.render(params);
      timeRange = route.timeRange === true;
      break;
    }
  }
  const section = (to: string): boolean =>
    to === '/' ? location.pathname === '/' : location.pathname.startsWith(to);
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand">
          Loopline
        </Link>
        <nav>
          {NAV.map((item) => (
            <Link key={item.to} to={item.to} className={section(item.to) ? 'active' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="topbar-right">{timeRange ? <TimeRangePicker /> : null}</div>
      </header>
      <main className="page">
        <PageBoundary key={location.pathname}>
          <Suspense fallback={<Loading what="the page" />}>
            {page ?? <NotFound path={location.pathname} />}
          </Suspense>
        </PageBoundary>
      </main>
    </div>
  );
}

function NotFound(props: { path: string }): ReactNode {
  return (
    <div className="state state-empty" data-testid="not-found">
      <strong>No page at {props.path}</strong>
      <p>
        Go to <Link to="/">the line</Link>, the <Link to="/query">query builder</Link> or the{' '}
        <Link to="/conversations">agent timeline</Link>.
      </p>
    </div>
  );
}

/** A rendering bug shows a plain message and a way back, never a stack trace. */
class PageBoundary extends Component<{ children: ReactNode }, { message: string | null }> {
  override state = { message: null as string | null };
  static getDerivedStateFromError(error: unknown): { message: string } {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Loopline UI error', error, info.componentStack);
  }
  override render(): ReactNode {
    if (this.state.message === null) return this.props.children;
    return (
      <div className="state state-error" role="alert" data-testid="error-state">
        <strong>This page could not be shown</strong>
        <p>{this.state.message}</p>
        <p>
          Reload the page, or go back to <Link to="/">the line</Link>. If it keeps happening, please report it
          with the page's URL.
        </p>
      </div>
    );
  }
}
