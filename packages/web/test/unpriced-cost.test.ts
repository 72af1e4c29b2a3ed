import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOtlpJson, waitForTrace } from '../../../bench/big-trace.ts';
import { type DemoServer, launchBrowser, openPage, screenshot, startEmptyServer } from './browser.ts';

/**
 * Usage on a model the price table does not know has no cost: every page shows it as unpriced, never as
 * $0.00, and a partly priced trace shows its known cost with the unpriced spans counted.
 */
const UNKNOWN = 'a1'.repeat(16);
const PARTLY = 'b2'.repeat(16);
const TOOLS = 'c3'.repeat(16);
const CONVERSATION = 'conv-unpriced-1';
const now = BigInt(Date.now() - 120_000) * 1_000_000n;
const s = (v: string): object => ({ stringValue: v });
const n = (v: number): object => ({ intValue: String(v) });
const d = (v: number): object => ({ doubleValue: v });

function span(traceId: string, index: number, name: string, attributes: Record<string, object>): object {
  return {
    traceId,
    spanId: `${traceId.slice(0, 14)}${index.toString(16).padStart(2, '0')}`,
    parentSpanId: index === 0 ? '' : `${traceId.slice(0, 14)}00`,
    name,
    kind: 1,
    startTimeUnixNano: String(now + BigInt(index) * 1_000_000n),
    endTimeUnixNano: String(now + BigInt(index + 5) * 1_000_000n),
    attributes: Object.entries({ 'gen_ai.conversation.id': s(CONVERSATION), ...attributes }).map(
      ([key, value]) => ({ key, value }),
    ),
  };
}

const chat = (model: string, extra: Record<string, object> = {}): Record<string, object> => ({
  'gen_ai.operation.name': s('chat'),
  'gen_ai.request.model': s(model),
  'gen_ai.usage.input_tokens': n(1200),
  'gen_ai.usage.output_tokens': n(80),
  ...extra,
});

const request = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: s('unpriced-lab') }] },
      scopeSpans: [
        {
          scope: { name: 'test' },
          spans: [
            span(UNKNOWN, 0, 'invoke_agent unknown', { 'gen_ai.operation.name': s('invoke_agent') }),
            span(UNKNOWN, 1, 'chat no-such-model', chat('no-such-model-anywhere')),
            span(PARTLY, 0, 'chat gpt-4o', chat('gpt-4o', { 'gen_ai.usage.cost': d(0.25) })),
            span(PARTLY, 1, 'chat no-such-model', chat('no-such-model-anywhere')),
            span(TOOLS, 0, 'execute_tool only', { 'gen_ai.operation.name': s('execute_tool') }),
          ],
        },
      ],
    },
  ],
};

describe('a cost the price table cannot give', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startEmptyServer(), launchBrowser()]);
    await sendOtlpJson(server.url, request);
    await Promise.all([
      waitForTrace(server.url, UNKNOWN, 2),
      waitForTrace(server.url, PARTLY, 2),
      waitForTrace(server.url, TOOLS, 1),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const traceCost = async (page: Page, traceId: string): Promise<string> => {
    await page.goto(`${server.url}/traces/${traceId}`);
    return page.getByTestId('trace-cost').innerText();
  };

  it('reads "unpriced" on the trace, traces, conversation and conversations pages, never $0.00', async () => {
    const { page, problems } = await openPage(browser);
    expect(await traceCost(page, UNKNOWN)).toBe('unpriced');
    await screenshot(page, 'trace-unpriced');
    expect(await traceCost(page, PARTLY)).toBe('$0.25 + 1 unpriced');
    await expect(page.locator('.stat[title*="price table does not know"]').count()).resolves.toBe(1);
    // no usage at all: nothing was spent
    expect(await traceCost(page, TOOLS)).toBe('$0.00');

    await page.goto(
      `${server.url}/traces?q=${encodeURIComponent(JSON.stringify({ dataset: 'unpriced-lab', time_range: 3600 }))}`,
    );
    await page.getByTestId('trace-link').first().waitFor();
    const rows = await page
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector('.tl-id')?.textContent ?? '',
          tr.querySelector('[data-testid="trace-cost"]')?.textContent ?? '',
        ]),
      );
    expect(Object.fromEntries(rows)).toEqual({
      [UNKNOWN]: 'unpriced',
      [PARTLY]: '$0.25 + 1 unpriced',
      [TOOLS]: '$0.00',
    });

    await page.goto(`${server.url}/conversations/${CONVERSATION}`);
    expect(await page.getByTestId('conv-total-cost').innerText()).toBe('$0.25 + 2 unpriced');
    const turns = await page.getByTestId('turn-cost').allInnerTexts();
    expect(turns).toContain('unpriced');

    await page.goto(`${server.url}/conversations?range=1h`);
    expect(await page.getByTestId('conversation-cost').first().innerText()).toBe('$0.25 + 2 unpriced');
    expect(problems).toEqual([]);
  });

  it('reads "unpriced" on the home page for a station whose LLM calls all lack a price, never $0.00', async () => {
    const ONLY = 'd4'.repeat(16);
    await sendOtlpJson(server.url, {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: s('unpriced-only') }] },
          scopeSpans: [
            {
              scope: { name: 'test' },
              spans: [
                span(ONLY, 0, 'chat no-such-model', {
                  ...chat('no-such-model-anywhere'),
                  'gen_ai.conversation.id': s('conv-unpriced-only'),
                }),
              ],
            },
          ],
        },
      ],
    });
    await waitForTrace(server.url, ONLY, 1);
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/?range=1h`);
    const panel = (dataset: string) =>
      page.locator(`[data-testid="station-panel"][data-dataset="${dataset}"]`);
    await panel('unpriced-only').and(page.locator('[data-status="ready"]')).waitFor();
    await panel('unpriced-lab').and(page.locator('[data-status="ready"]')).waitFor();
    expect(await panel('unpriced-only').getByTestId('num-cost').innerText()).toBe('unpriced');
    expect(await panel('unpriced-only').getByTestId('num-unpriced').innerText()).toBe('100%');
    // a station with one priced call shows its known cost, and the line sums what is known
    expect(await panel('unpriced-lab').getByTestId('num-cost').innerText()).toBe('$0.25');
    await page.getByTestId('num-line-unpriced').waitFor();
    expect(await page.getByTestId('num-line-cost').innerText()).toBe('$0.25');
    await screenshot(page, 'home-unpriced');
    expect(problems).toEqual([]);
  });
});
