import type { ReactNode } from 'react';
import { useTitle } from '../lib/router.tsx';

/** The line: one panel per station/dataset for the chosen time range. (stub, being built) */
export function HomePage(): ReactNode {
  useTitle('The line');
  return <h1>The line</h1>;
}
