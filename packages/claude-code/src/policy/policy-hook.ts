/**
 * Enforcement in the PreToolUse hook: the first matching rule decides, the decision is printed for
 * Claude Code and recorded (on the tool span, as an event on the turn, and in the session's memory of
 * fired rules for `loopline.policy.repeat`).
 */
import type { HookContext } from '../hooks/hook-context.ts';
import type { HookInput } from '../hooks/hook-input.ts';
import type { TurnState } from '../hooks/hook-records.ts';
import { addPendingEvent } from '../hooks/hook-spans.ts';
import { safeName } from '../hooks/hook-store.ts';
import type { SpanAttributes } from '../span-record.ts';
import { decisionOutput, evaluatePolicy, type PolicyMatch, toolCallOf } from './policy-match.ts';
import { POLICY_ATTRIBUTES, POLICY_EVENT_NAMES } from './policy-names.ts';
import { formatProblem } from './policy-types.ts';

/** `policy-fired-<rule>.json`: a rule that denied or asked earlier in the session. */
const FIRED_PREFIX = 'policy-fired-';
/** `policy-error.json`: the turn whose span already carries this policy error. */
const ERROR_REPORTED = 'policy-error.json';

interface FiredRule {
  count: number;
  lastUs: number;
  lastOutcome: string;
}

export interface PolicyDecision {
  match: PolicyMatch;
  /** `loopline.policy.*` attributes for the tool span */
  attributes: SpanAttributes;
  /** the hook's stdout */
  output: string;
}

function reportProblems(ctx: HookContext, turn: TurnState): void {
  const problems = ctx.policy?.problems ?? [];
  if (problems.length === 0) return;
  const message = problems.map(formatProblem).join('; ').slice(0, 2000);
  const reported = ctx.store.read<{ turn: string; message: string }>(ERROR_REPORTED);
  if (reported?.turn === turn.key && reported.message === message) return;
  ctx.store.write(ERROR_REPORTED, { turn: turn.key, message });
  addPendingEvent(ctx, POLICY_EVENT_NAMES.ERROR, { [POLICY_ATTRIBUTES.ERROR]: message });
}

/** Evaluates the session's policy for a PreToolUse input; null when no rule matched (or no policy). */
export function applyPolicy(
  ctx: HookContext,
  input: HookInput,
  turn: TurnState,
  toolUseId: string,
): PolicyDecision | null {
  if (ctx.policy === undefined) return null;
  reportProblems(ctx, turn);
  const call = toolCallOf(input.raw);
  if (call === null) return null;
  const match = evaluatePolicy(ctx.policy, call);
  if (match === null) return null;
  const fired = `${FIRED_PREFIX}${safeName(match.rule.id)}.json`;
  const before = ctx.store.read<FiredRule>(fired);
  if (match.action !== 'allow') {
    ctx.store.write(fired, {
      count: (before?.count ?? 0) + 1,
      lastUs: ctx.nowUs,
      lastOutcome: match.outcome,
    } satisfies FiredRule);
  }
  const attributes: SpanAttributes = {
    [POLICY_ATTRIBUTES.RULE_ID]: match.rule.id,
    [POLICY_ATTRIBUTES.ACTION]: match.action,
    [POLICY_ATTRIBUTES.OUTCOME]: match.outcome,
    [POLICY_ATTRIBUTES.REASON]: match.reason,
    [POLICY_ATTRIBUTES.LEVEL]: match.rule.level,
    [POLICY_ATTRIBUTES.REPEAT]: before !== undefined,
  };
  addPendingEvent(ctx, POLICY_EVENT_NAMES.DECISION, {
    ...attributes,
    'gen_ai.tool.name': call.toolName,
    'gen_ai.tool.call.id': toolUseId,
  });
  return { match, attributes, output: decisionOutput(match) };
}

/** Turn span attributes from the turn's decision events: how many, and which rules. */
export function turnPolicyAttributes(
  events: readonly { name: string; attributes: SpanAttributes }[],
): SpanAttributes {
  const ids = new Set<string>();
  let decisions = 0;
  const errors: string[] = [];
  for (const event of events) {
    if (event.name === POLICY_EVENT_NAMES.DECISION) {
      decisions++;
      const id = event.attributes[POLICY_ATTRIBUTES.RULE_ID];
      if (typeof id === 'string') ids.add(id);
    } else if (event.name === POLICY_EVENT_NAMES.ERROR) {
      const message = event.attributes[POLICY_ATTRIBUTES.ERROR];
      if (typeof message === 'string') errors.push(message);
    }
  }
  const out: SpanAttributes = {};
  if (decisions > 0) {
    out[POLICY_ATTRIBUTES.DECISIONS] = decisions;
    out[POLICY_ATTRIBUTES.RULE_IDS] = [...ids].sort();
  }
  if (errors.length > 0) out[POLICY_ATTRIBUTES.ERROR] = errors[errors.length - 1]!;
  return out;
}
