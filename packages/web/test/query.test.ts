import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryResult, QuerySpec, TraceListItem } from '../src/lib/api.ts';
import { formatValue } from '../src/lib/format.ts';
import {
  type DemoServer,
  launchBrowser,
  looksLikeStackTrace,
  openPage,
  screenshot,
  startDemoServer,
} from './browser.ts';

/**
 * The query builder, its charts and the traces list, against `loopline serve --demo`: what the page shows
 * must be what POST /api/query and POST /api/traces/search answer for the same question.
 */

const THIRTY_DAYS = 30 * 86_400;

async function post<T>(url: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const query = (url: string, spec: QuerySpec): Promise<QueryResult> => post(url, '/api/query', spec);
const searchTraces = (url: string, spec: QuerySpec, limit = 50): Promise<{ traces: TraceListItem[] }> =>
  post(url, '/api/traces/search', { query: spec, limit });

/** The spec in the page's `?q=`. */
function specInUrl(page: Page): QuerySpec {
  return JSON.parse(new URL(page.url()).searchParams.get('q') ?? '{}') as QuerySpec;
}

interface TableRow {
  key: Record<string, unknown>;
  cells: { name: string; value: unknown; text: string }[];
}

/** The results table as data: each row's key and each value cell's raw value and text. */
async function readTable(table: Locator): Promise<{ rows: TableRow[]; totals: TableRow['cells'] }> {
  type El = {
    getAttribute(name: string): string | null;
    textContent: string | null;
    querySelectorAll(selector: string): ArrayLike<El>;
  };
  const raw = await table.evaluate((element) => {
    const el = element as unknown as El;
    const read = (row: El) =>
      Array.from(row.querySelectorAll('[data-name]')).map((cell) => ({
        name: cell.getAttribute('data-name') ?? '',
        value: cell.getAttribute('data-value') ?? 'null',
        text: (cell.textContent ?? '').trim(),
      }));
    return {
      rows: Array.from(el.querySelectorAll('[data-testid="result-row"]')).map((row) => ({
        key: row.getAttribute('data-key') ?? '{}',
        cells: read(row),
      })),
      totals: Array.from(el.querySelectorAll('[data-testid="totals-row"]')).flatMap((row) => read(row)),
    };
  });
  const parse = (cells: { name: string; value: string; text: string }[]) =>
    cells.map((c) => ({ name: c.name, value: JSON.parse(c.value) as unknown, text: c.text }));
  return {
    rows: raw.rows.map((row) => ({
      key: JSON.parse(row.key) as Record<string, unknown>,
      cells: parse(row.cells),
    })),
    totals: parse(raw.totals),
  };
}

/** What the table must show for an API result: every group's key and values, as raw values and text. */
function expectedTable(
  result: QueryResult,
  names: string[],
): { rows: TableRow[]; totals: TableRow['cells'] } {
  const cells = (values: Record<string, number | null>) =>
    names.map((name) => ({ name, value: values[name] ?? null, text: formatValue(values[name] ?? null) }));
  return {
    rows: result.groups.map((group) => ({ key: group.key, cells: cells(group.values) })),
    totals: cells(result.totals),
  };
}

/** Trace ids listed on the traces page (after it loaded). */
async function listedTraces(page: Page): Promise<string[]> {
  await page.locator('[data-testid="traces-table"], [data-testid="empty-state"]').first().waitFor();
  return page
    .getByTestId('trace-row')
    .evaluateAll((rows) =>
      rows.map((row) =>
        (row as unknown as { getAttribute(n: string): string }).getAttribute('data-trace-id'),
      ),
    );
}

/** Distinct trace ids of the spans a query matches (the server's own answer, via a breakdown). */
async function matchingTraceIds(url: string, spec: QuerySpec): Promise<Set<string>> {
  const { time_range: _r, granularity: _g, orders: _o, havings: _h, ...rest } = spec;
  const result = await query(url, {
    ...rest,
    ...(spec.start_time === undefined ? { time_range: spec.time_range } : {}),
    calculations: [{ op: 'COUNT' }],
    breakdowns: ['trace.trace_id'],
    limit: 10_000,
  });
  return new Set(result.groups.map((g) => String(g.key['trace.trace_id'])));
}

function plotOf(attrs: { plot: string; width: number; height: number }): {
  left: number;
  top: number;
  width: number;
  height: number;
} {
  const [left, top, right, bottom] = attrs.plot.split(',').map(Number) as [number, number, number, number];
  return { left, top, width: attrs.width - left - right, height: attrs.height - top - bottom };
}

describe('the query builder', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer({ spans: 12_000 }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('builds a query by clicking, shows exactly what the API answers, keeps it in the URL, and opens traces from a row and a chart point', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/query`);
    await page.getByTestId('query-builder').waitFor();
    await page.getByText('Build a query and run it').waitFor();

    // VISUALIZE COUNT, P95(duration_ms) WHERE gen_ai.operation.name = chat GROUP BY gen_ai.request.model, 30 days
    await page.getByTestId('query-time-range').selectOption(String(THIRTY_DAYS));
    await page.getByTestId('add-calculation').click();
    await page.getByTestId('calc-op').nth(1).selectOption('P95');
    await page.getByTestId('calc-column').fill('duration_ms');
    await page.getByTestId('add-filter').click();
    await page.getByTestId('filter-column').fill('gen_ai.operation.name');
    await page.getByTestId('filter-op').selectOption('=');
    await page.getByTestId('filter-value').fill('chat');
    await page.getByTestId('add-breakdown').click();
    await page.getByTestId('breakdown-column').fill('gen_ai.request.model');
    // the column inputs suggest the catalogue's typed columns and discovered attributes
    const suggestions = async (): Promise<string[]> =>
      page
        .locator('datalist option')
        .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    await expect.poll(suggestions).toContain('gen_ai.request.model');
    expect(await suggestions()).toContain('gen_ai.usage.input_tokens');
    expect(await suggestions()).toContain('gen_ai.tool.type');
    await page.getByTestId('run-query').click();
    await page.getByTestId('results-table').waitFor();

    const expected: QuerySpec = {
      calculations: [{ op: 'COUNT' }, { op: 'P95', column: 'duration_ms' }],
      filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'chat' }],
      breakdowns: ['gen_ai.request.model'],
      time_range: THIRTY_DAYS,
    };
    expect(specInUrl(page)).toEqual(expected);
    const api = await query(server.url, expected);
    expect(api.groups.length).toBeGreaterThan(3);
    const names = ['COUNT', 'P95(duration_ms)'];
    const shown = await readTable(page.getByTestId('results-table'));
    expect(shown).toEqual(expectedTable(api, names));
    await screenshot(page, 'query-builder');

    // the link is the query: reloading reruns it and shows the same table
    await page.reload();
    await page.getByTestId('results-table').waitFor();
    expect(await readTable(page.getByTestId('results-table'))).toEqual(expectedTable(api, names));
    expect(specInUrl(page)).toEqual(expected);

    // Ctrl+Enter runs an edited query (limit 3)
    await page.getByTestId('limit').fill('3');
    await page.getByTestId('limit').press('Control+Enter');
    await page.waitForURL((url) => (JSON.parse(url.searchParams.get('q') ?? '{}') as QuerySpec).limit === 3);
    // the rows of the earlier answer may still be on screen while the new one loads: wait for three
    await expect.poll(async () => page.getByTestId('result-row').count(), { timeout: 20_000 }).toBe(3);
    const limited = await query(server.url, { ...expected, limit: 3 });
    expect(await readTable(page.getByTestId('results-table'))).toEqual(expectedTable(limited, names));

    // Show SQL shows the statements the server ran
    await page.getByTestId('show-sql').click();
    await expect.poll(async () => page.getByTestId('query-sql').textContent()).toContain('SELECT');

    // a table row opens the traces of its group
    await page.goBack();
    await page.getByTestId('results-table').waitFor();
    const row = api.groups[1] as QueryResult['groups'][number];
    const model = row.key['gen_ai.request.model'] as string;
    await page
      .locator(`[data-testid="result-row"][data-key='${JSON.stringify(row.key)}']`)
      .locator('td')
      .first()
      .click();
    await page.waitForURL(/\/traces\?/);
    const rowSpec = specInUrl(page);
    expect(rowSpec.filters).toEqual([
      { column: 'gen_ai.operation.name', op: '=', value: 'chat' },
      { column: 'gen_ai.request.model', op: '=', value: model },
    ]);
    const rowIds = await listedTraces(page);
    expect(rowIds.length).toBeGreaterThan(0);
    expect(rowIds).toEqual((await searchTraces(server.url, rowSpec)).traces.map((t) => t.traceId));
    const rowMatches = await matchingTraceIds(server.url, {
      filters: [
        { column: 'gen_ai.operation.name', op: '=', value: 'chat' },
        { column: 'gen_ai.request.model', op: '=', value: model },
      ],
      start_time: rowSpec.start_time,
      end_time: rowSpec.end_time,
    });
    for (const id of rowIds) expect(rowMatches.has(id)).toBe(true);
    const summary = await page.getByTestId('traces-summary').innerText();
    expect(summary).toContain(`gen_ai.request.model = ${model}`);
    await screenshot(page, 'traces-list');

    // opening a trace goes to its page
    const first = rowIds[0] as string;
    await page
      .locator(`[data-testid="trace-row"][data-trace-id="${first}"]`)
      .getByTestId('trace-link')
      .click();
    await page.waitForURL((url) => url.pathname === `/traces/${first}`);

    // a chart point opens the traces of its group in its time bucket
    await page.goto(`${server.url}/query?q=${encodeURIComponent(JSON.stringify(expected))}`);
    const chart = page.getByTestId('result-chart').first();
    await chart.waitFor();
    const attrs = await chart.evaluate((el) => {
      const e = el as unknown as {
        getAttribute(n: string): string;
        clientWidth: number;
        clientHeight: number;
      };
      return {
        plot: e.getAttribute('data-plot'),
        x: e.getAttribute('data-x-range'),
        y: e.getAttribute('data-y-range'),
        calc: e.getAttribute('data-calc'),
        width: e.clientWidth,
        height: e.clientHeight,
      };
    });
    expect(attrs.calc).toBe('COUNT');
    // the busiest point of any group that stands clear of the other groups at that time
    const series = api.series;
    const yMaxValue = Number(attrs.y.split(',')[1]);
    let target: { key: Record<string, unknown>; time: string; value: number; index: number } | null = null;
    const points = (series[0] as QueryResult['series'][number]).points;
    for (let i = 1; i < points.length - 1; i++) {
      for (const s of series) {
        const value = s.points[i]?.values.COUNT ?? 0;
        const clear = series.every(
          (other) => other === s || Math.abs((other.points[i]?.values.COUNT ?? 0) - value) > yMaxValue * 0.08,
        );
        if (clear && value > 0 && (!target || value > target.value)) {
          target = { key: s.key, time: s.points[i]?.time as string, value, index: i };
        }
      }
    }
    expect(target).not.toBeNull();
    const hit = target as NonNullable<typeof target>;
    const plot = plotOf({ plot: attrs.plot, width: attrs.width, height: attrs.height });
    const [xMin, xMax] = attrs.x.split(',').map(Number) as [number, number];
    const [yMin, yMax] = attrs.y.split(',').map(Number) as [number, number];
    const position = {
      x: plot.left + ((Date.parse(hit.time) - xMin) / (xMax - xMin)) * plot.width,
      y: plot.top + ((yMax - hit.value) / (yMax - yMin)) * plot.height,
    };
    await chart.click({ position });
    await page.waitForURL(/\/traces\?/);
    const pointSpec = specInUrl(page);
    const granularity = (await query(server.url, expected)).meta.granularity;
    const bucketStart = Date.parse(hit.time) / 1000;
    expect(pointSpec.start_time).toBe(bucketStart);
    expect(pointSpec.end_time).toBe(bucketStart + granularity);
    expect(pointSpec.filters).toEqual([
      { column: 'gen_ai.operation.name', op: '=', value: 'chat' },
      { column: 'gen_ai.request.model', op: '=', value: hit.key['gen_ai.request.model'] },
    ]);
    const pointIds = await listedTraces(page);
    const pointMatches = await matchingTraceIds(server.url, {
      filters: pointSpec.filters,
      start_time: bucketStart,
      end_time: bucketStart + granularity,
    });
    expect(pointIds.length).toBe(Math.min(50, pointMatches.size));
    for (const id of pointIds) expect(pointMatches.has(id)).toBe(true);
    expect(pointIds).toEqual((await searchTraces(server.url, pointSpec)).traces.map((t) => t.traceId));

    // and back to the query, narrowed
    await page.getByTestId('back-to-query').click();
    await page.getByTestId('results-table').waitFor();
    expect(specInUrl(page)).toEqual(pointSpec);

    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    expect(problems).toEqual([]);
  });

  it('draws a HEATMAP whose cells open the traces with values in that cell', async () => {
    const { page, problems } = await openPage(browser);
    const end = Math.ceil(Date.now() / 3_600_000) * 3600;
    const spec: QuerySpec = {
      calculations: [{ op: 'HEATMAP', column: 'duration_ms' }],
      filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'execute_tool' }],
      start_time: end - 8 * 86_400,
      end_time: end,
    };
    await page.goto(`${server.url}/query?q=${encodeURIComponent(JSON.stringify(spec))}`);
    const heatmap = page.getByTestId('result-heatmap');
    await heatmap.waitFor();
    expect(await heatmap.locator('canvas').count()).toBeGreaterThan(0);
    await screenshot(page, 'query-heatmap');

    const api = await query(server.url, spec);
    const result = api.heatmap?.['HEATMAP(duration_ms)'];
    expect(result && result.cells.length > 0).toBe(true);
    const data = result as NonNullable<typeof result>;
    const attrs = await heatmap.evaluate((el) => {
      const e = el as unknown as {
        getAttribute(n: string): string;
        clientWidth: number;
        clientHeight: number;
      };
      return {
        plot: e.getAttribute('data-plot'),
        xCount: Number(e.getAttribute('data-x-count')),
        yCount: Number(e.getAttribute('data-y-count')),
        cells: Number(e.getAttribute('data-cells')),
        width: e.clientWidth,
        height: e.clientHeight,
      };
    });
    expect(attrs.cells).toBe(data.cells.length);
    expect(attrs.yCount).toBe(data.buckets);
    // the busiest cell; buckets start at multiples of the granularity
    const cell = [...data.cells].sort((a, b) => b.count - a.count)[0] as (typeof data.cells)[number];
    const step = api.meta.granularity * 1000;
    const firstBucket = Math.floor(Date.parse(api.meta.start) / step) * step;
    const xi = (Date.parse(cell.time) - firstBucket) / step;
    const plot = plotOf({ plot: attrs.plot, width: attrs.width, height: attrs.height });
    await heatmap.click({
      position: {
        x: plot.left + ((xi + 0.5) * plot.width) / attrs.xCount,
        y: plot.top + ((attrs.yCount - cell.bucket - 0.5) * plot.height) / attrs.yCount,
      },
    });
    await page.waitForURL(/\/traces\?/);
    const cellSpec = specInUrl(page);
    const last = cell.bucket === data.buckets - 1;
    expect(cellSpec.filters).toEqual([
      { column: 'gen_ai.operation.name', op: '=', value: 'execute_tool' },
      { column: 'duration_ms', op: '>=', value: cell.lower },
      { column: 'duration_ms', op: last ? '<=' : '<', value: cell.upper },
    ]);
    const bucketStart = Math.max(Date.parse(cell.time), Date.parse(api.meta.start)) / 1000;
    expect(cellSpec.start_time).toBe(bucketStart);
    const ids = await listedTraces(page);
    const matches = await matchingTraceIds(server.url, {
      filters: cellSpec.filters,
      start_time: cellSpec.start_time,
      end_time: cellSpec.end_time,
    });
    // the cell counted rows; every listed trace has one of them
    expect(matches.size).toBeGreaterThan(0);
    expect(ids.length).toBe(Math.min(50, matches.size));
    for (const id of ids) expect(matches.has(id)).toBe(true);
    const summary = await page.getByTestId('traces-summary').innerText();
    expect(summary).toContain('duration_ms >=');
    expect(problems).toEqual([]);
  });

  it("shows the server's error next to the builder for an invalid query, from a link and from the JSON editor", async () => {
    const { page, problems } = await openPage(browser);
    const bad: QuerySpec = {
      calculations: [{ op: 'AVG', column: 'gen_ai.request.model' }],
      time_range: 3600,
    };
    const response = await fetch(`${server.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    await page.goto(`${server.url}/query?q=${encodeURIComponent(JSON.stringify(bad))}`);
    const shown = page.getByTestId('query-error');
    await shown.waitFor();
    expect(await shown.innerText()).toContain(error.message);
    expect(await shown.innerText()).toContain(error.code);
    // the builder is still there to fix it
    expect(await page.getByTestId('calc-column').inputValue()).toBe('gen_ai.request.model');

    // a typo in the JSON editor: the server names the field and suggests the right one
    await page.getByTestId('edit-json').click();
    await page.getByTestId('query-json').fill('{"calculations":[{"op":"COUNT"}],"filter_combo":"OR"}');
    await page.getByTestId('apply-json').click();
    await expect
      .poll(async () => page.getByTestId('query-error').innerText())
      .toContain('unknown field "filter_combo"; did you mean "filter_combination"?');

    // a link whose q is not JSON says so
    await page.goto(`${server.url}/query?q=%7Bnot-json`);
    await expect.poll(async () => page.getByTestId('query-error').innerText()).toContain('not valid JSON');

    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    // the only console errors are the browser's own notes about the two 400 answers
    expect(problems.filter((p) => !/Failed to load resource: .*400/.test(p))).toEqual([]);
  });

  it('shows a WHERE column whole however long, with its full name on hover', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/query`);
    await page.getByTestId('query-builder').waitFor();
    await page.getByTestId('add-filter').click();
    const input = page.getByTestId('filter-column');
    for (const name of ['gen_ai.usage.cache_creation.5m.input_tokens', 'duration_ms']) {
      await input.fill(name);
      const fits = await input.evaluate((el) => {
        const e = el as unknown as { scrollWidth: number; clientWidth: number };
        return e.scrollWidth <= e.clientWidth;
      });
      expect(fits, `${name} is not cut`).toBe(true);
      expect((await input.getAttribute('title'))?.split('\n')[0]).toBe(name);
    }
    // the operator and the value are still there to fill in
    await page.getByTestId('filter-op').selectOption('=');
    await page.getByTestId('filter-value').fill('1');
    expect(await page.getByTestId('filter-value').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});
