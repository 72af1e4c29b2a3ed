import { isRecord, stringField } from './json-values.ts';
import type { TranscriptEntry } from './transcript-entries.ts';
import type { AgentTranscript, ToolUse } from './transcript-types.ts';

/** Tools that launch a sub-agent: `Agent`, and its legacy name `Task` (SPECS §2.2). */
export const SUBAGENT_TOOL_NAMES: readonly string[] = ['Agent', 'Task'];

/**
 * Finds the Task / Agent tool call that launched each sub-agent, in order of confidence:
 * 1. a tool result whose `toolUseResult.agentId` names the agent;
 * 2. a `progress` record with `parentToolUseID` and `data.agentId`;
 * 3. a Task / Agent call whose `input.prompt` is the agent's first prompt, word for word;
 * 4. the latest Task / Agent call still running (between its tool_use and its result) when the agent's
 *    first record was written.
 * Sets `parentToolUseId` and `agentType` (the call's `input.subagent_type`).
 */
export function linkSubagents(
  main: AgentTranscript,
  subagents: AgentTranscript[],
  entries: readonly TranscriptEntry[],
): void {
  const allUses: ToolUse[] = [main, ...subagents].flatMap((a) => a.toolUses);
  const useById = new Map(allUses.map((u) => [u.id, u]));
  const byAgentId = new Map<string, string>();
  for (const use of allUses) {
    const result = use.result?.toolUseResult;
    if (!isRecord(result)) continue;
    const agentId = stringField(result, 'agentId');
    if (agentId !== null && !byAgentId.has(agentId)) byAgentId.set(agentId, use.id);
  }
  for (const entry of entries) {
    if (entry.type !== 'progress') continue;
    const toolUseId = stringField(entry.raw, 'parentToolUseID');
    const data = entry.raw.data;
    const agentId = isRecord(data) ? stringField(data, 'agentId') : null;
    if (toolUseId !== null && agentId !== null && !byAgentId.has(agentId)) byAgentId.set(agentId, toolUseId);
  }

  const taken = new Set<string>();
  const link = (agent: AgentTranscript, use: ToolUse) => {
    agent.parentToolUseId = use.id;
    taken.add(use.id);
    const input = use.input;
    agent.agentType = isRecord(input) ? stringField(input, 'subagent_type') : null;
  };
  const unlinked: AgentTranscript[] = [];
  for (const agent of subagents) {
    const id = agent.agentId === null ? undefined : byAgentId.get(agent.agentId);
    const use = id === undefined ? undefined : useById.get(id);
    if (use !== undefined) link(agent, use);
    else unlinked.push(agent);
  }
  const launchers = allUses.filter((u) => SUBAGENT_TOOL_NAMES.includes(u.name));
  const stillUnlinked: AgentTranscript[] = [];
  for (const agent of unlinked) {
    const prompt = agent.prompts[0]?.text.trim();
    const use = launchers.find(
      (u) =>
        !taken.has(u.id) &&
        prompt !== undefined &&
        isRecord(u.input) &&
        typeof u.input.prompt === 'string' &&
        u.input.prompt.trim() === prompt,
    );
    if (use !== undefined) link(agent, use);
    else stillUnlinked.push(agent);
  }
  for (const agent of stillUnlinked) {
    const t = agent.firstTimestampMs;
    if (t === null) continue;
    let best: ToolUse | undefined;
    for (const u of launchers) {
      if (taken.has(u.id) || u.timestampMs === null || u.timestampMs > t) continue;
      const end = u.result?.timestampMs ?? null;
      if (end !== null && end < t) continue;
      if (best === undefined || u.timestampMs > (best.timestampMs ?? 0)) best = u;
    }
    if (best !== undefined) link(agent, best);
  }
}
