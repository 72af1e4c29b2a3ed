import type { ReactNode } from 'react';
import { useTitle } from '../lib/router.tsx';

/** Boards: saved queries as live panels. (stubs, being built) */
export function BoardsPage(): ReactNode {
  useTitle('Boards');
  return <h1>Boards</h1>;
}

export function BoardPage(props: { boardId: string }): ReactNode {
  useTitle('Board');
  return <h1>Board {props.boardId}</h1>;
}
