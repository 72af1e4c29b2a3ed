import { describe, expect, it } from 'vitest';
import type { SpanAttributes } from '../span-record.ts';
import type { HookContext } from './hook-context.ts';
import { type SessionState, STATE_FILES } from './hook-records.ts';
import { MemoryHookStore } from './hook-store.ts';
import {
  changeUrls,
  commitLines,
  followHead,
  gitOperation,
  MAX_ATTRIBUTED_COMMITS,
  mayTouchVcs,
  pushedRef,
  shellCommand,
  toolVcs,
  transcriptToolVcs,
  turnVcsAttributes,
  VCS_EVENT,
  type VcsReader,
} from './vcs-attribution.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

const GH_PR = { stdout: 'https://github.com/acme/shop/pull/42\n' };

describe('which tool calls may touch version control', () => {
  it.each([
    ['git commit -am "fix"', true],
    ['npm test && git commit -m x', true],
    ['git -C packages/web commit -m x', true],
    ['git -c user.name=Bot --no-pager commit -m x', true],
    ['/usr/bin/git merge feature', true],
    ['(cd web; git cherry-pick abc)', true],
    ['git revert HEAD --no-edit', true],
    ['git am < fix.patch', true],
    ['git rebase -i main', true],
    ['git checkout -b fix/cart', true],
    ['git status && git commit -m x', true],
    ['git push -u origin main', true],
    ['gh pr create --fill', true],
    ['glab mr create', true],
    // read-only git never needs HEAD read
    ['git status', false],
    ['git status --short && git diff --stat', false],
    ['git --no-pager log --oneline | head', false],
    ['git -C packages/web diff HEAD~1', false],
    ['git fetch origin', false],
    ['ls -la', false],
    ['npm run digit', false],
    ['cat .gitignore', false],
    ['echo legit', false],
  ])('%s → %s', (command, expected) => {
    expect(mayTouchVcs(command)).toBe(expected);
  });

  it('reads the command of shell tools only', () => {
    expect(shellCommand('Bash', { command: 'git status' })).toBe('git status');
    expect(shellCommand('exec_command', { command: ['git', 'commit'] })).toBe('git commit');
    expect(shellCommand('Edit', { command: 'git commit' })).toBeUndefined();
    expect(shellCommand('Bash', 'git commit')).toBeUndefined();
  });

  it('names the pushed ref', () => {
    expect(pushedRef('git push')).toBe('HEAD');
    expect(pushedRef('git push -u origin feature/cart')).toBe('feature/cart');
    expect(pushedRef('npm test && git push origin HEAD:refs/heads/main')).toBe('refs/heads/main');
    expect(pushedRef('git commit -m "git push later"')).toBeUndefined();
  });

  it('finds pull and merge request URLs in a response, each once', () => {
    const response = {
      stdout: 'Creating pull request\nhttps://github.com/acme/shop/pull/42\n',
      stderr: 'see https://github.com/acme/shop/pull/42',
    };
    expect(changeUrls(response)).toEqual(['https://github.com/acme/shop/pull/42']);
    expect(changeUrls('https://gitlab.example/acme/shop/-/merge_requests/7')).toEqual([
      'https://gitlab.example/acme/shop/-/merge_requests/7',
    ]);
    expect(changeUrls({ stdout: 'https://github.com/acme/shop/issues/3' })).toEqual([]);
  });
});

function reader(head: string, commits: string[] = []): VcsReader & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    head: (cwd) => {
      asked.push(['head', cwd]);
      return { revision: head, branch: 'feature/cart' };
    },
    commitsBetween: (cwd, from, to, max) => {
      asked.push([cwd, from, to, String(max)]);
      return commits;
    },
  };
}

