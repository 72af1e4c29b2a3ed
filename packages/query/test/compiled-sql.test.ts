import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  compileQuery,
  type Dialect,
  duckDbDialect,
  executeQuery,
  type QuerySpecInput,
} from '../src/index.ts';
import { openTestDatabase, type TestDatabase } from './duckdb-executor.ts';
import { minutesAgo, NOW_MS, span } from './span-fixtures.ts';

/** SQL written over several lines for reading; the compiler emits it on one. */
const oneLine = (text: string): string =>
  text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .join(' ');

const HOUR_START = (NOW_MS - 3_600_000) * 1000;
const NOW_US = NOW_MS * 1000;
const ts = (value: number) => ({ value, type: 'timestamp' });

const CASES = {
  countByModel: {
    spec: {
      breakdowns: ['gen_ai.request.model'],
      filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'chat' }],
      time_range: 3600,
      granularity: 300,
    },
    weighted: false,
  },
  attributeFilters: {
    spec: {
      dataset: ['coder', 'reviewer'],
      calculations: [
        { op: 'SUM', column: 'llm.cost' },
        { op: 'COUNT_DISTINCT', column: 'session' },
      ],
      filter_combination: 'OR',
      filters: [
        { column: 'tool.args', op: 'contains', value: '50%_off' },
        { column: 'retries', op: '>=', value: 2 },
        { column: 'cached', op: '=', value: true },
        { column: 'error.type', op: 'does-not-exist' },
      ],
      time_range: 3600,
    },
    weighted: false,
  },
  weightedPercentile: {
    spec: { calculations: [{ op: 'P95', column: 'duration_ms' }], time_range: 3600 },
    weighted: true,
  },
  percentilesTogether: {
    spec: {
      calculations: [
        { op: 'P99', column: 'duration_ms' },
        { op: 'P50', column: 'duration_ms' },
      ],
      time_range: 3600,
    },
    weighted: false,
  },
  heatmap: {
    spec: { calculations: [{ op: 'HEATMAP', column: 'gen_ai.usage.output_tokens' }], time_range: 3600 },
    weighted: true,
  },
} satisfies Record<string, { spec: QuerySpecInput; weighted: boolean }>;

type CaseName = keyof typeof CASES;
interface Expected {
  role: string;
  sql: string;
  params: { value: unknown; type: string }[];
}

