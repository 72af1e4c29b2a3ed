import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase, type TestDatabase } from './duckdb-executor.ts';
import { expand, quantileCont, runQuery } from './query-helpers.ts';
import { minutesAgo, span } from './span-fixtures.ts';

/** [duration_ms, sample_rate] of the sampled dataset. */
const SAMPLED: [number, number][] = [
  [5, 1],
  [12, 2],
  [20, 1],
  [33, 4],
  [40, 1],
  [51, 3],
  [60, 1],
  [75, 1],
  [90, 2],
  [120, 1],
];
const UNSAMPLED = [3, 8, 8, 15, 16, 23, 42, 42, 42, 99, 100, 250];
const PERCENTILES = { P50: 0.5, P75: 0.75, P90: 0.9, P95: 0.95, P99: 0.99, P999: 0.999 } as const;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
  await db.insert('spans', [
    ...SAMPLED.map(([duration_ms, sample_rate], i) =>
      span({
        dataset: 'sampled',
        duration_ms,
        sample_rate,
        name: i % 2 === 0 ? 'chat' : 'execute_tool',
        input_tokens: 1000 + i,
        attrs: { 'llm.tokens': i * 10, 'llm.model': i < 5 ? 'small' : 'large' },
      }),
    ),
    ...UNSAMPLED.map((duration_ms) => span({ dataset: 'unsampled', duration_ms })),
    span({ dataset: 'sampled', duration_ms: 999, timestamp: minutesAgo(200) }),
  ]);
});
afterAll(() => db.close());

const weightedSum = (pairs: [number, number][]) => pairs.reduce((sum, [v, w]) => sum + v * w, 0);
const weightOf = (pairs: [number, number][]) => pairs.reduce((sum, [, w]) => sum + w, 0);

describe('calculations honour sample_rate', () => {
  test('COUNT, SUM and AVG weigh each row by its sample rate; the row outside the range is left out', async () => {
    const result = await runQuery(db, {
      dataset: 'sampled',
      calculations: [
        { op: 'COUNT' },
        { op: 'SUM', column: 'duration_ms' },
        { op: 'AVG', column: 'duration_ms' },
        { op: 'SUM', column: 'gen_ai.usage.input_tokens', alias: 'tokens' },
      ],
    });
    expect(result.totals).toEqual({
      COUNT: 17,
      'SUM(duration_ms)': weightedSum(SAMPLED),
      'AVG(duration_ms)': weightedSum(SAMPLED) / 17,
      tokens: SAMPLED.reduce((sum, [, w], i) => sum + (1000 + i) * w, 0),
    });
  });

  test('COUNT_DISTINCT, MIN and MAX do not weigh', async () => {
    const result = await runQuery(db, {
      dataset: 'sampled',
      calculations: [
        { op: 'COUNT_DISTINCT', column: 'name' },
        { op: 'MIN', column: 'duration_ms' },
        { op: 'MAX', column: 'duration_ms' },
        { op: 'COUNT_DISTINCT', column: 'llm.model' },
      ],
    });
    expect(result.totals).toEqual({
      'COUNT_DISTINCT(name)': 2,
      'MIN(duration_ms)': 5,
      'MAX(duration_ms)': 120,
      'COUNT_DISTINCT(llm.model)': 2,
    });
  });

  test('numeric attributes are summed and averaged with weights; rows without the attribute do not count', async () => {
    const result = await runQuery(db, {
      calculations: [
        { op: 'SUM', column: 'llm.tokens' },
        { op: 'AVG', column: 'llm.tokens' },
      ],
    });
    const pairs = SAMPLED.map(([, w], i): [number, number] => [i * 10, w]);
    expect(result.totals['SUM(llm.tokens)']).toBe(weightedSum(pairs));
    expect(result.totals['AVG(llm.tokens)']).toBeCloseTo(weightedSum(pairs) / weightOf(pairs), 10);
  });

  test('an empty range counts 0 and has no sums', async () => {
    const result = await runQuery(db, {
      dataset: 'nobody',
      calculations: [
        { op: 'COUNT' },
        { op: 'SUM', column: 'duration_ms' },
        { op: 'P95', column: 'duration_ms' },
      ],
    });
    expect(result.totals).toEqual({ COUNT: 0, 'SUM(duration_ms)': null, 'P95(duration_ms)': null });
  });
});

