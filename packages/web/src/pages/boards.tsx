import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import {
  type ChartKind,
  defaultChartKind,
  ResultCharts,
  ResultsTable,
  ResultTotals,
  ResultWarnings,
} from '../components/query-result.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { type ApiError, api, type Board, type BoardListItem, type BoardPanel } from '../lib/api.ts';
import { formatTime } from '../lib/format.ts';
import { describeRange, heatmapCalculations, scalarCalculations, withTimeRange } from '../lib/query-spec.ts';
import { queryHref } from '../lib/query-url.ts';
import { Link, navigate, useLocation, useTitle } from '../lib/router.tsx';
import { describeTimeRange, readTimeRange, type TimeRange } from '../lib/time-range.ts';
import { toApiError, useAsync } from '../lib/use-async.ts';
import './boards.css';

/** Boards: saved queries shown together as live panels over one time range. */
export function BoardsPage(): ReactNode {
  useTitle('Boards');
  const list = useAsync((signal) => api.boards({ signal }), 'boards');
  return (
    <div>
      <div className="page-header">
        <h1>Boards</h1>
        <span className="sub">
          saved queries as live panels; add one from the query builder with “Save to board”
        </span>
      </div>
      <div className="bd-layout">
        <section className="panel">
          {list.status === 'loading' ? (
            <Loading what="boards" />
          ) : list.status === 'error' ? (
            <ErrorState error={list.error} onRetry={list.reload} />
          ) : list.data.boards.length === 0 ? (
            <EmptyState title="No boards yet">
              <p>
                Create one here, or build a query in the <Link to="/query">query builder</Link> and press{' '}
                <span className="ql-em">Save to board</span>.
              </p>
            </EmptyState>
          ) : (
            <BoardList boards={list.data.boards} onChanged={list.reload} />
          )}
        </section>
        <CreateBoard />
      </div>
    </div>
  );
}

