import type { ReactNode } from 'react';
import { EvaluationShares } from '../components/home-evaluations.tsx';
import { StationPanel, TIER_COLORS, tierColor } from '../components/home-station-panel.tsx';
import { LineTotals } from '../components/home-totals.tsx';
import { Leaderboard } from '../components/leaderboard.tsx';
import { ErrorState, Loading, SendDataHint } from '../components/states.tsx';
import { api, type QuerySpec } from '../lib/api.ts';
import {
  datasetsInRange,
  evaluationSpec,
  jobsSpec,
  lineActivitySpec,
  lineLlmSpec,
  pricingSpec,
  type RangeFields,
  tierSpec,
  usersSpec,
} from '../lib/home-queries.ts';
import { href, useLocation, useTitle } from '../lib/router.tsx';
import { describeTimeRange, readTimeRange, timeRangeParams, timeRangeQuery } from '../lib/time-range.ts';
import { useAsync } from '../lib/use-async.ts';
import './home.css';

/**
 * The line: what every AI on the delivery line did in the chosen range — line-wide totals, who and what
 * burned the most tokens, how the judges labelled the work, and one panel per station (dataset). Every
 * number links to the query that produced it; every query loads on its own.
 */
export function HomePage(): ReactNode {
  useTitle('The line');
  const location = useLocation();
  const timeRange = readTimeRange(location.search);
  const range = timeRangeQuery(timeRange);
  const rangeKey = JSON.stringify(range);
  const datasets = useAsync((signal) => api.datasets({ signal }), 'datasets');
  const stations =
    datasets.status === 'ready' ? datasetsInRange(datasets.data.spans.datasets, range, Date.now()) : null;

  return (
    <div className="home" data-testid="home">
      <div className="page-header">
        <h1>The line</h1>
        <span className="sub">{describeTimeRange(timeRange)}</span>
        {stations && stations.active.length > 0 ? (
          <span className="sub">· every number opens the query behind it</span>
        ) : null}
      </div>
      {datasets.status === 'loading' ? <Loading what="the line" /> : null}
      {datasets.status === 'error' ? <ErrorState error={datasets.error} onRetry={datasets.reload} /> : null}
      {stations ? (
        <Line key={rangeKey} range={range} datasets={stations} rangeParams={timeRangeParams(timeRange)} />
      ) : null}
    </div>
  );
}

function Line(props: {
  range: RangeFields;
  datasets: ReturnType<typeof datasetsInRange>;
  rangeParams: Record<string, string>;
}): ReactNode {
  const { range } = props;
  const specs = {
    llm: lineLlmSpec(range),
    activity: lineActivitySpec(range),
    tiers: tierSpec(range),
    pricing: pricingSpec(range),
    jobs: jobsSpec(range),
    users: usersSpec(range),
    evaluations: evaluationSpec(range),
  };
  // the line's panels fill in the background: what the user asks for next goes ahead of them
  const run = (spec: QuerySpec) => (signal: AbortSignal) =>
    api.query(spec, { signal, priority: 'background' });
  const llm = useAsync(run(specs.llm), JSON.stringify(specs.llm));
  const activity = useAsync(run(specs.activity), JSON.stringify(specs.activity));
  const tiers = useAsync(run(specs.tiers), JSON.stringify(specs.tiers));
  const pricing = useAsync(run(specs.pricing), JSON.stringify(specs.pricing));
  const jobs = useAsync(run(specs.jobs), JSON.stringify(specs.jobs));
  const users = useAsync(run(specs.users), JSON.stringify(specs.users));
  const evaluations = useAsync(run(specs.evaluations), JSON.stringify(specs.evaluations));

  const { active, quiet } = props.datasets;
  const nothing =
    active.length === 0 || (activity.status === 'ready' && (activity.data.totals.COUNT ?? 0) === 0);
  if (nothing) {
    return (
      <div className="state state-empty" data-testid="home-empty">
        <strong>No spans on the line in this range</strong>
        {quiet.length > 0 ? (
          <p>
            The store has data ({quiet.map((d) => d.name).join(', ')}) outside this range: choose a wider time
            range above.
          </p>
        ) : null}
        <SendDataHint />
      </div>
    );
  }

  return (
    <>
      <LineTotals
        llmSpec={specs.llm}
        llm={llm}
        activitySpec={specs.activity}
        activity={activity}
        pricingSpec={specs.pricing}
        pricing={pricing}
        timelineHref={href('/conversations', props.rangeParams)}
      />
      <div className="home-row">
        <Leaderboard
          title="Jobs by token burn"
          subtitle="Automated LLM calls (no user.id) by station, agent, CI pipeline and task"
          spec={specs.jobs}
          state={jobs}
          testId="leaderboard-jobs"
          empty="No LLM calls with token counts in this range."
        />
        <Leaderboard
          title="Users by token burn"
          subtitle="LLM calls that carry user.id"
          spec={specs.users}
          state={users}
          testId="leaderboard-users"
          empty="No LLM calls carry a user.id in this range. Assistants hooked up with loopline install record the person."
          labelHref={(row) => {
            const user = row.key['user.id'];
            return typeof user === 'string' ? href('/conversations', { ...props.rangeParams, user }) : null;
          }}
        />
        <EvaluationShares spec={specs.evaluations} state={evaluations} />
      </div>
      <div className="stations-head">
        <h2>Stations</h2>
        <span className="tier-key small muted">
          model tiers:
          {[...Object.keys(TIER_COLORS), null].map((tier) => (
            <span key={String(tier)}>
              <i style={{ background: tierColor(tier) }} />
              {tier ?? 'unpriced'}
            </span>
          ))}
        </span>
      </div>
      <div className="stations" data-testid="stations">
        {active.map((dataset) => (
          <StationPanel
            key={dataset.name}
            dataset={dataset.name}
            range={range}
            tierSpec={specs.tiers}
            tiers={tiers}
            pricingSpec={specs.pricing}
            pricing={pricing}
            activitySpec={specs.activity}
            activity={activity}
          />
        ))}
      </div>
      {quiet.length > 0 ? (
        <p className="muted small quiet" data-testid="quiet-stations">
          No spans in this range from: {quiet.map((d) => d.name).join(', ')}.
        </p>
      ) : null}
    </>
  );
}
