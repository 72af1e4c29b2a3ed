import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOtlpJson } from '../../../bench/big-trace.ts';
import { type ServeProcess, spawnServe, tempDir } from '../../cli/test/cli-process.ts';
import { formatInteger, formatMs } from '../src/lib/format.ts';
import { formatKnownCost } from '../src/lib/known-cost.ts';
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
  is_error: boolean;
  operation: string | null;
  eval_label: string | null;
  eval_score: number | null;
}
interface ApiConversation {
  conversationId: string;
  totals: {
    traces: number;
    spans: number;
    llmCalls: number;
    toolCalls: number;
    costUsd: number | null;
    unpricedSpans: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    durationMs: number;
  };
  traces: { traceId: string; start: string; rootName: string | null }[];
  spans: ApiSpan[];
}

async function getConversation(url: string, id: string): Promise<ApiConversation> {
  const response = await fetch(`${url}/api/conversations/${encodeURIComponent(id)}`);
  if (!response.ok) throw new Error(`conversation ${id}: ${response.status} ${await response.text()}`);
  return (await response.json()) as ApiConversation;
}

const keys = (groups: { key: Record<string, unknown> }[], column: string): string[] =>
  groups.map((g) => g.key[column]).filter((v): v is string => typeof v === 'string');

/** Opens a conversation and shows every turn and every step (the page pages long ones). */
async function openConversation(page: Page, url: string, id: string): Promise<void> {
  await page.goto(`${url}/conversations/${encodeURIComponent(id)}`);
  await page.getByTestId('turn').first().waitFor();
  const more = page.getByRole('button', { name: /more turns/ });
  while ((await more.count()) > 0) await more.click();
  const all = page.getByRole('button', { name: /^Show all .* steps$/ });
  while ((await all.count()) > 0) await all.first().click();
}

