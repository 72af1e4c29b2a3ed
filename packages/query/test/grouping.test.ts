import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase, type TestDatabase } from './duckdb-executor.ts';
import { runQuery } from './query-helpers.ts';
import { log, minutesAgo, NOW_MS, span } from './span-fixtures.ts';

let db: TestDatabase;

/** model, cost, minutes ago, sample rate, attribute team */
const CHATS: [string | null, number, number, number, string | null][] = [
  ['opus', 1.5, 55, 1, 'red'],
  ['opus', 2.5, 45, 2, 'red'],
  ['opus', 1.0, 5, 1, 'blue'],
  ['sonnet', 0.5, 50, 1, 'blue'],
  ['sonnet', 0.25, 15, 4, 'blue'],
  ['haiku', 0.1, 25, 1, null],
  [null, 0, 35, 1, 'red'],
];

beforeAll(async () => {
  db = await openTestDatabase();
  await db.insert(
    'spans',
    CHATS.map(([model, cost, ago, rate, team]) =>
      span({
        request_model: model,
        cost_usd: cost,
        timestamp: minutesAgo(ago),
        sample_rate: rate,
        attrs: team === null ? {} : { team },
      }),
    ),
  );
  await db.insert('logs', [
    log({ severity_text: 'ERROR', body: 'boom', timestamp: minutesAgo(10) }),
    log({ severity_text: 'INFO', body: 'ok', sample_rate: 10 }),
  ]);
});
afterAll(() => db.close());

const BY_MODEL = { time_range: 3600, breakdowns: ['gen_ai.request.model'] };

describe('breakdowns', () => {
  test('on a typed column: weighted counts and sums, ordered by COUNT descending, null is a group', async () => {
    const result = await runQuery(db, {
      ...BY_MODEL,
      calculations: [{ op: 'COUNT' }, { op: 'SUM', column: 'cost_usd' }],
    });
    expect(result.groups).toEqual([
      { key: { 'gen_ai.request.model': 'sonnet' }, values: { COUNT: 5, 'SUM(cost_usd)': 1.5 } },
      { key: { 'gen_ai.request.model': 'opus' }, values: { COUNT: 4, 'SUM(cost_usd)': 7.5 } },
      { key: { 'gen_ai.request.model': 'haiku' }, values: { COUNT: 1, 'SUM(cost_usd)': 0.1 } },
      { key: { 'gen_ai.request.model': null }, values: { COUNT: 1, 'SUM(cost_usd)': 0 } },
    ]);
    expect(result.totals).toEqual({ COUNT: 11, 'SUM(cost_usd)': 9.1 });
  });

  test('on an attribute and a typed column together', async () => {
    const result = await runQuery(db, {
      time_range: 3600,
      breakdowns: ['team', 'request_model'],
      orders: [{ column: 'team' }, { column: 'request_model', order: 'descending' }],
    });
    expect(result.groups.map((g) => [g.key.team, g.key.request_model, g.values.COUNT])).toEqual([
      ['blue', 'sonnet', 5],
      ['blue', 'opus', 1],
      ['red', 'opus', 3],
      ['red', null, 1],
      [null, 'haiku', 1],
    ]);
  });

  test('orders by another calculation, ascending', async () => {
    const result = await runQuery(db, {
      ...BY_MODEL,
      calculations: [{ op: 'COUNT' }, { op: 'MAX', column: 'cost_usd' }],
      orders: [{ op: 'MAX', column: 'cost_usd', order: 'ascending' }],
    });
    expect(result.groups.map((g) => g.key['gen_ai.request.model'])).toEqual([
      null,
      'haiku',
      'sonnet',
      'opus',
    ]);
  });

  test('havings keep groups whose calculation passes; limit keeps the first groups', async () => {
    const having = await runQuery(db, {
      ...BY_MODEL,
      havings: [{ calculate_op: 'COUNT', op: '>=', value: 4 }],
    });
    expect(having.groups.map((g) => g.key['gen_ai.request.model'])).toEqual(['sonnet', 'opus']);
    const limited = await runQuery(db, { ...BY_MODEL, limit: 1 });
    expect(limited.groups).toEqual([{ key: { 'gen_ai.request.model': 'sonnet' }, values: { COUNT: 5 } }]);
    expect(limited.series.map((s) => s.key)).toEqual([{ 'gen_ai.request.model': 'sonnet' }]);
  });

  test('a having without breakdowns filters the single group', async () => {
    const none = await runQuery(db, {
      time_range: 3600,
      havings: [{ calculate_op: 'COUNT', op: '>', value: 100 }],
    });
    expect(none.groups).toEqual([]);
    expect(none.series).toEqual([]);
    expect(none.totals).toEqual({ COUNT: 11 });
    const some = await runQuery(db, {
      time_range: 3600,
      havings: [{ calculate_op: 'COUNT', op: '>', value: 10 }],
    });
    expect(some.groups).toEqual([{ key: {}, values: { COUNT: 11 } }]);
    expect(some.series.map((s) => s.points.reduce((sum, p) => sum + (p.values.COUNT ?? 0), 0))).toEqual([11]);
  });
});

