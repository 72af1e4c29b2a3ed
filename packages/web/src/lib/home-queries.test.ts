import { describe, expect, it } from 'vitest';
import type { DatasetInfo, QueryGroup } from './api.ts';
import {
  CALC,
  COLUMNS,
  datasetsInRange,
  evaluationShares,
  evaluationSpec,
  evaluationTone,
  jobsSpec,
  keyLabel,
  LLM_OPERATIONS,
  lineActivitySpec,
  lineLlmSpec,
  panelLlmSpec,
  pricingSpec,
  rangeWindow,
  rankByBurn,
  readActivity,
  readUsage,
  sumSeries,
  tierSpec,
  tiersFor,
  unpricedCalls,
  usersSpec,
} from './home-queries.ts';

const week = { time_range: 604_800 };
const absolute = { start_time: 1_790_000_000, end_time: 1_790_086_400 };

describe('the home page specs', () => {
  it('carry the time range, relative or absolute, and nothing else of it', () => {
    for (const make of [
      lineLlmSpec,
      lineActivitySpec,
      tierSpec,
      pricingSpec,
      jobsSpec,
      usersSpec,
      evaluationSpec,
    ]) {
      expect(make(week).time_range).toBe(604_800);
      const spec = make(absolute);
      expect([spec.start_time, spec.end_time, spec.time_range]).toEqual([
        1_790_000_000,
        1_790_086_400,
        undefined,
      ]);
    }
    expect(panelLlmSpec('ci', absolute)).toMatchObject({ dataset: 'ci', ...absolute });
  });

  it('count LLM calls as chat / completion spans and name their results as the server does', () => {
    const spec = panelLlmSpec('claude-code', week);
    expect(spec.filters).toEqual([{ column: 'gen_ai.operation.name', op: 'in', value: [...LLM_OPERATIONS] }]);
    expect(LLM_OPERATIONS).toContain('chat');
    expect(LLM_OPERATIONS).toContain('text_completion');
    expect(spec.breakdowns).toEqual(['gen_ai.request.model', 'loopline.model.tier']);
    const names = (spec.calculations ?? []).map((c) => (c.column ? `${c.op}(${c.column})` : c.op));
    expect(names).toEqual([CALC.count, CALC.cost, CALC.input, CALC.output, CALC.cacheRead]);
  });

  it('split the leaderboards: jobs are LLM calls without user.id, users those with one', () => {
    expect(jobsSpec(week).filters?.[1]).toEqual({ column: 'user.id', op: 'does-not-exist' });
    expect(usersSpec(week).filters?.[1]).toEqual({ column: 'user.id', op: 'exists' });
    expect(jobsSpec(week).breakdowns).toEqual([
      'service.name',
      'gen_ai.agent.name',
      'cicd.pipeline.name',
      'cicd.pipeline.task.name',
    ]);
    expect(usersSpec(week).breakdowns).toEqual(['user.id']);
  });
});

