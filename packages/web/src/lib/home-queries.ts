import type { DatasetInfo, Filter, QueryGroup, QueryResult, QuerySpec, Scalar } from './api.ts';

/**
 * The questions the line (home page) asks, as query-language specs, and the pure readers that turn their
 * answers into what the page shows. Every number on the page is a total, a group value or a ratio of
 * values of one of these specs, and links to it (`queryHref(spec)`), so a person can click a number and
 * see the query that produced it. Browser tests import the same specs to check the page against the API.
 */

/** `time_range` or `start_time`/`end_time`, as `timeRangeQuery` gives them. */
export interface RangeFields {
  time_range?: number;
  start_time?: number;
  end_time?: number;
}

/** LLM calls: the GenAI operations that are one model completion each. */
export const LLM_OPERATIONS = ['chat', 'text_completion', 'generate_content'] as const;

export const COLUMNS = {
  dataset: 'service.name',
  operation: 'gen_ai.operation.name',
  model: 'gen_ai.request.model',
  tier: 'loopline.model.tier',
  costSource: 'cost_source',
  cost: 'cost_usd',
  input: 'gen_ai.usage.input_tokens',
  output: 'gen_ai.usage.output_tokens',
  cacheRead: 'gen_ai.usage.cache_read.input_tokens',
  error: 'error',
  conversation: 'gen_ai.conversation.id',
  trace: 'trace.trace_id',
  user: 'user.id',
  agent: 'gen_ai.agent.name',
  pipeline: 'cicd.pipeline.name',
  task: 'cicd.pipeline.task.name',
  evalName: 'gen_ai.evaluation.name',
  evalLabel: 'gen_ai.evaluation.score.label',
  evalScore: 'gen_ai.evaluation.score.value',
} as const;

/** Result names of the calculations below (docs/query-language.md: `OP(column)` or `COUNT`). */
export const CALC = {
  count: 'COUNT',
  cost: `SUM(${COLUMNS.cost})`,
  input: `SUM(${COLUMNS.input})`,
  output: `SUM(${COLUMNS.output})`,
  cacheRead: `SUM(${COLUMNS.cacheRead})`,
  conversations: `COUNT_DISTINCT(${COLUMNS.conversation})`,
  traces: `COUNT_DISTINCT(${COLUMNS.trace})`,
  evalScore: `AVG(${COLUMNS.evalScore})`,
} as const;

/** The value of `cost_source` for a model the price table does not know. */
export const UNPRICED_SOURCE = 'unknown_model';

const llmFilter = (): Filter => ({ column: COLUMNS.operation, op: 'in', value: [...LLM_OPERATIONS] });

const usageCalcs = () => [
  { op: 'COUNT' },
  { op: 'SUM', column: COLUMNS.cost },
  { op: 'SUM', column: COLUMNS.input },
  { op: 'SUM', column: COLUMNS.output },
  { op: 'SUM', column: COLUMNS.cacheRead },
];

// ---------------------------------------------------------------------------------------------------------
// the specs

/** Line-wide LLM usage: LLM calls, cost, input / output / cache-read tokens (totals only). */
export function lineLlmSpec(range: RangeFields): QuerySpec {
  return { calculations: usageCalcs(), filters: [llmFilter()], ...range };
}

/**
 * Activity by station: spans and errors (the `error = true` groups) per station and their series (the
 * panels' sparklines); its totals are the line's spans, conversations and traces.
 */
export function lineActivitySpec(range: RangeFields): QuerySpec {
  return {
    calculations: [
      { op: 'COUNT' },
      { op: 'COUNT_DISTINCT', column: COLUMNS.conversation },
      { op: 'COUNT_DISTINCT', column: COLUMNS.trace },
    ],
    breakdowns: [COLUMNS.dataset, COLUMNS.error],
    limit: 1000,
    ...range,
  };
}

/**
 * One station's LLM usage by model (and the model's price-table tier): totals are the panel's headline,
 * groups its model table, series its LLM calls over time.
 */
export function panelLlmSpec(dataset: string, range: RangeFields): QuerySpec {
  return {
    dataset,
    calculations: usageCalcs(),
    filters: [llmFilter()],
    breakdowns: [COLUMNS.model, COLUMNS.tier],
    limit: 50,
    ...range,
  };
}

