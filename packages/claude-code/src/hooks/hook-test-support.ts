/** Test helpers: a scripted Claude Code session against an in-memory store (used by the unit tests). */

import type { ResolvedPolicy } from '../policy/policy-types.ts';
import type { SpanRecord } from '../span-record.ts';
import type { HookContext, HookOutcome, TranscriptSource } from './hook-context.ts';
import { handleHookEvent } from './hook-handler.ts';
import { parseHookInput } from './hook-input.ts';
import type { GitInfo } from './hook-records.ts';
import { MemoryHookStore } from './hook-store.ts';

export const TEST_GIT: GitInfo = {
  repositoryName: 'shop',
  repositoryUrl: 'https://github.com/acme/shop.git',
  branch: 'feature/cart',
  revision: '0123456789abcdef0123456789abcdef01234567',
  userEmail: 'dev@acme.test',
};

/** Transcript files in memory, keyed by path. */
export class MemoryTranscripts implements TranscriptSource {
  readonly files = new Map<string, string>();
  readFrom(path: string, offset: number): { text: string; offset: number } | null {
    const text = this.files.get(path);
    if (text === undefined) return null;
    const bytes = new TextEncoder().encode(text);
    const slice = new TextDecoder().decode(bytes.subarray(offset));
    return { text: slice, offset: bytes.length };
  }
  readAll(path: string): string | null {
    return this.files.get(path) ?? null;
  }
  size(path: string): number | null {
    const text = this.files.get(path);
    return text === undefined ? null : new TextEncoder().encode(text).length;
  }
}

/** Runs hook events one after the other (or "in parallel": same clock tick) on one session. */
export class ScriptedSession {
  readonly store = new MemoryHookStore();
  readonly transcripts = new MemoryTranscripts();
  readonly sent: SpanRecord[] = [];
  nowMs = Date.UTC(2026, 10, 20, 9, 0, 0);
  gitCalls = 0;
  /** the policy the CLI would hand PreToolUse hooks */
  policy: ResolvedPolicy | undefined;
  private unique = 0;

  constructor(
    readonly sessionId = 'sess-1',
    readonly options: { captureContent?: boolean; cwd?: string } = {},
  ) {}

  get transcriptPath(): string {
    return `/home/dev/.claude/projects/-home-dev-shop/${this.sessionId}.jsonl`;
  }

  /** One hook process: `fields` plus the base input; the clock moves `advanceMs` first. */
  run(event: string, fields: Record<string, unknown> = {}, advanceMs = 100): HookOutcome {
    this.nowMs += advanceMs;
    const input = parseHookInput(
      JSON.stringify({
        session_id: this.sessionId,
        transcript_path: this.transcriptPath,
        cwd: this.options.cwd ?? '/home/dev/shop',
        permission_mode: 'default',
        hook_event_name: event,
        ...fields,
      }),
    );
    const ctx: HookContext = {
      store: this.store,
      nowUs: this.nowMs * 1000,
      captureContent: this.options.captureContent ?? false,
      git: () => {
        this.gitCalls++;
        return TEST_GIT;
      },
      unique: () => String(this.unique++),
      transcripts: this.transcripts,
    };
    if (this.policy !== undefined && input.event === 'PreToolUse') ctx.policy = this.policy;
    const outcome = handleHookEvent(ctx, input);
    this.sent.push(...outcome.spans);
    return outcome;
  }

  /** Appends transcript records: a prompt and one assistant API call answering it. */
  transcriptTurn(turn: {
    promptId: string;
    prompt: string;
    atMs: number;
    model: string;
    messageId: string;
  }): void {
    const base = { sessionId: this.sessionId, cwd: '/home/dev/shop', version: '2.1.200', isSidechain: false };
    const userUuid = `u-${turn.messageId}`;
    const lines = [
      {
        ...base,
        type: 'user',
        uuid: userUuid,
        parentUuid: null,
        promptId: turn.promptId,
        timestamp: new Date(turn.atMs).toISOString(),
        message: { role: 'user', content: turn.prompt },
      },
      {
        ...base,
        type: 'assistant',
        uuid: `a-${turn.messageId}`,
        parentUuid: userUuid,
        requestId: `req-${turn.messageId}`,
        timestamp: new Date(turn.atMs + 1500).toISOString(),
        message: {
          id: turn.messageId,
          type: 'message',
          role: 'assistant',
          model: turn.model,
          content: [{ type: 'text', text: 'Done.' }],
          stop_reason: 'end_turn',
          usage: {
            input_tokens: 10,
            cache_read_input_tokens: 1000,
            cache_creation_input_tokens: 200,
            output_tokens: 50,
          },
        },
      },
    ];
    const previous = this.transcripts.files.get(this.transcriptPath) ?? '';
    this.transcripts.files.set(
      this.transcriptPath,
      previous + lines.map((l) => `${JSON.stringify(l)}\n`).join(''),
    );
  }
}

export const byName = (spans: readonly SpanRecord[], name: string): SpanRecord[] =>
  spans.filter((span) => span.name === name);

export const durationMs = (span: SpanRecord): number =>
  (Number(span.endTimeUnixNano) - Number(span.startTimeUnixNano)) / 1e6;
