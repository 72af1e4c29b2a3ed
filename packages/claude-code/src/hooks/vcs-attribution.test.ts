import { describe, expect, it } from 'vitest';
import type { SpanAttributes } from '../span-record.ts';
import {
  changeUrls,
  MAX_ATTRIBUTED_COMMITS,
  mayTouchVcs,
  pushedRef,
  shellCommand,
  toolVcsAttributes,
  turnVcsAttributes,
  VCS_EVENT,
  type VcsReader,
} from './vcs-attribution.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('which tool calls may touch version control', () => {
  it.each([
    ['git commit -am "fix"', true],
    ['npm test && git commit -m x', true],
    ['git -C packages/web commit -m x', true],
    ['/usr/bin/git merge feature', true],
    ['(cd web; git cherry-pick abc)', true],
    ['gh pr create --fill', true],
    ['glab mr create', true],
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
    head: () => ({ revision: head, branch: 'feature/cart' }),
    commitsBetween: (_cwd, from, to, max) => {
      asked.push([from, to, String(max)]);
      return commits;
    },
  };
}

describe('a tool call’s commits and changes', () => {
  it('lists the commits between HEAD before and after, newest first, with the new HEAD', () => {
    const git = reader(C, [C, B]);
    expect(toolVcsAttributes(git, '/repo', { revision: A }, 'git commit -m x', { stdout: '' })).toEqual({
      'vcs.ref.head.revision': C,
      'vcs.ref.head.name': 'feature/cart',
      'loopline.vcs.commits': [C, B],
      'loopline.vcs.commit.count': 2,
    });
    expect(git.asked).toEqual([[A, C, String(MAX_ATTRIBUTED_COMMITS)]]);
  });

  it('adds nothing when HEAD did not move and nothing was opened', () => {
    expect(toolVcsAttributes(reader(A), '/repo', { revision: A }, 'git status', { stdout: 'clean' })).toEqual(
      {},
    );
  });

  it('records the PR a `gh pr create` printed, and a push', () => {
    expect(
      toolVcsAttributes(
        reader(A),
        '/repo',
        { revision: A },
        'git push -u origin cart && gh pr create --fill',
        {
          stdout: 'https://github.com/acme/shop/pull/42',
        },
      ),
    ).toEqual({
      'loopline.vcs.change.urls': ['https://github.com/acme/shop/pull/42'],
      'vcs.change.id': '42',
      'loopline.vcs.pushed_ref': 'cart',
    });
  });

  it('rolls the turn’s calls up: every commit and change once', () => {
    const events: { name: string; attributes: SpanAttributes }[] = [
      { name: VCS_EVENT, attributes: { 'loopline.vcs.commits': [B] } },
      { name: 'loopline.policy.decision', attributes: {} },
      { name: VCS_EVENT, attributes: { 'loopline.vcs.commits': [C, B] } },
      {
        name: VCS_EVENT,
        attributes: { 'loopline.vcs.change.urls': ['https://github.com/acme/shop/pull/42'] },
      },
    ];
    expect(turnVcsAttributes(events)).toEqual({
      'loopline.vcs.commits': [B, C],
      'loopline.vcs.commit.count': 2,
      'loopline.vcs.change.urls': ['https://github.com/acme/shop/pull/42'],
      'vcs.change.id': '42',
    });
    expect(turnVcsAttributes([])).toEqual({});
  });
});
