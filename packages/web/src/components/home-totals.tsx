import type { ReactNode } from 'react';
import type { QueryResult, QuerySpec } from '../lib/api.ts';
import { formatCount, formatPercent } from '../lib/format.ts';
import { CALC, readActivity, readUsage, unpricedCalls } from '../lib/home-queries.ts';
import { formatCallsCost } from '../lib/known-cost.ts';
import { Link } from '../lib/router.tsx';
import type { AsyncState } from '../lib/use-async.ts';
import { QueryNumber } from './home-number.tsx';

type Loaded = AsyncState<QueryResult> & { reload: () => void };

/** The line's headline: cost, tokens, LLM calls, errors and conversations over the range. */
export function LineTotals(props: {
  llmSpec: QuerySpec;
  llm: Loaded;
  activitySpec: QuerySpec;
  activity: Loaded;
  pricingSpec: QuerySpec;
  pricing: Loaded;
  /** the agent timeline for the same range */
  timelineHref: string;
}): ReactNode {
  const { llm, activity, pricing } = props;
  const usage = llm.status === 'ready' ? readUsage(llm.data.totals) : null;
  const spans = activity.status === 'ready' ? readActivity(activity.data) : null;
  const conversations = activity.status === 'ready' ? (activity.data.totals[CALC.conversations] ?? 0) : null;
  const traces = activity.status === 'ready' ? (activity.data.totals[CALC.traces] ?? 0) : null;
  const unpriced = pricing.status === 'ready' ? unpricedCalls(pricing.data.groups) : 0;

  const cell = (state: Loaded, render: () => ReactNode): ReactNode =>
    state.status === 'ready' ? (
      render()
    ) : state.status === 'loading' ? (
      <span className="placeholder wide">
        <span className="visually-hidden">loading</span>
      </span>
    ) : (
      <span className="error-text small" role="alert" title={state.error.code}>
        {state.error.message}
        <button type="button" className="link-button" onClick={state.reload}>
          retry
        </button>
      </span>
    );

  return (
    <section className="panel line-totals" data-testid="line-totals" aria-label="Line totals">
      <div className="total">
        <div className="label">Cost</div>
        <div className="value">
          {cell(llm, () => (
            <QueryNumber spec={props.llmSpec} value={usage?.cost ?? null} testId="num-line-cost">
              {formatCallsCost(usage ?? { cost: 0, llmCalls: 0 })}
            </QueryNumber>
          ))}
        </div>
        <div className="note">
          {usage && unpriced > 0 && usage.llmCalls > 0 ? (
            <>
              <QueryNumber
                spec={props.pricingSpec}
                value={unpriced / usage.llmCalls}
                testId="num-line-unpriced"
              >
                {formatPercent(unpriced / usage.llmCalls)}
              </QueryNumber>{' '}
              of LLM calls unpriced
            </>
          ) : (
            'LLM spend, reported or from the price table'
          )}
        </div>
      </div>
      <div className="total">
        <div className="label">Tokens</div>
        <div className="value">
          {cell(llm, () => (
            <QueryNumber
              spec={props.llmSpec}
              value={usage?.tokens ?? null}
              testId="num-line-tokens"
              title="input + output tokens (input includes cache reads and writes); open the query"
            >
              {formatCount(usage?.tokens)}
            </QueryNumber>
          ))}
        </div>
        <div className="note">
          {usage ? (
            <>
              <QueryNumber spec={props.llmSpec} value={usage.input} testId="num-line-input-tokens">
                {formatCount(usage.input)}
              </QueryNumber>{' '}
              in ·{' '}
              <QueryNumber spec={props.llmSpec} value={usage.output} testId="num-line-output-tokens">
                {formatCount(usage.output)}
              </QueryNumber>{' '}
              out ·{' '}
              <QueryNumber spec={props.llmSpec} value={usage.cacheRead} testId="num-line-cache-read-tokens">
                {formatCount(usage.cacheRead)}
              </QueryNumber>{' '}
              cache read
            </>
          ) : null}
        </div>
      </div>
      <div className="total">
        <div className="label">LLM calls</div>
        <div className="value">
          {cell(llm, () => (
            <QueryNumber spec={props.llmSpec} value={usage?.llmCalls ?? 0} testId="num-line-llm-calls">
              {formatCount(usage?.llmCalls)}
            </QueryNumber>
          ))}
        </div>
        <div className="note">chat and completion spans</div>
      </div>
      <div className="total">
        <div className="label">Errors</div>
        <div className="value">
          {cell(activity, () => (
            <QueryNumber spec={props.activitySpec} value={spans?.errors ?? 0} testId="num-line-errors">
              {formatCount(spans?.errors)}
            </QueryNumber>
          ))}
        </div>
        <div className="note">
          {spans ? (
            <>
              <QueryNumber spec={props.activitySpec} value={spans.errorRate} testId="num-line-error-rate">
                {formatPercent(spans.errorRate)}
              </QueryNumber>{' '}
              of{' '}
              <QueryNumber spec={props.activitySpec} value={spans.spans} testId="num-line-spans">
                {formatCount(spans.spans)}
              </QueryNumber>{' '}
              spans
            </>
          ) : null}
        </div>
      </div>
      <div className="total">
        <div className="label">Conversations</div>
        <div className="value">
          {cell(activity, () => (
            <QueryNumber spec={props.activitySpec} value={conversations} testId="num-line-conversations">
              {formatCount(conversations)}
            </QueryNumber>
          ))}
        </div>
        <div className="note">
          {traces !== null ? (
            <>
              <QueryNumber spec={props.activitySpec} value={traces} testId="num-line-traces">
                {formatCount(traces)}
              </QueryNumber>{' '}
              traces · <Link to={props.timelineHref}>agent timeline</Link>
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
