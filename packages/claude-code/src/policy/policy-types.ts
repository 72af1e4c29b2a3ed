/** Loopline policy rules (`.loopline/policy.yaml`): the parsed form, plain JSON so the hook can cache it. */

export const POLICY_LEVELS = ['MUST', 'MUST_NOT'] as const;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];

export const POLICY_ACTIONS = ['deny', 'ask', 'allow'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** What a rule matched, recorded as `loopline.policy.outcome`. */
export type PolicyOutcome = 'denied' | 'asked' | 'allowed';

export const OUTCOME_OF: Record<PolicyAction, PolicyOutcome> = {
  deny: 'denied',
  ask: 'asked',
  allow: 'allowed',
};

/** The conditions of a rule: every field given must match (AND); within a list, any entry (OR). */
export interface PolicyMatchSpec {
  /** tool name globs (`Bash`, `Write`, `mcp__*`) */
  tool?: string[];
  /** regular expressions searched in `tool_input.command` (Bash) */
  command?: string[];
  /** path globs against `tool_input.file_path` / `path` / `notebook_path`, relative to the repository */
  path?: string[];
  /** globs against the MCP server of `mcp__<server>__<tool>` */
  mcp_server?: string[];
  /** globs against the MCP tool of `mcp__<server>__<tool>` */
  mcp_tool?: string[];
}

export interface PolicyRule {
  id: string;
  description?: string;
  level: PolicyLevel;
  match: PolicyMatchSpec;
  action: PolicyAction;
  /** what the assistant (deny) or the user (ask, allow) is shown */
  reason: string;
  /** the policy file and the rule's line in it */
  file: string;
  line: number;
}

/** A problem in a policy file, with its position (1-based) when known. */
export interface PolicyProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** One policy file read: its rules, or the problems that made the hook ignore it. */
export interface PolicyFile {
  file: string;
  rules: PolicyRule[];
  problems: PolicyProblem[];
}

/** Every rule in force (repository rules first, then the user's) and the problems of ignored files. */
export interface ResolvedPolicy {
  rules: PolicyRule[];
  problems: PolicyProblem[];
  /** the repository root (or the session's folder): what `path` globs are relative to */
  root?: string;
}

/** A policy file as the caller found it on disk; mtime and size key the hook's cache. */
export interface PolicyFileRef {
  path: string;
  mtimeMs: number;
  size: number;
}

export function formatProblem(problem: PolicyProblem): string {
  const at =
    problem.line === undefined
      ? problem.file
      : `${problem.file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return `${at}: ${problem.message}`;
}
