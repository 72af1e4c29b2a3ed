import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Filter, QuerySpecInput } from '../src/index.ts';
import { openTestDatabase, type TestDatabase } from './duckdb-executor.ts';
import { runQuery } from './query-helpers.ts';
import { minutesAgo, span } from './span-fixtures.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
  await db.insert('spans', [
    span({
      name: 'chat opus',
      duration_ms: 10,
      request_model: 'opus',
      parent_span_id: 'aaaa',
      timestamp: minutesAgo(50),
      attrs: { tool: 'grep', retries: 0, cached: true, note: `it's 100% "fine"` },
    }),
    span({
      name: 'chat sonnet',
      duration_ms: 20,
      is_error: true,
      request_model: 'sonnet',
      parent_span_id: 'aaaa',
      timestamp: minutesAgo(40),
      attrs: { tool: 'bash', retries: 2, cached: false },
    }),
    span({
      name: 'execute_tool grep',
      duration_ms: 30,
      parent_span_id: 'bbbb',
      timestamp: minutesAgo(30),
      attrs: { tool: 'grep_%', retries: 5 },
    }),
    span({ name: 'invoke_agent', duration_ms: 40, timestamp: minutesAgo(20) }),
    span({ name: 'elsewhere', dataset: 'other' }),
  ]);
});
afterAll(() => db.close());

type FilterInput = Omit<Filter, 'value'> & { value?: Filter['value'] };

/** The span names a query matches, sorted: what a user reads off a breakdown by name. */
async function names(filters: FilterInput[], extra: Partial<QuerySpecInput> = {}): Promise<string[]> {
  const result = await runQuery(db, { dataset: 'agent', breakdowns: ['name'], filters, ...extra });
  return result.groups.map((group) => String(group.key.name)).sort();
}

const [A, B, C, D] = ['chat opus', 'chat sonnet', 'execute_tool grep', 'invoke_agent'];

describe('filters on typed columns', () => {
  test.each<[string, FilterInput, string[]]>([
    ['=', { column: 'name', op: '=', value: A }, [A]],
    ['!=', { column: 'name', op: '!=', value: A }, [B, C, D]],
    ['<', { column: 'duration_ms', op: '<', value: 20 }, [A]],
    ['<=', { column: 'duration_ms', op: '<=', value: 20 }, [A, B]],
    ['>', { column: 'duration_ms', op: '>', value: 30 }, [D]],
    ['>= (number as text)', { column: 'duration_ms', op: '>=', value: '30' }, [C, D]],
    ['exists', { column: 'gen_ai.request.model', op: 'exists' }, [A, B]],
    ['does-not-exist', { column: 'request_model', op: 'does-not-exist' }, [C, D]],
    [
      'does-not-exist on an empty parent id finds roots',
      { column: 'trace.parent_id', op: 'does-not-exist' },
      [D],
    ],
    ['contains', { column: 'name', op: 'contains', value: 'chat' }, [A, B]],
    ['does-not-contain', { column: 'name', op: 'does-not-contain', value: 'chat' }, [C, D]],
    ['starts-with', { column: 'name', op: 'starts-with', value: 'chat s' }, [B]],
    ['does-not-start-with', { column: 'name', op: 'does-not-start-with', value: 'chat' }, [C, D]],
    ['in', { column: 'gen_ai.request.model', op: 'in', value: ['opus', 'sonnet'] }, [A, B]],
    [
      'not-in matches rows without the column',
      { column: 'request_model', op: 'not-in', value: ['opus'] },
      [B, C, D],
    ],
    ['boolean =', { column: 'error', op: '=', value: true }, [B]],
    ['boolean as text', { column: 'error', op: '=', value: 'false' }, [A, C, D]],
    [
      'timestamp as ISO text',
      { column: 'timestamp', op: '>=', value: new Date(minutesAgo(30) / 1000).toISOString() },
      [C, D],
    ],
  ])('%s', async (_, filter, expected) => {
    expect(await names([filter])).toEqual(expected);
  });
});

describe('filters on attributes', () => {
  test.each<[string, FilterInput, string[]]>([
    ['string =', { column: 'tool', op: '=', value: 'grep' }, [A]],
    ['string != matches rows without it', { column: 'tool', op: '!=', value: 'grep' }, [B, C, D]],
    ['contains escapes % and _', { column: 'tool', op: 'contains', value: '_%' }, [C]],
    ['starts-with', { column: 'tool', op: 'starts-with', value: 'grep' }, [A, C]],
    ['does-not-start-with', { column: 'tool', op: 'does-not-start-with', value: 'grep' }, [B, D]],
    ['contains quotes', { column: 'note', op: 'contains', value: `'s 100% "fine"` }, [A]],
    ['number >', { column: 'retries', op: '>', value: 1 }, [B, C]],
    ['number = 0', { column: 'retries', op: '=', value: 0 }, [A]],
    ['number in', { column: 'retries', op: 'in', value: [0, 5] }, [A, C]],
    ['string not-in', { column: 'tool', op: 'not-in', value: ['grep', 'bash'] }, [C, D]],
    ['boolean true', { column: 'cached', op: '=', value: true }, [A]],
    ['boolean false', { column: 'cached', op: '=', value: false }, [B]],
    ['exists', { column: 'cached', op: 'exists' }, [A, B]],
    ['does-not-exist', { column: 'cached', op: 'does-not-exist' }, [C, D]],
  ])('%s', async (_, filter, expected) => {
    expect(await names([filter])).toEqual(expected);
  });
});

describe('combining filters', () => {
  test('AND is the default', async () => {
    expect(
      await names([
        { column: 'name', op: 'contains', value: 'chat' },
        { column: 'retries', op: '>', value: 1 },
      ]),
    ).toEqual([B]);
  });

  test('OR matches either', async () => {
    const filters: FilterInput[] = [
      { column: 'name', op: '=', value: D },
      { column: 'retries', op: '>=', value: 5 },
    ];
    expect(await names(filters, { filter_combination: 'OR' })).toEqual([C, D]);
  });

  test('datasets restrict rows, one or many', async () => {
    const result = await runQuery(db, { dataset: ['other'], breakdowns: ['name'] });
    expect(result.groups).toEqual([{ key: { name: 'elsewhere' }, values: { COUNT: 1 } }]);
    expect((await runQuery(db, { dataset: ['agent', 'other'] })).totals).toEqual({ COUNT: 5 });
    expect((await runQuery(db, {})).totals).toEqual({ COUNT: 5 });
  });

  test('the time range bounds rows: start inclusive, end exclusive', async () => {
    const start = minutesAgo(40) / 1_000_000;
    const end = minutesAgo(20) / 1_000_000;
    expect(await names([], { start_time: start, end_time: end })).toEqual([B, C]);
  });
});
