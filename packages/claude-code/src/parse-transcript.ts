import { contentText, countField, isRecord, recordField, stringField } from './json-values.ts';
import { callKey, mergeCall } from './llm-calls.ts';
import { linkSubagents } from './subagent-links.ts';
import { readJsonl, subagentIdFromPath, type TranscriptEntry } from './transcript-entries.ts';
import type {
  AgentTranscript,
  ParseTranscriptOptions,
  ToolUse,
  TranscriptSession,
  TranscriptStats,
  TranscriptSummary,
  UserPrompt,
} from './transcript-types.ts';

const MAIN = 'main';
/** How far up the parentUuid chain to look for the user record a call answers. */
const MAX_PARENT_HOPS = 32;
/** User text that is not a prompt: command output and interruption markers. */
const NOT_A_PROMPT = [
  '<local-command-stdout>',
  '<local-command-stderr>',
  '<local-command-caveat>',
  '[Request interrupted by user',
];

/**
 * Reads a Claude Code transcript (one JSON record per line) and, optionally, its sub-agent files into
 * one session: the main thread and each sub-agent with their prompts, API calls, tool calls and
 * compactions. Bad lines are counted, never thrown. Each API call appears exactly once across main and
 * sub-agents: records are deduplicated by uuid, per-content-block records of one response are merged by
 * `message.id` + `requestId`, and a response found both in the main chain and in a sidechain belongs to
 * the main chain.
 */
