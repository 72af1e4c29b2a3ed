import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryHookStore } from '../hooks/hook-store.ts';
import { byName, ScriptedSession } from '../hooks/hook-test-support.ts';
import { POLICY_CACHE_FILE, resolvePolicy } from './policy-cache.ts';
import { parsePolicy } from './policy-parse.ts';

const POLICY = `rules:
  - id: no-force-push
    match: { tool: Bash, command: 'git\\s+push\\b.*\\s(--force|-f)\\b' }
    action: deny
    reason: Do not force-push
  - id: ask-before-rm-rf
    match: { command: '\\brm\\s+-rf\\b' }
    action: ask
    reason: Recursive delete
`;

let session: ScriptedSession;
const pre = (id: string, command: string) =>
  session.run('PreToolUse', { prompt_id: 'p1', tool_use_id: id, tool_name: 'Bash', tool_input: { command } });

beforeEach(async () => {
  session = new ScriptedSession('sess-policy');
  const file = await parsePolicy(POLICY, '/home/dev/shop/.loopline/policy.yaml');
  session.policy = { rules: file.rules, problems: [], root: '/home/dev/shop' };
  session.run('SessionStart', { source: 'startup' });
  session.run('UserPromptSubmit', { prompt_id: 'p1', prompt: 'ship it' });
});

describe('policy enforcement in PreToolUse', () => {
  it('denies, closes the denied call as a span and marks the retry as a repeat', () => {
    const first = pre('t1', 'git push --force origin main');
    expect(JSON.parse(first.output!)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: 'Do not force-push (Loopline policy no-force-push)',
      },
    });
    expect(pre('t2', 'git status').output).toBeNull();
    session.run('PostToolUse', { prompt_id: 'p1', tool_use_id: 't2', tool_name: 'Bash' });
    expect(pre('t3', 'git push -f').output).toContain('"deny"');
    session.run('Stop', { prompt_id: 'p1' });

    const tools = byName(session.sent, 'execute_tool Bash');
    const denied = tools.filter((t) => t.attributes['loopline.policy.outcome'] === 'denied');
    expect(denied).toHaveLength(2);
    for (const span of denied) {
      expect(span.status).toEqual({ code: 'error', message: 'denied by Loopline policy no-force-push' });
      expect(span.attributes).toMatchObject({
        'claude_code.tool.outcome': 'denied',
        'error.type': 'policy_denied',
        'loopline.policy.rule_id': 'no-force-push',
        'loopline.policy.action': 'deny',
        'loopline.policy.reason': 'Do not force-push (Loopline policy no-force-push)',
        'loopline.policy.level': 'MUST_NOT',
      });
    }
    expect(
      denied.map((s) => [s.attributes['gen_ai.tool.call.id'], s.attributes['loopline.policy.repeat']]),
    ).toEqual(
      expect.arrayContaining([
        ['t1', false],
        ['t3', true],
      ]),
    );
    const plain = tools.find((t) => t.attributes['gen_ai.tool.call.id'] === 't2')!;
    expect(plain.attributes['loopline.policy.rule_id']).toBeUndefined();
    const turn = byName(session.sent, 'invoke_agent claude-code')[0]!;
    expect(turn.attributes).toMatchObject({
      'loopline.policy.decisions': 2,
      'loopline.policy.rule_ids': ['no-force-push'],
    });
    expect(turn.events.filter((e) => e.name === 'loopline.policy.decision')).toHaveLength(2);
    expect(session.store.list('tool-')).toEqual([]);
  });

  it('asks, and the asked call keeps its span open until PostToolUse', () => {
    const asked = pre('t1', 'rm -rf dist');
    expect(JSON.parse(asked.output!).hookSpecificOutput.permissionDecision).toBe('ask');
    session.run('PostToolUse', { prompt_id: 'p1', tool_use_id: 't1', tool_name: 'Bash' });
    session.run('Stop', { prompt_id: 'p1' });
    const span = byName(session.sent, 'execute_tool Bash')[0]!;
    expect(span.status.code).toBe('unset');
    expect(span.attributes).toMatchObject({
      'claude_code.tool.outcome': 'success',
      'loopline.policy.outcome': 'asked',
      'loopline.policy.rule_id': 'ask-before-rm-rf',
      'loopline.policy.repeat': false,
    });
  });

  it('fails open on a broken policy and records the error on the turn once', async () => {
    const broken = await parsePolicy('rules:\n  - id: x\n    acton: deny\n', '/p.yaml');
    session.policy = { rules: [], problems: broken.problems };
    expect(pre('t1', 'git push --force').output).toBeNull();
    expect(pre('t2', 'git push --force').output).toBeNull();
    session.run('Stop', { prompt_id: 'p1' });
    const turn = byName(session.sent, 'invoke_agent claude-code')[0]!;
    expect(turn.attributes['loopline.policy.error']).toMatch(/^\/p\.yaml:3:5: unknown field "acton"/);
    expect(turn.events.filter((e) => e.name === 'loopline.policy.error')).toHaveLength(1);
    expect(turn.attributes['loopline.policy.decisions']).toBeUndefined();
  });
});

describe('resolvePolicy', () => {
  it('parses once and reuses the cache while mtime and size stay the same', async () => {
    const store = new MemoryHookStore();
    let reads = 0;
    const read = (): string => {
      reads++;
      return POLICY;
    };
    const ref = { path: '/r/.loopline/policy.yaml', mtimeMs: 1, size: POLICY.length };
    const first = await resolvePolicy([ref], read, { store, root: '/r' });
    const again = await resolvePolicy([ref], read, { store, root: '/r' });
    expect(reads).toBe(1);
    expect(again).toEqual(first);
    expect(first!.rules.map((r) => r.id)).toEqual(['no-force-push', 'ask-before-rm-rf']);
    await resolvePolicy([{ ...ref, mtimeMs: 2 }], read, { store });
    expect(reads).toBe(2);
    expect(store.read(POLICY_CACHE_FILE)).toBeDefined();
    expect(await resolvePolicy([], read, { store })).toBeNull();
  });

  it('takes repository rules before user rules, and an unreadable file as a problem', async () => {
    const user = '- id: user-rule\n  match: { tool: Bash }\n  action: ask\n';
    const files: Record<string, string> = { '/r/p.yaml': POLICY, '/home/u/.loopline/policy.yaml': user };
    const refs = Object.keys(files).map((p) => ({ path: p, mtimeMs: 1, size: 1 }));
    const policy = await resolvePolicy(refs, (p) => files[p] ?? null);
    expect(policy!.rules.map((r) => r.id)).toEqual(['no-force-push', 'ask-before-rm-rf', 'user-rule']);
    const missing = await resolvePolicy([{ path: '/gone.yaml', mtimeMs: 0, size: 0 }], () => null);
    expect(missing).toEqual({
      rules: [],
      problems: [{ file: '/gone.yaml', message: 'cannot read the file' }],
    });
  });
});