describe('time series', () => {
  test('buckets are aligned to the granularity and empty buckets count 0', async () => {
    const result = await runQuery(db, { time_range: 3600, granularity: 1200 });
    expect(result.meta).toEqual({
      start: new Date(NOW_MS - 3_600_000).toISOString(),
      end: new Date(NOW_MS).toISOString(),
      granularity: 1200,
    });
    expect(result.series).toEqual([
      {
        key: {},
        points: [
          { time: '2024-06-01T11:00:00.000Z', values: { COUNT: 1 + 2 + 1 } },
          { time: '2024-06-01T11:20:00.000Z', values: { COUNT: 1 + 1 } },
          { time: '2024-06-01T11:40:00.000Z', values: { COUNT: 4 + 1 } },
        ],
      },
    ]);
  });

  test('per group, for the top groups only', async () => {
    const result = await runQuery(db, {
      ...BY_MODEL,
      granularity: 1800,
      limit: 2,
      calculations: [{ op: 'SUM', column: 'cost_usd' }],
    });
    expect(result.series).toEqual([
      {
        key: { 'gen_ai.request.model': 'opus' },
        points: [
          { time: '2024-06-01T11:00:00.000Z', values: { 'SUM(cost_usd)': 1.5 + 5 } },
          { time: '2024-06-01T11:30:00.000Z', values: { 'SUM(cost_usd)': 1 } },
        ],
      },
      {
        key: { 'gen_ai.request.model': 'sonnet' },
        points: [
          { time: '2024-06-01T11:00:00.000Z', values: { 'SUM(cost_usd)': 0.5 } },
          { time: '2024-06-01T11:30:00.000Z', values: { 'SUM(cost_usd)': 1 } },
        ],
      },
    ]);
  });
});

describe('heatmap', () => {
  test('counts weighted rows per time bucket and value bucket between min and max', async () => {
    const result = await runQuery(db, {
      time_range: 3600,
      granularity: 1800,
      calculations: [{ op: 'COUNT' }, { op: 'HEATMAP', column: 'cost_usd' }],
    });
    const heatmap = result.heatmap?.['HEATMAP(cost_usd)'];
    expect(heatmap).toMatchObject({ min: 0, max: 2.5, buckets: 40, step: 2.5 / 40 });
    expect(heatmap?.cells.map(({ time, bucket, count }) => [time.slice(11, 16), bucket, count])).toEqual([
      ['11:00', 0, 1],
      ['11:00', 8, 1],
      ['11:00', 24, 1],
      ['11:00', 39, 2],
      ['11:30', 1, 1],
      ['11:30', 4, 4],
      ['11:30', 16, 1],
    ]);
    expect(heatmap?.cells.reduce((sum, cell) => sum + cell.count, 0)).toBe(result.totals.COUNT);
  });
});

describe('other sources', () => {
  test('logs: weighted counts by severity', async () => {
    const result = await runQuery(db, { source: 'logs', breakdowns: ['severity_text'] });
    expect(result.groups).toEqual([
      { key: { severity_text: 'INFO' }, values: { COUNT: 10 } },
      { key: { severity_text: 'ERROR' }, values: { COUNT: 1 } },
    ]);
  });
});