describe('the conversation view (/conversations/:id)', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the API's totals, every trace as a turn in time order, tool outcomes, and links each turn to its trace", async () => {
    // a conversation with a failed tool call (tool spans carry no conversation id: go through their traces)
    const range = { time_range: 8 * 86_400, limit: 1000 };
    const failedTools = await apiQuery(server.url, {
      ...range,
      calculations: [{ op: 'COUNT' }],
      breakdowns: ['trace.trace_id'],
      filters: [
        { column: 'gen_ai.operation.name', op: '=', value: 'execute_tool' },
        { column: 'error', op: '=', value: true },
      ],
    });
    const conversations = await apiQuery(server.url, {
      ...range,
      calculations: [{ op: 'COUNT_DISTINCT', column: 'trace.trace_id' }],
      breakdowns: ['gen_ai.conversation.id'],
      filters: [
        {
          column: 'trace.trace_id',
          op: 'in',
          value: keys(failedTools.groups, 'trace.trace_id').slice(0, 500),
        },
        { column: 'gen_ai.conversation.id', op: 'exists' },
      ],
    });
    const id = keys(conversations.groups, 'gen_ai.conversation.id')[0] as string;
    expect(id, 'the demo has a conversation with a failed tool call').toBeDefined();
    const api = await getConversation(server.url, id);

    const { page, problems } = await openPage(browser);
    await openConversation(page, server.url, id);

    // totals equal the API's
    const total = (name: string) => page.getByTestId(`conv-total-${name}`).innerText();
    expect(await total('cost')).toBe(formatKnownCost(api.totals));
    expect(await total('input-tokens')).toBe(formatInteger(api.totals.inputTokens));
    expect(await total('output-tokens')).toBe(formatInteger(api.totals.outputTokens));
    expect(await total('cache-read-tokens')).toBe(formatInteger(api.totals.cacheReadTokens));
    expect(await total('duration')).toBe(formatMs(api.totals.durationMs));
    expect(await total('llm-calls')).toBe(formatInteger(api.totals.llmCalls));
    expect(await total('tool-calls')).toBe(formatInteger(api.totals.toolCalls));
    expect(await total('traces')).toBe(formatInteger(api.totals.traces));
    expect(await total('spans')).toBe(formatInteger(api.totals.spans));

    // one turn per trace, in time order
    const turns = await page
      .getByTestId('turn')
      .evaluateAll((nodes) =>
        nodes.map((n) => [n.getAttribute('data-trace-id'), n.getAttribute('data-start')]),
      );
    expect(turns).toHaveLength(api.totals.traces);
    const expected = [...api.traces].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    expect(turns.map(([, start]) => Date.parse(start as string))).toEqual(
      expected.map((t) => Date.parse(t.start)),
    );
    expect(new Set(turns.map(([trace]) => trace))).toEqual(new Set(api.traces.map((t) => t.traceId)));

    // every tool call shows its outcome: as many ok / error as the API has
    const tools = api.spans.filter((s) => s.operation === 'execute_tool');
    const failed = tools.filter((s) => s.is_error);
    expect(failed.length).toBeGreaterThan(0);
    const outcomes = await page.getByTestId('tool-outcome').allInnerTexts();
    expect(outcomes.filter((o) => o === 'error')).toHaveLength(failed.length);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(tools.length - failed.length);
    const failedStep = page.locator(`[data-testid="step"][data-span-id="${failed[0]?.span_id}"]`);
    expect(await failedStep.getByTestId('tool-outcome').innerText()).toBe('error');
    await expect(failedStep.getByRole('img', { name: 'error' }).count()).resolves.toBe(1);

    // the demo captures no content: each turn says so
    expect(await page.getByTestId('content-not-captured').count()).toBeGreaterThanOrEqual(api.totals.traces);
    expect(await page.getByTestId('back-to-timeline').getAttribute('href')).toBe('/conversations');

    // a turn opens its trace
    const first = expected[0] as ApiConversation['traces'][number];
    await page
      .locator(`[data-testid="turn"][data-trace-id="${first.traceId}"]`)
      .getByTestId('turn-trace-link')
      .click();
    await page.waitForURL(`**/traces/${first.traceId}`);
    await page.getByTestId('waterfall-row').first().waitFor();
    expect(await page.getByTestId('trace-title').innerText()).toBe(first.rootName);
    // and the trace links back to its conversation
    await page.getByTestId('trace-conversation-link').click();
    await page.waitForURL(`**/conversations/${encodeURIComponent(id)}`);
    await page.getByTestId('conversation-totals').waitFor();

    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    expect(problems).toEqual([]);
  });

  it('places an evaluation next to the work it judged (its parent), with the API label and score', async () => {
    const judged = await apiQuery(server.url, {
      time_range: 8 * 86_400,
      calculations: [{ op: 'COUNT' }],
      breakdowns: ['gen_ai.conversation.id'],
      filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'evaluate' }],
      limit: 5,
    });
    const id = keys(judged.groups, 'gen_ai.conversation.id')[0] as string;
    expect(id, 'the demo evaluates some conversations').toBeDefined();
    const api = await getConversation(server.url, id);
    const evaluation = api.spans.find((s) => s.operation === 'evaluate') as ApiSpan;
    const target = api.spans.find((s) => s.span_id === evaluation.parent_span_id) as ApiSpan;

    const { page, problems } = await openPage(browser);
    await openConversation(page, server.url, id);
    const card = page.locator(`[data-testid="evaluation"][data-span-id="${evaluation.span_id}"]`);
    await expect(card.count()).resolves.toBe(1);
    expect(await card.getByTestId('evaluation-result').innerText()).toContain(
      evaluation.eval_label as string,
    );
    expect(await card.getByTestId('evaluation-result').innerText()).toContain(
      String(Math.round((evaluation.eval_score as number) * 1000) / 1000),
    );
    // inside the turn of the trace it judged; not listed again among that turn's steps
    const turn = page.locator(`[data-testid="turn"][data-trace-id="${target.trace_id}"]`);
    await expect(
      turn.locator(`[data-testid="evaluation"][data-span-id="${evaluation.span_id}"]`).count(),
    ).resolves.toBe(1);
    await expect(
      turn.locator(`[data-testid="step"][data-span-id="${evaluation.span_id}"]`).count(),
    ).resolves.toBe(0);
    await screenshot(page, 'conversation');
    expect(problems).toEqual([]);
  });

  it('says what to do for an unknown conversation', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/conversations/no-such-conversation`);
    await page.getByTestId('error-state').waitFor();
    const text = await page.getByTestId('error-state').innerText();
    expect(text).toContain('NOT_FOUND');
    expect(text).toContain('agent timeline');
    expect(looksLikeStackTrace(await page.locator('body').innerText())).toBe(false);
    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
  });
});

describe('a conversation whose content was captured (loopline serve --capture-content)', () => {
  let serve: ServeProcess;
  let dataDir: string;
  let browser: Browser;
  beforeAll(async () => {
    dataDir = tempDir('web-capture');
    [serve, browser] = await Promise.all([
      spawnServe(['--data-dir', dataDir, '--capture-content']),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    if (serve && serve.child.exitCode === null) {
      const exited = new Promise((resolve) => serve.child.once('exit', resolve));
      serve.child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the prompt and the answer of each turn as text', async () => {
    const conversation = 'captured-conversation-1';
    const s = (v: string): object => ({ stringValue: v });
    const base = BigInt(Date.now() - 300_000) * 1_000_000n;
    const turn = (n: number, prompt: string, answer: string): object[] => {
      const traceId = `${String(n).repeat(32)}`.slice(0, 32);
      const root = `${String(n).repeat(15)}a`;
      const start = base + BigInt(n) * 60_000_000_000n;
      return [
        {
          traceId,
          spanId: root,
          name: 'invoke_agent helper',
          kind: 1,
          startTimeUnixNano: String(start),
          endTimeUnixNano: String(start + 9_000_000_000n),
          attributes: [
            { key: 'gen_ai.operation.name', value: s('invoke_agent') },
            { key: 'gen_ai.agent.name', value: s('helper') },
            { key: 'gen_ai.conversation.id', value: s(conversation) },
          ],
        },
        {
          traceId,
          spanId: `${String(n).repeat(15)}b`,
          parentSpanId: root,
          name: 'chat gpt-5',
          kind: 3,
          startTimeUnixNano: String(start + 1_000_000_000n),
          endTimeUnixNano: String(start + 3_000_000_000n),
          attributes: [
            { key: 'gen_ai.operation.name', value: s('chat') },
            { key: 'gen_ai.request.model', value: s('gpt-5') },
            { key: 'gen_ai.usage.input_tokens', value: { intValue: '120' } },
            { key: 'gen_ai.usage.output_tokens', value: { intValue: '40' } },
            { key: 'gen_ai.conversation.id', value: s(conversation) },
            {
              key: 'gen_ai.input.messages',
              value: s(JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: prompt }] }])),
            },
            {
              key: 'gen_ai.output.messages',
              value: s(JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: answer }] }])),
            },
          ],
        },
        {
          traceId,
          spanId: `${String(n).repeat(15)}c`,
          parentSpanId: root,
          name: 'execute_tool Bash',
          kind: 1,
          startTimeUnixNano: String(start + 4_000_000_000n),
          endTimeUnixNano: String(start + 5_000_000_000n),
          attributes: [
            { key: 'gen_ai.operation.name', value: s('execute_tool') },
            { key: 'gen_ai.tool.name', value: s('Bash') },
          ],
          status: n === 2 ? { code: 2, message: 'exit code 1' } : { code: 0 },
        },
      ];
    };
    await sendOtlpJson(serve.url, {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: s('helper-agent') }] },
          scopeSpans: [
            {
              scope: { name: 'test' },
              spans: [
                ...turn(2, 'and now <b>fix</b> the test', 'Fixed: <script>alert(1)</script> removed.'),
                ...turn(1, 'Why is the build red?', 'The lint step fails on unused imports.'),
              ],
            },
          ],
        },
      ],
    });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const response = await fetch(`${serve.url}/api/conversations/${conversation}`);
      if (response.ok && ((await response.json()) as ApiConversation).totals.spans === 6) break;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const dialogs: string[] = [];
    const { page, problems } = await openPage(browser);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${serve.url}/conversations/${conversation}`);
    await page.getByTestId('turn').nth(1).waitFor();
    const prompts = await page.getByTestId('turn-prompt').allInnerTexts();
    const answers = await page.getByTestId('turn-answer').allInnerTexts();
    expect(prompts[0]).toContain('Why is the build red?');
    expect(answers[0]).toContain('The lint step fails on unused imports.');
    expect(prompts[1]).toContain('and now <b>fix</b> the test');
    expect(answers[1]).toContain('Fixed: <script>alert(1)</script> removed.');
    expect(await page.getByTestId('tool-outcome').allInnerTexts()).toEqual(['ok', 'error']);
    await expect(page.locator('#root b, #root script').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  });
});
