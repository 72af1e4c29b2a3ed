/**
 * Which rule a tool call matches. Rules are tried in order (repository rules first, then the user's) and
 * the first rule whose every condition matches decides; later rules are not looked at.
 */
import { globMatch } from './glob.ts';
import {
  OUTCOME_OF,
  type PolicyAction,
  type PolicyOutcome,
  type PolicyRule,
  type ResolvedPolicy,
} from './policy-types.ts';

/** The parts of a PreToolUse input the rules look at. */
export interface ToolCall {
  toolName: string;
  toolInput: Record<string, unknown>;
  /** the session's folder: relative paths in the input are relative to it */
  cwd?: string;
  /** `mcp_server.name` from the input, when Claude Code sent it */
  mcpServer?: string;
}

export interface PolicyMatch {
  rule: PolicyRule;
  action: PolicyAction;
  outcome: PolicyOutcome;
  /** the reason as the assistant sees it: `<reason> (Loopline policy <id>)` */
  reason: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The tool call of a PreToolUse input (`tool_name`, `tool_input`, `cwd`, `mcp_server`). */
export function toolCallOf(raw: Record<string, unknown>): ToolCall | null {
  const toolName = raw.tool_name;
  if (typeof toolName !== 'string' || toolName === '') return null;
  const call: ToolCall = { toolName, toolInput: isRecord(raw.tool_input) ? raw.tool_input : {} };
  if (typeof raw.cwd === 'string' && raw.cwd !== '') call.cwd = raw.cwd;
  const server = isRecord(raw.mcp_server) ? raw.mcp_server.name : undefined;
  if (typeof server === 'string' && server !== '') call.mcpServer = server;
  return call;
}

/** `mcp__<server>__<tool>` → its parts (the input's `mcp_server.name` settles servers with `__`). */
export function mcpParts(toolName: string, serverHint?: string): { server: string; tool: string } | null {
  if (!toolName.startsWith('mcp__')) return null;
  const rest = toolName.slice(5);
  if (serverHint !== undefined && rest.startsWith(`${serverHint}__`)) {
    return { server: serverHint, tool: rest.slice(serverHint.length + 2) };
  }
  const at = rest.indexOf('__');
  return at <= 0 ? { server: rest, tool: '' } : { server: rest.slice(0, at), tool: rest.slice(at + 2) };
}

/** `a/./b/../c` → `a/c`, backslashes as slashes; keeps a leading `/`. */
export function normalizePath(value: string): string {
  const slashed = value.replace(/\\/g, '/');
  const absolute = slashed.startsWith('/');
  const out: string[] = [];
  for (const part of slashed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  return `${absolute ? '/' : ''}${out.join('/')}`;
}

/**
 * The path as the rules see it: relative to `root` when inside it, else absolute. A relative input path is
 * taken relative to `cwd` first.
 */
export function policyPath(value: string, root: string | undefined, cwd: string | undefined): string {
  const slashed = value.replace(/\\/g, '/');
  const isAbsolute = slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed);
  const full = normalizePath(isAbsolute || cwd === undefined ? slashed : `${cwd}/${slashed}`);
  if (root === undefined) return full;
  const base = normalizePath(root).replace(/\/$/, '');
  if (full === base) return '.';
  return full.startsWith(`${base}/`) ? full.slice(base.length + 1) : full;
}

/**
 * A path glob against a path: a glob without `/` matches the file's name in any folder (as in
 * .gitignore); one starting with `/` matches the absolute path; any other is relative to the repository.
 */
export function pathGlobMatch(pattern: string, relative: string, absolute: string): boolean {
  if (pattern.startsWith('/')) return globMatch(pattern, absolute);
  if (!pattern.includes('/')) return globMatch(pattern, relative.slice(relative.lastIndexOf('/') + 1));
  return globMatch(pattern, relative);
}

const PATH_FIELDS = ['file_path', 'path', 'notebook_path'] as const;

const regexCache = new Map<string, RegExp | null>();
function regex(source: string): RegExp | null {
  let compiled = regexCache.get(source);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(source);
    } catch {
      compiled = null; // checked when parsing; a cached policy from another version must not throw
    }
    regexCache.set(source, compiled);
  }
  return compiled;
}

/** Whether every condition of `rule` holds for `call`. */
export function ruleMatches(rule: PolicyRule, call: ToolCall, root: string | undefined): boolean {
  const { match } = rule;
  if (match.tool !== undefined && !match.tool.some((glob) => globMatch(glob, call.toolName))) return false;
  if (match.mcp_server !== undefined || match.mcp_tool !== undefined) {
    const mcp = mcpParts(call.toolName, call.mcpServer);
    if (mcp === null) return false;
    if (match.mcp_server !== undefined && !match.mcp_server.some((glob) => globMatch(glob, mcp.server))) {
      return false;
    }
    if (match.mcp_tool !== undefined && !match.mcp_tool.some((glob) => globMatch(glob, mcp.tool)))
      return false;
  }
  if (match.command !== undefined) {
    const command = call.toolInput.command;
    if (typeof command !== 'string') return false;
    if (!match.command.some((source) => regex(source)?.test(command) === true)) return false;
  }
  if (match.path !== undefined) {
    const globs = match.path;
    const paths = PATH_FIELDS.map((field) => call.toolInput[field]).filter(
      (value): value is string => typeof value === 'string' && value !== '',
    );
    if (paths.length === 0) return false;
    const hit = paths.some((value) => {
      const relative = policyPath(value, root, call.cwd);
      const absolute = policyPath(value, undefined, call.cwd);
      return globs.some((glob) => pathGlobMatch(glob, relative, absolute));
    });
    if (!hit) return false;
  }
  return true;
}

/** The first rule matching the call, or null (then the hook prints nothing). */
export function evaluatePolicy(policy: ResolvedPolicy, call: ToolCall): PolicyMatch | null {
  for (const rule of policy.rules) {
    if (!ruleMatches(rule, call, policy.root ?? call.cwd)) continue;
    return {
      rule,
      action: rule.action,
      outcome: OUTCOME_OF[rule.action],
      reason: `${rule.reason} (Loopline policy ${rule.id})`,
    };
  }
  return null;
}

/** What the hook prints for a match: Claude Code's PreToolUse decision (SPECS §2.3). */
export function decisionOutput(match: PolicyMatch): string {
  return `${JSON.stringify({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: match.action,
      permissionDecisionReason: match.reason,
    },
  })}\n`;
}
