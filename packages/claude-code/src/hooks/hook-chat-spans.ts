import { GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import { parseTranscript } from '../parse-transcript.ts';
import type { SpanRecord } from '../span-record.ts';
import { transcriptToSpans } from '../transcript-spans.ts';
import type { SessionState } from './hook-records.ts';
import { sessionAttributes } from './hook-session.ts';

/** Where chat spans hang: a turn span or a sub-agent span. */
export interface ChatParent {
  traceId: string;
  spanId: string;
}

export interface TranscriptChatOptions {
  captureContent: boolean;
  /** set when `text` is a sub-agent's own transcript file (`…/subagents/agent-<id>.jsonl`) */
  agentPath?: string;
}

/**
 * The `chat {model}` spans of a stretch of transcript (hooks never see Claude Code's own LLM calls), made
 * by the transcript importer's parser and span builder, so a live hook and a later import give the same
 * span ids and attributes.
 */
export function transcriptChatSpans(text: string, options: TranscriptChatOptions): SpanRecord[] {
  const session =
    options.agentPath === undefined
      ? parseTranscript(text)
      : parseTranscript('', { subagents: [{ text, path: options.agentPath }] });
  return transcriptToSpans(session, { captureContent: options.captureContent }).filter(
    (span) => span.attributes[GEN_AI_ATTRIBUTES.OPERATION_NAME] === 'chat',
  );
}

/** A span's start in integer microseconds. */
export function spanStartUs(span: SpanRecord): number {
  const nanos = span.startTimeUnixNano;
  return nanos.length > 3 ? Number(nanos.slice(0, -3)) : 0;
}

/** A chat span moved under the hook's turn or sub-agent span, with the session's attributes. */
export function adoptChatSpan(span: SpanRecord, session: SessionState, parent: ChatParent): SpanRecord {
  return {
    ...span,
    traceId: parent.traceId,
    parentSpanId: parent.spanId,
    attributes: { ...sessionAttributes(session), ...span.attributes },
  };
}
