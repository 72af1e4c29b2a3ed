import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOtlpJson, waitForTrace } from '../../../bench/big-trace.ts';
import { type DemoServer, launchBrowser, openPage, screenshot, startEmptyServer } from './browser.ts';

/**
 * Jobs and people whose names share a long head: the home page's leaderboards show the part that tells
 * them apart, within their cells, and the whole name on hover.
 */
const PIPELINE = 'build-and-test-for-the-whole-monorepo';
const JOBS = ['ai review', 'ai test triage'];
const USERS = [
  'someone.with.a.long.name+loopline-alpha@example.com',
  'someone.with.a.long.name+loopline-beta@example.com',
];
const TRACE = 'e5'.repeat(16);
const now = BigInt(Date.now() - 120_000) * 1_000_000n;
const s = (v: string): object => ({ stringValue: v });
const n = (v: number): object => ({ intValue: String(v) });

function chat(index: number, attributes: Record<string, object>): object {
  return {
    traceId: TRACE,
    spanId: `${TRACE.slice(0, 14)}${index.toString(16).padStart(2, '0')}`,
    name: 'chat gpt-4o',
    kind: 1,
    startTimeUnixNano: String(now + BigInt(index) * 1_000_000n),
    endTimeUnixNano: String(now + BigInt(index + 5) * 1_000_000n),
    attributes: Object.entries({
      'gen_ai.operation.name': s('chat'),
      'gen_ai.request.model': s('gpt-4o'),
      'gen_ai.usage.input_tokens': n(2000 - index * 10),
      'gen_ai.usage.output_tokens': n(50),
      ...attributes,
    }).map(([key, value]) => ({ key, value })),
  };
}

const spans = [
  ...JOBS.map((task, i) =>
    chat(i, { 'cicd.pipeline.name': s(PIPELINE), 'cicd.pipeline.task.name': s(task) }),
  ),
  ...USERS.map((user, i) => chat(JOBS.length + i, { 'user.id': s(user) })),
];

describe('the home page leaderboards with look-alike names', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startEmptyServer(), launchBrowser()]);
    await sendOtlpJson(server.url, {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: s('ci') }] },
          scopeSpans: [{ scope: { name: 'test' }, spans }],
        },
      ],
    });
    await waitForTrace(server.url, TRACE, spans.length);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the part of each name that tells it apart, uncut by its cell, and the whole name on hover', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/?range=1h`);
    for (const [board, names] of [
      ['leaderboard-jobs', JOBS.map((task) => `ci · ${PIPELINE} · ${task}`)],
      ['leaderboard-users', USERS],
    ] as const) {
      // the name as shown: the first thing in its cell (a link to the person's conversations, or text)
      const labels = page
        .getByTestId(board)
        .locator('[data-testid="leaderboard-row"] .leaderboard-label > :first-child');
      await expect.poll(() => labels.count()).toBe(2);
      const read = await labels.evaluateAll((els) =>
        els.map((el) => {
          const e = el as unknown as {
            innerText: string;
            title: string;
            scrollWidth: number;
            clientWidth: number;
          };
          return { text: e.innerText, title: e.title, fits: e.scrollWidth <= e.clientWidth };
        }),
      );
      // each sent with fewer tokens than the one before: the rows are in the order the names were sent
      expect(
        read.map((r) => r.title),
        board,
      ).toEqual(names);
      expect(
        read.map((r) => r.fits),
        `${board}: no label is cut by its cell`,
      ).toEqual([true, true]);
      const [first, second] = read.map((r) => r.text);
      expect(first, board).not.toBe(second);
      // shortened, and every part shown is a part of the name
      for (const [i, r] of read.entries()) {
        expect(r.text, board).toContain('…');
        expect(
          r.text.split('…').every((part) => names[i]?.includes(part)),
          `${r.text} is from ${names[i]}`,
        ).toBe(true);
      }
    }
    await screenshot(page, 'home-look-alike-labels');
    expect(problems).toEqual([]);
  });
});