/** LLM calls and cost by station and price-table tier (null tier: the model has no price). */
export function tierSpec(range: RangeFields): QuerySpec {
  return {
    calculations: [{ op: 'COUNT' }, { op: 'SUM', column: COLUMNS.cost }],
    filters: [llmFilter()],
    breakdowns: [COLUMNS.dataset, COLUMNS.tier],
    limit: 1000,
    ...range,
  };
}

/** LLM calls by station and cost source: `unknown_model` calls are the unpriced ones. */
export function pricingSpec(range: RangeFields): QuerySpec {
  return {
    calculations: [{ op: 'COUNT' }],
    filters: [llmFilter()],
    breakdowns: [COLUMNS.dataset, COLUMNS.costSource],
    limit: 1000,
    ...range,
  };
}

/**
 * Token burn by job: the automated LLM calls (no `user.id`: CI jobs, agents, judges — the calls a person
 * made are in `usersSpec`, so the two leaderboards split the line) by station, and by agent, CI pipeline
 * and CI task when the LLM spans carry them. Ranked client-side by input + output tokens (`rankByBurn`).
 */
export function jobsSpec(range: RangeFields): QuerySpec {
  return {
    calculations: [
      { op: 'SUM', column: COLUMNS.input },
      { op: 'SUM', column: COLUMNS.output },
      { op: 'SUM', column: COLUMNS.cost },
      { op: 'COUNT' },
    ],
    filters: [llmFilter(), { column: COLUMNS.user, op: 'does-not-exist' }],
    breakdowns: [COLUMNS.dataset, COLUMNS.agent, COLUMNS.pipeline, COLUMNS.task],
    limit: 100,
    ...range,
  };
}

/** Token burn by person (`user.id`), over the LLM calls that carry one. */
export function usersSpec(range: RangeFields): QuerySpec {
  return {
    calculations: [
      { op: 'SUM', column: COLUMNS.input },
      { op: 'SUM', column: COLUMNS.output },
      { op: 'SUM', column: COLUMNS.cost },
      { op: 'COUNT' },
    ],
    filters: [llmFilter(), { column: COLUMNS.user, op: 'exists' }],
    breakdowns: [COLUMNS.user],
    limit: 100,
    ...range,
  };
}

/** Evaluation results by evaluation name and label, with the average score that orders the labels. */
export function evaluationSpec(range: RangeFields): QuerySpec {
  return {
    calculations: [{ op: 'COUNT' }, { op: 'AVG', column: COLUMNS.evalScore }],
    filters: [{ column: COLUMNS.evalName, op: 'exists' }],
    breakdowns: [COLUMNS.evalName, COLUMNS.evalLabel],
    limit: 1000,
    ...range,
  };
}

// ---------------------------------------------------------------------------------------------------------
// reading the answers

export interface Usage {
  llmCalls: number;
  cost: number | null;
  input: number | null;
  output: number | null;
  cacheRead: number | null;
  /** input + output (input already includes cache reads and writes); null when neither was reported */
  tokens: number | null;
}

/** Usage from a result's totals or a group's values (the `usageCalcs` names). */
export function readUsage(values: Record<string, number | null | undefined>): Usage {
  const input = values[CALC.input] ?? null;
  const output = values[CALC.output] ?? null;
  return {
    llmCalls: values[CALC.count] ?? 0,
    cost: values[CALC.cost] ?? null,
    input,
    output,
    cacheRead: values[CALC.cacheRead] ?? null,
    tokens: input === null && output === null ? null : (input ?? 0) + (output ?? 0),
  };
}

export interface Activity {
  spans: number;
  errors: number;
  /** errors / spans; null without spans */
  errorRate: number | null;
}

/**
 * Spans and errors from lineActivitySpec: the line's (spans from the totals) or, given a dataset, that
 * station's (its groups).
 */
export function readActivity(result: Pick<QueryResult, 'totals' | 'groups'>, dataset?: string): Activity {
  const groups =
    dataset === undefined ? result.groups : result.groups.filter((g) => g.key[COLUMNS.dataset] === dataset);
  const count = (rows: QueryGroup[]): number => rows.reduce((sum, g) => sum + (g.values[CALC.count] ?? 0), 0);
  const spans = dataset === undefined ? (result.totals[CALC.count] ?? 0) : count(groups);
  const errors = count(groups.filter((g) => g.key[COLUMNS.error] === true));
  return { spans, errors, errorRate: spans > 0 ? errors / spans : null };
}

