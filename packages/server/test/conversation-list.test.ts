import { generateDemo } from '@loopline/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorBody, resourceSpans, sendSpans } from './helpers/api-client.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
const END_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
const START_S = END_MS / 1000 - 8 * 86400;
const END_S = END_MS / 1000 + 3600;
const WEEK = { start_time: START_S, end_time: END_S };
const RANGE = `start=${START_S}&end=${END_S}`;

beforeAll(async () => {
  server = await startTestServer({ grpcPort: null });
  for (const batch of generateDemo({ seed: 11, spans: 8000, endTimeMs: END_MS, batchSpans: 2000 })) {
    await sendSpans(server.httpUrl, batch.resourceSpans);
  }
});
afterAll(async () => {
  await server?.close();
});

interface Item {
  id: string;
  start: string;
  end: string;
  durationMs: number;
  datasets: string[];
  agents: string[];
  users: string[];
  traces: number;
  spans: number;
  llmCalls: number;
  toolCalls: number;
  errors: number;
  costUsd: number | null;
  unpricedSpans: number;
  inputTokens: number;
  outputTokens: number;
  evalLabel: string | null;
  evalScore: number | null;
}
interface List {
  conversations: Item[];
  total: number;
  facets: { datasets: string[]; agents: string[]; users: string[]; labels: string[] };
  meta: { start: string; end: string };
}

