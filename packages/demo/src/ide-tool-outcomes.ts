import type { RawSpan } from '@loopline/model';
import { LOOPLINE, STATUS_CODE, VCS } from './attribute-names.ts';
import type { GenerationContext } from './generation-context.ts';
import { gitSha } from './ids.ts';
import { markError } from './span-factory.ts';
import type { ToolProfile } from './tool-span.ts';
import { prNumber } from './vcs-names.ts';

const SHELL_TOOLS = new Set(['Bash', 'shell']);
const WRITE_TOOLS = new Set(['Bash', 'shell', 'Edit', 'Write', 'apply_patch']);
const POLICY_RULES: readonly string[] = [
  'no-force-push-to-main',
  'no-secrets-in-commands',
  'coding-standards/no-direct-db-writes',
  'coding-standards/no-disabled-tests',
];

/**
 * What the hook plugin adds to a tool span: the commit a shell call made, the PR a tool opened, and
 * the rare pre-tool-use policy denial (a MUST enforced as code).
 */
export function decorateIdeTool(
  ctx: GenerationContext,
  span: RawSpan,
  tool: ToolProfile,
  branch: string,
): void {
  const { rng } = ctx;
  if (WRITE_TOOLS.has(tool.name) && rng.chance(0.005)) {
    denyByPolicy(ctx, span);
    return;
  }
  if (span.statusCode === STATUS_CODE.error) return;
  if (SHELL_TOOLS.has(tool.name) && rng.chance(0.04)) {
    span.attributes[VCS.refHeadRevision] = gitSha(rng);
    span.attributes[VCS.refHeadName] = branch;
  } else if (tool.name === 'mcp__github__create_pull_request') {
    span.attributes[VCS.changeId] = prNumber(rng);
    span.attributes[VCS.refHeadName] = branch;
  }
}

function denyByPolicy(ctx: GenerationContext, span: RawSpan): void {
  span.attributes[LOOPLINE.policyRuleId] = ctx.rng.pick(POLICY_RULES);
  span.attributes[LOOPLINE.policyAction] = 'deny';
  span.attributes[LOOPLINE.policyOutcome] = 'denied';
  markError(span, 'policy_denied', 'blocked by a PreToolUse policy hook');
  span.endUs = span.startUs + 20_000 + ctx.rng.int(130_000);
}
