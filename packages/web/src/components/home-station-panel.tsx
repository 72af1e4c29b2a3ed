import type { ReactNode } from 'react';
import { api, type QueryResult, type QuerySpec } from '../lib/api.ts';
import { formatCount, formatPercent, formatUsd } from '../lib/format.ts';
import {
  CALC,
  COLUMNS,
  panelLlmSpec,
  type RangeFields,
  readActivity,
  readUsage,
  sumSeries,
  type TierShare,
  tiersFor,
  unpricedCalls,
} from '../lib/home-queries.ts';
import { formatCallsCost } from '../lib/known-cost.ts';
import { queryHref } from '../lib/query-url.ts';
import { Link } from '../lib/router.tsx';
import { type AsyncState, useAsync } from '../lib/use-async.ts';
import { QueryNumber } from './home-number.tsx';
import { Sparkline } from './home-sparkline.tsx';
import { ErrorState } from './states.tsx';

type Loaded = AsyncState<QueryResult> & { reload: () => void };

const MODEL_ROWS = 5;

export const TIER_COLORS: Record<string, string> = {
  flagship: '#8b5cf6',
  mid: '#4f6bed',
  fast: '#2fa37d',
  specialised: '#d4a72c',
};
const OTHER_TIER = '#3aa7c9';
const UNPRICED = '#b8bec9';

export function tierColor(tier: string | null): string {
  if (tier === null) return UNPRICED;
  return TIER_COLORS[tier] ?? OTHER_TIER;
}

/**
 * One station (dataset) of the line: its LLM calls, cost, tokens and errors, spans and LLM calls over
 * time, its model tiers and models. Its own query (LLM calls by model) loads on its own, and each part
 * drawn from a line-wide query (activity, tiers, pricing) shows that query's state, so a slow or failing
 * query never blanks more than its own numbers.
 */
