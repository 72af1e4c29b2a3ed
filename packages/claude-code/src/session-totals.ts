import type { AgentTranscript, TranscriptSession } from './transcript-types.ts';

/** Totals of a session, main thread and sub-agents together, each API call counted once. */
export interface SessionTotals {
  /** API calls (merged responses; synthetic API-error entries are not calls) */
  calls: number;
  /** canonical input: uncached + cache read + cache write */
  inputTokens: number;
  /** Anthropic's raw input_tokens: neither read from nor written to the cache */
  uncachedInputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** writes whose call reported a 5 min / 1 h split, by part */
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  /** writes of calls that reported no split (or one that did not add up): 5m + 1h + this = cache write */
  cacheWriteSplitUnknownTokens: number;
  /** thinking tokens, where the transcript reports them */
  reasoningTokens: number;
  /** user prompts of the main thread (a sub-agent's task prompt is not counted) */
  prompts: number;
  toolCalls: number;
  /** tool results with `is_error: true` */
  toolErrors: number;
  compactions: number;
  apiErrors: number;
  subagents: number;
  /** calls per model (`unknown` when the message names none) */
  callsByModel: Record<string, number>;
}

export function sessionTotals(session: TranscriptSession): SessionTotals {
  const totals: SessionTotals = {
    calls: 0,
    inputTokens: 0,
    uncachedInputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheWriteSplitUnknownTokens: 0,
    reasoningTokens: 0,
    prompts: 0,
    toolCalls: 0,
    toolErrors: 0,
    compactions: 0,
    apiErrors: 0,
    subagents: session.subagents.length,
    callsByModel: {},
  };
  for (const agent of [session.main, ...session.subagents]) addAgent(totals, agent);
  return totals;
}

function addAgent(totals: SessionTotals, agent: AgentTranscript): void {
  for (const call of agent.calls) {
    totals.calls++;
    const model = call.model ?? 'unknown';
    totals.callsByModel[model] = (totals.callsByModel[model] ?? 0) + 1;
    const u = call.usage;
    if (u === null) continue;
    totals.inputTokens += u.inputTokens;
    totals.uncachedInputTokens += u.uncachedInputTokens;
    totals.outputTokens += u.outputTokens;
    totals.cacheReadTokens += u.cacheReadTokens;
    totals.cacheWriteTokens += u.cacheWriteTokens;
    if (u.cacheWrite5mTokens === null || u.cacheWrite1hTokens === null) {
      totals.cacheWriteSplitUnknownTokens += u.cacheWriteTokens;
    } else {
      totals.cacheWrite5mTokens += u.cacheWrite5mTokens;
      totals.cacheWrite1hTokens += u.cacheWrite1hTokens;
    }
    totals.reasoningTokens += u.reasoningTokens ?? 0;
  }
  if (agent.agentId === null) totals.prompts += agent.prompts.length;
  totals.toolCalls += agent.toolUses.length;
  totals.toolErrors += agent.toolUses.filter((t) => t.result?.isError === true).length;
  totals.compactions += agent.compactions.length;
  totals.apiErrors += agent.apiErrors.length;
}
