import { describe, expect, it } from 'vitest';
import { parsePolicy } from './policy-parse.ts';

const GOOD = `version: 1
rules:
  - id: no-force-push
    description: Never force-push
    level: MUST_NOT
    match:
      tool: Bash
      command: ['git\\s+push\\s+.*(--force|-f)\\b']
    action: deny
    reason: Force-pushing rewrites shared history
  - id: ask-mcp
    match: { mcp_server: github, mcp_tool: 'create_*' }
    action: ask
`;

describe('parsePolicy', () => {
  it('reads rules with their lines, defaults and lists', async () => {
    const file = await parsePolicy(GOOD, '/r/.loopline/policy.yaml');
    expect(file.problems).toEqual([]);
    expect(file.rules).toEqual([
      {
        id: 'no-force-push',
        description: 'Never force-push',
        level: 'MUST_NOT',
        match: { tool: ['Bash'], command: ['git\\s+push\\s+.*(--force|-f)\\b'] },
        action: 'deny',
        reason: 'Force-pushing rewrites shared history',
        file: '/r/.loopline/policy.yaml',
        line: 3,
      },
      {
        id: 'ask-mcp',
        level: 'MUST_NOT',
        match: { mcp_server: ['github'], mcp_tool: ['create_*'] },
        action: 'ask',
        reason: 'blocked by rule ask-mcp',
        file: '/r/.loopline/policy.yaml',
        line: 11,
      },
    ]);
  });

  it('accepts a bare list and an empty file', async () => {
    const list = await parsePolicy('- id: a\n  match: { tool: Write }\n  action: deny\n', 'p.yaml');
    expect(list.rules.map((r) => r.id)).toEqual(['a']);
    expect(await parsePolicy('', 'p.yaml')).toEqual({ file: 'p.yaml', rules: [], problems: [] });
  });

  it('reports YAML syntax errors with line and column', async () => {
    const file = await parsePolicy('rules:\n  - id: a\n    match: { tool: [Bash }\n', 'p.yaml');
    expect(file.rules).toEqual([]);
    expect(file.problems[0]).toMatchObject({ file: 'p.yaml', line: 3 });
    expect(file.problems[0]!.message).toMatch(/^YAML: /);
  });

  it('refuses unknown fields with a suggestion, and drops the whole file', async () => {
    const file = await parsePolicy(
      'rules:\n  - id: a\n    match: { tool: Bash }\n    acton: deny\n  - id: b\n    match: { tool: Write }\n    action: deny\n',
      'p.yaml',
    );
    expect(file.rules).toEqual([]);
    expect(file.problems).toContainEqual({
      file: 'p.yaml',
      line: 4,
      column: 5,
      message: expect.stringContaining('unknown field "acton" in rule "a" (did you mean "action"?)'),
    });
    const match = await parsePolicy(
      'rules:\n  - id: a\n    match: { comand: x }\n    action: deny\n',
      'p.yaml',
    );
    expect(match.problems[0]!.message).toContain('did you mean "command"?');
  });

  it('checks ids, levels, actions and regular expressions', async () => {
    const file = await parsePolicy(
      `rules:
  - id: a
    match: { tool: Bash }
    action: deny
  - id: a
    level: SHOULD
    match: { command: '(' }
    action: block
  - match: {}
`,
      'p.yaml',
    );
    const messages = file.problems.map((p) => `${p.line}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^5: rule "a": the id is used twice/),
      expect.stringMatching(/^6: rule "a": "level" must be MUST or MUST_NOT/),
      expect.stringMatching(/^8: rule "a": "action" must be deny, ask, allow/),
      expect.stringMatching(/^7: rule "a"\.match\.command: bad regular expression/),
      expect.stringMatching(/^9: rule 3 has no "id"/),
      expect.stringMatching(/^9: rule 3 has no "action"/),
      expect.stringMatching(/^9: rule 3: "match" is empty/),
    ]);
  });
});
