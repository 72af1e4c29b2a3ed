import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board, BoardListItem, QueryResult, QuerySpec } from '../src/lib/api.ts';
import { formatValue } from '../src/lib/format.ts';
import { describeSpec, withTimeRange } from '../src/lib/query-spec.ts';
import {
  apiQuery,
  type DemoServer,
  launchBrowser,
  looksLikeStackTrace,
  openPage,
  screenshot,
  startDemoServer,
} from './browser.ts';

/** Boards: create, save queries from the builder as panels, live panels equal the API, rename, remove, delete. */

const THIRTY_DAYS = { seconds: 30 * 86_400, from: null, to: null };

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

/** Rows of a results table: key and raw values (data-* attributes) and shown text. */
async function readRows(
  table: Locator,
): Promise<{ key: unknown; cells: { name: string; value: unknown; text: string }[] }[]> {
  type El = {
    getAttribute(name: string): string | null;
    textContent: string | null;
    querySelectorAll(selector: string): ArrayLike<El>;
  };
  const raw = await table.evaluate((element) =>
    Array.from((element as unknown as El).querySelectorAll('[data-testid="result-row"]')).map((row) => ({
      key: row.getAttribute('data-key') ?? '{}',
      cells: Array.from(row.querySelectorAll('[data-name]')).map((cell) => ({
        name: cell.getAttribute('data-name') ?? '',
        value: cell.getAttribute('data-value') ?? 'null',
        text: (cell.textContent ?? '').trim(),
      })),
    })),
  );
  return raw.map((row) => ({
    key: JSON.parse(row.key) as unknown,
    cells: row.cells.map((c) => ({ name: c.name, value: JSON.parse(c.value) as unknown, text: c.text })),
  }));
}