function BoardList(props: { boards: BoardListItem[]; onChanged: () => void }): ReactNode {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const remove = async (id: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api.deleteBoard(id);
      setConfirming(null);
      props.onChanged();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {error ? <ErrorState error={error} /> : null}
      <table className="data bd-table" data-testid="boards-table">
        <thead>
          <tr>
            <th scope="col">Board</th>
            <th scope="col" className="num">
              Panels
            </th>
            <th scope="col">Updated (UTC)</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.boards.map((board) => (
            <tr key={board.id} data-testid="board-row" data-board-id={board.id}>
              <td>
                <Link to={`/boards/${encodeURIComponent(board.id)}`} testId="board-link">
                  {board.name}
                </Link>
                {board.description ? <div className="muted bd-desc">{board.description}</div> : null}
              </td>
              <td className="num" data-testid="board-panel-count">
                {board.panelCount}
              </td>
              <td>{formatTime(board.updatedAt)}</td>
              <td className="bd-actions">
                {confirming === board.id ? (
                  <span className="bd-confirm" role="alert">
                    Delete “{board.name}”?{' '}
                    <button
                      type="button"
                      className="danger"
                      disabled={busy}
                      onClick={() => void remove(board.id)}
                      data-testid="board-delete-confirm"
                    >
                      Delete
                    </button>{' '}
                    <button type="button" onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button
                    type="button"
                    onClick={() => setConfirming(board.id)}
                    aria-label={`Delete board ${board.name}`}
                    data-testid="board-delete"
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CreateBoard(): ReactNode {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (name.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      const board = await api.createBoard(name.trim(), description.trim() || undefined);
      navigate(`/boards/${encodeURIComponent(board.id)}`);
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };
  return (
    <form className="panel bd-create" onSubmit={(e) => void submit(e)} data-testid="create-board">
      <h2>New board</h2>
      <label>
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="board-name" />
      </label>
      <label>
        <span>Description</span>
        <textarea
          value={description}
          rows={2}
          onChange={(e) => setDescription(e.target.value)}
          data-testid="board-description"
        />
      </label>
      <button
        type="submit"
        className="primary"
        disabled={busy || name.trim() === ''}
        data-testid="board-create"
      >
        {busy ? 'Creating…' : 'Create board'}
      </button>
      {error ? (
        <p className="error-text" role="alert">
          {error.message}
        </p>
      ) : null}
    </form>
  );
}

// ---------------------------------------------------------------------------------------------------------

export function BoardPage(props: { boardId: string }): ReactNode {
  const location = useLocation();
  const range = readTimeRange(location.search);
  const loaded = useAsync((signal) => api.board(props.boardId, { signal }), props.boardId);
  const [board, setBoard] = useState<Board | null>(null);
  useEffect(() => {
    setBoard(loaded.status === 'ready' ? loaded.data : null);
  }, [loaded.status, loaded.data]);
  useTitle(board ? board.name : 'Board');

  if (loaded.status === 'loading' || (loaded.status === 'ready' && !board))
    return <Loading what="the board" />;
  if (loaded.status === 'error') {
    return (
      <ErrorState
        error={loaded.error}
        onRetry={loaded.error.status === 404 ? undefined : loaded.reload}
        hint={
          <>
            Back to <Link to="/boards">all boards</Link>.
          </>
        }
      />
    );
  }
  if (!board) return null;
  return <BoardView board={board} range={range} onChange={setBoard} />;
}

function BoardView(props: { board: Board; range: TimeRange; onChange: (board: Board) => void }): ReactNode {
  const { board, range } = props;
  const [error, setError] = useState<ApiError | null>(null);
  const update = async (patch: Partial<Pick<Board, 'name' | 'description' | 'panels'>>): Promise<boolean> => {
    setError(null);
    try {
      props.onChange(await api.updateBoard(board.id, patch));
      return true;
    } catch (e) {
      setError(toApiError(e));
      return false;
    }
  };
  return (
    <div data-testid="board" data-board-id={board.id}>
      <BoardHeader
        board={board}
        range={range}
        onRename={(name, description) => update({ name, description })}
      />
      {error ? <ErrorState error={error} /> : null}
      {board.panels.length === 0 ? (
        <EmptyState title="This board has no panels yet">
          <p>
            Build a query in the <Link to="/query">query builder</Link>, run it and press{' '}
            <span className="ql-em">Save to board</span>.
          </p>
        </EmptyState>
      ) : (
        <div className="grid bd-panels">
          {board.panels.map((panel) => (
            <PanelView
              key={panel.id}
              panel={panel}
              range={range}
              onRemove={() => update({ panels: board.panels.filter((p) => p.id !== panel.id) })}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function BoardHeader(props: {
  board: Board;
  range: TimeRange;
  onRename: (name: string, description: string | null) => Promise<boolean>;
}): ReactNode {
  const { board } = props;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(board.name);
  const [description, setDescription] = useState(board.description ?? '');
  const [busy, setBusy] = useState(false);
  if (editing) {
    return (
      <form
        className="page-header bd-rename"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim() === '') return;
          setBusy(true);
          void props.onRename(name.trim(), description.trim() || null).then((ok) => {
            setBusy(false);
            if (ok) setEditing(false);
          });
        }}
      >
        <label>
          <span className="visually-hidden">Board name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="board-rename-input"
            required
          />
        </label>
        <label className="bd-rename-desc">
          <span className="visually-hidden">Description</span>
          <input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="Description"
          />
        </label>
        <button
          type="submit"
          className="primary"
          disabled={busy || name.trim() === ''}
          data-testid="board-rename-save"
        >
          Save
        </button>
        <button type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <div className="page-header">
      <h1 data-testid="board-name">{board.name}</h1>
      <span className="sub">
        {board.panels.length} panel{board.panels.length === 1 ? '' : 's'} · {describeTimeRange(props.range)}
      </span>
      <button
        type="button"
        onClick={() => {
          setName(board.name);
          setDescription(board.description ?? '');
          setEditing(true);
        }}
        data-testid="board-rename"
      >
        Rename
      </button>
      <Link to="/boards" className="bd-all">
        All boards
      </Link>
      {board.description ? <p className="bd-description muted">{board.description}</p> : null}
    </div>
  );
}

function PanelView(props: {
  panel: BoardPanel;
  range: TimeRange;
  onRemove: () => Promise<boolean>;
}): ReactNode {
  const { panel } = props;
  const query = withTimeRange(panel.query, props.range);
  const queryText = JSON.stringify(query);
  // panels fill in the background: what the user asks for next goes ahead of them
  const state = useAsync((signal) => api.query(query, { signal, priority: 'background' }), queryText);
  const [confirming, setConfirming] = useState(false);
  const chosen: ChartKind = panel.chart ?? defaultChartKind(panel.query);
  const kind: ChartKind =
    chosen === 'heatmap' && heatmapCalculations(query).length === 0
      ? 'line'
      : chosen === 'line' && scalarCalculations(query).length === 0
        ? 'heatmap'
        : chosen;
  const spans = (query.source ?? 'spans') === 'spans';
  return (
    <section className="panel bd-panel" data-testid="board-panel" data-panel-id={panel.id} data-chart={kind}>
      <header className="bd-panel-head">
        <h2>
          <Link to={queryHref(query)} testId="panel-title" title="Open in the query builder">
            {panel.title}
          </Link>
        </h2>
        {confirming ? (
          <span className="bd-confirm">
            Remove?{' '}
            <button
              type="button"
              className="danger"
              onClick={() => void props.onRemove().then(() => setConfirming(false))}
              data-testid="panel-remove-confirm"
            >
              Remove
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="bd-panel-remove"
            onClick={() => setConfirming(true)}
            aria-label={`Remove panel ${panel.title}`}
            title="Remove panel"
            data-testid="panel-remove"
          >
            ×
          </button>
        )}
      </header>
      <div className="muted bd-panel-sub">{describeRange(query)}</div>
      {state.status === 'loading' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <ErrorState error={state.error} onRetry={state.error.status >= 500 ? state.reload : undefined} />
      ) : (
        <>
          <ResultWarnings result={state.data} />
          {state.data.groups.length === 0 && Object.keys(state.data.heatmap ?? {}).length === 0 ? (
            <p className="muted" data-testid="panel-empty">
              No data in this time range.
            </p>
          ) : kind === 'table' ? (
            <ResultsTable
              spec={query}
              result={state.data}
              maxRows={15}
              onOpen={spans ? undefined : null}
              testId="panel-table"
            />
          ) : (
            <>
              <ResultCharts
                spec={query}
                result={state.data}
                kind={kind}
                height={200}
                onOpen={spans ? undefined : null}
              />
              {kind === 'line' ? <ResultTotals spec={query} result={state.data} /> : null}
            </>
          )}
        </>
      )}
    </section>
  );
}
