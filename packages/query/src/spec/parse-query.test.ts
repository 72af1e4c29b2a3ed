import { AppError } from '@loopline/model';
import { describe, expect, test } from 'vitest';
import { parseQuery } from './parse-query.ts';

function errorOf(input: unknown): AppError {
  try {
    parseQuery(input);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected parseQuery to throw');
}

describe('parseQuery', () => {
  test('fills Honeycomb defaults', () => {
    expect(parseQuery({})).toEqual({
      source: 'spans',
      calculations: [{ op: 'COUNT' }],
      filters: [],
      filter_combination: 'AND',
      breakdowns: [],
      orders: [],
      limit: 100,
      havings: [],
      show_sql: false,
    });
  });

  test('accepts a full query', () => {
    const spec = parseQuery({
      source: 'logs',
      dataset: ['a', 'b'],
      calculations: [{ op: 'P95', column: 'severity_number', alias: 'p95' }],
      filters: [{ column: 'body', op: 'contains', value: 'error' }],
      breakdowns: ['service.name'],
      orders: [{ op: 'P95', column: 'severity_number', order: 'descending' }],
      havings: [{ calculate_op: 'P95', column: 'severity_number', op: '>', value: 3 }],
      time_range: 3600,
      granularity: 60,
      limit: 5,
    });
    expect(spec.orders).toEqual([{ op: 'P95', column: 'severity_number', order: 'descending' }]);
  });

  test('a misspelt field names the field it probably meant', () => {
    const error = errorOf({ filter_combo: 'OR' });
    expect(error.code).toBe('QUERY_INVALID');
    expect(error.message).toBe('unknown field "filter_combo"; did you mean "filter_combination"?');
  });

  test('an unknown op lists the ops', () => {
    const error = errorOf({ calculations: [{ op: 'P96', column: 'duration_ms' }] });
    expect(error.message).toMatch(
      /^calculations\[0\]\.op: expected one of "COUNT", "COUNT_DISTINCT", .*got "P96"$/,
    );
    expect(error.details?.issues).toHaveLength(1);
  });

  test('a query must be an object', () => {
    expect(errorOf(null).message).toBe('expected object, received null');
    expect(errorOf({ limit: 0 }).message).toMatch(/^limit: /);
  });

  test('COUNT takes no column and SUM needs one', () => {
    expect(errorOf({ calculations: [{ op: 'COUNT', column: 'name' }] }).message).toBe(
      'calculations[0]: COUNT counts rows and takes no column; use COUNT_DISTINCT to count values of "name"',
    );
    expect(errorOf({ calculations: [{ op: 'SUM' }] }).message).toBe(
      'calculations[0]: SUM needs a column, e.g. {"op":"SUM","column":"duration_ms"}',
    );
  });

  test('numeric calculations on a text column are a type mismatch', () => {
    const error = errorOf({ calculations: [{ op: 'AVG', column: 'gen_ai.request.model' }] });
    expect(error.code).toBe('QUERY_TYPE_MISMATCH');
    expect(error.message).toBe(
      'calculations[0]: AVG needs a number, but "gen_ai.request.model" is a string column',
    );
  });

  test('two calculations with one name need an alias', () => {
    const error = errorOf({ calculations: [{ op: 'COUNT' }, { op: 'COUNT' }] });
    expect(error.message).toBe('calculations[1]: two calculations are named "COUNT"; give one an alias');
  });

  test('filter values must fit the column type', () => {
    const error = errorOf({ filters: [{ column: 'duration_ms', op: '>', value: 'slow' }] });
    expect(error.code).toBe('QUERY_TYPE_MISMATCH');
    expect(error.message).toBe('filters[0]: "duration_ms" is a float column; "slow" is not a float');
    expect(errorOf({ filters: [{ column: 'error', op: '<', value: true }] }).code).toBe(
      'QUERY_TYPE_MISMATCH',
    );
    expect(errorOf({ filters: [{ column: 'duration_ms', op: 'contains', value: '1' }] }).message).toBe(
      'filters[0]: "contains" works on text, but "duration_ms" is a float column',
    );
  });

  test('numbers written as text are accepted for number columns', () => {
    expect(() => parseQuery({ filters: [{ column: 'duration_ms', op: '>', value: '250' }] })).not.toThrow();
  });

  test('filter value shapes follow the op', () => {
    expect(errorOf({ filters: [{ column: 'name', op: '=' }] }).message).toBe(
      'filters[0]: "=" needs a value; to match rows without "name" use "does-not-exist"',
    );
    expect(errorOf({ filters: [{ column: 'name', op: 'in', value: 'chat' }] }).message).toBe(
      'filters[0]: "in" needs a non-empty list of values, e.g. ["a", "b"]',
    );
    expect(errorOf({ filters: [{ column: 'name', op: '=', value: ['a'] }] }).message).toBe(
      'filters[0]: "=" takes one value; use "in" to match any of a list',
    );
    expect(errorOf({ filters: [{ column: 'name', op: 'exists', value: 'x' }] }).message).toBe(
      'filters[0]: "exists" takes no value',
    );
  });

  test('orders and havings must name a calculation of the query', () => {
    const error = errorOf({
      calculations: [{ op: 'P95', column: 'duration_ms' }],
      orders: [{ op: 'P95', column: 'duraton_ms', order: 'descending' }],
    });
    expect(error.code).toBe('QUERY_UNKNOWN_COLUMN');
    expect(error.message).toBe(
      'unknown calculation "P95(duraton_ms)" in orders[0]; did you mean "P95(duration_ms)"?',
    );
    const having = errorOf({ havings: [{ calculate_op: 'SUM', column: 'cost_usd', op: '>', value: 1 }] });
    expect(having.message).toBe('unknown calculation "SUM(cost_usd)" in havings[0] (known: COUNT)');
  });

  test('an order by column must be a breakdown', () => {
    const error = errorOf({
      breakdowns: ['gen_ai.request.model'],
      orders: [{ column: 'gen_ai.reqest.model' }],
    });
    expect(error.code).toBe('QUERY_UNKNOWN_COLUMN');
    expect(error.message).toBe(
      'unknown breakdown "gen_ai.reqest.model" in orders[0]; did you mean "gen_ai.request.model"?',
    );
  });

  test('a physical column name matches its logical calculation', () => {
    expect(() =>
      parseQuery({
        calculations: [{ op: 'SUM', column: 'gen_ai.usage.input_tokens' }],
        orders: [{ op: 'SUM', column: 'input_tokens' }],
      }),
    ).not.toThrow();
  });

  test('HEATMAP cannot order groups', () => {
    const error = errorOf({
      calculations: [{ op: 'HEATMAP', column: 'duration_ms' }],
      orders: [{ op: 'HEATMAP', column: 'duration_ms' }],
    });
    expect(error.message).toBe('orders[0]: a HEATMAP has no single value to sort or filter groups by');
  });

  test('time ranges must make sense', () => {
    expect(errorOf({ start_time: 200, end_time: 100 }).message).toBe(
      'end_time: end_time must be after start_time',
    );
    expect(errorOf({ start_time: 100, end_time: 200, time_range: 60 }).code).toBe('QUERY_INVALID');
    expect(errorOf({ time_range: 604_800, granularity: 1 }).message).toBe(
      'granularity: 1 s would make more than 1000 buckets over 604800 s; use at least 605',
    );
  });

  test('start_time and end_time take epoch seconds or an ISO 8601 date, as the CLI does', () => {
    const spec = parseQuery({ start_time: '2024-06-01T00:00:00Z', end_time: '2024-06-08' });
    expect([spec.start_time, spec.end_time]).toEqual([1_717_200_000, 1_717_804_800]);
    expect(parseQuery({ start_time: '2024-06-01T02:00:00.500+02:00', time_range: 60 }).start_time).toBe(
      1_717_200_000.5,
    );
    expect(parseQuery({ start_time: '2024-06-01T00:00', time_range: 60 }).start_time).toBe(1_717_200_000);
    expect(parseQuery({ start_time: 1_717_200_000, time_range: 60 }).start_time).toBe(1_717_200_000);
    for (const bad of ['June 1, 2024', '2024-13-01', 'yesterday', '', true, null]) {
      const error = errorOf({ start_time: bad });
      expect(error.code, String(bad)).toBe('QUERY_INVALID');
      expect(error.message, String(bad)).toBe(
        'start_time: expected epoch seconds or an ISO 8601 date like "2024-06-01T00:00:00Z"',
      );
    }
  });

  test('a breakdown can only be given once', () => {
    expect(errorOf({ breakdowns: ['name', 'name'] }).message).toBe(
      'breakdowns[1]: "name" is already a breakdown',
    );
  });
});

describe('parseQuery: hostile values are refused with a short message', () => {
  test('a value nested 100,000 deep is shown by its kind (describing it overflowed the stack)', () => {
    let deep: unknown = 'COUNT';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const error = errorOf({ calculations: [{ op: deep }] });
    expect(error.code).toBe('QUERY_INVALID');
    expect(error.message).toMatch(/^calculations\[0\]\.op: expected one of "COUNT", .*, got a list$/);
  });

  test('a megabyte-long op or field name is cut short in the message', () => {
    const op = errorOf({ calculations: [{ op: 'x'.repeat(1_000_000) }] });
    expect(op.message).toMatch(/, got "x{60}…"$/);
    const started = performance.now();
    const field = errorOf({ ['k'.repeat(4_000_000)]: 1 });
    // comparing the name with every field letter by letter took 6 s of the server's only thread
    expect(performance.now() - started).toBeLessThan(1000);
    expect(field.message).toBe(`unknown field "${'k'.repeat(60)}…"`);
  });
});
