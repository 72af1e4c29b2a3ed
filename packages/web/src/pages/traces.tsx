import type { ReactNode } from 'react';
import { useTitle } from '../lib/router.tsx';

/** Traces matching a query (what a clicked point, cell or row opens). (stub, being built) */
export function TracesPage(): ReactNode {
  useTitle('Traces');
  return <h1>Traces</h1>;
}