export function StationPanel(props: {
  dataset: string;
  range: RangeFields;
  tierSpec: QuerySpec;
  tiers: Loaded;
  pricingSpec: QuerySpec;
  pricing: Loaded;
  activitySpec: QuerySpec;
  activity: Loaded;
}): ReactNode {
  const { dataset, range, activitySpec, activity } = props;
  const llmSpec = panelLlmSpec(dataset, range);
  const llm = useAsync(
    (signal) => api.query(llmSpec, { signal, priority: 'background' }),
    JSON.stringify(llmSpec),
  );
  const usage = llm.status === 'ready' ? readUsage(llm.data.totals) : null;
  const spans = activity.status === 'ready' ? readActivity(activity.data, dataset) : null;
  const unpriced =
    props.pricing.status === 'ready' && usage ? unpricedCalls(props.pricing.data.groups, dataset) : 0;

  const pending = (state: Loaded, render: () => ReactNode): ReactNode =>
    state.status === 'ready' ? (
      render()
    ) : state.status === 'loading' ? (
      <span className="placeholder">
        <span className="visually-hidden">loading</span>
      </span>
    ) : (
      <span className="error-text" title={state.error.message}>
        !
      </span>
    );

  return (
    <section
      className="panel station"
      data-testid="station-panel"
      data-dataset={dataset}
      data-status={
        llm.status === 'error' || activity.status === 'error'
          ? 'error'
          : llm.status === 'ready' && activity.status === 'ready'
            ? 'ready'
            : 'loading'
      }
    >
      <header className="station-head">
        <h2>{dataset}</h2>
        <span className="muted small">
          {pending(activity, () => (
            <>
              <QueryNumber spec={activitySpec} value={spans?.spans ?? 0} testId="num-spans">
                {formatCount(spans?.spans)}
              </QueryNumber>{' '}
              spans
            </>
          ))}
        </span>
      </header>

      <div className="station-stats">
        <Stat label="LLM calls">
          {pending(llm, () => (
            <QueryNumber spec={llmSpec} value={usage?.llmCalls ?? 0} testId="num-llm-calls">
              {formatCount(usage?.llmCalls)}
            </QueryNumber>
          ))}
        </Stat>
        <Stat label="Cost">
          {pending(llm, () => (
            <QueryNumber spec={llmSpec} value={usage?.cost ?? null} testId="num-cost">
              {formatCallsCost(usage ?? { cost: 0, llmCalls: 0 })}
            </QueryNumber>
          ))}
          {unpriced > 0 && usage && usage.llmCalls > 0 ? (
            <span className="stat-note">
              <QueryNumber
                spec={props.pricingSpec}
                value={unpriced / usage.llmCalls}
                testId="num-unpriced"
                title={`${formatCount(unpriced)} LLM calls on models the price table does not know (cost_source = unknown_model); open the query`}
              >
                {formatPercent(unpriced / usage.llmCalls)}
              </QueryNumber>{' '}
              unpriced
            </span>
          ) : null}
        </Stat>
        <Stat label="Tokens">
          {pending(llm, () => (
            <QueryNumber
              spec={llmSpec}
              value={usage?.tokens ?? null}
              testId="num-tokens"
              title="input + output tokens (input includes cache reads and writes); open the query"
            >
              {formatCount(usage?.tokens)}
            </QueryNumber>
          ))}
        </Stat>
        <Stat label="Errors">
          {pending(activity, () => (
            <>
              <QueryNumber spec={activitySpec} value={spans?.errors ?? 0} testId="num-errors">
                {formatCount(spans?.errors)}
              </QueryNumber>
              <span className="stat-note">
                <QueryNumber
                  spec={activitySpec}
                  value={spans?.errorRate ?? null}
                  testId="num-error-rate"
                  className={spans && spans.errorRate !== null && spans.errorRate >= 0.05 ? 'bad' : undefined}
                >
                  {formatPercent(spans?.errorRate)}
                </QueryNumber>{' '}
                of spans
              </span>
            </>
          ))}
        </Stat>
      </div>

      {llm.status === 'error' ? <ErrorState error={llm.error} onRetry={llm.reload} /> : null}

      {usage ? (
        <div className="token-split muted small">
          <QueryNumber spec={llmSpec} value={usage.input} testId="num-input-tokens">
            {formatCount(usage.input)}
          </QueryNumber>{' '}
          in ·{' '}
          <QueryNumber spec={llmSpec} value={usage.output} testId="num-output-tokens">
            {formatCount(usage.output)}
          </QueryNumber>{' '}
          out ·{' '}
          <QueryNumber spec={llmSpec} value={usage.cacheRead} testId="num-cache-read-tokens">
            {formatCount(usage.cacheRead)}
          </QueryNumber>{' '}
          cache read
        </div>
      ) : null}

      <Activity
        llm={llm}
        activity={activity}
        llmSpec={llmSpec}
        activitySpec={activitySpec}
        dataset={dataset}
      />

      <Tiers dataset={dataset} spec={props.tierSpec} state={props.tiers} llmCalls={usage?.llmCalls ?? null} />

      {llm.status === 'ready' ? <Models result={llm.data} spec={llmSpec} /> : null}
    </section>
  );
}

function Stat(props: { label: string; children: ReactNode }): ReactNode {
  return (
    <div className="stat">
      <div className="label">{props.label}</div>
      <div className="value">{props.children}</div>
    </div>
  );
}

function Activity(props: {
  llm: Loaded;
  activity: Loaded;
  llmSpec: QuerySpec;
  activitySpec: QuerySpec;
  dataset: string;
}): ReactNode {
  const { llm, activity } = props;
  if (llm.status === 'error' || activity.status === 'error') {
    return <p className="muted small">The activity over time could not be loaded.</p>;
  }
  if (llm.status !== 'ready' || activity.status !== 'ready') {
    return <div className="sparkline-box placeholder-box" />;
  }
  const spanPoints = sumSeries(activity.data, CALC.count, (key) => key[COLUMNS.dataset] === props.dataset);
  const llmPoints = sumSeries(llm.data, CALC.count);
  return (
    <div className="sparkline-box">
      <Sparkline
        label={`${props.dataset}: spans and LLM calls over time`}
        series={[
          { name: 'spans', points: spanPoints, color: '#9aa3b2', area: true },
          { name: 'LLM calls', points: llmPoints, color: '#4f6bed' },
        ]}
      />
      <div className="sparkline-legend small">
        <Link to={queryHref(props.activitySpec)} className="legend-spans">
          spans
        </Link>
        <Link to={queryHref(props.llmSpec)} className="legend-llm">
          LLM calls
        </Link>
        <span className="muted">per {describeStep(activity.data.meta.granularity)}</span>
      </div>
    </div>
  );
}

