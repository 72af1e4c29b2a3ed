import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationList } from '../src/lib/api.ts';
import { formatCount } from '../src/lib/format.ts';
import {
  type DemoServer,
  launchBrowser,
  looksLikeStackTrace,
  openPage,
  screenshot,
  startDemoServer,
} from './browser.ts';

/**
 * The agent timeline (/conversations) against a demo store: the rows and counts are GET /api/conversations'
 * answer for the same range and filters; filters and paging live in the URL; a row opens its conversation.
 */
describe('the agent timeline', () => {
  let server: DemoServer;
  let browser: Browser;
  const from = Math.floor(Date.now() / 1000) - 8 * 86_400;
  const to = Math.ceil(Date.now() / 1000) + 3600;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function list(params: Record<string, string | number> = {}): Promise<ConversationList> {
    const search = new URLSearchParams({ start: String(from), end: String(to), limit: '50' });
    for (const [key, value] of Object.entries(params)) search.set(key, String(value));
    const response = await fetch(`${server.url}/api/conversations?${search}`);
    expect(response.status).toBe(200);
    return (await response.json()) as ConversationList;
  }

  /** Waits until the table shows an answer whose total is `total`. */
  async function shown(page: Page, total: number): Promise<string[]> {
    await page.locator(`[data-testid="total"][data-value="${total}"]`).first().waitFor();
    await page.getByTestId('conversation-row').first().waitFor();
    return page
      .getByTestId('conversation-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
  }

  it('lists the conversations the API returns for the range, newest first, 50 a page', async () => {
    const { page, problems } = await openPage(browser);
    const expected = await list();
    expect(expected.total).toBeGreaterThan(50);
    await page.goto(`${server.url}/conversations?from=${from}&to=${to}`);
    const ids = await shown(page, expected.total);
    expect(ids).toEqual(expected.conversations.map((c) => c.id));
    expect(await page.getByTestId('showing').first().innerText()).toBe(
      `Showing 1–50 of ${formatCount(expected.total)} conversations`,
    );

    // the first row's cells read as the API's numbers
    const first = expected.conversations[0];
    const row = page.getByTestId('conversation-row').first();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells).toContain(first?.id);
    expect(cells).toContain(formatCount(first?.llmCalls));
    expect(cells).toContain(formatCount(first?.toolCalls));

    // an evaluation label shows as a badge
    const labelled = expected.conversations.find((c) => c.evalLabel !== null);
    if (labelled) {
      const badge = page.locator(
        `[data-testid="conversation-row"][data-id="${labelled.id}"] [data-testid="eval-label"]`,
      );
      expect(await badge.innerText()).toBe(labelled.evalLabel);
    }

    // the next page is the API's offset 50
    await page.getByTestId('next-page').first().click();
    await page.waitForURL((url) => url.searchParams.get('offset') === '50');
    const second = await list({ offset: 50 });
    await page.getByTestId('showing').filter({ hasText: 'Showing 51–' }).first().waitFor();
    expect(await page.getByTestId('conversation-row').first().getAttribute('data-id')).toBe(
      second.conversations[0]?.id,
    );

    await page.goto(`${server.url}/conversations?from=${from}&to=${to}`);
    await shown(page, expected.total);
    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    await screenshot(page, 'conversations');
    expect(problems).toEqual([]);
  });

  it('narrows the list by agent, keeps the filter in the URL, and opens a conversation from its row', async () => {
    const { page, problems } = await openPage(browser);
    const all = await list();
    // an agent with some but not all conversations
    let agent = '';
    let narrowed: ConversationList | null = null;
    for (const candidate of all.facets.agents) {
      const answer = await list({ agent: candidate });
      if (answer.total > 0 && answer.total < all.total) {
        agent = candidate;
        narrowed = answer;
        break;
      }
    }
    expect(narrowed).not.toBeNull();
    await page.goto(`${server.url}/conversations?from=${from}&to=${to}`);
    await shown(page, all.total);
    await page.getByTestId('filter-agent').selectOption(agent);
    await page.waitForURL((url) => url.searchParams.get('agent') === agent);
    const ids = await shown(page, narrowed?.total ?? -1);
    expect(ids).toEqual(narrowed?.conversations.map((c) => c.id));
    const agents = await page
      .getByTestId('conversation-row')
      .evaluateAll((rows) => rows.map((r) => JSON.parse(r.getAttribute('data-agents') ?? '[]') as string[]));
    expect(agents.length).toBeGreaterThan(0);
    for (const rowAgents of agents) expect(rowAgents).toContain(agent);

    // the filter survives a reload (it lives in the URL)
    await page.reload();
    expect(await shown(page, narrowed?.total ?? -1)).toEqual(ids);
    expect(await page.getByTestId('filter-agent').inputValue()).toBe(agent);

    // a filter that matches nothing says which filter to loosen
    await page.getByTestId('filter-q').fill('no-such-conversation-id');
    await page.getByTestId('empty-state').waitFor();
    const empty = await page.getByTestId('empty-state').innerText();
    expect(empty).toContain('Loosen a filter');
    expect(empty).toContain('no-such-conversation-id');
    expect(await page.getByTestId('loosen-q').count()).toBe(1);
    expect(await page.getByTestId('loosen-agent').count()).toBe(1);
    await page.getByTestId('loosen-q').click();
    expect(await shown(page, narrowed?.total ?? -1)).toEqual(ids);
    expect(problems).toEqual([]);

    // clicking a row (not just its link) opens the conversation
    const target = ids[0] as string;
    await page.locator(`[data-testid="conversation-row"][data-id="${target}"] td`).last().click();
    await page.waitForURL((url) => url.pathname === `/conversations/${encodeURIComponent(target)}`);
  });
});
