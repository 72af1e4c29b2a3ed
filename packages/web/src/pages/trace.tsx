import type { ReactNode } from 'react';
import { useTitle } from '../lib/router.tsx';

/** One trace as a waterfall. (stub, being built) */
export function TracePage(props: { traceId: string }): ReactNode {
  useTitle(`Trace ${props.traceId.slice(0, 8)}`);
  return <h1>Trace {props.traceId}</h1>;
}
