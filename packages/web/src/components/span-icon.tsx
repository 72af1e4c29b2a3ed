import type { ReactNode } from 'react';
import type { SpanKind } from '../lib/span-content.ts';

const LABELS: Record<SpanKind, { glyph: string; title: string }> = {
  llm: { glyph: 'AI', title: 'LLM call' },
  tool: { glyph: 'T', title: 'Tool call' },
  agent: { glyph: 'A', title: 'Agent' },
  eval: { glyph: 'E', title: 'Evaluation' },
  span: { glyph: '·', title: 'Span' },
};

/** A small coloured chip saying what a span is (LLM call, tool, agent, evaluation). */
export function SpanIcon(props: { kind: SpanKind }): ReactNode {
  const label = LABELS[props.kind];
  return (
    <span className={`span-icon k-${props.kind}`} title={label.title} aria-label={label.title} role="img">
      {label.glyph}
    </span>
  );
}

/** The mark an error span carries next to its name. */
export function ErrorMark(props: { title?: string }): ReactNode {
  return (
    <span className="error-mark" role="img" aria-label="error" title={props.title || 'error'}>
      !
    </span>
  );
}
