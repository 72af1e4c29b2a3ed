import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ErrorBody } from './helpers/api-client.ts';
import { bundleStorageWorker, removeBundle } from './helpers/storage-worker-bundle.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

interface Panel {
  id: string;
  title: string;
  query: Record<string, unknown>;
  chart?: string;
}
interface Board {
  id: string;
  name: string;
  description: string | null;
  panels: Panel[];
  createdAt: string;
  updatedAt: string;
}
interface BoardList {
  boards: { id: string; name: string; description: string | null; panelCount: number; updatedAt: string }[];
}

const COST_BY_MODEL = {
  calculations: [{ op: 'SUM', column: 'cost_usd' }],
  breakdowns: ['gen_ai.request.model'],
  time_range: 86_400,
};
const P95_LATENCY = { calculations: [{ op: 'P95', column: 'duration_ms' }], time_range: 3600 };

/** The whole life of a board as the UI drives it, against whichever storage path the server runs. */
async function boardLifecycle(url: string): Promise<void> {
  const created = await call<Board>(url, 'POST', '/api/boards', {
    name: '  Cost watch ',
    description: 'spend',
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: 'Cost watch', description: 'spend', panels: [] });
  expect(created.body.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
  expect(created.body.createdAt).toBe(created.body.updatedAt);
  const id = created.body.id;

  const added = await call<Board>(url, 'POST', `/api/boards/${id}/panels`, {
    title: 'Cost by model',
    query: COST_BY_MODEL,
    chart: 'line',
  });
  expect(added.status).toBe(201);
  expect(added.body.panels).toEqual([
    {
      id: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      title: 'Cost by model',
      query: COST_BY_MODEL,
      chart: 'line',
    },
  ]);
  expect(Date.parse(added.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt));

  const second = await call<Board>(url, 'POST', `/api/boards/${id}/panels`, {
    title: 'p95 latency',
    query: P95_LATENCY,
  });
  expect(second.body.panels.map((p) => p.title)).toEqual(['Cost by model', 'p95 latency']);
  expect(second.body.panels[1]).not.toHaveProperty('chart');

  // reorder and retitle (ids kept), rename, clear the description
  const [cost, latency] = second.body.panels as [Panel, Panel];
  const updated = await call<Board>(url, 'PUT', `/api/boards/${id}`, {
    name: 'Spend',
    description: null,
    panels: [{ ...latency, title: 'Latency', chart: 'heatmap' }, cost],
  });
  expect(updated.status).toBe(200);
  expect(updated.body).toMatchObject({ id, name: 'Spend', description: null });
  expect(updated.body.panels.map((p) => [p.id, p.title, p.chart])).toEqual([
    [latency.id, 'Latency', 'heatmap'],
    [cost.id, 'Cost by model', 'line'],
  ]);

  const fetched = await call<Board>(url, 'GET', `/api/boards/${id}`);
  expect(fetched.body).toEqual(updated.body);

  const list = await call<BoardList>(url, 'GET', '/api/boards');
  expect(list.body.boards.find((b) => b.id === id)).toEqual({
    id,
    name: 'Spend',
    description: null,
    panelCount: 2,
    updatedAt: updated.body.updatedAt,
  });

  const deleted = await call(url, 'DELETE', `/api/boards/${id}`);
  expect(deleted.status).toBe(204);
  expect(deleted.body).toBeUndefined();
  expect((await call<ErrorBody>(url, 'GET', `/api/boards/${id}`)).body.error.code).toBe('NOT_FOUND');
  expect((await call<BoardList>(url, 'GET', '/api/boards')).body.boards.map((b) => b.id)).not.toContain(id);
}

describe('boards (storage on the main thread)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ grpcPort: null });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a board, adds panels, reorders and renames them, lists and deletes it', async () => {
    await boardLifecycle(server.httpUrl);
  });

  it('lists boards most recently changed first with their panel counts', async () => {
    const make = async (name: string) =>
      (await call<Board>(server.httpUrl, 'POST', '/api/boards', { name })).body;
    const a = await make('A');
    const b = await make('B');
    const c = await make('C');
    await call(server.httpUrl, 'POST', `/api/boards/${a.id}/panels`, { title: 'n', query: {} });
    const list = (await call<BoardList>(server.httpUrl, 'GET', '/api/boards')).body.boards;
    const order = list.filter((x) => [a.id, b.id, c.id].includes(x.id)).map((x) => [x.name, x.panelCount]);
    expect(order).toEqual([
      ['A', 1],
      ['C', 0],
      ['B', 0],
    ]);
  });

  it('keeps every panel when many are added at once', async () => {
    const board = (await call<Board>(server.httpUrl, 'POST', '/api/boards', { name: 'busy' })).body;
    const adds = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call<Board>(server.httpUrl, 'POST', `/api/boards/${board.id}/panels`, {
          title: `panel ${i}`,
          query: { time_range: 60 + i },
        }),
      ),
    );
    expect(adds.map((r) => r.status)).toEqual(Array(12).fill(201));
    const stored = (await call<Board>(server.httpUrl, 'GET', `/api/boards/${board.id}`)).body;
    expect(stored.panels.map((p) => p.title).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `panel ${i}`).sort(),
    );
    expect(new Set(stored.panels.map((p) => p.id)).size).toBe(12);
  });

  it('rejects a panel whose query the query language refuses, with the query error and its place', async () => {
    const board = (await call<Board>(server.httpUrl, 'POST', '/api/boards', { name: 'strict' })).body;
    const bad = await call<ErrorBody>(server.httpUrl, 'POST', `/api/boards/${board.id}/panels`, {
      title: 'broken',
      query: { calculations: [{ op: 'P95' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('QUERY_INVALID');
    expect(bad.body.error.message).toMatch(/^panel\.query: calculations\[0\]: P95 needs a column/);

    const typed = await call<ErrorBody>(server.httpUrl, 'PUT', `/api/boards/${board.id}`, {
      panels: [
        { title: 'fine', query: P95_LATENCY },
        { title: 'sum of a name', query: { calculations: [{ op: 'SUM', column: 'name' }] } },
      ],
    });
    expect(typed.status).toBe(400);
    expect(typed.body.error.code).toBe('QUERY_TYPE_MISMATCH');
    expect(typed.body.error.message).toMatch(/^panels\[1\]\.query: /);
    expect((await call<Board>(server.httpUrl, 'GET', `/api/boards/${board.id}`)).body.panels).toEqual([]);
  });

  it('answers bad input with BAD_REQUEST saying what is allowed, and unknown boards with NOT_FOUND', async () => {
    const url = server.httpUrl;
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/api/boards', {}, /name: a name of 1 to 200 characters is required/],
      ['POST', '/api/boards', { name: '   ' }, /name: a name of 1 to 200 characters is required/],
      ['POST', '/api/boards', { name: 'x'.repeat(201) }, /name: at most 200 characters/],
      ['POST', '/api/boards', { name: 'ok', colour: 'red' }, /takes only name, description/],
    ];
    for (const [method, path, body, message] of cases) {
      const response = await call<ErrorBody>(url, method, path, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe('BAD_REQUEST');
      expect(response.body.error.message).toMatch(message);
    }
    const board = (await call<Board>(url, 'POST', '/api/boards', { name: 'target' })).body;
    const panelCases: [string, unknown, RegExp][] = [
      [`/api/boards/${board.id}/panels`, { query: {} }, /title: a title of 1 to 200 characters is required/],
      [
        `/api/boards/${board.id}/panels`,
        { title: 't', query: {}, chart: 'pie' },
        /chart: one of line, table, heatmap/,
      ],
      [`/api/boards/${board.id}/panels`, { title: 't', query: 'COUNT' }, /query: a query object/],
    ];
    for (const [path, body, message] of panelCases) {
      const response = await call<ErrorBody>(url, 'POST', path, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.message).toMatch(message);
    }
    const empty = await call<ErrorBody>(url, 'PUT', `/api/boards/${board.id}`, {});
    expect(empty.body.error.message).toMatch(/give at least one of name, description, panels/);
    const twice = await call<ErrorBody>(url, 'PUT', `/api/boards/${board.id}`, {
      panels: [
        { id: 'same', title: 'a', query: {} },
        { id: 'same', title: 'b', query: {} },
      ],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toMatch(/panels\[1\]\.id: "same" is already a panel/);

    for (const [method, path, body] of [
      ['GET', '/api/boards/nope', undefined],
      ['PUT', '/api/boards/nope', { name: 'x' }],
      ['DELETE', '/api/boards/nope', undefined],
      ['POST', '/api/boards/nope/panels', { title: 't', query: {} }],
      ['GET', '/api/boards/not%20an%20id', undefined],
    ] as const) {
      const response = await call<ErrorBody>(url, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('keeps boards across a restart of the server on the same data folder', async () => {
    const first = await startTestServer({ grpcPort: null });
    const board = (await call<Board>(first.httpUrl, 'POST', '/api/boards', { name: 'durable' })).body;
    await call(first.httpUrl, 'POST', `/api/boards/${board.id}/panels`, { title: 'p', query: P95_LATENCY });
    await first.close();
    const second = await startTestServer({ grpcPort: null, dataDir: first.dataDir });
    try {
      const again = await call<Board>(second.httpUrl, 'GET', `/api/boards/${board.id}`);
      expect(again.status).toBe(200);
      expect(again.body.name).toBe('durable');
      expect(again.body.panels.map((p) => p.query)).toEqual([P95_LATENCY]);
    } finally {
      await second.close();
    }
  });
});

describe('boards (storage in its worker thread, as `loopline serve` runs it)', () => {
  let server: TestServer;
  let workerUrl: URL;
  beforeAll(async () => {
    workerUrl = await bundleStorageWorker();
    server = await startTestServer({ grpcPort: null, storageWorkerUrl: workerUrl });
  });
  afterAll(async () => {
    await server?.close();
    if (workerUrl) removeBundle(workerUrl);
  });

  it('runs the same board lifecycle through the storage thread', async () => {
    await boardLifecycle(server.httpUrl);
  });

  it('keeps every panel when many are added at once through the storage thread', async () => {
    const board = (await call<Board>(server.httpUrl, 'POST', '/api/boards', { name: 'busy' })).body;
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(server.httpUrl, 'POST', `/api/boards/${board.id}/panels`, { title: `p${i}`, query: {} }),
      ),
    );
    const stored = (await call<Board>(server.httpUrl, 'GET', `/api/boards/${board.id}`)).body;
    expect(stored.panels).toHaveLength(8);
  });
});
