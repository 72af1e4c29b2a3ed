import type { RawSpan } from '../raw-otlp.ts';
import { checkHexId, ID_MALFORMED, ID_ZERO } from './issues.ts';
import { aheadProblem, type Rejection, timeRejection } from './time-bounds.ts';

/**
 * Why a span is rejected before its ids are read: the decoder could not read it, its start time is
 * outside the stored window (time-bounds.ts), or its end is past the window. Null when none of these.
 */
export function spanProblem(span: RawSpan, nowUs: () => number): Rejection | null {
  if (span.malformed !== undefined) {
    return { problem: `span rejected: ${span.malformed}`, example: span.name };
  }
  return (
    timeRejection('span rejected: start time', span.startUs, nowUs) ??
    timeRejection('span rejected: end time', span.endUs, nowUs, aheadProblem)
  );
}

/** Why a span's ids are refused (checkHexId found one malformed or all zeros). */
export function idProblem(span: RawSpan): string {
  const trace = checkHexId(span.traceId, 32);
  if (trace === ID_ZERO) return 'span rejected: trace id is all zeros';
  if (trace === ID_MALFORMED) return 'span rejected: trace id is not 32 hex characters';
  return checkHexId(span.spanId, 16) === ID_ZERO
    ? 'span rejected: span id is all zeros'
    : 'span rejected: span id is not 16 hex characters';
}