describe('boards', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer({ spans: 8_000 }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('saves queries to a new and an existing board, shows live panels equal to the API, renames, removes a panel and deletes boards', async () => {
    const { page, problems } = await openPage(browser);

    // an empty list says what to do; a board created from the form opens empty
    await page.goto(`${server.url}/boards`);
    await page.getByText('No boards yet').waitFor();
    await page.getByTestId('board-name').fill('Empty board');
    await page.getByTestId('board-description').fill('made from the form');
    await page.getByTestId('board-create').click();
    await page.waitForURL(/\/boards\/[^/]+$/);
    expect(await page.getByTestId('board-name').innerText()).toBe('Empty board');
    await page.getByText('This board has no panels yet').waitFor();
    const emptyId = new URL(page.url()).pathname.split('/').pop() as string;

    // save a query from the builder to a new board, as a table
    const spec: QuerySpec = {
      calculations: [{ op: 'COUNT' }, { op: 'AVG', column: 'duration_ms' }],
      filters: [{ column: 'trace.parent_id', op: 'does-not-exist' }],
      breakdowns: ['service.name'],
      time_range: 7 * 86_400,
    };
    await page.goto(`${server.url}/query?q=${encodeURIComponent(JSON.stringify(spec))}`);
    await page.getByTestId('results-table').waitFor();
    await page.getByTestId('save-to-board').click();
    await page.getByTestId('save-dialog').waitFor();
    expect(await page.getByTestId('save-title').inputValue()).toBe(describeSpec(spec));
    await page.getByTestId('save-board').selectOption('__new__');
    await page.getByTestId('save-board-name').fill('Agent roots');
    await page.getByTestId('save-chart').selectOption('table');
    await page.getByTestId('save-confirm').click();
    await page.getByTestId('save-done').waitFor();
    const boardHref = (await page.getByTestId('saved-board-link').getAttribute('href')) as string;
    const boardId = decodeURIComponent(boardHref.split('/').pop() as string);

    // and to the same (existing) board again, as a line chart with its own title
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('save-to-board').click();
    await page.getByTestId('save-board').locator(`option[value="${boardId}"]`).waitFor({ state: 'attached' });
    await page.getByTestId('save-board').selectOption(boardId);
    await page.getByTestId('save-title').fill('Root spans over time');
    await page.getByTestId('save-chart').selectOption('line');
    await page.getByTestId('save-confirm').click();
    await page.getByTestId('save-done').waitFor();
    const stored = await getJson<Board>(`${server.url}/api/boards/${encodeURIComponent(boardId)}`);
    expect(stored.body.panels.map((p) => [p.title, p.chart, p.query])).toEqual([
      [describeSpec(spec), 'table', spec],
      ['Root spans over time', 'line', spec],
    ]);

    // the board: panels run their query over the board's range (the top bar's picker)
    await page.getByTestId('saved-board-link').click();
    await page.waitForURL((url) => url.pathname === `/boards/${boardId}`);
    await page.getByTestId('time-range').selectOption('30d');
    await page.waitForURL(/range=30d/);
    const boardSpec = withTimeRange(spec, THIRTY_DAYS);
    const api = (await apiQuery(server.url, boardSpec)) as unknown as QueryResult;
    const table = page.getByTestId('panel-table');
    await table.waitFor();
    const names = ['COUNT', 'AVG(duration_ms)'];
    expect(await readRows(table)).toEqual(
      api.groups.map((group) => ({
        key: group.key,
        cells: names.map((name) => ({
          name,
          value: group.values[name] ?? null,
          text: formatValue(group.values[name] ?? null),
        })),
      })),
    );
    const line = page.locator('[data-testid="board-panel"][data-chart="line"]');
    await line.getByTestId('result-chart').first().waitFor();
    expect(await line.locator('canvas').count()).toBeGreaterThan(0);
    const totals = await line.getByTestId('total-value').evaluateAll((cells) =>
      cells.map((cell) => {
        const el = cell as unknown as { getAttribute(n: string): string | null };
        return [el.getAttribute('data-name'), JSON.parse(el.getAttribute('data-value') ?? 'null')];
      }),
    );
    expect(totals).toEqual(names.map((name) => [name, api.totals[name] ?? null]));
    // a panel's title opens its query (with the board's range) in the builder
    const titleHref = (await line.getByTestId('panel-title').getAttribute('href')) as string;
    expect(JSON.parse(new URL(titleHref, server.url).searchParams.get('q') ?? '{}')).toEqual(boardSpec);
    await screenshot(page, 'board');

    // rename
    await page.getByTestId('board-rename').click();
    await page.getByTestId('board-rename-input').fill('Agent roots (30 days)');
    await page.getByTestId('board-rename-save').click();
    await expect.poll(async () => page.getByTestId('board-name').innerText()).toBe('Agent roots (30 days)');
    expect((await getJson<Board>(`${server.url}/api/boards/${boardId}`)).body.name).toBe(
      'Agent roots (30 days)',
    );

    // remove the line panel
    await line.getByTestId('panel-remove').click();
    await line.getByTestId('panel-remove-confirm').click();
    await expect.poll(async () => page.getByTestId('board-panel').count()).toBe(1);
    const after = (await getJson<Board>(`${server.url}/api/boards/${boardId}`)).body;
    expect(after.panels.map((p) => p.title)).toEqual([describeSpec(spec)]);

    // the list shows both boards with their panel counts
    await page.getByRole('link', { name: 'Boards', exact: true }).click();
    await page.getByTestId('boards-table').waitFor();
    const listed = (await getJson<{ boards: BoardListItem[] }>(`${server.url}/api/boards`)).body.boards;
    expect(listed).toHaveLength(2);
    for (const board of listed) {
      const row = page.locator(`[data-testid="board-row"][data-board-id="${board.id}"]`);
      expect(await row.getByTestId('board-link').innerText()).toBe(board.name);
      expect(await row.getByTestId('board-panel-count').innerText()).toBe(String(board.panelCount));
    }
    await screenshot(page, 'boards');

    // delete both, with a confirmation each
    for (const id of [boardId, emptyId]) {
      const row = page.locator(`[data-testid="board-row"][data-board-id="${id}"]`);
      await row.getByTestId('board-delete').click();
      await row.getByTestId('board-delete-confirm').click();
      await row.waitFor({ state: 'detached' });
      expect((await getJson(`${server.url}/api/boards/${id}`)).status).toBe(404);
    }
    await page.getByText('No boards yet').waitFor();

    // a board that no longer exists shows the server's message, not a crash
    await page.goto(`${server.url}/boards/${boardId}`);
    await page.getByTestId('error-state').waitFor();
    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    expect(problems.filter((p) => !/Failed to load resource: .*404/.test(p))).toEqual([]);
  });
});
