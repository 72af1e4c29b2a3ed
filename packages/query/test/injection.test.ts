import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileQuery, duckDbDialect } from '../src/index.ts';
import { openTestDatabase, type TestDatabase } from './duckdb-executor.ts';
import { runQuery } from './query-helpers.ts';
import { NOW_MS, span } from './span-fixtures.ts';

const HOSTILE = `x'); drop table spans; --`;
const QUOTED_KEY = `we"ird/key~'name`;

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
  await db.insert('spans', [
    span({ name: `it's "quoted"`, attrs: { [QUOTED_KEY]: 'found', [HOSTILE]: 'also found' } }),
    span({ name: 'plain' }),
  ]);
});
afterAll(() => db.close());

const spanCount = async () => Number((await db.sql('SELECT count(*) AS n FROM spans'))[0]?.n);

describe('hostile input stays data', () => {
  test('a column name with SQL in it is an attribute key, looked up exactly', async () => {
    const result = await runQuery(db, {
      breakdowns: [HOSTILE],
      calculations: [{ op: 'COUNT_DISTINCT', column: HOSTILE }],
      filters: [{ column: HOSTILE, op: 'exists' }],
    });
    expect(result.groups).toEqual([
      { key: { [HOSTILE]: 'also found' }, values: { [`COUNT_DISTINCT(${HOSTILE})`]: 1 } },
    ]);
    expect(await spanCount()).toBe(2);
  });

  test('keys with quotes, slashes and tildes are found', async () => {
    const result = await runQuery(db, {
      breakdowns: [QUOTED_KEY],
      filters: [{ column: QUOTED_KEY, op: '=', value: 'found' }],
    });
    expect(result.groups).toEqual([{ key: { [QUOTED_KEY]: 'found' }, values: { COUNT: 1 } }]);
  });

  test('values with quotes are compared, never spliced', async () => {
    const injected = await runQuery(db, {
      filters: [{ column: 'name', op: '=', value: `'; DROP TABLE spans; --` }],
    });
    expect(injected.totals).toEqual({ COUNT: 0 });
    const quoted = await runQuery(db, { filters: [{ column: 'name', op: 'starts-with', value: `it's "q` }] });
    expect(quoted.totals).toEqual({ COUNT: 1 });
    const datasets = await runQuery(db, { dataset: [`agent' OR '1'='1`] });
    expect(datasets.totals).toEqual({ COUNT: 0 });
    expect(await spanCount()).toBe(2);
  });

  test('no user text reaches the SQL: aliases, names and values are parameters or internal names', () => {
    const compiled = compileQuery(
      {
        calculations: [{ op: 'COUNT', alias: `c0" FROM spans; --` }],
        breakdowns: [HOSTILE],
        filters: [{ column: 'name', op: 'contains', value: `%'--` }],
        orders: [{ op: 'COUNT', order: 'descending' }],
      },
      { dialect: duckDbDialect, nowMs: NOW_MS, weighted: true },
    );
    for (const { sql } of compiled.statements) {
      expect(sql).not.toContain('drop');
      expect(sql).not.toContain('FROM spans;');
      expect(sql).not.toContain(`%'--`);
    }
    expect(compiled.statements.find((s) => s.role === 'groups')?.params).toContainEqual({
      value: `/${HOSTILE}`,
      type: 'string',
    });
  });
});