async function list(params: string): Promise<List> {
  const response = await call<List>(server.httpUrl, 'GET', `/api/conversations?${params}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Every conversation for these parameters, page by page. */
async function all(params: string): Promise<Item[]> {
  const items: Item[] = [];
  for (;;) {
    const page = await list(`${params}&limit=500&offset=${items.length}`);
    items.push(...page.conversations);
    if (page.conversations.length === 0 || items.length >= page.total) return items;
  }
}

const HAS_CONVERSATION = { column: 'gen_ai.conversation.id', op: 'exists' } as const;

/** Per conversation id, the first value of a query broken down by conversation id. */
async function perConversation(filters: object[], calculation: object = { op: 'COUNT' }) {
  const result = await server.query({
    ...WEEK,
    filters: [HAS_CONVERSATION, ...filters],
    breakdowns: ['gen_ai.conversation.id'],
    calculations: [calculation],
    limit: 10_000,
  });
  return new Map(
    result.groups.map((g) => [g.key['gen_ai.conversation.id'] as string, Object.values(g.values)[0] ?? null]),
  );
}

const ids = (items: Item[]): string[] => items.map((c) => c.id).sort();

interface DetailSpan {
  trace_id: string;
  conversation_id: string | null;
  timestamp_us: number;
  is_error: boolean;
  dataset: string;
  agent_name: string | null;
  user_id: string | null;
  eval_label: string | null;
  eval_score: number | null;
}
interface Detail {
  totals: {
    traces: number;
    spans: number;
    llmCalls: number;
    toolCalls: number;
    costUsd: number | null;
    unpricedSpans: number;
    inputTokens: number;
    outputTokens: number;
    durationMs: number;
    start: string;
  };
  traces: { traceId: string }[];
  spans: DetailSpan[];
}

/** What GET /api/conversations/:id shows for one conversation. */
async function conversation(id: string): Promise<Detail> {
  const response = await call<Detail>(server.httpUrl, 'GET', `/api/conversations/${encodeURIComponent(id)}`);
  expect(response.status).toBe(200);
  return response.body;
}

describe('GET /api/conversations (the agent timeline)', () => {
  it('lists every conversation of the week newest first, with the totals its own page shows', async () => {
    const items = await all(RANGE);
    expect(items.length).toBeGreaterThan(20);
    // conversations are named by spans that carry an id
    expect(ids(items)).toEqual([...(await perConversation([])).keys()].sort());
    const starts = items.map((c) => Date.parse(c.start));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    for (const c of items) {
      const detail = await conversation(c.id);
      const { totals } = detail;
      const distinct = (field: keyof DetailSpan) =>
        [
          ...new Set(detail.spans.map((s) => s[field]).filter((v) => typeof v === 'string' && v !== '')),
        ].sort();
      expect(
        [c.traces, c.spans, c.llmCalls, c.toolCalls, c.inputTokens, c.outputTokens, c.start, c.durationMs],
        c.id,
      ).toEqual([
        totals.traces,
        totals.spans,
        totals.llmCalls,
        totals.toolCalls,
        totals.inputTokens,
        totals.outputTokens,
        totals.start,
        totals.durationMs,
      ]);
      expect(c.unpricedSpans, c.id).toBe(totals.unpricedSpans);
      if (totals.costUsd === null) expect(c.costUsd, c.id).toBeNull();
      else expect(c.costUsd, c.id).toBeCloseTo(totals.costUsd, 9);
      expect(c.errors, c.id).toBe(detail.spans.filter((s) => s.is_error).length);
      expect([c.datasets, c.agents, c.users], c.id).toEqual([
        distinct('dataset'),
        distinct('agent_name'),
        distinct('user_id'),
      ]);
      // ISO times carry milliseconds, the duration microseconds
      expect(Math.abs(c.durationMs - (Date.parse(c.end) - Date.parse(c.start)))).toBeLessThan(1);
    }
    // tool spans carry no conversation id, yet are the conversation's tool calls
    const busy = items.find((c) => c.toolCalls > 0 && c.llmCalls > 0 && (c.costUsd ?? 0) > 0) as Item;
    expect(busy).toBeDefined();
    const traceIds = (await conversation(busy.id)).traces.map((t) => t.traceId);
    const tools = await server.query({
      ...WEEK,
      filters: [
        { column: 'trace.trace_id', op: 'in', value: traceIds },
        { column: 'gen_ai.operation.name', op: '=', value: 'execute_tool' },
      ],
      calculations: [{ op: 'COUNT' }],
    });
    expect(busy.toolCalls).toBe(tools.totals.COUNT);
  });

  it('never lists unpriced usage as $0: unknown cost is null, a partial one counts its unpriced spans', async () => {
    const usage = { 'gen_ai.usage.input_tokens': 500, 'gen_ai.usage.output_tokens': 50 };
    const chat = (conversation: string, n: number, attributes: Record<string, string | number>) => ({
      traceId: (0xc0570000 + n).toString(16).padStart(32, '0'),
      spanId: (0xc0570000 + n).toString(16).padStart(16, '0'),
      name: 'chat',
      startMs: END_MS - 60_000 + n,
      durationMs: 10,
      attributes: { 'gen_ai.conversation.id': conversation, 'gen_ai.operation.name': 'chat', ...attributes },
    });
    await sendSpans(server.httpUrl, [
      resourceSpans('cost-check', [
        chat('cost-unknown', 1, { 'gen_ai.request.model': 'no-such-model-anywhere', ...usage }),
        chat('cost-unknown', 2, { 'gen_ai.request.model': 'no-such-model-anywhere', ...usage }),
        chat('cost-partial', 3, { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.cost': 0.5, ...usage }),
        chat('cost-partial', 4, { 'gen_ai.request.model': 'no-such-model-anywhere', ...usage }),
        chat('cost-none', 5, {}),
      ]),
    ]);
    const items = (await list(`${RANGE}&q=cost-`)).conversations;
    const shown = Object.fromEntries(items.map((c) => [c.id, [c.costUsd, c.unpricedSpans]]));
    expect(shown).toEqual({ 'cost-unknown': [null, 2], 'cost-partial': [0.5, 1], 'cost-none': [0, 0] });
  });

  it('shows the label and score of the latest evaluation, as the conversation itself records them', async () => {
    const evaluated = (await all(RANGE)).filter((c) => c.evalLabel !== null);
    expect(evaluated.length).toBeGreaterThan(5);
    for (const c of evaluated.slice(0, 8)) {
      const evaluations = (await conversation(c.id)).spans
        .filter((s) => s.eval_label !== null || s.eval_score !== null)
        .sort((a, b) => a.timestamp_us - b.timestamp_us);
      const latest = evaluations[evaluations.length - 1];
      expect([c.evalLabel, c.evalScore]).toEqual([latest?.eval_label, latest?.eval_score]);
    }
    const unevaluated = (await all(RANGE)).filter((c) => c.evalLabel === null);
    expect(unevaluated.every((c) => c.evalScore === null)).toBe(true);
  });

  it('filters by agent, user, dataset and evaluation label, keeping whole conversations', async () => {
    const { facets } = await list(RANGE);
    const agent = facets.agents.find((a) => a.includes('investigator') && a !== 'investigator') as string;
    const user = facets.users[0] as string;
    const label = facets.labels[0] as string;
    const dataset = 'codex-cli';
    expect([agent, user, label].every(Boolean)).toBe(true);
    const everything = await all(RANGE);
    const cases: [string, (c: Item) => boolean][] = [
      [`agent=${encodeURIComponent(agent)}`, (c) => c.agents.includes(agent)],
      [`user=${encodeURIComponent(user)}`, (c) => c.users.includes(user)],
      [`dataset=${dataset}`, (c) => c.datasets.includes(dataset)],
    ];
    for (const [param, holds] of cases) {
      const items = await all(`${RANGE}&${param}`);
      expect(items.length, param).toBeGreaterThan(0);
      expect(items.length, param).toBeLessThan(everything.length);
      expect(items, param).toEqual(everything.filter(holds));
    }
    // evaluation spans carry the conversation id: the query language finds the same conversations
    const byLabel = await all(`${RANGE}&label=${encodeURIComponent(label)}`);
    const labelled = await perConversation([
      { column: 'gen_ai.evaluation.score.label', op: '=', value: label },
    ]);
    expect(ids(byLabel)).toEqual([...labelled.keys()].sort());
    expect(byLabel.every((c) => c.evalLabel !== null)).toBe(true);

    // a filter keeps the whole conversation: the investigator's other agents and its evaluator still count
    const withAgent = await all(`${RANGE}&agent=${encodeURIComponent(agent)}`);
    expect(withAgent.some((c) => c.agents.length > 1 && c.datasets.length > 1)).toBe(true);

    const both = await all(`${RANGE}&agent=${encodeURIComponent(agent)}&label=${encodeURIComponent(label)}`);
    expect(both.length).toBeGreaterThan(0);
    expect(ids(both)).toEqual(ids(withAgent).filter((id) => labelled.has(id)));
  });

  it('finds conversations by part of their id, in any case', async () => {
    const items = await all(RANGE);
    const target = items[7] as Item;
    const part = target.id.slice(4, 12).toUpperCase();
    const found = await all(`${RANGE}&q=${encodeURIComponent(part)}`);
    expect(ids(found)).toContain(target.id);
    expect(ids(found)).toEqual(ids(items.filter((c) => c.id.toUpperCase().includes(part))));
    expect((await list(`${RANGE}&q=no-such-conversation`)).conversations).toEqual([]);
  });

  it('offers the filter values of the range as sorted facets', async () => {
    const { facets } = await list(`${RANGE}&agent=codex`);
    const datasets = await server.query({
      ...WEEK,
      filters: [HAS_CONVERSATION],
      breakdowns: ['service.name'],
      limit: 1000,
    });
    // facets ignore the filters: they are what the filters can be set to
    expect(facets.datasets).toEqual(datasets.groups.map((g) => g.key['service.name']).sort());
    for (const values of Object.values(facets)) {
      expect(values).toEqual([...values].sort());
      expect(values.length).toBeLessThanOrEqual(200);
      expect(values).not.toContain('');
    }
    expect(facets.labels.length).toBeGreaterThan(1);
    expect(facets.agents).toContain('codex');
  });

  it('pages through the list without gaps or repeats', async () => {
    const everything = await all(RANGE);
    const pages: Item[] = [];
    for (let offset = 0; offset < everything.length; offset += 7) {
      const page = await list(`${RANGE}&limit=7&offset=${offset}`);
      expect(page.total).toBe(everything.length);
      pages.push(...page.conversations);
    }
    expect(pages.map((c) => c.id)).toEqual(everything.map((c) => c.id));
    const past = await list(`${RANGE}&offset=${everything.length + 10}`);
    expect(past.conversations).toEqual([]);
    expect(past.total).toBe(everything.length);
    expect((await list(RANGE)).conversations).toHaveLength(50);
  });

  it('counts only spans inside the time range, given as epoch seconds, ISO dates or a range back from the end', async () => {
    const dayEnd = END_MS / 1000;
    const dayStart = dayEnd - 86_400;
    const day = await all(`start=${dayStart}&end=${dayEnd}`);
    const iso = await all(
      `start=${new Date(dayStart * 1000).toISOString()}&end=${new Date(dayEnd * 1000).toISOString()}`,
    );
    const back = await all(`end=${dayEnd}&time_range=86400`);
    expect(iso).toEqual(day);
    expect(back).toEqual(day);
    const named = await server.query({
      start_time: dayStart,
      end_time: dayEnd,
      filters: [HAS_CONVERSATION],
      breakdowns: ['gen_ai.conversation.id'],
      limit: 10_000,
    });
    expect(day.length).toBeGreaterThan(3);
    expect(ids(day)).toEqual(named.groups.map((g) => g.key['gen_ai.conversation.id'] as string).sort());
    for (const c of day.slice(0, 6)) {
      const traceIds = (await conversation(c.id)).traces.map((t) => t.traceId);
      const inDay = await server.query({
        start_time: dayStart,
        end_time: dayEnd,
        filters: [{ column: 'trace.trace_id', op: 'in', value: traceIds }],
        calculations: [{ op: 'COUNT' }],
      });
      expect(c.spans, c.id).toBe(inDay.totals.COUNT);
      expect(Date.parse(c.start)).toBeGreaterThanOrEqual(dayStart * 1000);
    }
    const page = await list(`start=${dayStart}&end=${dayEnd}`);
    expect(page.meta).toEqual({
      start: new Date(dayStart * 1000).toISOString(),
      end: new Date(dayEnd * 1000).toISOString(),
    });
    // empty fields are no filter, as a form sends them
    expect((await list(`start=${dayStart}&end=${dayEnd}&agent=&q=`)).total).toBe(day.length);
  });

  it('answers bad parameters with BAD_REQUEST saying what is allowed', async () => {
    const cases: [string, RegExp][] = [
      ['limit=0', /limit: a whole number from 1 to 500/],
      ['limit=501', /limit: a whole number from 1 to 500/],
      ['limit=ten', /limit: a whole number from 1 to 500/],
      ['offset=-1', /offset: a whole number from 0/],
      ['time_range=1.5', /time_range: a whole number from 1/],
      ['start=yesterday', /start: epoch seconds or an ISO 8601 date/],
      [`start=${START_S}&end=${END_S}&time_range=60`, /give at most two of time_range, start and end/],
      [`start=${END_S}&end=${START_S}`, /end must be after start/],
      [
        'agnet=codex',
        /unknown parameter "agnet"; allowed: time_range, start, end, dataset, agent, user, label, q, limit, offset/,
      ],
      ['dataset=a&dataset=b', /give "dataset" once/],
    ];
    for (const [params, message] of cases) {
      const response = await call<ErrorBody>(server.httpUrl, 'GET', `/api/conversations?${params}`);
      expect(response.status, params).toBe(400);
      expect(response.body.error.code, params).toBe('BAD_REQUEST');
      expect(response.body.error.message, params).toMatch(message);
    }
  });
});
