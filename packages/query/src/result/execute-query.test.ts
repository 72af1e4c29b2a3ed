import { describe, expect, test } from 'vitest';
import { compileQuery } from '../compile-query.ts';
import { duckDbDialect } from '../dialect/duckdb/duckdb-dialect.ts';
import type { QuerySpecInput } from '../spec/query-spec.ts';
import { executeQuery, type SqlExecutor } from './execute-query.ts';

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const compile = (spec: QuerySpecInput) =>
  compileQuery(spec, { dialect: duckDbDialect, nowMs: NOW, weighted: false });

/** Answers each statement role with canned rows, the way a driver would (bigints, numeric text). */
function fakeExecutor(rows: Partial<Record<string, Record<string, unknown>[]>>): SqlExecutor {
  return async (sql) => {
    const role = sql.includes('"bounds"')
      ? 'heatmap'
      : sql.includes('"time_ms"')
        ? 'series'
        : sql.includes('"grouped"')
          ? 'groups'
          : 'totals';
    return rows[role] ?? [];
  };
}

describe('executeQuery', () => {
  test('without breakdowns the one group is the totals, and empty buckets count 0', async () => {
    const compiled = compile({
      calculations: [{ op: 'COUNT' }, { op: 'MAX', column: 'duration_ms' }],
      time_range: 180,
      granularity: 60,
    });
    expect(compiled.statements.map((s) => s.role)).toEqual(['totals', 'series']);
    const result = await executeQuery(
      compiled,
      fakeExecutor({
        totals: [{ c0: 5n, c1: 12.5 }],
        series: [{ time_ms: BigInt(NOW - 120_000), c0: '5', c1: 12.5 }],
      }),
    );
    expect(result.totals).toEqual({ COUNT: 5, 'MAX(duration_ms)': 12.5 });
    expect(result.groups).toEqual([{ key: {}, values: { COUNT: 5, 'MAX(duration_ms)': 12.5 } }]);
    expect(result.series).toEqual([
      {
        key: {},
        points: [
          { time: '2024-06-01T11:57:00.000Z', values: { COUNT: 0, 'MAX(duration_ms)': null } },
          { time: '2024-06-01T11:58:00.000Z', values: { COUNT: 5, 'MAX(duration_ms)': 12.5 } },
          { time: '2024-06-01T11:59:00.000Z', values: { COUNT: 0, 'MAX(duration_ms)': null } },
        ],
      },
    ]);
    expect(result.meta).toEqual({
      start: '2024-06-01T11:57:00.000Z',
      end: '2024-06-01T12:00:00.000Z',
      granularity: 60,
    });
  });

  test('groups keep the order of the groups statement; timestamp keys become ISO strings', async () => {
    const compiled = compile({ breakdowns: ['end_timestamp', 'x.flag'], time_range: 60, show_sql: true });
    const result = await executeQuery(
      compiled,
      fakeExecutor({
        totals: [{ c0: 3n }],
        groups: [
          { k0: BigInt(NOW - 1000), k1: 'true', c0: 2n },
          { k0: null, k1: null, c0: 1n },
        ],
      }),
    );
    expect(result.groups).toEqual([
      { key: { end_timestamp: '2024-06-01T11:59:59.000Z', 'x.flag': 'true' }, values: { COUNT: 2 } },
      { key: { end_timestamp: null, 'x.flag': null }, values: { COUNT: 1 } },
    ]);
    expect(result.series.map((s) => s.key)).toEqual(result.groups.map((g) => g.key));
    expect(result.meta.sql).toEqual(compiled.statements.map((s) => s.sql));
  });

  test('heatmap cells carry their value range', async () => {
    const compiled = compile({ calculations: [{ op: 'HEATMAP', column: 'duration_ms' }], time_range: 60 });
    expect(compiled.statements.map((s) => s.role)).toEqual(['heatmap']);
    const result = await executeQuery(
      compiled,
      fakeExecutor({ heatmap: [{ time_ms: BigInt(NOW - 60_000), bucket: 39, count: 4n, lo: 0, hi: 400 }] }),
    );
    expect(result.totals).toEqual({});
    expect(result.heatmap).toEqual({
      'HEATMAP(duration_ms)': {
        min: 0,
        max: 400,
        buckets: 40,
        step: 10,
        cells: [{ time: '2024-06-01T11:59:00.000Z', bucket: 39, lower: 390, upper: 400, count: 4 }],
      },
    });
  });

  test('a name that looks like a typo of a typed column is read from attributes, with a warning', async () => {
    const compiled = compile({ breakdowns: ['gen_ai.reqest.model'] });
    const result = await executeQuery(compiled, fakeExecutor({}));
    expect(result.meta.warnings).toEqual([
      'breakdowns[0]: "gen_ai.reqest.model" is not a spans column, so it is read from attributes; did you mean "gen_ai.request.model"?',
    ]);
  });
});
