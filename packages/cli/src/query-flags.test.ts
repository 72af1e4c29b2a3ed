import { describe, expect, it } from 'vitest';
import { parseDuration, parseFilter, specFromFlags } from './query-flags.ts';

describe('loopline query flags become the JSON query a user would write', () => {
  it('turns calculations, filters, groups, orders and havings into a spec', () => {
    expect(
      specFromFlags({
        calc: ['COUNT', 'P95(duration_ms)'],
        where: ['gen_ai.operation.name = chat', 'duration_ms >= 250', 'error.type exists', 'name in a,b'],
        group: ['gen_ai.request.model'],
        order: ['P95(duration_ms) desc', 'gen_ai.request.model asc'],
        having: ['COUNT > 10'],
        limit: '5',
        timeRange: '7d',
        dataset: ['claude-code'],
      }),
    ).toEqual({
      dataset: 'claude-code',
      calculations: [{ op: 'COUNT' }, { op: 'P95', column: 'duration_ms' }],
      filters: [
        { column: 'gen_ai.operation.name', op: '=', value: 'chat' },
        { column: 'duration_ms', op: '>=', value: 250 },
        { column: 'error.type', op: 'exists' },
        { column: 'name', op: 'in', value: ['a', 'b'] },
      ],
      breakdowns: ['gen_ai.request.model'],
      orders: [
        { op: 'P95', column: 'duration_ms', order: 'descending' },
        { column: 'gen_ai.request.model', order: 'ascending' },
      ],
      havings: [{ calculate_op: 'COUNT', column: undefined, op: '>', value: 10 }],
      limit: 5,
      time_range: 7 * 86400,
    });
  });

  it('reads the longest operator first so "does-not-contain" is not taken for "contains"', () => {
    expect(parseFilter('name does-not-contain retry')).toEqual({
      column: 'name',
      op: 'does-not-contain',
      value: 'retry',
    });
    expect(parseFilter('duration_ms != 3')).toEqual({ column: 'duration_ms', op: '!=', value: 3 });
  });

  it('says what to write when a filter or duration cannot be read', () => {
    expect(() => parseFilter('nonsense')).toThrow(/use "<column> <op> <value>"/);
    expect(() => parseFilter('name =')).toThrow(/needs a value/);
    expect(() => parseDuration('soon')).toThrow(/use e.g. 90s, 30m, 2h, 7d/);
    expect(parseDuration('90m')).toBe(5400);
  });
});
