import { countField, isRecord, type JsonRecord, recordField, stringField } from './json-values.ts';
import type { TranscriptEntry } from './transcript-entries.ts';
import type { CallUsage, ContentBlock, LlmCall } from './transcript-types.ts';

/**
 * The dedup key of an assistant entry (ccusage's rule): `message.id:requestId`, else `message.id`; an
 * entry without a message id is never merged with another one.
 */
export function callKey(entry: TranscriptEntry): string {
  const messageId = entry.message === null ? null : stringField(entry.message, 'id');
  const requestId = stringField(entry.raw, 'requestId');
  if (messageId === null) return `uuid:${entry.uuid ?? `#${entry.seq}`}`;
  return requestId === null ? messageId : `${messageId}:${requestId}`;
}

/** Where each tool_use block of a merged call came from (its record's timestamp). */
export interface MergedCall {
  call: LlmCall;
  toolUseTimes: Map<string, number | null>;
}

/**
 * Merges every entry of one API response into one call. `owned` are the entries in the owning agent's
 * stream, in order (they give the timing); `others` are copies found elsewhere (sidechain replays). Content
 * blocks are concatenated in record order with repeats dropped; usage is the fullest one seen.
 */
export function mergeCall(key: string, owned: TranscriptEntry[], others: TranscriptEntry[]): MergedCall {
  const all = [...owned, ...others];
  const first = owned[0] ?? all[0]!;
  const content: ContentBlock[] = [];
  const seenBlocks = new Set<string>();
  const toolUseTimes = new Map<string, number | null>();
  const recordUuids: string[] = [];
  const seenUuids = new Set<string>();
  let model: string | null = null;
  let stopReason: string | null = null;
  let best: { usage: CallUsage; rank: number[] } | null = null;
  for (const entry of all) {
    if (entry.uuid !== null && !seenUuids.has(entry.uuid)) {
      seenUuids.add(entry.uuid);
      recordUuids.push(entry.uuid);
    }
    const message = entry.message ?? {};
    model ??= stringField(message, 'model');
    stopReason = stringField(message, 'stop_reason') ?? stopReason;
    const blocks = Array.isArray(message.content) ? message.content : [];
    for (const block of blocks) {
      if (!isRecord(block)) continue;
      const id = blockKey(block);
      if (seenBlocks.has(id)) continue;
      seenBlocks.add(id);
      content.push(block as ContentBlock);
      if (block.type === 'tool_use' && typeof block.id === 'string')
        toolUseTimes.set(block.id, entry.timestampMs);
    }
    const usage = usageOf(recordField(message, 'usage'));
    if (usage !== null) {
      const rank = usageRank(usage);
      if (best === null || compareRank(rank, best.rank) > 0) best = { usage, rank };
    }
  }
  const times = owned.map((e) => e.timestampMs).filter((t): t is number => t !== null);
  return {
    toolUseTimes,
    call: {
      order: 0,
      key,
      messageId: first.message === null ? null : stringField(first.message, 'id'),
      requestId: stringField(first.raw, 'requestId'),
      model,
      stopReason,
      usage: best?.usage ?? null,
      content,
      toolUseIds: [...toolUseTimes.keys()],
      uuid: first.uuid,
      recordUuids,
      records: all.length,
      requestStartMs: null,
      firstRecordMs: times.length > 0 ? Math.min(...times) : null,
      lastRecordMs: times.length > 0 ? Math.max(...times) : null,
      ttftMs: null,
      isSidechain: all.every((e) => e.isSidechain),
    },
  };
}

/** Identity of a content block, so that the same block written twice is kept once. */
function blockKey(block: JsonRecord): string {
  if (block.type === 'tool_use' && typeof block.id === 'string') return `tool_use:${block.id}`;
  if (block.type === 'thinking' && typeof block.signature === 'string' && block.signature !== '') {
    return `thinking:${block.signature}`;
  }
  return JSON.stringify(block);
}

/**
 * The cache writes and their 5 min / 1 h split. Without a total the halves' sum is the total; a missing half
 * is the rest of the total. No split, or one that cannot be the total's (0 / 0 beside 500 written tokens,
 * as Anthropic has sent on web-search turns), is unknown: null, never 0.
 */
