import { COMMON_ATTRIBUTES, GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import { subagentSpanId, toolSpanId } from '../ids.ts';
import { applyPolicy } from '../policy/policy-hook.ts';
import { POLICY_DENIED_ERROR_TYPE } from '../policy/policy-names.ts';
import type { SpanAttributes, SpanStatus } from '../span-record.ts';
import type { HookContext } from './hook-context.ts';
import { type HookInput, num, text } from './hook-input.ts';
import { clip, HOOK_ATTRIBUTES, HOOK_EVENT_NAMES } from './hook-names.ts';
import {
  type OpenAgent,
  type OpenTool,
  type SessionState,
  STATE_FILES,
  type TurnState,
} from './hook-records.ts';
import { sessionAttributes } from './hook-session.ts';
import { addPendingEvent, defined, keepDone, makeSpan } from './hook-spans.ts';
import { safeName } from './hook-store.ts';
import { followHead, mayTouchVcs, shellCommand, toolVcs, VCS_EVENT } from './vcs-attribution.ts';

/** How a tool call ended, as `claude_code.tool.outcome`. */
export type ToolOutcome = 'success' | 'error' | 'interrupted' | 'denied' | 'incomplete';

interface ToolEnd {
  outcome: ToolOutcome;
  endUs: number;
  durationMs?: number;
  /** the failure text (only put on the span with content capture on) */
  error?: string;
  /** JSON of the tool's response, with content capture on */
  result?: string;
  reason?: string;
  /** `error.type` when not the outcome's usual one (`policy_denied`) */
  errorType?: string;
  /** status message when not the outcome's usual one */
  statusMessage?: string;
  /** commits and changes the call produced */
  vcs?: SpanAttributes;
}

const toolFile = (toolUseId: string): string => `${STATE_FILES.TOOL_PREFIX}${safeName(toolUseId)}.json`;
const agentFile = (agentId: string): string => `${STATE_FILES.AGENT_PREFIX}${safeName(agentId)}.json`;

function json(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return clip(typeof value === 'string' ? value : JSON.stringify(value));
  } catch {
    return undefined;
  }
}

/** Where a tool call of this input belongs: its sub-agent's span when it runs in one, else the turn. */
function placeOf(
  ctx: HookContext,
  input: HookInput,
  turn: TurnState,
): { traceId: string; parentSpanId: string } {
  if (input.agentId === undefined) return { traceId: turn.traceId, parentSpanId: turn.spanId };
  const agent = ctx.store.read<OpenAgent>(agentFile(input.agentId));
  return {
    traceId: agent?.traceId ?? turn.traceId,
    parentSpanId: agent?.spanId ?? subagentSpanId(input.sessionId, input.agentId),
  };
}

function openTool(ctx: HookContext, input: HookInput, turn: TurnState, startUs: number): OpenTool {
  const toolUseId = text(input.raw, 'tool_use_id') ?? `unknown-${ctx.unique()}`;
  const mcp = input.raw.mcp_server as { name?: unknown } | undefined;
  const open: OpenTool = {
    ...placeOf(ctx, input, turn),
    spanId: toolSpanId(input.sessionId, toolUseId),
    toolName: text(input.raw, 'tool_name') ?? 'unknown',
    toolUseId,
    startUs,
  };
  if (input.agentId !== undefined) open.agentId = input.agentId;
  if (typeof mcp?.name === 'string') open.mcpServer = mcp.name;
  const command = shellCommand(open.toolName, input.raw.tool_input);
  if (command !== undefined && mayTouchVcs(command)) open.vcsCommand = command;
  if (ctx.captureContent) {
    const args = json(input.raw.tool_input);
    if (args !== undefined) open.arguments = args;
  }
  return open;
}

/**
 * PreToolUse: the tool span opens (one file per tool call, so parallel calls never collide), and the
 * policy decides. A denied call never runs (no PostToolUse follows), so its span ends here as `denied`.
 * Returns the hook's stdout: the decision, or null when no rule matched.
 */
export function preToolUse(
  ctx: HookContext,
  input: HookInput,
  session: SessionState,
  turn: TurnState,
): string | null {
  const open = openTool(ctx, input, turn, ctx.nowUs);
  const decision = applyPolicy(ctx, input, turn, open.toolUseId);
  if (decision?.match.action === 'deny') {
    open.policy = decision.attributes;
    finishTool(ctx, session, open, {
      outcome: 'denied',
      endUs: ctx.nowUs,
      errorType: POLICY_DENIED_ERROR_TYPE,
      statusMessage: `denied by Loopline policy ${decision.match.rule.id}`,
    });
    return decision.output;
  }
  if (decision !== null) open.policy = decision.attributes;
  if (open.vcsCommand !== undefined && input.cwd !== undefined) {
    const head = ctx.vcs?.head(input.cwd);
    if (head) open.vcsHead = { ...head, cwd: input.cwd };
  }
  ctx.store.write(toolFile(open.toolUseId), open);
  return decision?.output ?? null;
}

