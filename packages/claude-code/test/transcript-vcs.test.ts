/**
 * Commits and PRs in an imported transcript (`loopline import claude-code`): the records below have the
 * shape Claude Code 2.1.330 writes for Bash calls that commit and open a PR (its `toolUseResult` with
 * `stdout` and `gitOperation`, the tool_result text the model saw).
 */
import { describe, expect, it } from 'vitest';
import { parseTranscript, type SpanRecord, transcriptToSpans } from '../src/index.ts';

const SESSION = '30bca1dc-46a3-46b2-b955-54ef8c84e78b';
const PR = 'https://github.com/acme/shop/pull/42';
const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 11, 0, s)).toISOString();

function records(): object[] {
  const base = { sessionId: SESSION, cwd: '/home/dev/shop', version: '2.1.330', gitBranch: 'main' };
  let n = 0;
  const out: object[] = [];
  let parent: string | null = null;
  const push = (record: object) => {
    const uuid = `r-${++n}`;
    out.push({ ...base, parentUuid: parent, uuid, isSidechain: false, ...record });
    parent = uuid;
  };
  const prompt = (id: string, text: string, s: number) =>
    push({ type: 'user', promptId: id, timestamp: at(s), message: { role: 'user', content: text } });
  const call = (id: string, content: object[], s: number) =>
    push({
      type: 'assistant',
      requestId: `req-${id}`,
      timestamp: at(s),
      message: {
        id: `msg-${id}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content,
        stop_reason: content.some((b) => (b as { type: string }).type === 'tool_use')
          ? 'tool_use'
          : 'end_turn',
        usage: {
          input_tokens: 5,
          output_tokens: 20,
          cache_read_input_tokens: 100,
          cache_creation_input_tokens: 0,
        },
      },
    });
  const bash = (id: string, command: string, s: number) =>
    call(id, [{ type: 'tool_use', id: `toolu_${id}`, name: 'Bash', input: { command, description: id } }], s);
  const result = (id: string, stdout: string, gitOp: object | undefined, s: number) =>
    push({
      type: 'user',
      timestamp: at(s),
      message: {
        role: 'user',
        content: [{ tool_use_id: `toolu_${id}`, type: 'tool_result', content: stdout }],
      },
      toolUseResult: { stdout, stderr: '', interrupted: false, ...(gitOp && { gitOperation: gitOp }) },
    });

  prompt('p-1', 'Fix the cart and open a PR', 0);
  bash('status', 'git status --short', 1);
  result('status', '[main 0000000] quoted in a status? never', undefined, 2);
  bash(
    'commit',
    'git checkout -b fix/cart && git commit -am "Fix cart" && git commit --allow-empty -m Test',
    3,
  );
  result(
    'commit',
    "Switched to a new branch 'fix/cart'\n[fix/cart 43fe270] Fix cart\n 1 file changed\n[fix/cart db53ea5] Test",
    { commit: { sha: '43fe270', kind: 'committed', branch: 'fix/cart' } },
    4,
  );
  bash('push', 'git push -u origin fix/cart', 5);
  result('push', "branch 'fix/cart' set up to track 'origin/fix/cart'.", { push: { branch: 'fix/cart' } }, 6);
  bash('pr', 'gh pr create --fill', 7);
  result(
    'pr',
    `Creating pull request for fix/cart into main in acme/shop\n\n${PR}`,
    {
      pr: { number: 42, url: PR, action: 'created' },
    },
    8,
  );
  call('done', [{ type: 'text', text: 'Opened the PR.' }], 9);
  prompt('p-2', 'Thanks', 20);
  call('bye', [{ type: 'text', text: 'You are welcome.' }], 21);
  return out;
}

const spans = transcriptToSpans(
  parseTranscript(
    records()
      .map((r) => JSON.stringify(r))
      .join('\n'),
  ),
);
const tool = (id: string): SpanRecord =>
  spans.find((s) => s.attributes['gen_ai.tool.call.id'] === `toolu_${id}`)!;
const turns = spans.filter((s) => s.name === 'invoke_agent claude-code');

describe('commits and PRs of an imported session', () => {
  it('puts every commit git printed on the Bash call that made it, newest first, with its branch', () => {
    expect(tool('commit').attributes).toMatchObject({
      'loopline.vcs.commits': ['db53ea5', '43fe270'],
      'loopline.vcs.commit.count': 2,
      'vcs.ref.head.name': 'fix/cart',
    });
    expect(tool('status').attributes['loopline.vcs.commits']).toBeUndefined();
  });

  it('puts the push and the PR (number, URL, action, state) on their calls', () => {
    expect(tool('push').attributes['loopline.vcs.pushed_ref']).toBe('fix/cart');
    expect(tool('pr').attributes).toMatchObject({
      'vcs.change.id': '42',
      'loopline.vcs.change.urls': [PR],
      'loopline.vcs.change.action': 'created',
      'vcs.change.state': 'open',
    });
  });

  it('rolls them up on their turn, with one event per call, and leaves the other turn alone', () => {
    expect(turns).toHaveLength(2);
    const [first, second] = turns as [SpanRecord, SpanRecord];
    expect(first.attributes).toMatchObject({
      'loopline.vcs.commits': ['db53ea5', '43fe270'],
      'loopline.vcs.commit.count': 2,
      'loopline.vcs.change.urls': [PR],
      'vcs.change.id': '42',
    });
    expect(
      first.events
        .filter((e) => e.name === 'loopline.vcs.change')
        .map((e) => e.attributes['gen_ai.tool.call.id']),
    ).toEqual(['toolu_commit', 'toolu_push', 'toolu_pr']);
    expect(Object.keys(second.attributes).filter((k) => k.startsWith('loopline.vcs.'))).toEqual([]);
    expect(second.events).toEqual([]);
  });

  it('gives the same spans when imported again', () => {
    expect(
      transcriptToSpans(
        parseTranscript(
          records()
            .map((r) => JSON.stringify(r))
            .join('\n'),
        ),
      ),
    ).toEqual(spans);
  });
});
