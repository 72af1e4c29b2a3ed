import type { ReactNode } from 'react';
import { useTitle } from '../lib/router.tsx';

/** The agent timeline: conversations with their counts, cost and evaluation. (stub, being built) */
export function ConversationsPage(): ReactNode {
  useTitle('Agents');
  return <h1>Agents</h1>;
}
