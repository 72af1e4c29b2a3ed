import { type ReactNode, useState } from 'react';
import { type ApiError, api, type BoardListItem, type QuerySpec } from '../lib/api.ts';
import { describeSpec } from '../lib/query-spec.ts';
import { Link } from '../lib/router.tsx';
import { toApiError } from '../lib/use-async.ts';
import { type ChartKind, defaultChartKind } from './query-result.tsx';

const NEW = '__new__';

/** "Save to board": pick a board or name a new one, title the panel, choose its chart. */
export function SaveToBoard(props: { spec: QuerySpec }): ReactNode {
  const [open, setOpen] = useState(false);
  const [boards, setBoards] = useState<BoardListItem[] | null>(null);
  const [boardId, setBoardId] = useState(NEW);
  const [boardName, setBoardName] = useState('');
  const [title, setTitle] = useState(() => describeSpec(props.spec));
  const [chart, setChart] = useState<ChartKind>(() => defaultChartKind(props.spec));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<{ id: string; name: string } | null>(null);

  const show = (): void => {
    setOpen(true);
    setSaved(null);
    setError(null);
    setTitle(describeSpec(props.spec));
    setChart(defaultChartKind(props.spec));
    api.boards().then(
      (answer) => {
        setBoards(answer.boards);
        if (answer.boards.length > 0 && boardId === NEW) setBoardId((answer.boards[0] as BoardListItem).id);
      },
      (e: unknown) => {
        setBoards([]);
        setError(toApiError(e));
      },
    );
  };

  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      let id = boardId;
      let name = boards?.find((b) => b.id === boardId)?.name ?? '';
      if (boardId === NEW) {
        const board = await api.createBoard(boardName.trim());
        id = board.id;
        name = board.name;
      }
      await api.addPanel(id, { title: title.trim() || describeSpec(props.spec), query: props.spec, chart });
      setSaved({ id, name });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <button type="button" onClick={show} data-testid="save-to-board">
        Save to board
      </button>
    );
  }
  const canSave = !busy && (boardId !== NEW || boardName.trim() !== '');
  return (
    <div className="ql-save panel" role="dialog" aria-label="Save to board" data-testid="save-dialog">
      <div className="ql-save-head">
        <strong>Save to board</strong>
        <button type="button" className="ql-remove" aria-label="Close" onClick={() => setOpen(false)}>
          ×
        </button>
      </div>
      {saved ? (
        <p data-testid="save-done">
          Saved to{' '}
          <Link to={`/boards/${encodeURIComponent(saved.id)}`} testId="saved-board-link">
            {saved.name}
          </Link>
          .
        </p>
      ) : (
        <form
          className="ql-save-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (canSave) void save();
          }}
        >
          <label>
            <span>Board</span>
            <select value={boardId} onChange={(e) => setBoardId(e.target.value)} data-testid="save-board">
              {(boards ?? []).map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
              <option value={NEW}>New board…</option>
            </select>
          </label>
          {boardId === NEW ? (
            <label>
              <span>New board name</span>
              <input
                value={boardName}
                onChange={(e) => setBoardName(e.target.value)}
                placeholder="e.g. LLM spend"
                data-testid="save-board-name"
              />
            </label>
          ) : null}
          <label>
            <span>Panel title</span>
            <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="save-title" />
          </label>
          <label>
            <span>Chart</span>
            <select
              value={chart}
              onChange={(e) => setChart(e.target.value as ChartKind)}
              data-testid="save-chart"
            >
              <option value="line">Line chart</option>
              <option value="table">Table</option>
              <option value="heatmap">Heatmap</option>
            </select>
          </label>
          <div className="ql-save-actions">
            <button type="submit" className="primary" disabled={!canSave} data-testid="save-confirm">
              {busy ? 'Saving…' : 'Save panel'}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error ? (
        <p className="error-text" role="alert" data-testid="save-error">
          {error.message} <code>{error.code}</code>
        </p>
      ) : null}
    </div>
  );
}