/**
 * Per time bucket, the sum of a calculation over the series (all, or those whose key `match`es): one
 * line for a whole panel.
 */
export function sumSeries(
  result: Pick<QueryResult, 'series'>,
  calc: string,
  match: (key: Record<string, Scalar>) => boolean = () => true,
): { time: string; value: number }[] {
  const byTime = new Map<string, number>();
  for (const series of result.series) {
    if (!match(series.key)) continue;
    for (const point of series.points) {
      byTime.set(point.time, (byTime.get(point.time) ?? 0) + (point.values[calc] ?? 0));
    }
  }
  return [...byTime.entries()]
    .sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]))
    .map(([time, value]) => ({ time, value }));
}

export interface TierShare {
  /** tier name; null for models without a price-table tier */
  tier: string | null;
  llmCalls: number;
  cost: number | null;
  /** share of the station's LLM calls */
  share: number;
}

/** Display order of tiers (others follow by name; the unpriced null tier last). */
export const TIER_ORDER = ['flagship', 'mid', 'fast', 'specialised'];

/** One station's LLM calls by tier, from tierSpec's groups. */
export function tiersFor(groups: QueryGroup[], dataset: string): TierShare[] {
  const rows = groups.filter((g) => g.key[COLUMNS.dataset] === dataset);
  const total = rows.reduce((sum, g) => sum + (g.values[CALC.count] ?? 0), 0);
  const rank = (tier: string | null): number => {
    if (tier === null) return TIER_ORDER.length + 1;
    const index = TIER_ORDER.indexOf(tier);
    return index === -1 ? TIER_ORDER.length : index;
  };
  return rows
    .map((g) => {
      const tier = g.key[COLUMNS.tier];
      const llmCalls = g.values[CALC.count] ?? 0;
      return {
        tier: tier === null || tier === undefined ? null : String(tier),
        llmCalls,
        cost: g.values[CALC.cost] ?? null,
        share: total > 0 ? llmCalls / total : 0,
      };
    })
    .sort((a, b) => rank(a.tier) - rank(b.tier) || String(a.tier).localeCompare(String(b.tier)));
}

/** LLM calls whose model has no price (`cost_source = unknown_model`) — for one station or, without one, all. */
export function unpricedCalls(groups: QueryGroup[], dataset?: string): number {
  return groups
    .filter((g) => g.key[COLUMNS.costSource] === UNPRICED_SOURCE)
    .filter((g) => dataset === undefined || g.key[COLUMNS.dataset] === dataset)
    .reduce((sum, g) => sum + (g.values[CALC.count] ?? 0), 0);
}

export interface LeaderboardRow {
  key: Record<string, Scalar>;
  label: string;
  input: number | null;
  output: number | null;
  /** input + output */
  tokens: number;
  cost: number | null;
  llmCalls: number;
}

/** A group key as a label: its present values joined by ` · ` (`(none)` when every value is missing). */
export function keyLabel(key: Record<string, Scalar>): string {
  const parts = Object.values(key)
    .filter((v) => v !== null && v !== '')
    .map(String);
  return parts.length > 0 ? parts.join(' · ') : '(none)';
}

/** Leaderboard rows (jobsSpec, usersSpec) by token burn, most first; ties by label. */
export function rankByBurn(groups: QueryGroup[], top = 8): LeaderboardRow[] {
  return groups
    .map((g) => {
      const usage = readUsage(g.values);
      return {
        key: g.key,
        label: keyLabel(g.key),
        input: usage.input,
        output: usage.output,
        tokens: usage.tokens ?? 0,
        cost: usage.cost,
        llmCalls: usage.llmCalls,
      };
    })
    .filter((row) => row.tokens > 0)
    .sort((a, b) => b.tokens - a.tokens || a.label.localeCompare(b.label))
    .slice(0, top);
}

export interface EvaluationLabelShare {
  label: string | null;
  count: number;
  share: number;
  avgScore: number | null;
}
export interface EvaluationSummary {
  name: string;
  total: number;
  /** best average score first */
  labels: EvaluationLabelShare[];
}

