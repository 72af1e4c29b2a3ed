import { isRecord, type JsonRecord, recordField, stringField, timeField } from './json-values.ts';

/** One transcript line, with the envelope fields every reader needs pulled out. */
export interface TranscriptEntry {
  /** global order: entries of the main file first, then each sub-agent file, each in line order */
  seq: number;
  /** 0 = the main file, 1… = the sub-agent files in the order given */
  fileIndex: number;
  line: number;
  type: string;
  uuid: string | null;
  parentUuid: string | null;
  isSidechain: boolean;
  /** the record's own `agentId` (sub-agent records carry one in recent versions) */
  agentId: string | null;
  sessionId: string | null;
  cwd: string | null;
  gitBranch: string | null;
  version: string | null;
  timestampMs: number | null;
  /** `message` of user / assistant entries */
  message: JsonRecord | null;
  raw: JsonRecord;
}

export interface JsonlReadResult {
  entries: TranscriptEntry[];
  lines: number;
  badLines: number;
  problems: string[];
}

const MAX_PROBLEMS = 10;

/**
 * Splits JSONL text into entries. Blank lines are skipped; a line that is not a JSON object (including a
 * half-written last line) is counted in `badLines` and skipped: this never throws.
 */
export function readJsonl(text: string, fileIndex: number, firstSeq: number, label: string): JsonlReadResult {
  const entries: TranscriptEntry[] = [];
  const problems: string[] = [];
  let lines = 0;
  let badLines = 0;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    lines++;
    let parsed: unknown;
    let reason: string | null = null;
    try {
      parsed = JSON.parse(line);
      if (!isRecord(parsed)) reason = 'not a JSON object';
    } catch {
      reason = 'not valid JSON';
    }
    if (reason !== null || !isRecord(parsed)) {
      badLines++;
      if (problems.length < MAX_PROBLEMS)
        problems.push(`${label}:${lineNo}: ${reason ?? 'not a JSON object'}`);
      continue;
    }
    entries.push(toEntry(parsed, fileIndex, lineNo, firstSeq + entries.length));
  }
  return { entries, lines, badLines, problems };
}

function toEntry(raw: JsonRecord, fileIndex: number, line: number, seq: number): TranscriptEntry {
  return {
    seq,
    fileIndex,
    line,
    type: stringField(raw, 'type') ?? '',
    uuid: stringField(raw, 'uuid'),
    parentUuid: stringField(raw, 'parentUuid'),
    isSidechain: raw.isSidechain === true,
    agentId: stringField(raw, 'agentId'),
    sessionId: stringField(raw, 'sessionId'),
    cwd: stringField(raw, 'cwd'),
    gitBranch: stringField(raw, 'gitBranch'),
    version: stringField(raw, 'version'),
    timestampMs: timeField(raw, 'timestamp'),
    message: recordField(raw, 'message'),
    raw,
  };
}

/** `agent-<id>.jsonl` → `<id>` (either path separator), else null. */
export function subagentIdFromPath(path: string): string | null {
  const match = /(?:^|[/\\])agent-([^/\\]+)\.jsonl$/.exec(path);
  return match?.[1] ?? null;
}