const DUCKDB: Record<CaseName, Expected[]> = {
  percentilesTogether: [
    {
      role: 'totals',
      sql: oneLine(`
        WITH "matched" AS (SELECT "duration_ms" AS "v0", "sample_rate" AS "w" FROM "spans"
        WHERE "timestamp" >= $1 AND "timestamp" < $2)
        SELECT quantile_cont("v0", [0.5, 0.99])[2] AS "c0", quantile_cont("v0", [0.5, 0.99])[1] AS "c1" FROM "matched"`),
      params: [ts(HOUR_START), ts(NOW_US)],
    },
  ],
  countByModel: [
    {
      role: 'totals',
      sql: oneLine(`
        WITH "matched" AS (SELECT "sample_rate" AS "w" FROM "spans"
        WHERE "timestamp" >= $1 AND "timestamp" < $2 AND "operation" = $3)
        SELECT COALESCE(SUM("w"), 0) AS "c0" FROM "matched"`),
      params: [ts(HOUR_START), ts(NOW_US), { value: 'chat', type: 'string' }],
    },
    {
      role: 'groups',
      sql: oneLine(`
        WITH "matched" AS (SELECT "request_model" AS "k0", "sample_rate" AS "w" FROM "spans"
        WHERE "timestamp" >= $1 AND "timestamp" < $2 AND "operation" = $3),
        "grouped" AS (SELECT "k0", COALESCE(SUM("w"), 0) AS "c0" FROM "matched" GROUP BY "k0")
        SELECT "k0", "c0" FROM "grouped" ORDER BY "c0" DESC NULLS LAST, "k0" ASC NULLS LAST LIMIT $4`),
      params: [
        ts(HOUR_START),
        ts(NOW_US),
        { value: 'chat', type: 'string' },
        { value: 100, type: 'integer' },
      ],
    },
    {
      role: 'series',
      sql: oneLine(`
        WITH "matched" AS (SELECT time_bucket(to_seconds($1), "timestamp", TIMESTAMP '1970-01-01 00:00:00') AS "t",
        "request_model" AS "k0", "sample_rate" AS "w" FROM "spans"
        WHERE "timestamp" >= $2 AND "timestamp" < $3 AND "operation" = $4),
        "grouped" AS (SELECT "k0", COALESCE(SUM("w"), 0) AS "c0" FROM "matched" GROUP BY "k0"),
        "top" AS (SELECT "k0", "c0" FROM "grouped" ORDER BY "c0" DESC NULLS LAST, "k0" ASC NULLS LAST LIMIT $5),
        "series" AS (SELECT "t", "k0", COALESCE(SUM("w"), 0) AS "c0" FROM "matched" GROUP BY "t", "k0")
        SELECT epoch_ms("series"."t") AS "time_ms", "series"."k0" AS "k0", "series"."c0" AS "c0"
        FROM "series" INNER JOIN "top" ON "series"."k0" IS NOT DISTINCT FROM "top"."k0"
        ORDER BY "series"."t" ASC NULLS LAST, "series"."k0" ASC NULLS LAST`),
      params: [
        { value: 300, type: 'integer' },
        ts(HOUR_START),
        ts(NOW_US),
        { value: 'chat', type: 'string' },
        { value: 100, type: 'integer' },
      ],
    },
  ],
  attributeFilters: [
    {
      role: 'totals',
      sql: oneLine(`
        WITH "matched" AS (SELECT TRY_CAST(json_extract("attributes", $1) AS DOUBLE) AS "v0",
        json_extract_string("attributes", $2) AS "v1", "sample_rate" AS "w" FROM "spans"
        WHERE "timestamp" >= $3 AND "timestamp" < $4 AND "dataset" IN ($5, $6)
        AND (json_extract_string("attributes", $7) LIKE $8 ESCAPE '\\'
        OR TRY_CAST(json_extract("attributes", $9) AS DOUBLE) >= $10
        OR TRY_CAST(json_extract("attributes", $11) AS BOOLEAN) = $12
        OR NOT ("error_type" IS NOT NULL AND "error_type" <> $13)))
        SELECT SUM("v0" * "w") AS "c0", COUNT(DISTINCT "v1") AS "c1" FROM "matched"`),
      params: [
        { value: '/llm.cost', type: 'string' },
        { value: '/session', type: 'string' },
        ts(HOUR_START),
        ts(NOW_US),
        { value: 'coder', type: 'string' },
        { value: 'reviewer', type: 'string' },
        { value: '/tool.args', type: 'string' },
        { value: '%50\\%\\_off%', type: 'string' },
        { value: '/retries', type: 'string' },
        { value: 2, type: 'float' },
        { value: '/cached', type: 'string' },
        { value: true, type: 'boolean' },
        { value: '', type: 'string' },
      ],
    },
  ],
  weightedPercentile: [
    {
      role: 'totals',
      sql: oneLine(`
        WITH "matched" AS (SELECT "duration_ms" AS "v0", "sample_rate" AS "w" FROM "spans"
        WHERE "timestamp" >= $1 AND "timestamp" < $2),
        "ranked" AS (SELECT "v0", "w",
        SUM("w") OVER (ORDER BY "v0" ASC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "cum_v0",
        SUM(CASE WHEN "v0" IS NOT NULL THEN "w" END) OVER () AS "tot_v0" FROM "matched")
        SELECT MIN(CASE WHEN "cum_v0" > FLOOR(0.95 * ("tot_v0" - 1)) THEN "v0" END)
        + (0.95 * (MAX("tot_v0") - 1) - FLOOR(0.95 * (MAX("tot_v0") - 1)))
        * (MIN(CASE WHEN "cum_v0" > CEIL(0.95 * ("tot_v0" - 1)) THEN "v0" END)
        - MIN(CASE WHEN "cum_v0" > FLOOR(0.95 * ("tot_v0" - 1)) THEN "v0" END)) AS "c0" FROM "ranked"`),
      params: [ts(HOUR_START), ts(NOW_US)],
    },
  ],
  heatmap: [
    {
      role: 'heatmap',
      sql: oneLine(`
        WITH "matched" AS (SELECT time_bucket(to_seconds($1), "timestamp", TIMESTAMP '1970-01-01 00:00:00') AS "t",
        "output_tokens" AS "v", "sample_rate" AS "w" FROM "spans" WHERE "timestamp" >= $2 AND "timestamp" < $3),
        "bounds" AS (SELECT MIN("v") AS "lo", MAX("v") AS "hi" FROM "matched"),
        "cells" AS (SELECT "t", "w", "lo", "hi",
        CASE WHEN "hi" > "lo" THEN LEAST(FLOOR(("v" - "lo") * 40 / ("hi" - "lo")), 39) ELSE 0 END AS "bucket"
        FROM "matched" CROSS JOIN "bounds" WHERE "v" IS NOT NULL)
        SELECT epoch_ms("t") AS "time_ms", "bucket", COALESCE(SUM("w"), 0) AS "count", MIN("lo") AS "lo",
        MIN("hi") AS "hi" FROM "cells" GROUP BY "t", "bucket" ORDER BY "t" ASC NULLS LAST, "bucket" ASC NULLS LAST`),
      params: [{ value: 30, type: 'integer' }, ts(HOUR_START), ts(NOW_US)],
    },
  ],
};