function cacheWrites(
  total: number | null,
  split5m: number | null,
  split1h: number | null,
): { total: number; write5m: number | null; write1h: number | null } {
  if (split5m === null && split1h === null) return { total: total ?? 0, write5m: null, write1h: null };
  const sum = total ?? (split5m ?? 0) + (split1h ?? 0);
  const write5m = split5m ?? sum - (split1h ?? 0);
  const write1h = split1h ?? sum - write5m;
  const adds = write5m >= 0 && write1h >= 0 && write5m + write1h === sum;
  return adds ? { total: sum, write5m, write1h } : { total: sum, write5m: null, write1h: null };
}

/**
 * Anthropic usage → call usage. Anthropic's `input_tokens` excludes the cache; the canonical input adds
 * cache reads and writes back. Pricing counts writes without a known split as 5 min.
 */
export function usageOf(usage: JsonRecord | null): CallUsage | null {
  if (usage === null) return null;
  const uncached = countField(usage, 'input_tokens');
  const output = countField(usage, 'output_tokens');
  if (uncached === null && output === null) return null;
  const cacheRead = countField(usage, 'cache_read_input_tokens') ?? 0;
  const split = recordField(usage, 'cache_creation');
  const writes = cacheWrites(
    countField(usage, 'cache_creation_input_tokens'),
    countField(split, 'ephemeral_5m_input_tokens'),
    countField(split, 'ephemeral_1h_input_tokens'),
  );
  const details = recordField(usage, 'output_tokens_details');
  return {
    inputTokens: (uncached ?? 0) + cacheRead + writes.total,
    uncachedInputTokens: uncached ?? 0,
    outputTokens: output ?? 0,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: writes.total,
    cacheWrite5mTokens: writes.write5m,
    cacheWrite1hTokens: writes.write1h,
    reasoningTokens: countField(details, 'thinking_tokens'),
    serviceTier: stringField(usage, 'service_tier'),
    speed: stringField(usage, 'speed'),
  };
}

/** Fullest usage first: most output (it grows while streaming), then most input, then the most detail. */
function usageRank(u: CallUsage): number[] {
  const detail =
    (u.cacheWrite5mTokens !== null ? 1 : 0) +
    (u.reasoningTokens !== null ? 1 : 0) +
    (u.serviceTier !== null ? 1 : 0) +
    (u.speed !== null ? 1 : 0);
  return [u.outputTokens, u.inputTokens, detail];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Lines looked at, from the end of a stretch, for a response still being written. */
const MAX_TAIL_LINES = 200;

/**
 * Where a response still being written starts, at the end of a stretch of transcript (complete JSONL
 * lines): the index in `text` of its first record, else null. Claude Code writes a response as one record
 * per content block, and only the last of them carries the `stop_reason`; a hook that reads while they
 * are being written sees part of them, and a call sent from part of its records would be sent again, in
 * full, by the next read. The response is unfinished when its records end the stretch and none has a
 * stop_reason; bookkeeping lines (attachments, progress) may lie between them, a user, system or other
 * response's record may not (the conversation has moved on).
 */
export function unfinishedResponseStart(text: string): number | null {
  let key: string | null = null;
  let start: number | null = null;
  let end = text.length;
  for (let lines = 0; end > 0 && lines < MAX_TAIL_LINES; lines++) {
    const from = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(from, end).trim();
    end = from - 1;
    if (line === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return start;
    }
    if (!isRecord(raw)) return start;
    const message = recordField(raw, 'message');
    const messageId = message === null ? null : stringField(message, 'id');
    if (raw.type === 'assistant' && raw.isApiErrorMessage !== true && messageId !== null) {
      const recordKey = `${messageId}:${stringField(raw, 'requestId') ?? ''}`;
      if (key !== null && recordKey !== key) return start;
      if (stringField(message!, 'stop_reason') !== null) return null;
      key = recordKey;
      start = from;
    } else if (key === null) {
      return null;
    } else if (['user', 'assistant', 'system', 'summary'].includes(String(raw.type))) {
      return start;
    }
  }
  return start;
}
