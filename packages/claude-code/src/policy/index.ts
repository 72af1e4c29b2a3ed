/** Loopline policy rules (`.loopline/policy.yaml`): parsing, matching, and enforcement in PreToolUse. */
export { globMatch, globToRegExp } from './glob.ts';
export { POLICY_CACHE_FILE, resolvePolicy } from './policy-cache.ts';
export type { PolicyDecision } from './policy-hook.ts';
export type { PolicyMatch, ToolCall } from './policy-match.ts';
export {
  decisionOutput,
  evaluatePolicy,
  mcpParts,
  policyPath,
  ruleMatches,
  toolCallOf,
} from './policy-match.ts';
export { POLICY_ATTRIBUTES, POLICY_DENIED_ERROR_TYPE, POLICY_EVENT_NAMES } from './policy-names.ts';
export { parsePolicy, suggest } from './policy-parse.ts';
export type {
  PolicyAction,
  PolicyFile,
  PolicyFileRef,
  PolicyLevel,
  PolicyMatchSpec,
  PolicyOutcome,
  PolicyProblem,
  PolicyRule,
  ResolvedPolicy,
} from './policy-types.ts';
export { formatProblem, POLICY_ACTIONS, POLICY_LEVELS } from './policy-types.ts';