/** PostToolUse / PostToolUseFailure: the tool span ends with its outcome. */
export function postToolUse(
  ctx: HookContext,
  input: HookInput,
  session: SessionState,
  turn: TurnState,
  failed: boolean,
): void {
  const toolUseId = text(input.raw, 'tool_use_id');
  const durationMs = num(input.raw, 'duration_ms');
  const name = toolUseId === undefined ? undefined : toolFile(toolUseId);
  const known = name === undefined ? undefined : ctx.store.read<OpenTool>(name);
  const open =
    known ?? openTool(ctx, input, turn, durationMs === undefined ? ctx.nowUs : ctx.nowUs - durationMs * 1000);
  const end: ToolEnd = { outcome: 'success', endUs: ctx.nowUs };
  if (durationMs !== undefined) end.durationMs = durationMs;
  if (failed) {
    end.outcome = input.raw.is_interrupt === true ? 'interrupted' : 'error';
    end.error = text(input.raw, 'error') ?? 'tool failed';
  } else if (ctx.captureContent) {
    const result = json(input.raw.tool_response);
    if (result !== undefined) end.result = result;
  }
  if (open.vcsCommand !== undefined) {
    const vcs = toolVcs(ctx.vcs, open.vcsHead, open.vcsCommand, input.raw.tool_response);
    if (vcs.head !== undefined) followHead(ctx, session, vcs.head);
    if (Object.keys(vcs.attributes).length > 0) {
      end.vcs = vcs.attributes;
      addPendingEvent(ctx, VCS_EVENT, {
        [GEN_AI_ATTRIBUTES.TOOL_CALL_ID]: open.toolUseId,
        ...vcs.attributes,
      });
    }
  }
  finishTool(ctx, session, open, end);
  if (name !== undefined) ctx.store.remove(name);
}

/** PermissionDenied: an event on the turn, and the tool span (if open) ends as denied. */
export function permissionDenied(ctx: HookContext, input: HookInput, session: SessionState): void {
  const toolUseId = text(input.raw, 'tool_use_id');
  // the classifier's reason may quote the command: content
  const reason = ctx.captureContent ? text(input.raw, 'reason') : undefined;
  addPendingEvent(
    ctx,
    HOOK_EVENT_NAMES.PERMISSION_DENIED,
    defined({
      [GEN_AI_ATTRIBUTES.TOOL_NAME]: text(input.raw, 'tool_name'),
      [GEN_AI_ATTRIBUTES.TOOL_CALL_ID]: toolUseId,
      [HOOK_ATTRIBUTES.PERMISSION_REASON]: reason === undefined ? undefined : clip(reason, 500),
    }),
  );
  if (toolUseId === undefined) return;
  const open = ctx.store.read<OpenTool>(toolFile(toolUseId));
  if (open === undefined) return;
  const end: ToolEnd = { outcome: 'denied', endUs: ctx.nowUs };
  if (reason !== undefined) end.reason = reason;
  finishTool(ctx, session, open, end);
  ctx.store.remove(toolFile(toolUseId));
}

/**
 * Tool calls still open when a turn ends (interrupted, or a hook that never came) end as incomplete; with
 * `traceId`, only that trace's calls.
 */
export function closeOpenTools(ctx: HookContext, session: SessionState, traceId?: string): void {
  for (const name of ctx.store.list(STATE_FILES.TOOL_PREFIX)) {
    const open = ctx.store.read<OpenTool>(name);
    if (open !== undefined && traceId !== undefined && open.traceId !== traceId) continue;
    if (open !== undefined) finishTool(ctx, session, open, { outcome: 'incomplete', endUs: ctx.nowUs });
    ctx.store.remove(name);
  }
}

function toolStatus(end: ToolEnd, capture: boolean): SpanStatus {
  if (end.outcome === 'error' || end.outcome === 'interrupted') {
    return {
      code: 'error',
      message: capture && end.error !== undefined ? clip(end.error, 2000) : 'tool failed',
    };
  }
  if (end.outcome === 'denied') return { code: 'error', message: end.statusMessage ?? 'permission denied' };
  return { code: 'unset' };
}

const ERROR_TYPES: Partial<Record<ToolOutcome, string>> = {
  error: 'tool_error',
  interrupted: 'interrupted',
  denied: 'permission_denied',
};

function finishTool(ctx: HookContext, session: SessionState, open: OpenTool, end: ToolEnd): void {
  const attributes = {
    ...sessionAttributes(session),
    ...defined({
      [GEN_AI_ATTRIBUTES.OPERATION_NAME]: 'execute_tool',
      [GEN_AI_ATTRIBUTES.TOOL_NAME]: open.toolName,
      [GEN_AI_ATTRIBUTES.TOOL_CALL_ID]: open.toolUseId,
      [GEN_AI_ATTRIBUTES.TOOL_TYPE]: open.toolName.startsWith('mcp__') ? 'extension' : 'function',
      [HOOK_ATTRIBUTES.TOOL_OUTCOME]: end.outcome,
      [HOOK_ATTRIBUTES.TOOL_DURATION_MS]: end.durationMs,
      [HOOK_ATTRIBUTES.MCP_SERVER]: open.mcpServer,
      [COMMON_ATTRIBUTES.ERROR_TYPE]: end.errorType ?? ERROR_TYPES[end.outcome],
      [HOOK_ATTRIBUTES.PERMISSION_DECISION]: end.outcome === 'denied' ? 'deny' : undefined,
      [HOOK_ATTRIBUTES.PERMISSION_REASON]: end.reason === undefined ? undefined : clip(end.reason, 500),
      [GEN_AI_ATTRIBUTES.TOOL_CALL_ARGUMENTS]: open.arguments,
      [GEN_AI_ATTRIBUTES.TOOL_CALL_RESULT]: end.result,
    }),
    ...(open.policy ?? ({} as SpanAttributes)),
    ...(end.vcs ?? ({} as SpanAttributes)),
  };
  keepDone(
    ctx,
    makeSpan({
      traceId: open.traceId,
      spanId: open.spanId,
      parentSpanId: open.parentSpanId,
      name: `execute_tool ${open.toolName}`,
      kind: 'internal',
      startUs: open.startUs,
      endUs: end.endUs,
      attributes,
      status: toolStatus(end, ctx.captureContent),
    }),
  );
}

export { agentFile };
