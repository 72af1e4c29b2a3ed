import { createRequire } from 'node:module';
import path from 'node:path';
import type { GitInfo, VcsReader } from '@loopline/claude-code';

// child_process is loaded on first use: most hook runs never start git, and each run is a fresh process
const require = createRequire(import.meta.url);

function git(cwd: string, args: string[]): { ok: boolean; lines: string[] } {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const result = spawnSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    timeout: 1500,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
  const lines = (result.stdout ?? '').split('\n').map((line) => line.trim());
  return { ok: result.status === 0, lines: lines.filter((line) => line !== '') };
}

/** `https://user:token@host/o/r.git` → `https://host/o/r.git`: a remote URL without credentials. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]+@/i, '$1');
}

/** `git@github.com:acme/shop.git`, `https://github.com/acme/shop` → `shop`. */
export function repositoryNameOf(url: string): string | undefined {
  const last = url
    .replace(/\.git\/*$/, '')
    .replace(/\/+$/, '')
    .split(/[/:]/)
    .pop();
  return last === undefined || last === '' ? undefined : last;
}

/**
 * Repository, branch, revision and the person from git in `cwd` (two git processes; the hook calls this
 * once per session). Null outside a work tree when git knows no user either.
 */
export function gitInfo(cwd: string | undefined): GitInfo | null {
  if (cwd === undefined) return null;
  const info: GitInfo = {};
  const head = git(cwd, ['rev-parse', '--show-toplevel', 'HEAD', '--abbrev-ref', 'HEAD']);
  const top = head.lines[0];
  if (head.ok && head.lines.length >= 3) {
    info.revision = head.lines[1]!;
    if (head.lines[2] !== 'HEAD') info.branch = head.lines[2]!;
  } else if (top !== undefined) {
    // a repository without commits: HEAD names a branch that does not exist yet
    const branch = git(cwd, ['symbolic-ref', '--short', 'HEAD']).lines[0];
    if (branch !== undefined) info.branch = branch;
  }
  const config = git(cwd, ['config', '--get-regexp', '^(remote\\.origin\\.url|user\\.email)$']);
  const values = new Map<string, string>();
  for (const line of config.lines) {
    const space = line.indexOf(' ');
    if (space > 0) values.set(line.slice(0, space), line.slice(space + 1)); // later (more local) wins
  }
  const remote = values.get('remote.origin.url');
  if (remote !== undefined) {
    info.repositoryUrl = withoutCredentials(remote);
    const name = repositoryNameOf(remote);
    if (name !== undefined) info.repositoryName = name;
  } else if (top !== undefined) {
    info.repositoryName = path.basename(top);
  }
  const email = values.get('user.email');
  if (email !== undefined) info.userEmail = email;
  return Object.keys(info).length > 0 ? info : null;
}

/**
 * HEAD and the commits between two revisions, for the commits a tool call made (one git process each;
 * the hook asks only around shell commands that mention git).
 */
export const gitVcs: VcsReader = {
  head(cwd) {
    const out = git(cwd, ['rev-parse', 'HEAD', '--abbrev-ref', 'HEAD']);
    const revision = out.lines[0];
    if (!out.ok || revision === undefined || !/^[0-9a-f]{40,64}$/.test(revision)) return null;
    const branch = out.lines[1];
    return branch === undefined || branch === 'HEAD' ? { revision } : { revision, branch };
  },
  commitsBetween(cwd, from, to, max) {
    const out = git(cwd, ['rev-list', `--max-count=${Math.max(1, Math.trunc(max))}`, to, `^${from}`]);
    // `from` unknown (history rewritten past it): the new HEAD alone
    if (!out.ok) return [to];
    return out.lines.filter((line) => /^[0-9a-f]{40,64}$/.test(line));
  },
};
