import { describe, expect, test } from 'vitest';
import type { QuerySpec } from './api.ts';
import {
  addFilters,
  bucketTimes,
  buildCatalogue,
  calcName,
  describeFilter,
  describeRange,
  describeSpec,
  emptyForm,
  formToSpec,
  groupFilters,
  groupLabel,
  narrowToGroup,
  narrowToHeatmapCell,
  narrowToPoint,
  orderChoices,
  parseScalar,
  type ResultWindow,
  specToForm,
  withTimeRange,
} from './query-spec.ts';

const window: ResultWindow = {
  start: '2026-11-15T07:10:27.389Z',
  end: '2026-11-22T07:10:27.389Z',
  granularity: 7200,
};
const seconds = (iso: string): number => Date.parse(iso) / 1000;

const spec: QuerySpec = {
  dataset: ['claude-code', 'codex-cli'],
  calculations: [{ op: 'COUNT' }, { op: 'P95', column: 'duration_ms' }],
  filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'chat' }],
  breakdowns: ['gen_ai.request.model', 'error'],
  time_range: 604_800,
  granularity: 7200,
};

describe('result names and descriptions', () => {
  test('calculation names follow the server: alias, OP(column) as written, COUNT', () => {
    expect(calcName({ op: 'COUNT' })).toBe('COUNT');
    expect(calcName({ op: 'P95', column: 'duration_ms' })).toBe('P95(duration_ms)');
    expect(calcName({ op: 'SUM', column: 'cost_usd', alias: 'spend' })).toBe('spend');
    expect(calcName({ op: 'HEATMAP', column: 'duration_ms' })).toBe('HEATMAP(duration_ms)');
  });

  test('a query reads as one line, with the range on request', () => {
    expect(describeSpec(spec)).toBe(
      'COUNT, P95(duration_ms) of spans in claude-code, codex-cli where gen_ai.operation.name = chat by gen_ai.request.model, error',
    );
    expect(describeSpec(spec, { time: true })).toMatch(/ over last 7 days$/);
    expect(describeSpec({})).toBe('COUNT');
    expect(
      describeSpec({
        source: 'logs',
        calculations: [{ op: 'COUNT' }],
        filters: [
          { column: 'severity_number', op: '>=', value: 17 },
          { column: 'body', op: 'contains', value: 'timeout' },
        ],
        filter_combination: 'OR',
        havings: [{ calculate_op: 'COUNT', op: '>', value: 10 }],
      }),
    ).toBe('COUNT of logs where severity_number >= 17 or body contains timeout having COUNT > 10');
  });

  test('filters read naturally, values quoted only when they would be ambiguous', () => {
    expect(describeFilter({ column: 'trace.parent_id', op: 'does-not-exist' })).toBe(
      'trace.parent_id does not exist',
    );
    expect(describeFilter({ column: 'x', op: 'in', value: ['a', 'b c', 2] })).toBe('x in (a, b c, 2)');
    expect(describeFilter({ column: 'x', op: '=', value: '' })).toBe('x = ""');
    expect(describeFilter({ column: 'x', op: 'not-in', value: ['a,b'] })).toBe('x not in ("a,b")');
  });

  test('ranges: presets by name, absolute ranges in UTC', () => {
    expect(describeRange({})).toBe('last 2h');
    expect(describeRange({ time_range: 86_400 })).toBe('last 24 hours');
    expect(describeRange({ time_range: 5400 })).toBe('last 90m');
    expect(
      describeRange({
        start_time: seconds('2026-11-20T10:00:00Z'),
        end_time: seconds('2026-11-20T12:00:00Z'),
      }),
    ).toBe('2026-11-20 10:00 – 12:00 UTC');
    expect(
      describeRange({
        start_time: seconds('2026-11-20T10:00:00Z'),
        end_time: seconds('2026-11-21T10:00:30Z'),
      }),
    ).toBe('2026-11-20 10:00 – 2026-11-21 10:00:30 UTC');
  });

  test('group labels name missing and empty values', () => {
    expect(groupLabel({})).toBe('all');
    expect(groupLabel({ a: 'x', b: null, c: '', d: true })).toBe('x · (none) · (empty) · true');
  });
});