describe('a tool call’s commits and changes', () => {
  it('lists the commits between HEAD before and after, newest first, read where HEAD was first read', () => {
    const git = reader(C, [C, B]);
    expect(toolVcs(git, { revision: A, cwd: '/repo' }, 'git commit -m x', { stdout: '' })).toEqual({
      attributes: {
        'vcs.ref.head.revision': C,
        'vcs.ref.head.name': 'feature/cart',
        'loopline.vcs.commits': [C, B],
        'loopline.vcs.commit.count': 2,
      },
      head: { revision: C, branch: 'feature/cart' },
    });
    expect(git.asked).toEqual([
      ['head', '/repo'],
      ['/repo', A, C, String(MAX_ATTRIBUTED_COMMITS)],
    ]);
  });

  it('adds nothing when HEAD did not move and nothing was opened (`echo git commit`)', () => {
    expect(toolVcs(reader(A), { revision: A, cwd: '/repo' }, 'echo git commit', 'git commit')).toEqual({
      attributes: {},
      head: { revision: A, branch: 'feature/cart' },
    });
  });

  it('reads no HEAD when none was read before the call', () => {
    const git = reader(C);
    expect(toolVcs(git, undefined, 'git commit -m x', '')).toEqual({ attributes: {} });
    expect(git.asked).toEqual([]);
  });

  it('records the PR a `gh pr create` printed, and a push', () => {
    expect(
      toolVcs(reader(A), { revision: A, cwd: '/repo' }, 'git push -u origin cart && gh pr create --fill', {
        stdout: 'https://github.com/acme/shop/pull/42',
      }).attributes,
    ).toEqual({
      'loopline.vcs.change.urls': ['https://github.com/acme/shop/pull/42'],
      'vcs.change.id': '42',
      'loopline.vcs.change.action': 'created',
      'vcs.change.state': 'open',
      'loopline.vcs.pushed_ref': 'cart',
    });
    const draft = 'gh pr create --draft --fill; git branch -d old';
    expect(toolVcs(undefined, undefined, draft, GH_PR).attributes['vcs.change.state']).toBe('wip');
    const notDraft = 'gh pr create --fill; git branch -d old';
    expect(toolVcs(undefined, undefined, notDraft, GH_PR).attributes['vcs.change.state']).toBe('open');
  });

  it('reads the PR, push and commit Claude Code classified in the Bash output (gitOperation)', () => {
    // as Claude Code 2.1.330 reported them to PostToolUse
    const merged = {
      stdout: '✓ Merged pull request #42',
      gitOperation: { pr: { number: 42, action: 'merged' } },
    };
    expect(
      toolVcs(reader(A), { revision: A, cwd: '/repo' }, 'gh pr merge 42 --squash', merged).attributes,
    ).toEqual({
      'vcs.change.id': '42',
      'loopline.vcs.change.action': 'merged',
      'vcs.change.state': 'merged',
    });
    const pushed = { stdout: '', gitOperation: { push: { branch: 'fix/x' } } };
    expect(toolVcs(reader(A), { revision: A, cwd: '/repo' }, 'git push', pushed).attributes).toEqual({
      'loopline.vcs.pushed_ref': 'fix/x',
    });
    const committed = {
      stdout: '[fix/x 43fe270] A\n[fix/x db53ea5] B',
      gitOperation: { commit: { sha: '43fe270', kind: 'committed', branch: 'fix/x' } },
    };
    // HEAD read: git's full list wins (Claude Code names only the first commit)
    expect(
      toolVcs(reader(C, [C, B]), { revision: A, cwd: '/repo' }, 'git commit', committed).attributes,
    ).toMatchObject({
      'loopline.vcs.commits': [C, B],
    });
    // no HEAD before the call (no PreToolUse seen): Claude Code's abbreviated id
    expect(toolVcs(reader(C), undefined, 'git commit', committed).attributes).toEqual({
      'loopline.vcs.commits': ['43fe270'],
      'loopline.vcs.commit.count': 1,
      'vcs.ref.head.name': 'fix/x',
    });
    expect(
      gitOperation({ gitOperation: { commit: { sha: 'not-a-sha' }, pr: { number: '42' } } }),
    ).toBeUndefined();
  });

  it('rolls the turn’s calls up: every commit once, newest first, and every change once', () => {
    const events: { name: string; attributes: SpanAttributes }[] = [
      { name: VCS_EVENT, attributes: { 'loopline.vcs.commits': [A] } },
      { name: 'loopline.policy.decision', attributes: { 'loopline.vcs.commits': ['f'.repeat(40)] } },
      { name: VCS_EVENT, attributes: { 'loopline.vcs.commits': [C, B] } },
      {
        name: VCS_EVENT,
        attributes: { 'loopline.vcs.change.urls': ['https://github.com/acme/shop/pull/42'] },
      },
    ];
    expect(turnVcsAttributes(events)).toEqual({
      'loopline.vcs.commits': [C, B, A],
      'loopline.vcs.commit.count': 3,
      'loopline.vcs.change.urls': ['https://github.com/acme/shop/pull/42'],
      'vcs.change.id': '42',
    });
    expect(turnVcsAttributes([])).toEqual({});
  });
});

