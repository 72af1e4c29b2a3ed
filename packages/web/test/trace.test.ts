import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigTrace, sendOtlpJson, waitForTrace } from '../../../bench/big-trace.ts';
import { formatInteger, formatUsd } from '../src/lib/format.ts';
import {
  apiQuery,
  type DemoServer,
  launchBrowser,
  looksLikeStackTrace,
  openPage,
  screenshot,
  startDemoServer,
} from './browser.ts';

interface ApiSpan {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  timestamp_us: number;
  end_timestamp_us: number;
  is_error: boolean;
  operation: string | null;
  request_model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  conversation_id?: string | null;
}
interface ApiTrace {
  summary: { spanCount: number; errorCount: number; rootName: string };
  spans: ApiSpan[];
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The order a waterfall lists spans in, computed here independently: depth first, children by start. */
function treeOrder(spans: ApiSpan[]): ApiSpan[] {
  const ids = new Set(spans.map((s) => s.span_id));
  const sorted = [...spans].sort(
    (a, b) =>
      a.timestamp_us - b.timestamp_us ||
      b.end_timestamp_us - a.end_timestamp_us ||
      (a.span_id < b.span_id ? -1 : 1),
  );
  const children = new Map<string, ApiSpan[]>();
  const roots: ApiSpan[] = [];
  for (const span of sorted) {
    if (span.parent_span_id && ids.has(span.parent_span_id) && span.parent_span_id !== span.span_id) {
      const list = children.get(span.parent_span_id) ?? [];
      list.push(span);
      children.set(span.parent_span_id, list);
    } else roots.push(span);
  }
  const out: ApiSpan[] = [];
  const visit = (span: ApiSpan): void => {
    out.push(span);
    for (const child of children.get(span.span_id) ?? []) visit(child);
  };
  roots.forEach(visit);
  return out;
}

function descendantsOf(spans: ApiSpan[], id: string): Set<string> {
  const out = new Set<string>();
  let frontier = [id];
  while (frontier.length > 0) {
    const next = spans.filter((s) => frontier.includes(s.parent_span_id) && !out.has(s.span_id));
    for (const s of next) out.add(s.span_id);
    frontier = next.map((s) => s.span_id);
  }
  return out;
}

const ids = (groups: { key: Record<string, unknown> }[], column: string): string[] =>
  groups.map((g) => g.key[column]).filter((v): v is string => typeof v === 'string');

/** An OTLP/JSON trace whose span name, attributes, status and event hold HTML and a script. */
function hostileTrace(): { request: object; traceId: string; spanId: string } {
  const traceId = 'abcdef0123456789abcdef0123456789';
  const rootId = '1111111111111111';
  const spanId = '2222222222222222';
  const now = BigInt(Date.now() - 120_000) * 1_000_000n;
  const s = (v: string): object => ({ stringValue: v });
  return {
    traceId,
    spanId,
    request: {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: s('hostile-agent') }] },
          scopeSpans: [
            {
              scope: { name: 'test' },
              spans: [
                {
                  traceId,
                  spanId: rootId,
                  name: 'invoke_agent <b>bold</b>',
                  kind: 1,
                  startTimeUnixNano: String(now),
                  endTimeUnixNano: String(now + 5_000_000_000n),
                  attributes: [{ key: 'gen_ai.operation.name', value: s('invoke_agent') }],
                },
                {
                  traceId,
                  spanId,
                  parentSpanId: rootId,
                  name: 'execute_tool <img src=x onerror=alert(1)>',
                  kind: 1,
                  startTimeUnixNano: String(now + 1_000_000_000n),
                  endTimeUnixNano: String(now + 2_000_000_000n),
                  attributes: [
                    { key: 'gen_ai.operation.name', value: s('execute_tool') },
                    { key: 'gen_ai.tool.name', value: s('<script>window.__xss=1</script>') },
                    { key: 'note', value: s('<img src=x onerror="window.__xss=2">') },
                    { key: 'payload', value: s('<script>window.__xss=3;alert(3)</script>') },
                  ],
                  events: [
                    {
                      name: '<svg onload=alert(4)>',
                      timeUnixNano: String(now + 1_500_000_000n),
                      attributes: [
                        { key: 'detail', value: s('<iframe src="javascript:alert(5)"></iframe>') },
                      ],
                    },
                  ],
                  status: { code: 2, message: '<img src=y onerror=alert(6)>' },
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

describe('the trace view (/traces/:traceId)', () => {
  let server: DemoServer;
  let browser: Browser;
  const big = bigTrace({ spans: 10_000, seed: 11 });
  const hostile = hostileTrace();
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
    await sendOtlpJson(server.url, big.request);
    await sendOtlpJson(server.url, hostile.request);
    await waitForTrace(server.url, big.traceId, big.spanCount);
    await waitForTrace(server.url, hostile.traceId, 2);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const rowOf = (page: Page, spanId: string) =>
    page.locator(`[data-testid="waterfall-row"][data-span-id="${spanId}"]`);

  it('opens from a conversation turn; lists the API spans in tree order, marks errors, collapses, shows an LLM call', async () => {
    // a trace with a sub-agent and an error, that belongs to a conversation
    const range = { time_range: 8 * 86_400, limit: 1000 };
    const withSubAgents = await apiQuery(server.url, {
      ...range,
      calculations: [{ op: 'COUNT' }],
      breakdowns: ['trace.trace_id'],
      filters: [
        { column: 'gen_ai.operation.name', op: '=', value: 'invoke_agent' },
        { column: 'trace.parent_id', op: 'exists' },
        { column: 'service.name', op: '!=', value: 'big-agent' },
      ],
    });
    const withErrors = await apiQuery(server.url, {
      ...range,
      calculations: [{ op: 'COUNT' }],
      breakdowns: ['trace.trace_id'],
      filters: [
        {
          column: 'trace.trace_id',
          op: 'in',
          value: ids(withSubAgents.groups, 'trace.trace_id').slice(0, 500),
        },
        { column: 'error', op: '=', value: true },
      ],
    });
    const inConversations = await apiQuery(server.url, {
      ...range,
      calculations: [{ op: 'COUNT' }],
      breakdowns: ['trace.trace_id', 'gen_ai.conversation.id'],
      filters: [
        { column: 'trace.trace_id', op: 'in', value: ids(withErrors.groups, 'trace.trace_id').slice(0, 500) },
        { column: 'gen_ai.conversation.id', op: 'exists' },
      ],
    });
    const pick = inConversations.groups[0]?.key ?? {};
    const traceId = String(pick['trace.trace_id'] ?? '');
    const conversationId = String(pick['gen_ai.conversation.id'] ?? '');
    expect(traceId, 'the demo has a conversation trace with a sub-agent and an error').not.toBe('');
    const trace = await getJson<ApiTrace>(`${server.url}/api/traces/${traceId}`);
    const order = treeOrder(trace.spans);

    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/conversations/${encodeURIComponent(conversationId)}`);
    const turn = page.locator(`[data-testid="turn"][data-trace-id="${traceId}"]`);
    while (
      (await turn.count()) === 0 &&
      (await page.getByRole('button', { name: /more turns/ }).count()) > 0
    ) {
      await page.getByRole('button', { name: /more turns/ }).click();
    }
    await turn.getByTestId('turn-trace-link').click();
    await page.waitForURL(`**/traces/${traceId}`);
    await page.getByTestId('waterfall-row').first().waitFor();

    // the header and the rows match the API
    expect(await page.getByTestId('trace-title').innerText()).toBe(trace.summary.rootName);
    expect(await page.getByTestId('trace-span-count').innerText()).toBe(
      formatInteger(trace.summary.spanCount),
    );
    expect(await page.getByTestId('trace-error-count').innerText()).toBe(
      formatInteger(trace.summary.errorCount),
    );
    expect(await page.getByTestId('waterfall').getAttribute('data-row-count')).toBe(
      String(trace.spans.length),
    );
    const shown = await page.getByTestId('waterfall-name').allInnerTexts();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(trace.spans.length);
    expect(shown).toEqual(order.slice(0, shown.length).map((s) => s.name));

    // an error span is marked (red bar, error icon); "Next error" brings the first one into view
    const firstError = order.find((s) => s.is_error) as ApiSpan;
    await page.getByTestId('next-error').click();
    await page.waitForURL(`**/traces/${traceId}?span=${firstError.span_id}`);
    const errorRow = rowOf(page, firstError.span_id);
    await expect(errorRow.getAttribute('data-error')).resolves.toBe('true');
    await expect(errorRow.getByRole('img', { name: 'error' }).count()).resolves.toBe(1);
    const barColour = await errorRow
      .locator('.wf-bar')
      .evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(el).backgroundColor,
      );
    expect(barColour).toBe('rgb(212, 52, 63)');
    const errorIds = new Set(trace.spans.filter((s) => s.is_error).map((s) => s.span_id));
    const marks = await page
      .getByTestId('waterfall-row')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-span-id'), r.getAttribute('data-error')]));
    expect(marks.length).toBeGreaterThan(1);
    for (const [id, flag] of marks) expect(flag === 'true', `row ${id}`).toBe(errorIds.has(id as string));

    // collapsing the sub-agent hides its descendants (and only them); expanding shows them again
    const subAgent = order.find((s) => s.operation === 'invoke_agent' && s.parent_span_id) as ApiSpan;
    const below = descendantsOf(trace.spans, subAgent.span_id);
    expect(below.size).toBeGreaterThan(0);
    await page.goto(`${server.url}/traces/${traceId}?span=${subAgent.span_id}`);
    const agentRow = rowOf(page, subAgent.span_id);
    await agentRow.waitFor();
    await expect(agentRow.getAttribute('aria-expanded')).resolves.toBe('true');
    await agentRow.getByTestId('waterfall-toggle').click();
    await expect(agentRow.getAttribute('aria-expanded')).resolves.toBe('false');
    expect(await page.getByTestId('waterfall').getAttribute('data-row-count')).toBe(
      String(trace.spans.length - below.size),
    );
    const visible = await page
      .getByTestId('waterfall-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-span-id')));
    expect(visible.filter((id) => id !== null && below.has(id))).toEqual([]);
    await agentRow.getByTestId('waterfall-toggle').click();
    expect(await page.getByTestId('waterfall').getAttribute('data-row-count')).toBe(
      String(trace.spans.length),
    );

    // selecting an LLM call shows the API's model, tokens and cost
    const llm = order.find((s) => s.operation === 'chat' && s.cost_usd !== null) as ApiSpan;
    await page.goto(`${server.url}/traces/${traceId}`);
    await rowOf(page, llm.span_id).click();
    await page.waitForURL(`**/traces/${traceId}?span=${llm.span_id}`);
    const detail = await getJson<ApiSpan>(`${server.url}/api/traces/${traceId}/spans/${llm.span_id}`);
    const panel = page.getByTestId('span-detail');
    await panel.getByTestId('span-attributes').waitFor();
    expect(await panel.getByTestId('span-detail-name').innerText()).toBe(detail.name);
    expect(await panel.getByTestId('span-model').innerText()).toContain(detail.request_model as string);
    expect(await panel.getByTestId('span-input-tokens').innerText()).toBe(formatInteger(detail.input_tokens));
    expect(await panel.getByTestId('span-output-tokens').innerText()).toBe(
      formatInteger(detail.output_tokens),
    );
    expect(await panel.getByTestId('span-cost').innerText()).toBe(formatUsd(detail.cost_usd));
    await expect(panel.getByTestId('attr-group-gen_ai').innerText()).resolves.toContain(
      'gen_ai.request.model',
    );

    // the keyboard moves the selection on from the clicked row
    const next = order[order.findIndex((s) => s.span_id === llm.span_id) + 1] as ApiSpan;
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(`**/traces/${traceId}?span=${next.span_id}`);
    await page.keyboard.press('Home');
    await page.waitForURL(`**/traces/${traceId}?span=${order[0]?.span_id}`);
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(`**/traces/${traceId}?span=${order[1]?.span_id}`);

    await screenshot(page, 'trace');
    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    expect(problems).toEqual([]);
  });

  it('opens a 10,000-span trace with only the rows in view in the DOM, and scrolls to the last span', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/traces/${big.traceId}`);
    await page.getByTestId('waterfall-row').first().waitFor();
    expect(await page.getByTestId('trace-span-count').innerText()).toBe(formatInteger(big.spanCount));
    expect(await page.getByTestId('trace-error-count').innerText()).toBe(
      formatInteger(big.errorSpanIds.length),
    );
    expect(await page.getByTestId('waterfall').getAttribute('data-row-count')).toBe(String(big.spanCount));
    expect(await page.getByTestId('waterfall-name').first().innerText()).toBe(big.rootName);
    const atTop = await page.getByTestId('waterfall-row').count();
    expect(atTop).toBeGreaterThan(10);
    expect(atTop).toBeLessThan(200);

    await page.getByTestId('waterfall').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    const last = page.getByTestId('waterfall-name').filter({ hasText: big.lastSpanName });
    await last.waitFor();
    expect(await last.isVisible()).toBe(true);
    const names = await page.getByTestId('waterfall-name').allInnerTexts();
    expect(names[names.length - 1]).toBe(big.lastSpanName);
    expect(names).not.toContain(big.rootName);
    expect(await page.getByTestId('waterfall-row').count()).toBeLessThan(200);

    // End selects the last row; collapse all leaves the root
    await page.getByTestId('waterfall').focus();
    await page.keyboard.press('End');
    await page.waitForURL(/\?span=[0-9a-f]{16}$/);
    expect(await page.getByTestId('span-detail-name').innerText()).toBe(big.lastSpanName);
    await page.getByTestId('span-attributes').waitFor();
    await screenshot(page, 'trace-10k');
    await page.getByTestId('collapse-all').click();
    expect(await page.getByTestId('waterfall').getAttribute('data-row-count')).toBe('1');
    expect(problems).toEqual([]);
  });

  it('shows HTML and scripts in span names, attributes, events and status as text, and runs nothing', async () => {
    const { page, problems } = await openPage(browser);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/traces/${hostile.traceId}?span=${hostile.spanId}`);
    const panel = page.getByTestId('span-detail');
    await panel.getByTestId('span-attributes').waitFor();
    await screenshot(page, 'trace-hostile');
    const text = await page.locator('body').innerText();
    for (const literal of [
      'invoke_agent <b>bold</b>',
      'execute_tool <img src=x onerror=alert(1)>',
      '<script>window.__xss=1</script>',
      '<img src=x onerror="window.__xss=2">',
      '<script>window.__xss=3;alert(3)</script>',
      '<svg onload=alert(4)>',
      '<iframe src="javascript:alert(5)"></iframe>',
      '<img src=y onerror=alert(6)>',
    ]) {
      expect(text).toContain(literal);
    }
    await expect(
      page.locator('#root img, #root script, #root svg, #root iframe, #root b').count(),
    ).resolves.toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('works against a server without the waterfall view or the span endpoint (full trace fallback)', async () => {
    const trace = await getJson<ApiTrace>(`${server.url}/api/traces/${hostile.traceId}`);
    for (const mode of ['no-view', 'no-span-route'] as const) {
      const { page, problems } = await openPage(browser);
      await page.route('**/api/traces/**', async (route) => {
        const url = new URL(route.request().url());
        if (mode === 'no-view' && url.searchParams.has('view')) {
          await route.fulfill({
            status: 400,
            json: { error: { code: 'BAD_REQUEST', message: 'view must be one of full (default full)' } },
          });
        } else if (mode === 'no-span-route' && url.pathname.includes('/spans/')) {
          await route.fulfill({
            status: 404,
            json: { error: { code: 'NOT_FOUND', message: `no route for GET ${url.pathname}` } },
          });
        } else await route.continue();
      });
      await page.goto(`${server.url}/traces/${hostile.traceId}?span=${hostile.spanId}`);
      await page.getByTestId('span-attributes').waitFor();
      expect(await page.getByTestId('trace-span-count').innerText()).toBe(
        formatInteger(trace.summary.spanCount),
      );
      expect(await page.getByTestId('span-attributes').innerText()).toContain(
        '<img src=x onerror="window.__xss=2">',
      );
      expect(
        problems.filter((p) => !/status of (404|400)/.test(p)),
        mode,
      ).toEqual([]);
      await page.close();
    }
  });

  it('warns when the server cut the trace short (summary.truncated)', async () => {
    const { page, problems } = await openPage(browser);
    await page.route('**/api/traces/*?view=waterfall', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { summary: Record<string, unknown> };
      await route.fulfill({ response, json: { ...body, summary: { ...body.summary, truncated: true } } });
    });
    await page.goto(`${server.url}/traces/${hostile.traceId}`);
    await page.getByTestId('trace-truncated').waitFor();
    expect(await page.getByTestId('trace-truncated').innerText()).toContain('first 2 spans');
    await page.unroute('**/api/traces/*?view=waterfall');
    await page.reload();
    await page.getByTestId('waterfall-row').first().waitFor();
    await expect(page.getByTestId('trace-truncated').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  it('says what to do for an unknown trace and for a malformed id, without a stack trace', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/traces/0123456789abcdef0123456789abcdef`);
    await page.getByTestId('error-state').waitFor();
    const missing = await page.getByTestId('error-state').innerText();
    expect(missing).toContain('NOT_FOUND');
    expect(missing).toContain('agent timeline');
    await page.goto(`${server.url}/traces/not-a-trace`);
    await page.getByTestId('error-state').waitFor();
    expect(await page.getByTestId('error-state').innerText()).toContain('not a trace id');
    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    // the browser logs the failed fetches (404, 400) as console errors; nothing else may fail
    expect(problems.filter((p) => !/status of (404|400)/.test(p))).toEqual([]);
  });
});
