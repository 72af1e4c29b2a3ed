/**
 * Where the policy files are: `.loopline/policy.yaml` in the nearest folder from the hook's cwd up to the
 * git root (the folder with `.git`), then the user's `$LOOPLINE_HOME/policy.yaml` (`~/.loopline/`). Only
 * stat calls: the hook reads and parses a file only when its cached copy is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PolicyFileRef } from '@loopline/claude-code';

export const POLICY_FILE = path.join('.loopline', 'policy.yaml');
export const USER_POLICY_FILE = 'policy.yaml';

export interface PolicyLocation {
  /** the repository root (else `cwd`): `path` globs are relative to it */
  root: string;
  /** the repository's policy file, when one exists */
  repo?: string;
  /** where a user-wide policy would be (it may not exist) */
  user: string;
  /** the existing files, repository first */
  files: PolicyFileRef[];
}

function stat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function ref(file: string, stats: fs.Stats): PolicyFileRef {
  return { path: file, mtimeMs: stats.mtimeMs, size: stats.size };
}

/** The policy files in force for `cwd` (`home` is `$LOOPLINE_HOME`). */
export function locatePolicy(cwd: string, home: string): PolicyLocation {
  const start = path.resolve(cwd);
  let root: string | undefined;
  let repo: string | undefined;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (repo === undefined) {
      const candidate = path.join(dir, POLICY_FILE);
      if (stat(candidate)?.isFile()) repo = candidate;
    }
    if (fs.existsSync(path.join(dir, '.git'))) {
      root = dir;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  const user = path.join(home, USER_POLICY_FILE);
  const location: PolicyLocation = { root: root ?? start, user, files: [] };
  if (repo !== undefined) {
    const stats = stat(repo);
    if (stats !== undefined) {
      location.repo = repo;
      location.files.push(ref(repo, stats));
    }
  }
  const userStats = path.resolve(user) === repo ? undefined : stat(user);
  if (userStats?.isFile()) location.files.push(ref(user, userStats));
  return location;
}

export function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
