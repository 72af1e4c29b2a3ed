import type { Browser, Page, Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board, QuerySpec } from '../src/lib/api.ts';
import { type DemoServer, launchBrowser, looksLikeStackTrace, openPage, startDemoServer } from './browser.ts';

/**
 * What the UI asks of the server: a board of many panels keeps at most 4 queries in flight, the dataset
 * list is asked for once while moving between pages, and leaving a page cancels its queries in flight
 * (so the server can stop them) without showing an error.
 */

const QUERY = '**/api/query*';
const PANELS = 40;

const isQuery = (request: Request): boolean => new URL(request.url()).pathname === '/api/query';

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every /api/query the page sends is held until `release`; `aborted` counts those the page cancelled. */
function holdQueries(page: Page): { held: Route[]; aborted: () => number; release: () => Promise<void> } {
  const held: Route[] = [];
  const failed: string[] = [];
  page.on('requestfailed', (request) => {
    if (isQuery(request)) failed.push(request.failure()?.errorText ?? '');
  });
  void page.route(QUERY, (route) => {
    held.push(route);
  });
  return {
    held,
    aborted: () => failed.filter((text) => text === 'net::ERR_ABORTED').length,
    release: async () => {
      await page.unroute(QUERY);
      // a request the page cancelled can no longer be continued
      await Promise.all(held.map((route) => route.continue().catch(() => {})));
    },
  };
}

describe('requests the UI makes', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer({ spans: 8_000 }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(`a board of ${PANELS} panels never has more than 4 queries in flight, and every panel shows its answer`, async () => {
    const board = await postJson<Board>(`${server.url}/api/boards`, { name: 'Many panels' });
    for (let i = 0; i < PANELS; i++) {
      const query: QuerySpec = {
        calculations: [{ op: 'COUNT' }],
        filters: [{ column: 'duration_ms', op: '>=', value: i }],
        breakdowns: ['service.name'],
      };
      await postJson(`${server.url}/api/boards/${board.id}/panels`, {
        title: `p${i}`,
        query,
        chart: 'table',
      });
    }
    const { page, problems } = await openPage(browser);
    let inFlight = 0;
    let most = 0;
    let sent = 0;
    await page.route(QUERY, async (route) => {
      sent++;
      most = Math.max(most, ++inFlight);
      const response = await route.fetch();
      // answer a little late, so queries a page sends together are seen together
      await new Promise((resolve) => setTimeout(resolve, 50));
      inFlight--;
      await route.fulfill({ response });
    });
    await page.goto(`${server.url}/boards/${board.id}?range=30d`);
    await expect
      .poll(() => page.getByTestId('panel-table').count(), { timeout: 60_000, interval: 200 })
      .toBe(PANELS);
    expect(sent).toBe(PANELS);
    expect(most).toBe(4);
    expect(await page.getByTestId('error-state').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('asks for the dataset list once while the user moves between the line and the query builder', async () => {
    const { page, problems } = await openPage(browser);
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/datasets') asked.push(request.url());
    });
    await page.goto(`${server.url}/?range=30d`);
    await page.getByTestId('line-totals').waitFor();
    await page.getByTestId('station-panel').first().waitFor();
    expect(asked).toHaveLength(1);
    await page.getByRole('link', { name: 'Query', exact: true }).click();
    await page.getByTestId('dataset-picker').waitFor();
    await page.getByRole('link', { name: 'The line', exact: true }).click();
    await page.getByTestId('station-panel').first().waitFor();
    expect(asked).toHaveLength(1);
    expect(problems).toEqual([]);
  });

  it('leaving a page cancels its queries in flight, never sends its queued ones, and shows no error', async () => {
    const { page, problems } = await openPage(browser);
    const queries = holdQueries(page);
    await page.goto(`${server.url}/?range=30d`);
    // the line and each station ask a query (15 in all): 4 are sent (and held), the others wait their turn
    await page.getByTestId('station-panel').first().waitFor();
    await expect.poll(() => queries.held.length).toBeGreaterThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = queries.held.length;
    await page.getByRole('link', { name: 'Boards', exact: true }).click();
    await page.getByRole('heading', { name: 'Boards' }).waitFor();
    await expect.poll(queries.aborted).toBe(sent);
    await queries.release();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toBe(4);
    expect(queries.held).toHaveLength(4);
    expect(await page.getByTestId('error-state').count()).toBe(0);
    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    expect(problems).toEqual([]);
  });

  it("changing the line's time range cancels the old range's queries and shows the new range's answers", async () => {
    const { page, problems } = await openPage(browser);
    const queries = holdQueries(page);
    await page.goto(`${server.url}/?range=30d`);
    await page.getByTestId('station-panel').first().waitFor();
    await expect.poll(() => queries.held.length).toBeGreaterThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const oldRange = queries.held.length;
    await page.getByTestId('time-range').selectOption('7d');
    await expect.poll(queries.aborted).toBe(oldRange);
    // the new range's first queries are sent in the slots the old ones left
    await expect.poll(() => queries.held.length).toBe(oldRange + 4);
    await queries.release();
    await page.waitForFunction(`
      document.querySelectorAll('[data-testid="station-panel"]').length > 0 &&
      document.querySelectorAll(
        '[data-status="loading"], .placeholder, .placeholder-box, [data-testid="loading"]',
      ).length === 0
    `);
    expect(await page.getByTestId('error-state').count()).toBe(0);
    expect(await page.locator('.error-text').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
