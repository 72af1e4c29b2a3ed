import type { RawResourceLogs, RawResourceSpans } from '../raw-otlp.ts';
import { LOG_SPAN_DERIVERS } from './log-span-derivers.ts';

/**
 * Some assistants report their model calls only as log events (Codex CLI's `codex.sse_event`
 * `response.completed`, Gemini CLI's `gemini_cli.api_response`): no span carries their tokens. A deriver
 * turns those events into `chat {model}` spans in the assistant's own dataset, so tokens, cost and
 * latency by assistant are one span query, the same as for assistants that send spans. The derived spans
 * go through the normal span normalisation (usage aliases, cost, tiers) and are stored in the same commit
 * as the log records. A deriver must make ids deterministic from the event (so the same event gives the
 * same span) and must skip events whose calls already arrive as spans (counted once; docs/stations/ide.md).
 */
export interface LogSpanDeriver {
  /** which assistant's events this reads, for docs and errors */
  readonly name: string;
  /** the spans derived from a decoded logs request; empty when none of its events are this assistant's */
  derive(logs: readonly RawResourceLogs[]): RawResourceSpans[];
}

/** Every deriver's spans for one logs request (a deriver that throws derives nothing; the logs still land). */
export function deriveSpansFromLogs(
  logs: readonly RawResourceLogs[],
  derivers: readonly LogSpanDeriver[] = LOG_SPAN_DERIVERS,
): {
  spans: RawResourceSpans[];
  errors: string[];
} {
  const spans: RawResourceSpans[] = [];
  const errors: string[] = [];
  const readable = withoutMalformed(logs);
  for (const deriver of derivers) {
    try {
      spans.push(...deriver.derive(readable));
    } catch (error) {
      errors.push(
        `${deriver.name}: spans not derived: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { spans, errors };
}

/** The records the decoder could read whole (the others are rejected, so nothing is derived from them). */
function withoutMalformed(logs: readonly RawResourceLogs[]): readonly RawResourceLogs[] {
  const malformed = logs.some((rl) => rl.scopeLogs.some((sl) => sl.logRecords.some((r) => r.malformed)));
  if (!malformed) return logs;
  return logs.map((rl) => ({
    ...rl,
    scopeLogs: rl.scopeLogs.map((sl) => ({
      ...sl,
      logRecords: sl.logRecords.filter((record) => record.malformed === undefined),
    })),
  }));
}
