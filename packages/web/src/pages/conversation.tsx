import type { ReactNode } from 'react';
import { useTitle } from '../lib/router.tsx';

/** Every trace of one conversation in time order. (stub, being built) */
export function ConversationPage(props: { conversationId: string }): ReactNode {
  useTitle('Conversation');
  return <h1>Conversation {props.conversationId}</h1>;
}