describe('reading the answers', () => {
  it('reads usage, with tokens = input + output and null when neither was reported', () => {
    expect(
      readUsage({ COUNT: 3, [CALC.cost]: 1.5, [CALC.input]: 100, [CALC.output]: 20, [CALC.cacheRead]: 60 }),
    ).toEqual({ llmCalls: 3, cost: 1.5, input: 100, output: 20, cacheRead: 60, tokens: 120 });
    expect(readUsage({ COUNT: 0, [CALC.cost]: null, [CALC.input]: null, [CALC.output]: null })).toMatchObject(
      {
        llmCalls: 0,
        cost: null,
        tokens: null,
      },
    );
    expect(readUsage({ COUNT: 1, [CALC.input]: 5, [CALC.output]: null }).tokens).toBe(5);
  });

  it("reads the line's and a station's spans, errors and error rate from the activity by station", () => {
    const result = {
      totals: { COUNT: 260 },
      groups: [
        { key: { 'service.name': 'a', error: false }, values: { COUNT: 190 } },
        { key: { 'service.name': 'b', error: false }, values: { COUNT: 50 } },
        { key: { 'service.name': 'a', error: true }, values: { COUNT: 10 } },
        { key: { 'service.name': 'b', error: true }, values: { COUNT: 10 } },
      ],
    };
    expect(readActivity(result)).toEqual({ spans: 260, errors: 20, errorRate: 20 / 260 });
    expect(readActivity(result, 'a')).toEqual({ spans: 200, errors: 10, errorRate: 0.05 });
    expect(readActivity(result, 'b')).toEqual({ spans: 60, errors: 10, errorRate: 10 / 60 });
    expect(readActivity(result, 'c')).toEqual({ spans: 0, errors: 0, errorRate: null });
    expect(readActivity({ totals: { COUNT: 0 }, groups: [] })).toEqual({
      spans: 0,
      errors: 0,
      errorRate: null,
    });
    expect(lineActivitySpec(week).breakdowns).toEqual(['service.name', 'error']);
  });

  it('sums series per bucket, in time order, over all series or the matching ones', () => {
    const points = (values: number[]) =>
      values.map((v, i) => ({ time: `2026-11-2${i}T00:00:00.000Z`, values: { COUNT: v } }));
    const result = {
      series: [
        { key: { 'service.name': 'a', error: false }, points: points([1, 2, 3]).reverse() },
        { key: { 'service.name': 'a', error: true }, points: points([0, 1, 0]) },
        { key: { 'service.name': 'b', error: false }, points: points([5, 5, 5]) },
      ],
    };
    const summed = sumSeries(result, 'COUNT');
    expect(summed.map((p) => p.value)).toEqual([6, 8, 8]);
    expect(summed[0]?.time).toBe('2026-11-20T00:00:00.000Z');
    expect(sumSeries(result, 'COUNT', (key) => key['service.name'] === 'a').map((p) => p.value)).toEqual([
      1, 3, 3,
    ]);
  });

  it("reads a station's tiers in tier order with the unpriced (null) tier last, and its unpriced calls", () => {
    const groups: QueryGroup[] = [
      { key: { 'service.name': 'a', 'loopline.model.tier': null }, values: { COUNT: 1, [CALC.cost]: null } },
      { key: { 'service.name': 'a', 'loopline.model.tier': 'fast' }, values: { COUNT: 3, [CALC.cost]: 0.1 } },
      {
        key: { 'service.name': 'a', 'loopline.model.tier': 'flagship' },
        values: { COUNT: 4, [CALC.cost]: 2 },
      },
      { key: { 'service.name': 'b', 'loopline.model.tier': 'mid' }, values: { COUNT: 9, [CALC.cost]: 1 } },
    ];
    expect(tiersFor(groups, 'a').map((t) => [t.tier, t.share])).toEqual([
      ['flagship', 0.5],
      ['fast', 0.375],
      [null, 0.125],
    ]);
    expect(tiersFor(groups, 'nope')).toEqual([]);
    const pricing: QueryGroup[] = [
      { key: { 'service.name': 'a', cost_source: 'unknown_model' }, values: { COUNT: 2 } },
      { key: { 'service.name': 'a', cost_source: 'computed' }, values: { COUNT: 8 } },
      { key: { 'service.name': 'b', cost_source: 'unknown_model' }, values: { COUNT: 5 } },
    ];
    expect(unpricedCalls(pricing, 'a')).toBe(2);
    expect(unpricedCalls(pricing)).toBe(7);
  });

  it('ranks leaderboard rows by input + output tokens, drops rows without tokens, labels present values', () => {
    const groups: QueryGroup[] = [
      { key: { user: 'a' }, values: { [CALC.input]: 100, [CALC.output]: 50, COUNT: 2 } },
      { key: { user: 'b' }, values: { [CALC.input]: 120, [CALC.output]: 10, COUNT: 1 } },
      { key: { user: 'c' }, values: { [CALC.input]: null, [CALC.output]: null, COUNT: 4 } },
      { key: { user: 'd' }, values: { [CALC.input]: 140, [CALC.output]: 10, COUNT: 1 } },
    ];
    expect(rankByBurn(groups).map((r) => [r.label, r.tokens])).toEqual([
      ['a', 150],
      ['d', 150],
      ['b', 130],
    ]);
    expect(rankByBurn(groups, 1)).toHaveLength(1);
    expect(
      keyLabel({ 'service.name': 'ci', 'gen_ai.agent.name': null, 'cicd.pipeline.task.name': 'ai review' }),
    ).toBe('ci · ai review');
    expect(keyLabel({ x: null })).toBe('(none)');
  });

  it('shares evaluation labels per evaluation, best average score first, groundedness first', () => {
    const group = (name: string, label: string | null, count: number, avg: number | null): QueryGroup => ({
      key: { [COLUMNS.evalName]: name, [COLUMNS.evalLabel]: label },
      values: { COUNT: count, [CALC.evalScore]: avg },
    });
    const summaries = evaluationShares([
      group('toxicity', 'clean', 50, 1),
      group('groundedness', 'ungrounded', 1, 0.1),
      group('groundedness', 'fully grounded', 3, 0.95),
    ]);
    expect(summaries.map((s) => s.name)).toEqual(['groundedness', 'toxicity']);
    expect(summaries[0]?.total).toBe(4);
    expect(summaries[0]?.labels.map((l) => [l.label, l.share])).toEqual([
      ['fully grounded', 0.75],
      ['ungrounded', 0.25],
    ]);
  });
});

