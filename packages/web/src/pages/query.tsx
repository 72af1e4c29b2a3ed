import type { ReactNode } from 'react';
import { useTitle } from '../lib/router.tsx';

/** The query builder. (stub, being built) */
export function QueryPage(): ReactNode {
  useTitle('Query');
  return <h1>Query</h1>;
}
