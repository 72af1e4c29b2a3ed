import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetsResponse, QueryResult, QuerySpec } from '../src/lib/api.ts';
import { formatCount } from '../src/lib/format.ts';
import {
  CALC,
  datasetsInRange,
  evaluationShares,
  evaluationSpec,
  jobsSpec,
  lineActivitySpec,
  lineLlmSpec,
  panelLlmSpec,
  rankByBurn,
  readActivity,
  readUsage,
  usersSpec,
} from '../src/lib/home-queries.ts';
import { formatCallsCost } from '../src/lib/known-cost.ts';
import {
  apiQuery,
  type DemoServer,
  launchBrowser,
  looksLikeStackTrace,
  openPage,
  screenshot,
  startDemoServer,
  startEmptyServer,
} from './browser.ts';

/**
 * The line (home page) against a demo store: a panel per station, and every number on it equal to what
 * POST /api/query answers for the same spec (the specs the page runs, from src/lib/home-queries.ts). The
 * page is opened on an absolute range (`from`/`to`) so the page and the test ask about the same rows.
 */
describe('the line (home page)', () => {
  let server: DemoServer;
  let empty: DemoServer;
  let browser: Browser;
  const from = Math.floor(Date.now() / 1000) - 8 * 86_400;
  const to = Math.ceil(Date.now() / 1000) + 3600;
  const range = { start_time: from, end_time: to };
  const homeUrl = (): string => `${server.url}/?from=${from}&to=${to}`;
  const ask = async (spec: QuerySpec): Promise<QueryResult> =>
    (await apiQuery(server.url, spec)) as unknown as QueryResult;

  beforeAll(async () => {
    [server, empty, browser] = await Promise.all([startDemoServer(), startEmptyServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await empty?.stop();
  });

  /** Opens the line and waits until every panel and card has its answer. */
  async function openLine(page: Page): Promise<void> {
    await page.goto(homeUrl());
    await page.getByTestId('line-totals').waitFor();
    // a string: it runs in the page, and the tests are type-checked without the DOM library
    await page.waitForFunction(`
      document.querySelectorAll('[data-testid="station-panel"]').length > 0 &&
      document.querySelectorAll(
        '[data-status="loading"], .placeholder, .placeholder-box, [data-testid="loading"]',
      ).length === 0
    `);
  }

  const value = async (page: Page, selector: string): Promise<number> => {
    const raw = await page.locator(selector).first().getAttribute('data-value');
    expect(raw, `${selector} has a value`).not.toBeNull();
    expect(raw, `${selector} has a value`).not.toBe('');
    return Number(raw);
  };

  it('shows a panel per station whose cost, tokens, LLM calls and errors equal the API answers', async () => {
    const { page, problems } = await openPage(browser);
    await openLine(page);

    const datasets = (await (await fetch(`${server.url}/api/datasets`)).json()) as DatasetsResponse;
    const expected = datasetsInRange(datasets.spans.datasets, range, Date.now()).active.map((d) => d.name);
    expect(expected).toEqual(
      expect.arrayContaining(['claude-code', 'codex-cli', 'coding-agent', 'pr-review', 'ci', 'evaluator']),
    );
    const panels = page.getByTestId('station-panel');
    expect(await panels.evaluateAll((els) => els.map((el) => el.getAttribute('data-dataset')))).toEqual(
      expected,
    );

    const lineActivity = await ask(lineActivitySpec(range));
    for (const dataset of expected) {
      const panel = `[data-testid="station-panel"][data-dataset="${dataset}"]`;
      const llm = await ask(panelLlmSpec(dataset, range));
      const usage = readUsage(llm.totals);
      const activity = readActivity(lineActivity, dataset);
      expect(await value(page, `${panel} [data-testid="num-llm-calls"]`), `${dataset} LLM calls`).toBe(
        usage.llmCalls,
      );
      expect(await value(page, `${panel} [data-testid="num-cost"]`), `${dataset} cost`).toBeCloseTo(
        usage.cost ?? 0,
        6,
      );
      expect(await value(page, `${panel} [data-testid="num-tokens"]`), `${dataset} tokens`).toBe(
        usage.tokens,
      );
      expect(await value(page, `${panel} [data-testid="num-input-tokens"]`)).toBe(usage.input);
      expect(await value(page, `${panel} [data-testid="num-cache-read-tokens"]`)).toBe(usage.cacheRead);
      expect(await value(page, `${panel} [data-testid="num-errors"]`), `${dataset} errors`).toBe(
        activity.errors,
      );
      expect(await value(page, `${panel} [data-testid="num-spans"]`), `${dataset} spans`).toBe(
        activity.spans,
      );
      // and the text reads as the formatted value (`unpriced`, not $0.00, when no call had a price)
      expect(await page.locator(`${panel} [data-testid="num-cost"]`).innerText()).toBe(
        formatCallsCost(usage),
      );
      expect(await page.locator(`${panel} [data-testid="num-errors"]`).innerText()).toBe(
        formatCount(activity.errors),
      );
      // the model table has a row per model the query found (up to five)
      const models = await page.locator(`${panel} [data-testid="model-row"]`).count();
      expect(models).toBe(Math.min(5, llm.groups.length));
    }

    const lineUsage = readUsage((await ask(lineLlmSpec(range))).totals);
    expect(await value(page, '[data-testid="num-line-cost"]')).toBeCloseTo(lineUsage.cost ?? 0, 6);
    expect(await value(page, '[data-testid="num-line-tokens"]')).toBe(lineUsage.tokens);
    expect(await value(page, '[data-testid="num-line-llm-calls"]')).toBe(lineUsage.llmCalls);
    expect(await value(page, '[data-testid="num-line-errors"]')).toBe(readActivity(lineActivity).errors);
    expect(await value(page, '[data-testid="num-line-conversations"]')).toBe(
      lineActivity.totals[CALC.conversations],
    );
    expect(lineUsage.llmCalls).toBeGreaterThan(0);

    const text = await page.locator('body').innerText();
    expect(looksLikeStackTrace(text)).toBe(false);
    await screenshot(page, 'home');
    expect(problems).toEqual([]);
  });

  it('ranks jobs and users by token burn and shares groundedness labels as the API does', async () => {
    const { page, problems } = await openPage(browser);
    await openLine(page);

    for (const [testId, spec] of [
      ['leaderboard-jobs', jobsSpec(range)],
      ['leaderboard-users', usersSpec(range)],
    ] as const) {
      const rows = rankByBurn((await ask(spec)).groups);
      expect(rows.length, `${testId} has rows`).toBeGreaterThan(1);
      const board = page.getByTestId(testId);
      const labels = await board
        .getByTestId('leaderboard-row')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-label')));
      expect(labels).toEqual(rows.map((r) => r.label));
      const top = board.getByTestId('leaderboard-row').first();
      expect(Number(await top.getByTestId('leaderboard-tokens').getAttribute('data-value'))).toBe(
        rows[0]?.tokens,
      );
      expect(Number(await top.getByTestId('leaderboard-cost').getAttribute('data-value'))).toBeCloseTo(
        rows[0]?.cost ?? 0,
        6,
      );
      expect(await top.getByTestId('leaderboard-tokens').innerText()).toBe(formatCount(rows[0]?.tokens));
    }

    const groundedness = evaluationShares((await ask(evaluationSpec(range))).groups).find(
      (s) => s.name === 'groundedness',
    );
    expect(groundedness?.labels.length).toBeGreaterThan(1);
    const shares = await page
      .locator('[data-testid="evaluation"][data-name="groundedness"] [data-testid="evaluation-share"]')
      .evaluateAll((els) =>
        els.map((el) => ({
          label: el.getAttribute('data-label'),
          count: Number(el.getAttribute('data-count')),
          share: Number(el.getAttribute('data-share')),
        })),
      );
    expect(shares).toEqual(
      groundedness?.labels.map((l) => ({ label: l.label, count: l.count, share: l.share })),
    );
    expect(shares.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 9);
    expect(problems).toEqual([]);
  });

  it('opens the query builder with the exact query behind a clicked number', async () => {
    const { page, problems } = await openPage(browser);
    const dataset = 'claude-code';
    const cases: [string, QuerySpec][] = [
      ['[data-testid="num-line-cost"]', lineLlmSpec(range)],
      ['[data-testid="num-line-errors"]', lineActivitySpec(range)],
      [`[data-dataset="${dataset}"] [data-testid="num-tokens"]`, panelLlmSpec(dataset, range)],
      [`[data-dataset="${dataset}"] [data-testid="num-errors"]`, lineActivitySpec(range)],
      ['[data-testid="leaderboard-users"] [data-testid="leaderboard-tokens"]', usersSpec(range)],
      ['[data-testid="evaluation"] [data-testid="evaluation-percent"]', evaluationSpec(range)],
    ];
    await openLine(page);
    for (const [selector, spec] of cases) {
      const link = new URL((await page.locator(selector).first().getAttribute('href')) ?? '', server.url);
      expect(link.pathname, selector).toBe('/query');
      expect(JSON.parse(link.searchParams.get('q') ?? 'null'), selector).toEqual(spec);
    }
    // and clicking one goes there (a line total, then a station's number)
    for (const [selector, spec] of [cases[0], cases[2]] as [string, QuerySpec][]) {
      await openLine(page);
      await page.locator(selector).first().click();
      await page.waitForURL((url) => url.pathname === '/query');
      const q = new URL(page.url()).searchParams.get('q');
      expect(JSON.parse(q ?? 'null'), selector).toEqual(spec);
    }
    expect(problems).toEqual([]);
  });

  it('shows how to send data when the store is empty', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${empty.url}/`);
    await page.getByTestId('home-empty').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('No spans on the line in this range');
    expect(text).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(text).toContain('loopline serve --demo');
    expect(await page.getByTestId('station-panel').count()).toBe(0);
    expect(looksLikeStackTrace(text)).toBe(false);
    await screenshot(page, 'home-empty');
    expect(problems).toEqual([]);
  });
});