function describeStep(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? 'day' : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} h`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} min`;
  return `${seconds} s`;
}

function Tiers(props: {
  dataset: string;
  spec: QuerySpec;
  state: Loaded;
  llmCalls: number | null;
}): ReactNode {
  const { state } = props;
  if (state.status === 'loading') return <div className="tier-bar placeholder-box" />;
  if (state.status === 'error') {
    return (
      <p className="error-text small" role="alert">
        Model tiers could not be loaded: {state.error.message}
      </p>
    );
  }
  const tiers: TierShare[] = tiersFor(state.data.groups, props.dataset);
  if (tiers.length === 0) return null;
  return (
    <div className="tiers" data-testid="tiers">
      <div className="tier-bar" role="img" aria-label="LLM calls by model tier">
        {tiers.map((tier) => (
          <QueryNumber
            key={String(tier.tier)}
            spec={props.spec}
            value={tier.share}
            className="segment"
            style={{ flexGrow: tier.share, background: tierColor(tier.tier) }}
            title={`${tier.tier ?? 'unpriced'}: ${formatCount(tier.llmCalls)} LLM calls (${formatPercent(tier.share)}); open the query`}
          >
            {tier.share >= 0.12 ? formatPercent(tier.share) : ''}
          </QueryNumber>
        ))}
      </div>
      <div className="tier-legend small">
        {tiers.map((tier) => (
          <span key={String(tier.tier)} data-testid="tier" data-tier={tier.tier ?? ''}>
            <i style={{ background: tierColor(tier.tier) }} />
            {tier.tier ?? 'unpriced'}{' '}
            <QueryNumber spec={props.spec} value={tier.share} className="muted">
              {formatPercent(tier.share)}
            </QueryNumber>
          </span>
        ))}
      </div>
    </div>
  );
}

function Models(props: { result: QueryResult; spec: QuerySpec }): ReactNode {
  const { result, spec } = props;
  const groups = result.groups;
  if (groups.length === 0) {
    return <p className="muted small">No LLM calls in this range.</p>;
  }
  const max = Math.max(...groups.map((g) => g.values[CALC.count] ?? 0));
  const shown = groups.slice(0, MODEL_ROWS);
  return (
    <table className="data compact models">
      <thead>
        <tr>
          <th>Model</th>
          <th className="num">Calls</th>
          <th className="num">Tokens</th>
          <th className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((group) => {
          const model = group.key[COLUMNS.model];
          const tier = group.key[COLUMNS.tier];
          const tierName = tier === null || tier === undefined ? null : String(tier);
          const usage = readUsage(group.values);
          return (
            <tr
              key={`${String(model)}\u0000${String(tier)}`}
              data-testid="model-row"
              data-model={model === null ? '' : String(model)}
            >
              <td className="model-cell">
                <span className="model-name">
                  <i
                    className="tier-dot"
                    style={{ background: tierColor(tierName) }}
                    title={tierName ? `${tierName} tier` : 'unpriced: not in the price table'}
                  />
                  {model === null ? '(no model)' : String(model)}
                </span>
                <span className="burn-bar" aria-hidden="true">
                  <span style={{ width: `${max > 0 ? (usage.llmCalls / max) * 100 : 0}%` }} />
                </span>
              </td>
              <td className="num">
                <QueryNumber spec={spec} value={usage.llmCalls}>
                  {formatCount(usage.llmCalls)}
                </QueryNumber>
              </td>
              <td className="num">
                <QueryNumber spec={spec} value={usage.tokens}>
                  {formatCount(usage.tokens)}
                </QueryNumber>
              </td>
              <td className="num">
                {usage.cost === null ? (
                  <QueryNumber spec={spec} value={null} className="muted" title="no price for this model">
                    unpriced
                  </QueryNumber>
                ) : (
                  <QueryNumber spec={spec} value={usage.cost}>
                    {formatUsd(usage.cost)}
                  </QueryNumber>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
      {groups.length > MODEL_ROWS ? (
        <tfoot>
          <tr>
            <td colSpan={4} className="muted small">
              <Link to={queryHref(spec)}>+{groups.length - MODEL_ROWS} more models</Link>
            </td>
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}