/** Every dialect: its expected SQL, and a database to run it on. ClickHouse slots in here. */
const DIALECTS: {
  dialect: Dialect;
  expected: Record<CaseName, Expected[]>;
  open: () => Promise<TestDatabase>;
}[] = [{ dialect: duckDbDialect, expected: DUCKDB, open: openTestDatabase }];

for (const { dialect, expected, open } of DIALECTS) {
  describe(`${dialect.name} compiled SQL`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await open();
      await db.insert('spans', [
        span({ request_model: 'opus', operation: 'chat', output_tokens: 100, duration_ms: 10 }),
        span({
          request_model: 'opus',
          operation: 'chat',
          output_tokens: 300,
          duration_ms: 30,
          sample_rate: 3,
        }),
        span({
          dataset: 'coder',
          attrs: { 'llm.cost': 0.5, session: 's1', retries: 2 },
          timestamp: minutesAgo(10),
        }),
        span({
          dataset: 'reviewer',
          attrs: { 'tool.args': 'get 50%_off now', session: 's2' },
          error_type: 'x',
        }),
      ]);
    });
    afterAll(() => db.close());

    for (const name of Object.keys(CASES) as CaseName[]) {
      test(`${name}: exact SQL and parameters`, () => {
        const { spec, weighted } = CASES[name];
        const compiled = compileQuery(spec, { dialect, nowMs: NOW_MS, weighted });
        const statements = compiled.statements.map(({ role, sql, params }) => ({ role, sql, params }));
        expect(statements.slice(0, expected[name].length)).toEqual(expected[name]);
      });
    }

    test('the compiled statements run and answer, whether parameters are bound typed or inferred', async () => {
      const run = async (name: CaseName) => {
        const compiled = compileQuery(CASES[name].spec, {
          dialect,
          nowMs: NOW_MS,
          weighted: CASES[name].weighted,
        });
        const result = await executeQuery(compiled, db.exec);
        expect(await executeQuery(compiled, db.execInferred)).toEqual(result);
        return result;
      };
      expect((await run('countByModel')).groups).toEqual([
        { key: { 'gen_ai.request.model': 'opus' }, values: { COUNT: 4 } },
      ]);
      expect((await run('attributeFilters')).totals).toEqual({
        'SUM(llm.cost)': 0.5,
        'COUNT_DISTINCT(session)': 2,
      });
      expect((await run('weightedPercentile')).totals).toEqual({ 'P95(duration_ms)': 30 });
      const heatmap = (await run('heatmap')).heatmap?.['HEATMAP(gen_ai.usage.output_tokens)'];
      expect(heatmap?.cells.map(({ bucket, count }) => ({ bucket, count }))).toEqual([
        { bucket: 0, count: 1 },
        { bucket: 39, count: 3 },
      ]);
    });
  });
}