describe('percentiles', () => {
  test.each(Object.entries(PERCENTILES))(
    '%s on unsampled rows: both paths equal quantile_cont by hand',
    async (op, q) => {
      const spec = { dataset: 'unsampled', calculations: [{ op: op as 'P50', column: 'duration_ms' }] };
      const expected = quantileCont(UNSAMPLED, q);
      const fast = await runQuery(db, spec, false);
      const weighted = await runQuery(db, spec, true);
      expect(fast.totals[`${op}(duration_ms)`]).toBeCloseTo(expected, 9);
      expect(weighted.totals[`${op}(duration_ms)`]).toBeCloseTo(expected, 9);
    },
  );

  test.each(Object.entries(PERCENTILES))(
    '%s on sampled rows weighs each row by its sample rate',
    async (op, q) => {
      const result = await runQuery(db, {
        dataset: 'sampled',
        calculations: [{ op: op as 'P50', column: 'duration_ms' }],
      });
      expect(result.totals[`${op}(duration_ms)`]).toBeCloseTo(quantileCont(expand(SAMPLED), q), 9);
    },
  );

  test('all percentiles of one column in one query: one aggregate, each level exact', async () => {
    const calculations = Object.keys(PERCENTILES).map((op) => ({ op: op as 'P50', column: 'duration_ms' }));
    const spec = {
      dataset: 'unsampled',
      calculations: [...calculations, { op: 'MAX' as const, column: 'duration_ms' }],
    };
    const result = await runQuery(db, spec, false);
    for (const [op, q] of Object.entries(PERCENTILES)) {
      expect(result.totals[`${op}(duration_ms)`]).toBeCloseTo(quantileCont(UNSAMPLED, q), 9);
    }
    expect(result.totals['MAX(duration_ms)']).toBe(Math.max(...UNSAMPLED));
  });

  test('the unweighted path ignores sample rates (the server only picks it when all rates are 1)', async () => {
    const result = await runQuery(
      db,
      { dataset: 'sampled', calculations: [{ op: 'P50', column: 'duration_ms' }] },
      false,
    );
    expect(result.totals['P50(duration_ms)']).toBeCloseTo(
      quantileCont(
        SAMPLED.map(([v]) => v),
        0.5,
      ),
      9,
    );
    expect(
      quantileCont(
        SAMPLED.map(([v]) => v),
        0.5,
      ),
    ).not.toBeCloseTo(quantileCont(expand(SAMPLED), 0.5), 3);
  });

  test('weighted percentiles are computed per group and per time bucket', async () => {
    const result = await runQuery(db, {
      dataset: 'sampled',
      calculations: [
        { op: 'P50', column: 'duration_ms' },
        { op: 'P75', column: 'duration_ms' },
      ],
      breakdowns: ['llm.model'],
      orders: [{ column: 'llm.model' }],
      time_range: 3600,
      granularity: 3600,
    });
    const small = SAMPLED.slice(0, 5);
    const large = SAMPLED.slice(5);
    expect(result.groups).toEqual([
      {
        key: { 'llm.model': 'large' },
        values: {
          'P50(duration_ms)': quantileCont(expand(large), 0.5),
          'P75(duration_ms)': quantileCont(expand(large), 0.75),
        },
      },
      {
        key: { 'llm.model': 'small' },
        values: {
          'P50(duration_ms)': quantileCont(expand(small), 0.5),
          'P75(duration_ms)': quantileCont(expand(small), 0.75),
        },
      },
    ]);
    const bucket = result.series.map(
      (s) => s.points.find((p) => p.values['P50(duration_ms)'] !== null)?.values,
    );
    expect(bucket).toEqual(result.groups.map((g) => g.values));
  });
});