describe('the session follows HEAD', () => {
  const session = (): SessionState => ({
    sessionId: 's',
    startedUs: 0,
    git: { repositoryName: 'shop', branch: 'main', revision: A, userEmail: 'dana@acme.test' },
  });
  const context = (store: MemoryHookStore) => ({ store }) as unknown as HookContext;

  it('keeps the new revision and branch for the spans that follow', () => {
    const store = new MemoryHookStore();
    const s = session();
    followHead(context(store), s, { revision: B, branch: 'fix/cart' });
    expect(s.git).toEqual({
      repositoryName: 'shop',
      branch: 'fix/cart',
      revision: B,
      userEmail: 'dana@acme.test',
    });
    expect(store.read<SessionState>(STATE_FILES.SESSION)).toEqual(s);
    followHead(context(store), s, { revision: C });
    expect(s.git).toEqual({ repositoryName: 'shop', revision: C, userEmail: 'dana@acme.test' });
  });

  it('writes nothing when HEAD is where the session last saw it, or the session has no repository', () => {
    const store = new MemoryHookStore();
    followHead(context(store), session(), { revision: A, branch: 'main' });
    followHead(context(store), { sessionId: 's', startedUs: 0, git: null }, { revision: B });
    expect(store.read(STATE_FILES.SESSION)).toBeUndefined();
  });
});

describe('commits in an imported transcript', () => {
  const output = [
    '[fix/cart 1a2b3c4] Fix the cart total',
    ' 2 files changed, 10 insertions(+)',
    '[fix/cart 5d6e7f8] Test the cart total',
  ].join('\n');

  it('reads the lines git prints for a new commit, newest first', () => {
    expect(commitLines(output)).toEqual([
      { sha: '5d6e7f8', branch: 'fix/cart' },
      { sha: '1a2b3c4', branch: 'fix/cart' },
    ]);
    expect(commitLines('[main (root-commit) 0a1b2c3] start\n[detached HEAD 9f8e7d6] try')).toEqual([
      { sha: '9f8e7d6' },
      { sha: '0a1b2c3', branch: 'main' },
    ]);
    expect(commitLines('see [main 1a2b3c4] above\n[WIP] not a commit')).toEqual([]);
  });

  it('puts them on shell calls that ran git, with Claude Code’s gitOperation and the PR a command printed', () => {
    const command = { command: 'git commit -am "Fix" && git commit -m Test' };
    // Claude Code 2.1.330's record: the text the model saw, and the structured output
    const structured = {
      stdout: output,
      gitOperation: { commit: { sha: '1a2b3c4', kind: 'committed', branch: 'fix/cart' } },
    };
    expect(transcriptToolVcs('Bash', command, output, structured)).toEqual({
      'loopline.vcs.commits': ['5d6e7f8', '1a2b3c4'],
      'loopline.vcs.commit.count': 2,
      'vcs.ref.head.name': 'fix/cart',
    });
    // older transcripts: the text only
    expect(transcriptToolVcs('Bash', command, output, 'Error: …')).toMatchObject({
      'loopline.vcs.commits': ['5d6e7f8', '1a2b3c4'],
    });
    // the text cut short: the structured stdout still has every line
    expect(transcriptToolVcs('Bash', command, '', structured)).toMatchObject({
      'loopline.vcs.commits': ['5d6e7f8', '1a2b3c4'],
    });
    expect(transcriptToolVcs('Bash', command, '', { gitOperation: structured.gitOperation })).toMatchObject({
      'loopline.vcs.commits': ['1a2b3c4'],
    });
    expect(
      transcriptToolVcs(
        'Bash',
        { command: 'gh pr create --fill' },
        'https://github.com/acme/shop/pull/7\n',
        null,
      ),
    ).toEqual({
      'loopline.vcs.change.urls': ['https://github.com/acme/shop/pull/7'],
      'vcs.change.id': '7',
      'loopline.vcs.change.action': 'created',
      'vcs.change.state': 'open',
    });
  });

  it('ignores the same lines from a command that did not commit', () => {
    expect(transcriptToolVcs('Bash', { command: 'cat build.log' }, output, null)).toEqual({});
    expect(transcriptToolVcs('Bash', { command: 'git log -1' }, output, null)).toEqual({});
    expect(transcriptToolVcs('Read', { file_path: 'x' }, output, null)).toEqual({});
  });
});