describe('which stations have data in the range', () => {
  const dataset = (name: string, rows: number, first: string | null, last: string | null): DatasetInfo => ({
    name,
    rows,
    first,
    last,
    attributes: [],
  });
  const now = Date.parse('2026-11-22T12:00:00Z');

  it('keeps datasets whose rows overlap the range, busiest first', () => {
    const { active, quiet } = datasetsInRange(
      [
        dataset('old', 10, '2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z'),
        dataset('small', 5, '2026-11-20T00:00:00Z', '2026-11-22T00:00:00Z'),
        dataset('big', 50, '2026-11-01T00:00:00Z', '2026-11-22T11:00:00Z'),
        dataset('empty', 0, null, null),
        dataset('unknown', 3, null, null),
      ],
      { time_range: 7 * 86_400 },
      now,
    );
    expect(active.map((d) => d.name)).toEqual(['big', 'small', 'unknown']);
    expect(quiet.map((d) => d.name)).toEqual(['old', 'empty']);
  });

  it('computes the window of relative and absolute ranges', () => {
    expect(rangeWindow({ time_range: 3600 }, now)).toEqual({ start: now - 3_600_000, end: now });
    expect(rangeWindow({ start_time: 100, end_time: 200 }, now)).toEqual({ start: 100_000, end: 200_000 });
    expect(rangeWindow({ start_time: 100, time_range: 50 }, now)).toEqual({ start: 100_000, end: 150_000 });
    expect(rangeWindow({ end_time: 200, time_range: 50 }, now)).toEqual({ start: 150_000, end: 200_000 });
  });
});

describe('evaluation label colours', () => {
  it('colour a label by its words, the same whatever the score', () => {
    expect(evaluationTone('fully grounded', 0.4)).toBe('good');
    expect(evaluationTone('mostly grounded')).toBe('fair');
    expect(evaluationTone('partially grounded')).toBe('mixed');
    expect(evaluationTone('weakly grounded')).toBe('poor');
    expect(evaluationTone('ungrounded', 0.99)).toBe('bad');
    expect(evaluationTone('fail')).toBe('bad');
    expect(evaluationTone('pass')).toBe('good');
  });

  it('fall back to the score, then to neutral', () => {
    expect(evaluationTone('category-7', 0.95)).toBe('good');
    expect(evaluationTone('category-7', 0.1)).toBe('bad');
    expect(evaluationTone('category-7')).toBe('neutral');
    expect(evaluationTone(null)).toBe('neutral');
  });
});
