import { GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import { unfinishedResponseStart } from '../llm-calls.ts';
import { TRANSCRIPT_ATTRIBUTES } from '../transcript-spans.ts';
import { closeOpenAgents, subagentStart, subagentStop } from './hook-agents.ts';
import type { HookContext, HookOutcome, TranscriptSource } from './hook-context.ts';
import { type HookInput, text } from './hook-input.ts';
import { clip, HOOK_ATTRIBUTES, HOOK_EVENT_NAMES } from './hook-names.ts';
import { type InstructionFile, type SessionState, STATE_FILES } from './hook-records.ts';
import { loadSession } from './hook-session.ts';
import { addPendingEvent, defined, takeDone } from './hook-spans.ts';
import { safeName } from './hook-store.ts';
import { closeOpenTools, permissionDenied, postToolUse, preToolUse } from './hook-tools.ts';
import { endTurn, startTurn, turnFor } from './hook-turn.ts';

const NOTHING: HookOutcome = { spans: [], output: null, drainSpool: false };

/**
 * One hook run: reads and writes the session's state through `ctx.store` and returns the spans that
 * are finished and due to be sent. Spans are sent at the end of a turn (Stop, StopFailure) and of the
 * session; every other event only records state. Only PreToolUse has an `output`: a policy rule's decision.
 */
export function handleHookEvent(ctx: HookContext, input: HookInput): HookOutcome {
  switch (input.event) {
    case 'SessionStart':
      return sessionStart(ctx, input);
    case 'UserPromptSubmit':
      startTurn(ctx, input, loadSession(ctx, input), false);
      return NOTHING;
    case 'PreToolUse': {
      const session = loadSession(ctx, input);
      return { ...NOTHING, output: preToolUse(ctx, input, session, turnFor(ctx, input, session)) };
    }
    case 'PostToolUse':
    case 'PostToolUseFailure': {
      const session = loadSession(ctx, input);
      postToolUse(ctx, input, session, turnFor(ctx, input, session), input.event === 'PostToolUseFailure');
      return NOTHING;
    }
    case 'PermissionDenied':
      permissionDenied(ctx, input, loadSession(ctx, input));
      return NOTHING;
    case 'SubagentStart':
      subagentStart(ctx, input, turnFor(ctx, input, loadSession(ctx, input)));
      return NOTHING;
    case 'SubagentStop': {
      const session = loadSession(ctx, input);
      subagentStop(ctx, input, session, turnFor(ctx, input, session));
      return NOTHING;
    }
    case 'InstructionsLoaded':
      instructionsLoaded(ctx, input, loadSession(ctx, input));
      return NOTHING;
    case 'Stop':
    case 'StopFailure':
    case 'Interrupt': // Codex CLI: the turn was interrupted
      return turnEnded(ctx, input);
    case 'SessionEnd':
      return sessionEnd(ctx, input);
    default:
      return recordEvent(ctx, input);
  }
}

function sessionStart(ctx: HookContext, input: HookInput): HookOutcome {
  const session = loadSession(ctx, input, { refreshGit: text(input.raw, 'source') === 'resume' });
  addPendingEvent(
    ctx,
    HOOK_EVENT_NAMES.SESSION_START,
    defined({
      [HOOK_ATTRIBUTES.SESSION_SOURCE]: session.source,
      [GEN_AI_ATTRIBUTES.REQUEST_MODEL]: session.model,
    }),
  );
  return { ...NOTHING, drainSpool: true };
}

/** A path as people search for it: relative to the session's folder when inside it. */
function displayPath(path: string, cwd: string | undefined): string {
  if (cwd === undefined) return path;
  const base = cwd.replace(/[\\/]+$/, '');
  const rest = path.slice(base.length);
  return path.startsWith(base) && /^[\\/]/.test(rest) ? rest.slice(1) : path;
}

/** InstructionsLoaded: the file joins the session's list (on every later turn span) and gets an event. */
function instructionsLoaded(ctx: HookContext, input: HookInput, session: SessionState): void {
  const raw = text(input.raw, 'file_path');
  if (raw === undefined) return;
  const file: InstructionFile = { path: displayPath(raw, session.cwd ?? input.cwd), timeUs: ctx.nowUs };
  const memoryType = text(input.raw, 'memory_type');
  const loadReason = text(input.raw, 'load_reason');
  if (memoryType !== undefined) file.memoryType = memoryType;
  if (loadReason !== undefined) file.loadReason = loadReason;
  ctx.store.write(`${STATE_FILES.INSTRUCTION_PREFIX}${safeName(file.path)}.json`, file);
  const trigger = text(input.raw, 'trigger_file_path');
  addPendingEvent(
    ctx,
    HOOK_EVENT_NAMES.INSTRUCTIONS_LOADED,
    defined({
      file_path: file.path,
      memory_type: memoryType,
      load_reason: loadReason,
      trigger_file_path: trigger === undefined ? undefined : displayPath(trigger, session.cwd ?? input.cwd),
    }),
  );
}

function turnEnded(ctx: HookContext, input: HookInput): HookOutcome {
  const session = loadSession(ctx, input);
  const failed = input.event === 'StopFailure';
  const end: Parameters<typeof endTurn>[3] = {
    reason: failed ? 'stop_failure' : input.event === 'Interrupt' ? 'interrupted' : 'stop',
  };
  const error = failed ? text(input.raw, 'error') : undefined;
  const last = text(input.raw, 'last_assistant_message');
  if (error !== undefined) end.error = error;
  if (last !== undefined) end.lastMessage = last;
  const transcripts = ctx.transcripts;
  endTurn(
    transcripts === undefined || input.transcriptPath === undefined
      ? ctx
      : { ...ctx, transcripts: finishedResponsesOnly(transcripts) },
    input,
    session,
    end,
  );
  return { spans: takeDone(ctx), output: null, drainSpool: true };
}

/**
 * The transcript as a turn's end reads it: a response still being written at its end is left for the
 * next read, which then has all its records (a call is sent once, whole). SessionEnd reads everything.
 */
function finishedResponsesOnly(source: TranscriptSource): TranscriptSource {
  return {
    readFrom(path, offset) {
      const read = source.readFrom(path, offset);
      const at = read === null ? null : unfinishedResponseStart(read.text);
      if (read === null || at === null) return read;
      const held = new TextEncoder().encode(read.text.slice(at)).length;
      return { text: read.text.slice(0, at), offset: read.offset - held };
    },
    readAll: (path) => source.readAll(path),
    size: (path) => source.size(path),
  };
}

function sessionEnd(ctx: HookContext, input: HookInput): HookOutcome {
  const session = loadSession(ctx, input);
  endTurn(ctx, input, session, { reason: 'session_end' });
  closeOpenTools(ctx, session);
  closeOpenAgents(ctx, session);
  const spans = takeDone(ctx);
  ctx.store.clear();
  return { spans, output: null, drainSpool: true };
}

/** PermissionRequest, PreCompact, PostCompact, Notification: span events on the turn. */
function recordEvent(ctx: HookContext, input: HookInput): HookOutcome {
  const raw = input.raw;
  const content = (key: string): string | undefined => {
    const value = text(raw, key);
    return ctx.captureContent && value !== undefined ? clip(value) : undefined;
  };
  switch (input.event) {
    case 'PermissionRequest':
      addPendingEvent(
        ctx,
        HOOK_EVENT_NAMES.PERMISSION_REQUEST,
        defined({
          [GEN_AI_ATTRIBUTES.TOOL_NAME]: text(raw, 'tool_name'),
          [HOOK_ATTRIBUTES.PERMISSION_MODE]: input.permissionMode,
        }),
      );
      break;
    case 'PreCompact':
      addPendingEvent(
        ctx,
        HOOK_EVENT_NAMES.PRE_COMPACT,
        defined({ [TRANSCRIPT_ATTRIBUTES.COMPACTION_TRIGGER]: text(raw, 'trigger') }),
      );
      break;
    case 'PostCompact':
      addPendingEvent(
        ctx,
        HOOK_EVENT_NAMES.COMPACTION,
        defined({
          [TRANSCRIPT_ATTRIBUTES.COMPACTION_TRIGGER]: text(raw, 'trigger'),
          compact_summary: content('compact_summary'),
        }),
      );
      break;
    case 'Notification':
      addPendingEvent(
        ctx,
        HOOK_EVENT_NAMES.NOTIFICATION,
        defined({
          notification_type: text(raw, 'notification_type'),
          title: text(raw, 'title'),
          message: content('message'),
        }),
      );
      break;
    default:
      return NOTHING;
  }
  return NOTHING;
}