describe('narrowing a query to a clicked point, cell or row', () => {
  test('a group key becomes equality filters, a missing value does-not-exist', () => {
    expect(groupFilters({ 'gen_ai.request.model': 'gpt-5', error: true, 'user.id': null })).toEqual([
      { column: 'gen_ai.request.model', op: '=', value: 'gpt-5' },
      { column: 'error', op: '=', value: true },
      { column: 'user.id', op: 'does-not-exist' },
    ]);
  });

  test('a chart point: group filters added, range = its bucket, relative range and granularity dropped', () => {
    const { spec: narrowed, exact } = narrowToPoint(
      spec,
      { key: { 'gen_ai.request.model': 'gpt-5', error: null }, time: '2026-11-18T10:00:00.000Z' },
      window,
    );
    expect(exact).toBe(true);
    expect(narrowed).toEqual({
      dataset: ['claude-code', 'codex-cli'],
      calculations: spec.calculations,
      filters: [
        { column: 'gen_ai.operation.name', op: '=', value: 'chat' },
        { column: 'gen_ai.request.model', op: '=', value: 'gpt-5' },
        { column: 'error', op: 'does-not-exist' },
      ],
      breakdowns: spec.breakdowns,
      start_time: seconds('2026-11-18T10:00:00Z'),
      end_time: seconds('2026-11-18T12:00:00Z'),
    });
    // the original is untouched
    expect(spec.filters).toHaveLength(1);
    expect(spec.time_range).toBe(604_800);
  });

  test("the first and last buckets are cut to the result's range", () => {
    const first = narrowToPoint(spec, { key: {}, time: '2026-11-15T06:00:00.000Z' }, window).spec;
    expect(first.start_time).toBe(seconds(window.start));
    expect(first.end_time).toBe(seconds('2026-11-15T08:00:00Z'));
    const last = narrowToPoint(spec, { key: {}, time: '2026-11-22T06:00:00.000Z' }, window).spec;
    expect(last.start_time).toBe(seconds('2026-11-22T06:00:00Z'));
    expect(last.end_time).toBe(seconds(window.end));
  });

  test('a table row: group filters over the whole result range, made absolute', () => {
    const { spec: narrowed } = narrowToGroup(spec, { 'gen_ai.request.model': 'gpt-5', error: false }, window);
    expect(narrowed.filters?.slice(1)).toEqual([
      { column: 'gen_ai.request.model', op: '=', value: 'gpt-5' },
      { column: 'error', op: '=', value: false },
    ]);
    expect(narrowed.start_time).toBe(seconds(window.start));
    expect(narrowed.end_time).toBe(seconds(window.end));
    expect(narrowed.time_range).toBeUndefined();
  });

  test('a heatmap cell: value range on the column and its time bucket; the last bucket includes the max', () => {
    const heat: QuerySpec = { calculations: [{ op: 'HEATMAP', column: 'duration_ms' }], time_range: 604_800 };
    const cell = {
      column: 'duration_ms',
      time: '2026-11-18T10:00:00.000Z',
      lower: 100,
      upper: 200,
      last: false,
    };
    const { spec: narrowed } = narrowToHeatmapCell(heat, cell, window);
    expect(narrowed.filters).toEqual([
      { column: 'duration_ms', op: '>=', value: 100 },
      { column: 'duration_ms', op: '<', value: 200 },
    ]);
    expect([narrowed.start_time, narrowed.end_time]).toEqual([
      seconds('2026-11-18T10:00:00Z'),
      seconds('2026-11-18T12:00:00Z'),
    ]);
    const last = narrowToHeatmapCell(heat, { ...cell, last: true }, window).spec;
    expect(last.filters?.[1]).toEqual({ column: 'duration_ms', op: '<=', value: 200 });
  });

  test('OR: one filter becomes AND with the new ones; several cannot be narrowed exactly', () => {
    const one = addFilters({ filters: [{ column: 'a', op: 'exists' }], filter_combination: 'OR' }, [
      { column: 'b', op: '=', value: 1 },
    ]);
    expect(one).toEqual({
      spec: {
        filters: [
          { column: 'a', op: 'exists' },
          { column: 'b', op: '=', value: 1 },
        ],
      },
      exact: true,
    });
    const many: QuerySpec = {
      filters: [
        { column: 'a', op: 'exists' },
        { column: 'c', op: 'exists' },
      ],
      filter_combination: 'OR',
    };
    const result = narrowToGroup(many, { b: 'x' }, window);
    expect(result.exact).toBe(false);
    expect(result.spec.filters).toEqual(many.filters);
    expect(result.spec.filter_combination).toBe('OR');
  });

  test('bucket starts are multiples of the granularity covering the range', () => {
    const times = bucketTimes(window);
    expect(times[0]).toBe('2026-11-15T06:00:00.000Z');
    expect(times[times.length - 1]).toBe('2026-11-22T06:00:00.000Z');
    expect(times).toHaveLength(85);
  });
});