export function parseTranscript(text: string, options: ParseTranscriptOptions = {}): TranscriptSession {
  const stats: TranscriptStats = {
    files: 0,
    lines: 0,
    badLines: 0,
    problems: [],
    records: 0,
    duplicateRecords: 0,
    sidechainRecords: 0,
    assistantRecords: 0,
    otherRecords: 0,
    unmatchedToolResults: 0,
  };
  const files = [{ text, label: options.path ?? 'transcript', agentId: null as string | null }];
  for (const [i, sub] of (options.subagents ?? []).entries()) {
    files.push({
      text: sub.text,
      label: sub.path ?? `subagent ${i + 1}`,
      agentId: sub.agentId ?? (sub.path === undefined ? null : subagentIdFromPath(sub.path)),
    });
  }

  // 1. Read every file; keep one entry per uuid, remembering which sub-agent file (if any) holds it.
  const entries: TranscriptEntry[] = [];
  const byUuid = new Map<string, TranscriptEntry>();
  const fileAgentOfUuid = new Map<string, string>();
  const fileAgents: Array<string | null> = [];
  let seq = 0;
  for (const [fileIndex, file] of files.entries()) {
    const read = readJsonl(file.text, fileIndex, seq, file.label);
    seq += read.entries.length;
    stats.files++;
    stats.lines += read.lines;
    stats.badLines += read.badLines;
    for (const p of read.problems) if (stats.problems.length < 10) stats.problems.push(p);
    const fileAgent =
      fileIndex === 0 ? null : (file.agentId ?? firstAgentId(read.entries) ?? `file-${fileIndex}`);
    fileAgents.push(fileAgent);
    for (const entry of read.entries) {
      stats.records++;
      if (entry.isSidechain) stats.sidechainRecords++;
      if (entry.uuid !== null && fileAgent !== null) fileAgentOfUuid.set(entry.uuid, fileAgent);
      if (entry.uuid !== null) {
        if (byUuid.has(entry.uuid)) {
          stats.duplicateRecords++;
          continue;
        }
        byUuid.set(entry.uuid, entry);
      }
      entries.push(entry);
    }
  }

  // 2. Assign each entry to a stream: the main thread, or a sub-agent.
  const streamOf = assignStreams(entries, byUuid, fileAgentOfUuid, fileAgents);
  const streams = new Map<string, TranscriptEntry[]>();
  for (const entry of entries) {
    pushTo(streams, streamOf.get(entry) ?? MAIN, entry);
  }
  if (!streams.has(MAIN)) streams.set(MAIN, []);
  for (const [stream, list] of streams) if (stream !== MAIN) sortStream(list);

  // 3. Group assistant entries by response; the main chain wins over sidechain copies.
  const groups = new Map<string, TranscriptEntry[]>();
  for (const entry of entries) {
    if (entry.type !== 'assistant' || entry.raw.isApiErrorMessage === true) continue;
    stats.assistantRecords++;
    pushTo(groups, callKey(entry), entry);
  }
  const ownerOf = new Map<string, string>();
  const fileStreams = new Set(fileAgents.filter((a): a is string => a !== null));
  for (const [key, list] of groups) {
    const streamsOfGroup = list.map((e) => streamOf.get(e) ?? MAIN);
    const owner = streamsOfGroup.includes(MAIN)
      ? MAIN
      : (streamsOfGroup.find((s) => fileStreams.has(s)) ?? streamsOfGroup[0]!);
    ownerOf.set(key, owner);
  }

  // 4. Walk each stream in order.
  const toolUses = new Map<string, ToolUse>();
  const pendingResults: Array<{ toolUseId: string; entry: TranscriptEntry; block: Record<string, unknown> }> =
    [];
  const agents = new Map<string, AgentTranscript>();
  for (const [stream, list] of streams) {
    const agent = emptyAgent(stream, list, files, fileStreams);
    agents.set(stream, agent);
    const done = new Set<string>();
    let lastUserMs: number | null = null;
    for (const [order, entry] of list.entries()) {
      if (entry.type === 'assistant') {
        if (entry.raw.isApiErrorMessage === true) {
          agent.apiErrors.push({
            order,
            uuid: entry.uuid,
            timestampMs: entry.timestampMs,
            error: stringField(entry.raw, 'error'),
            text: contentText(entry.message?.content),
          });
          continue;
        }
        const key = callKey(entry);
        if (ownerOf.get(key) !== stream || done.has(key)) continue;
        done.add(key);
        const group = groups.get(key) ?? [entry];
        const owned = group.filter((e) => (streamOf.get(e) ?? MAIN) === stream);
        const others = group.filter((e) => (streamOf.get(e) ?? MAIN) !== stream);
        const { call, toolUseTimes } = mergeCall(key, owned, others);
        call.order = order;
        call.requestStartMs = requestStart(owned[0] ?? entry, byUuid) ?? lastUserMs;
        if (call.requestStartMs !== null && call.firstRecordMs !== null) {
          const ttft = call.firstRecordMs - call.requestStartMs;
          call.ttftMs = ttft >= 0 ? ttft : null;
        }
        agent.calls.push(call);
        for (const block of call.content) {
          if (block.type !== 'tool_use' || typeof block.id !== 'string' || toolUses.has(block.id)) continue;
          const use: ToolUse = {
            id: block.id,
            name: typeof block.name === 'string' ? block.name : 'unknown',
            input: block.input,
            callKey: key,
            timestampMs: toolUseTimes.get(block.id) ?? call.firstRecordMs,
            result: null,
          };
          toolUses.set(use.id, use);
          agent.toolUses.push(use);
        }
      } else if (entry.type === 'user') {
        lastUserMs = entry.timestampMs ?? lastUserMs;
        readUserEntry(entry, order, agent, pendingResults);
      } else if (entry.type === 'system') {
        if (stringField(entry.raw, 'subtype') === 'compact_boundary') {
          const meta = recordField(entry.raw, 'compactMetadata');
          agent.compactions.push({
            order,
            uuid: entry.uuid ?? `#${entry.seq}`,
            timestampMs: entry.timestampMs,
            trigger: meta === null ? null : stringField(meta, 'trigger'),
            preTokens: countField(meta, 'preTokens'),
            summary: null,
          });
        }
      } else if (entry.type !== 'summary') {
        stats.otherRecords++;
      }
    }
  }
  for (const { toolUseId, entry, block } of pendingResults) {
    const use = toolUses.get(toolUseId);
    if (use === undefined) {
      stats.unmatchedToolResults++;
      continue;
    }
    if (use.result !== null) continue;
    use.result = {
      uuid: entry.uuid,
      timestampMs: entry.timestampMs,
      isError: block.is_error === true,
      content: block.content,
      toolUseResult: entry.raw.toolUseResult,
    };
  }

  const summaries = readSummaries(entries);
  const main = agents.get(MAIN)!;
  // An inline sidechain whose every response belongs to the main chain (a replay) holds nothing of its own.
  const subagents = [...agents.entries()]
    .filter(([k, a]) => k !== MAIN && !(a.source === 'inline' && isEmpty(a)))
    .map(([, a]) => a);
  linkSubagents(main, subagents, entries);
  subagents.sort((a, b) => (a.firstTimestampMs ?? 0) - (b.firstTimestampMs ?? 0));

  const mainEntries = entries.filter((e) => e.fileIndex === 0);
  const pick = (field: 'sessionId' | 'cwd' | 'gitBranch' | 'version') =>
    mainEntries.find((e) => e[field] !== null)?.[field] ??
    entries.find((e) => e[field] !== null)?.[field] ??
    null;
  return {
    sessionId: pick('sessionId'),
    cwd: pick('cwd'),
    gitBranch: pick('gitBranch'),
    version: pick('version'),
    main,
    subagents,
    summaries,
    stats,
  };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function isEmpty(agent: AgentTranscript): boolean {
  return (
    agent.calls.length === 0 &&
    agent.prompts.length === 0 &&
    agent.toolUses.length === 0 &&
    agent.compactions.length === 0 &&
    agent.apiErrors.length === 0
  );
}

function firstAgentId(entries: TranscriptEntry[]): string | null {
  return entries.find((e) => e.agentId !== null)?.agentId ?? null;
}

/**
 * Stream of each entry. Sub-agent file entries (and their copies in the main file) → that agent; other
 * sidechain entries → their own `agentId`, else the agent of their parent, else a new inline agent named
 * after the root of their parentUuid chain; everything else → the main thread.
 */
function assignStreams(
  entries: TranscriptEntry[],
  byUuid: Map<string, TranscriptEntry>,
  fileAgentOfUuid: Map<string, string>,
  fileAgents: Array<string | null>,
): Map<TranscriptEntry, string> {
  const out = new Map<TranscriptEntry, string>();
  for (const entry of entries) {
    if (out.has(entry)) continue;
    const path: TranscriptEntry[] = [];
    const onPath = new Set<TranscriptEntry>();
    let current: TranscriptEntry | undefined = entry;
    let resolved: string | null = null;
    while (current !== undefined && resolved === null) {
      const known = out.get(current);
      if (known !== undefined) {
        resolved = known;
        break;
      }
      path.push(current);
      onPath.add(current);
      const fileAgent = current.uuid === null ? undefined : fileAgentOfUuid.get(current.uuid);
      if (fileAgent !== undefined) resolved = fileAgent;
      else if (current.fileIndex > 0) resolved = fileAgents[current.fileIndex] ?? `file-${current.fileIndex}`;
      else if (!current.isSidechain) resolved = MAIN;
      else if (current.agentId !== null) resolved = current.agentId;
      else {
        const parent: TranscriptEntry | undefined =
          current.parentUuid === null ? undefined : byUuid.get(current.parentUuid);
        if (parent === undefined || !parent.isSidechain || onPath.has(parent)) {
          resolved = current.uuid ?? `#${current.seq}`;
        } else current = parent;
      }
    }
    const stream = resolved ?? MAIN;
    for (const e of path) out.set(e, stream);
  }
  return out;
}

/** Sub-agent streams may merge two files: order by time, then by position. */
function sortStream(list: TranscriptEntry[]): void {
  if (list.every((e) => e.fileIndex === list[0]!.fileIndex)) return;
  list.sort((a, b) => {
    if (a.timestampMs !== null && b.timestampMs !== null && a.timestampMs !== b.timestampMs) {
      return a.timestampMs - b.timestampMs;
    }
    return a.seq - b.seq;
  });
}

/** When the request behind an assistant record went out: the user record up its parentUuid chain. */
function requestStart(entry: TranscriptEntry, byUuid: Map<string, TranscriptEntry>): number | null {
  let parent = entry.parentUuid === null ? undefined : byUuid.get(entry.parentUuid);
  for (let hops = 0; parent !== undefined && hops < MAX_PARENT_HOPS; hops++) {
    if (parent.type === 'user') return parent.timestampMs;
    if (parent.type === 'assistant') return null;
    parent = parent.parentUuid === null ? undefined : byUuid.get(parent.parentUuid);
  }
  return null;
}

function emptyAgent(
  stream: string,
  list: TranscriptEntry[],
  files: Array<{ label: string; agentId: string | null }>,
  fileStreams: Set<string>,
): AgentTranscript {
  let first: number | null = null;
  let last: number | null = null;
  for (const e of list) {
    const t = e.timestampMs;
    if (t === null) continue;
    if (first === null || t < first) first = t;
    if (last === null || t > last) last = t;
  }
  const fileIndex = list.find((e) => e.fileIndex > 0)?.fileIndex;
  const fromFile = stream !== MAIN && fileStreams.has(stream);
  const path =
    stream === MAIN ? (files[0]?.label ?? null) : fileIndex === undefined ? null : files[fileIndex]!.label;
  return {
    agentId: stream === MAIN ? null : stream,
    isSidechain: stream !== MAIN,
    source: stream === MAIN ? 'main' : fromFile ? 'file' : 'inline',
    path,
    agentType: null,
    parentToolUseId: null,
    prompts: [],
    calls: [],
    toolUses: [],
    compactions: [],
    apiErrors: [],
    firstTimestampMs: first,
    lastTimestampMs: last,
    records: list.length,
  };
}

function readUserEntry(
  entry: TranscriptEntry,
  order: number,
  agent: AgentTranscript,
  pendingResults: Array<{ toolUseId: string; entry: TranscriptEntry; block: Record<string, unknown> }>,
): void {
  const content = entry.message?.content;
  if (Array.isArray(content)) {
    let hasResult = false;
    for (const block of content) {
      if (!isRecord(block) || block.type !== 'tool_result') continue;
      hasResult = true;
      const id = stringField(block, 'tool_use_id');
      if (id !== null) pendingResults.push({ toolUseId: id, entry, block });
    }
    if (hasResult) return;
  }
  const text = contentText(content);
  if (entry.raw.isCompactSummary === true) {
    const last = agent.compactions[agent.compactions.length - 1];
    if (last !== undefined && last.summary === null) last.summary = text;
    return;
  }
  if (entry.raw.isMeta === true || entry.uuid === null) return;
  const trimmed = text.trimStart();
  if (trimmed === '' || NOT_A_PROMPT.some((p) => trimmed.startsWith(p))) return;
  const prompt: UserPrompt = {
    order,
    uuid: entry.uuid,
    promptId: stringField(entry.raw, 'promptId'),
    timestampMs: entry.timestampMs,
    text,
    gitBranch: entry.gitBranch,
    cwd: entry.cwd,
    permissionMode: stringField(entry.raw, 'permissionMode'),
  };
  agent.prompts.push(prompt);
}

function readSummaries(entries: TranscriptEntry[]): TranscriptSummary[] {
  const out: TranscriptSummary[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.type !== 'summary') continue;
    const summary = stringField(entry.raw, 'summary');
    if (summary === null) continue;
    const leafUuid = stringField(entry.raw, 'leafUuid');
    const key = `${leafUuid ?? ''}\u0000${summary}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ summary, leafUuid });
  }
  return out;
}
