import type { ReactNode } from 'react';
import type { QueryResult, QuerySpec } from '../lib/api.ts';
import { formatCount, formatPercent } from '../lib/format.ts';
import { evaluationShares, evaluationTone } from '../lib/home-queries.ts';
import type { AsyncState } from '../lib/use-async.ts';
import { EvalBadge } from './home-eval-badge.tsx';
import { QueryNumber } from './home-number.tsx';
import { ErrorState, Loading } from './states.tsx';

/**
 * How the judges labelled the work: one stacked bar per evaluation (groundedness first), labels ordered
 * by their average score, best first, each with its count and share.
 */
export function EvaluationShares(props: {
  spec: QuerySpec;
  state: AsyncState<QueryResult> & { reload: () => void };
}): ReactNode {
  const { state, spec } = props;
  let body: ReactNode;
  if (state.status === 'loading') body = <Loading what="evaluations" />;
  else if (state.status === 'error') body = <ErrorState error={state.error} onRetry={state.reload} />;
  else {
    const summaries = evaluationShares(state.data.groups);
    body =
      summaries.length === 0 ? (
        <p className="muted small">
          No evaluation results in this range. Run a judge over agent output with <code>loopline eval</code>:
          its <code>evaluate</code> spans show here.
        </p>
      ) : (
        summaries.map((summary) => (
          <div key={summary.name} className="evaluation" data-testid="evaluation" data-name={summary.name}>
            <div className="evaluation-head">
              <strong>{summary.name}</strong>
              <span className="muted">
                <QueryNumber spec={spec} value={summary.total} testId="evaluation-total">
                  {formatCount(summary.total)}
                </QueryNumber>{' '}
                results
              </span>
            </div>
            <div className="stacked-bar" role="img" aria-label={`${summary.name} label shares`}>
              {summary.labels.map((label) => (
                <QueryNumber
                  key={String(label.label)}
                  spec={spec}
                  value={label.share}
                  className={`segment tone-${evaluationTone(label.label, label.avgScore)}`}
                  style={{ flexGrow: label.share }}
                  title={`${label.label ?? '(no label)'}: ${formatCount(label.count)} (${formatPercent(label.share)}); open the query`}
                >
                  {label.share >= 0.08 ? formatPercent(label.share) : ''}
                </QueryNumber>
              ))}
            </div>
            <table className="data compact evaluation-table">
              <tbody>
                {summary.labels.map((label) => (
                  <tr
                    key={String(label.label)}
                    data-testid="evaluation-share"
                    data-label={label.label ?? ''}
                    data-count={label.count}
                    data-share={label.share}
                  >
                    <td>
                      <EvalBadge label={label.label ?? '(no label)'} score={label.avgScore} />
                    </td>
                    <td className="num">
                      <QueryNumber spec={spec} value={label.count} testId="evaluation-count">
                        {formatCount(label.count)}
                      </QueryNumber>
                    </td>
                    <td className="num">
                      <QueryNumber spec={spec} value={label.share} testId="evaluation-percent">
                        {formatPercent(label.share)}
                      </QueryNumber>
                    </td>
                    <td className="num muted" title="average score">
                      <QueryNumber spec={spec} value={label.avgScore}>
                        {label.avgScore === null ? '—' : `avg ${label.avgScore.toFixed(2)}`}
                      </QueryNumber>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      );
  }
  return (
    <section className="panel home-card" data-testid="evaluations" data-status={state.status}>
      <h2>Evaluations</h2>
      <p className="card-sub muted">How judges labelled agent output (evaluate spans)</p>
      {body}
    </section>
  );
}