describe('board time ranges', () => {
  test("a board's range replaces the query's time fields", () => {
    expect(withTimeRange(spec, { seconds: 86_400, from: null, to: null })).toEqual({
      ...spec,
      time_range: 86_400,
    });
    const absolute = withTimeRange(
      { start_time: 1, end_time: 2, filters: [] },
      { seconds: null, from: 1000, to: 4600 },
    );
    expect(absolute).toEqual({ filters: [], start_time: 1000, end_time: 4600 });
  });

  test('a granularity that would make more than 1000 buckets is dropped', () => {
    const fine: QuerySpec = { time_range: 3600, granularity: 60 };
    expect(withTimeRange(fine, { seconds: 30 * 86_400, from: null, to: null })).toEqual({
      time_range: 2_592_000,
    });
    expect(withTimeRange(fine, { seconds: 7200, from: null, to: null })).toEqual({
      time_range: 7200,
      granularity: 60,
    });
  });
});

describe("the builder's form", () => {
  const catalogue = buildCatalogue(
    {
      columns: [
        { name: 'duration_ms', column: 'duration_ms', type: 'float', description: 'span duration' },
        { name: 'error', column: 'is_error', type: 'boolean', description: 'error' },
        { name: 'gen_ai.request.model', column: 'request_model', type: 'string', description: 'model' },
        { name: 'gen_ai.usage.input_tokens', column: 'input_tokens', type: 'integer', description: 'tokens' },
      ],
      datasets: [
        { name: 'ci', attributes: [{ name: 'cicd.worker.name', type: 'string' }] },
        {
          name: 'coding-agent',
          attributes: [
            { name: 'server.port', type: 'integer' },
            { name: 'duration_ms', type: 'float' },
          ],
        },
      ],
    },
    ['coding-agent'],
  );

  test('the catalogue knows typed columns by both names and the chosen datasets’ attributes', () => {
    expect(catalogue.typeOf('is_error')).toBe('boolean');
    expect(catalogue.typeOf('gen_ai.usage.input_tokens')).toBe('integer');
    expect(catalogue.typeOf('server.port')).toBe('integer');
    expect(catalogue.typeOf('cicd.worker.name')).toBeUndefined();
    expect(catalogue.columns.map((c) => c.name)).toEqual([
      'duration_ms',
      'error',
      'gen_ai.request.model',
      'gen_ai.usage.input_tokens',
      'server.port',
    ]);
    expect(catalogue.columns.at(-1)).toMatchObject({
      typed: false,
      description: 'attribute in coding-agent',
    });
  });

  test('values are typed by their column', () => {
    expect(parseScalar('250', 'float', '>')).toBe(250);
    expect(parseScalar('abc', 'integer', '=')).toBe('abc');
    expect(parseScalar('TRUE', 'boolean', '=')).toBe(true);
    expect(parseScalar('42', 'string', '=')).toBe('42');
    expect(parseScalar('42', undefined, '>=')).toBe(42);
    expect(parseScalar('42', undefined, '=')).toBe('42');
    expect(parseScalar(' 42 ', 'integer', 'contains')).toBe(' 42 ');
  });

  test('form → query leaves out empty rows and defaults, and types values', () => {
    const form = emptyForm();
    form.datasets = ['coding-agent'];
    form.calculations = [{ op: 'COUNT' }, { op: 'P95', column: 'duration_ms' }, { op: 'SUM', column: '' }];
    form.filters = [
      { column: 'error', op: '=', value: 'true' },
      { column: 'server.port', op: 'in', value: '80, 443,' },
      { column: 'gen_ai.request.model', op: 'exists', value: 'ignored' },
      { column: ' ', op: '=', value: 'x' },
    ];
    form.breakdowns = ['gen_ai.request.model', ''];
    form.orders = [{ op: 'P95', column: 'duration_ms', order: 'descending' }];
    form.havings = [
      { calculate_op: 'COUNT', op: '>', value: '5' },
      { calculate_op: 'COUNT', op: '>', value: '' },
    ];
    form.limit = '10';
    form.granularity = 3600;
    expect(formToSpec(form, catalogue.typeOf)).toEqual({
      dataset: 'coding-agent',
      calculations: [{ op: 'COUNT' }, { op: 'P95', column: 'duration_ms' }],
      filters: [
        { column: 'error', op: '=', value: true },
        { column: 'server.port', op: 'in', value: [80, 443] },
        { column: 'gen_ai.request.model', op: 'exists' },
      ],
      breakdowns: ['gen_ai.request.model'],
      orders: [{ op: 'P95', column: 'duration_ms', order: 'descending' }],
      havings: [{ calculate_op: 'COUNT', op: '>', value: 5 }],
      limit: 10,
      time_range: 604_800,
      granularity: 3600,
    });
  });

  test('query → form → query gives the same query', () => {
    const full: QuerySpec = {
      source: 'logs',
      dataset: ['a', 'b'],
      calculations: [{ op: 'COUNT' }, { op: 'SUM', column: 'cost_usd', alias: 'spend' }],
      filters: [
        { column: 'gen_ai.request.model', op: 'in', value: ['x', 'y'] },
        { column: 'error', op: '=', value: true },
      ],
      filter_combination: 'OR',
      breakdowns: ['service.name'],
      orders: [{ column: 'service.name', order: 'ascending' }],
      havings: [{ calculate_op: 'SUM', column: 'cost_usd', op: '>', value: 1.5 }],
      limit: 5,
      start_time: 1000,
      end_time: 4600,
    };
    expect(formToSpec(specToForm(full), catalogue.typeOf)).toEqual(full);
    expect(specToForm({ start_time: 1000, time_range: 600 }).time).toEqual({
      mode: 'absolute',
      from: 1000,
      to: 1600,
    });
    expect(specToForm({}).time).toEqual({ mode: 'relative', seconds: 7200 });
  });

  test('orders offer the number calculations and the group-by columns', () => {
    expect(
      orderChoices({
        calculations: [
          { op: 'COUNT' },
          { op: 'HEATMAP', column: 'duration_ms' },
          { op: 'P95', column: 'duration_ms' },
          { op: 'AVG' },
        ],
        breakdowns: ['gen_ai.request.model', ''],
      }),
    ).toEqual([
      { label: 'COUNT', order: { op: 'COUNT' } },
      { label: 'P95(duration_ms)', order: { op: 'P95', column: 'duration_ms' } },
      { label: 'gen_ai.request.model', order: { column: 'gen_ai.request.model' } },
    ]);
  });
});
