import type { ReactNode } from 'react';
import type { QueryResult, QuerySpec } from '../lib/api.ts';
import { distinctLabels } from '../lib/distinct-labels.ts';
import { formatCount } from '../lib/format.ts';
import { type LeaderboardRow, rankByBurn } from '../lib/home-queries.ts';
import { formatCallsCost } from '../lib/known-cost.ts';
import { Link } from '../lib/router.tsx';
import type { AsyncState } from '../lib/use-async.ts';
import { useCharWidth } from '../lib/use-char-width.ts';
import { QueryNumber } from './home-number.tsx';
import { ErrorState, Loading } from './states.tsx';

/** Characters a label may take before its cell is measured. */
const LABEL_CHARS = 24;

/**
 * The groups of a query with the most token burn (input + output tokens), most first, with a bar for
 * their share of the leader. Every number links to the query. A label too long for its cell is shortened
 * to the part that tells it from the others (`distinctLabels`), and reads whole on hover.
 */
export function Leaderboard(props: {
  title: string;
  subtitle: string;
  spec: QuerySpec;
  state: AsyncState<QueryResult> & { reload: () => void };
  testId: string;
  empty: ReactNode;
  labelHref?: (row: LeaderboardRow) => string | null;
  top?: number;
}): ReactNode {
  const { state } = props;
  const [labelCell, labelChars] = useCharWidth<HTMLTableCellElement>(LABEL_CHARS);
  let body: ReactNode;
  if (state.status === 'loading') body = <Loading what="leaderboard" />;
  else if (state.status === 'error') body = <ErrorState error={state.error} onRetry={state.reload} />;
  else {
    const rows = rankByBurn(state.data.groups, props.top ?? 8);
    const max = rows[0]?.tokens ?? 0;
    const shown = distinctLabels(
      rows.map((row) => row.label),
      labelChars,
    );
    body =
      rows.length === 0 ? (
        <p className="muted small">{props.empty}</p>
      ) : (
        <table className="data leaderboard-table">
          <thead>
            <tr>
              <th className="rank">#</th>
              <th>{props.title.replace(/ by .*$/, '')}</th>
              <th className="num">Tokens</th>
              <th className="num">Cost</th>
              <th className="num">LLM calls</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const to = props.labelHref?.(row) ?? null;
              return (
                <tr key={row.label} data-testid="leaderboard-row" data-label={row.label}>
                  <td className="rank muted">{index + 1}</td>
                  <td className="leaderboard-label" ref={index === 0 ? labelCell : undefined}>
                    {to ? (
                      <Link to={to} title={row.label} testId="leaderboard-label">
                        {shown[index]}
                      </Link>
                    ) : (
                      <span title={row.label} data-testid="leaderboard-label">
                        {shown[index]}
                      </span>
                    )}
                    <span className="burn-bar" aria-hidden="true">
                      <span style={{ width: `${max > 0 ? (row.tokens / max) * 100 : 0}%` }} />
                    </span>
                  </td>
                  <td className="num">
                    <QueryNumber
                      spec={props.spec}
                      value={row.tokens}
                      testId="leaderboard-tokens"
                      title={`${formatCount(row.input)} input + ${formatCount(row.output)} output tokens; open the query`}
                    >
                      {formatCount(row.tokens)}
                    </QueryNumber>
                  </td>
                  <td className="num">
                    <QueryNumber spec={props.spec} value={row.cost} testId="leaderboard-cost">
                      {formatCallsCost(row)}
                    </QueryNumber>
                  </td>
                  <td className="num">
                    <QueryNumber spec={props.spec} value={row.llmCalls} testId="leaderboard-calls">
                      {formatCount(row.llmCalls)}
                    </QueryNumber>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      );
  }
  return (
    <section className="panel home-card" data-testid={props.testId} data-status={state.status}>
      <h2>{props.title}</h2>
      <p className="card-sub muted">{props.subtitle}</p>
      {body}
    </section>
  );
}
