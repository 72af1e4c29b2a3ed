import type { ReactNode } from 'react';
import { evaluationTone } from '../lib/home-queries.ts';
import '../pages/home.css';

/** An evaluation label as a badge coloured by what it says (`fully grounded` green … `ungrounded` red). */
export function EvalBadge(props: {
  label: string | null;
  score?: number | null;
  testId?: string;
}): ReactNode {
  if (props.label === null && (props.score === null || props.score === undefined)) {
    return <span className="muted">—</span>;
  }
  const tone = evaluationTone(props.label, props.score);
  const text = props.label ?? props.score?.toFixed(2);
  return (
    <span
      className={`badge eval-badge tone-${tone}`}
      title={
        props.score === null || props.score === undefined ? undefined : `score ${props.score.toFixed(2)}`
      }
      data-testid={props.testId}
      data-label={props.label ?? ''}
    >
      {text}
    </span>
  );
}