/** Label shares per evaluation name (evaluationSpec), labels ordered by their average score, best first. */
export function evaluationShares(groups: QueryGroup[]): EvaluationSummary[] {
  const byName = new Map<string, QueryGroup[]>();
  for (const group of groups) {
    const name = String(group.key[COLUMNS.evalName] ?? '');
    byName.set(name, [...(byName.get(name) ?? []), group]);
  }
  const summaries: EvaluationSummary[] = [];
  for (const [name, rows] of byName) {
    const total = rows.reduce((sum, g) => sum + (g.values[CALC.count] ?? 0), 0);
    const labels = rows
      .map((g) => {
        const label = g.key[COLUMNS.evalLabel];
        const count = g.values[CALC.count] ?? 0;
        return {
          label: label === null || label === undefined ? null : String(label),
          count,
          share: total > 0 ? count / total : 0,
          avgScore: g.values[CALC.evalScore] ?? null,
        };
      })
      .sort(
        (a, b) =>
          (b.avgScore ?? Number.NEGATIVE_INFINITY) - (a.avgScore ?? Number.NEGATIVE_INFINITY) ||
          String(a.label).localeCompare(String(b.label)),
      );
    summaries.push({ name, total, labels });
  }
  // groundedness first (the line's headline judge), then by volume
  return summaries.sort(
    (a, b) =>
      Number(b.name === 'groundedness') - Number(a.name === 'groundedness') ||
      b.total - a.total ||
      a.name.localeCompare(b.name),
  );
}

/** The time window a range stands for now (epoch ms). */
export function rangeWindow(range: RangeFields, nowMs: number): { start: number; end: number } {
  if (range.start_time !== undefined && range.end_time !== undefined) {
    return { start: range.start_time * 1000, end: range.end_time * 1000 };
  }
  const seconds = range.time_range ?? 7200;
  if (range.start_time !== undefined)
    return { start: range.start_time * 1000, end: range.start_time * 1000 + seconds * 1000 };
  if (range.end_time !== undefined)
    return { start: range.end_time * 1000 - seconds * 1000, end: range.end_time * 1000 };
  return { start: nowMs - seconds * 1000, end: nowMs };
}

/**
 * The span datasets with rows in the range (by their first and last row), busiest first; the rest are
 * quiet in this range. Datasets without first/last are kept (the store does not say).
 */
export function datasetsInRange(
  datasets: DatasetInfo[],
  range: RangeFields,
  nowMs: number,
): { active: DatasetInfo[]; quiet: DatasetInfo[] } {
  const { start, end } = rangeWindow(range, nowMs);
  const active: DatasetInfo[] = [];
  const quiet: DatasetInfo[] = [];
  for (const dataset of datasets) {
    const first = dataset.first === null ? null : Date.parse(dataset.first);
    const last = dataset.last === null ? null : Date.parse(dataset.last);
    const overlaps = dataset.rows > 0 && (first === null || first < end) && (last === null || last >= start);
    (overlaps ? active : quiet).push(dataset);
  }
  active.sort((a, b) => b.rows - a.rows || a.name.localeCompare(b.name));
  return { active, quiet };
}

export type Tone = 'good' | 'fair' | 'mixed' | 'poor' | 'bad' | 'neutral';

/**
 * The colour of an evaluation label, the same wherever it shows: from its words (`fully grounded` good …
 * `ungrounded` bad, `pass` good, `fail` bad), else from a score when one is given (1 best), else neutral.
 */
export function evaluationTone(label: string | null, score?: number | null): Tone {
  const text = (label ?? '').toLowerCase();
  if (/\b(un|not|non)[- ]?grounded\b|\bfail|\bincorrect|\bwrong|\bbad\b|\bharmful/.test(text)) return 'bad';
  if (/\bweak|\bpoor|\blow\b/.test(text)) return 'poor';
  if (/\bpartial|\bmixed|\bsome/.test(text)) return 'mixed';
  if (/\bmostly|\bgood\b/.test(text)) return 'fair';
  if (/\bfully|\bpass|\bcorrect\b|\bgrounded\b|\bexcellent/.test(text)) return 'good';
  if (score === null || score === undefined || !Number.isFinite(score)) return 'neutral';
  if (score >= 0.9) return 'good';
  if (score >= 0.75) return 'fair';
  if (score >= 0.5) return 'mixed';
  if (score >= 0.25) return 'poor';
  return 'bad';
}
