import { describe, expect, it } from 'vitest';
import { decisionOutput, evaluatePolicy, mcpParts, policyPath, type ToolCall } from './policy-match.ts';
import { parsePolicy } from './policy-parse.ts';
import type { ResolvedPolicy } from './policy-types.ts';

const POLICY = `rules:
  - id: no-force-push
    match:
      tool: Bash
      command: ['git\\s+push\\b.*\\s(--force|-f)\\b']
    action: deny
    reason: Do not force-push
  - id: no-env-files
    match: { tool: [Write, Edit], path: '**/.env*' }
    action: deny
    reason: Secrets live in the vault
  - id: ask-before-rm-rf
    match: { command: '\\brm\\s+-[a-z]*r[a-z]*f' }
    action: ask
    reason: Recursive delete
  - id: allow-npm-test
    level: MUST
    match: { tool: Bash, command: '^npm test' }
    action: allow
    reason: Tests are always fine
  - id: github-writes
    match: { mcp_server: github, mcp_tool: ['create_*', 'merge_*'] }
    action: ask
  - id: no-npx-vitest
    level: MUST
    match: { command: 'npx vitest' }
    action: deny
    reason: MUST run tests with npm test
  - id: shadowed
    match: { tool: Bash, command: 'git push' }
    action: allow
`;

async function policy(): Promise<ResolvedPolicy> {
  const file = await parsePolicy(POLICY, '/repo/.loopline/policy.yaml');
  expect(file.problems).toEqual([]);
  return { rules: file.rules, problems: [], root: '/repo' };
}

const bash = (command: string): ToolCall => ({ toolName: 'Bash', toolInput: { command }, cwd: '/repo/sub' });

describe('evaluatePolicy', () => {
  it('denies force pushes and nothing else of git push', async () => {
    const p = await policy();
    expect(evaluatePolicy(p, bash('git push --force origin main'))?.rule.id).toBe('no-force-push');
    expect(evaluatePolicy(p, bash('git push -f'))?.rule.id).toBe('no-force-push');
    // first match wins: the later allow rule never overrides an earlier deny; a plain push hits "shadowed"
    expect(evaluatePolicy(p, bash('git push origin main'))?.rule.id).toBe('shadowed');
    expect(evaluatePolicy(p, bash('git status'))).toBeNull();
  });

  it('matches paths relative to the repository, absolute or relative to cwd', async () => {
    const p = await policy();
    const write = (file_path: string, toolName = 'Write'): ToolCall => ({
      toolName,
      toolInput: { file_path, content: 'x' },
      cwd: '/repo/sub',
    });
    expect(evaluatePolicy(p, write('/repo/.env'))?.rule.id).toBe('no-env-files');
    expect(evaluatePolicy(p, write('/repo/config/.env.production', 'Edit'))?.rule.id).toBe('no-env-files');
    expect(evaluatePolicy(p, write('.env.local'))?.rule.id).toBe('no-env-files');
    expect(evaluatePolicy(p, write('/repo/src/env.ts'))).toBeNull();
    expect(evaluatePolicy(p, write('/repo/.env', 'Read'))).toBeNull();
  });

  it('asks, allows, and reads MCP tool names', async () => {
    const p = await policy();
    const ask = evaluatePolicy(p, bash('rm -rf build'))!;
    expect(ask).toMatchObject({
      action: 'ask',
      outcome: 'asked',
      reason: 'Recursive delete (Loopline policy ask-before-rm-rf)',
    });
    expect(evaluatePolicy(p, bash('npm test -- cart'))).toMatchObject({
      action: 'allow',
      outcome: 'allowed',
    });
    expect(evaluatePolicy(p, bash('npx vitest run'))?.rule.level).toBe('MUST');
    const mcp = (toolName: string): ToolCall => ({ toolName, toolInput: {} });
    expect(evaluatePolicy(p, mcp('mcp__github__create_pull_request'))?.rule.id).toBe('github-writes');
    expect(evaluatePolicy(p, mcp('mcp__github__get_issue'))).toBeNull();
    expect(evaluatePolicy(p, mcp('mcp__gitlab__create_mr'))).toBeNull();
  });

  it('prints the documented PreToolUse decision', async () => {
    const match = evaluatePolicy(await policy(), bash('git push --force'))!;
    expect(JSON.parse(decisionOutput(match))).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: 'Do not force-push (Loopline policy no-force-push)',
      },
    });
  });
});

describe('helpers', () => {
  it('splits MCP tool names', () => {
    expect(mcpParts('mcp__github__create_pr')).toEqual({ server: 'github', tool: 'create_pr' });
    expect(mcpParts('mcp__my__srv__do_it', 'my__srv')).toEqual({ server: 'my__srv', tool: 'do_it' });
    expect(mcpParts('Bash')).toBeNull();
  });

  it('makes paths relative to the root', () => {
    expect(policyPath('/repo/a/../b/.env', '/repo', undefined)).toBe('b/.env');
    expect(policyPath('x.ts', '/repo', '/repo/src')).toBe('src/x.ts');
    expect(policyPath('/etc/passwd', '/repo', '/repo')).toBe('/etc/passwd');
    expect(policyPath('C:\\repo\\.env', 'C:/repo', undefined)).toBe('.env');
  });
});
