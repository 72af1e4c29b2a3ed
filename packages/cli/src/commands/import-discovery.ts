/**
 * Finding Claude Code transcripts on disk for `loopline import claude-code` (SPECS §3.1): main sessions
 * at `<projects>/<project>/<session>.jsonl`, their sub-agents at `<session>/subagents/agent-<id>.jsonl`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '@loopline/model';

/** One session's files: the main transcript (null when only sub-agent files survive) and its sub-agents. */
export interface SessionFiles {
  /** `<project>/<session>.jsonl`, or null for sub-agent files whose main transcript is gone */
  main: string | null;
  /** `<project>/<session>/subagents/agent-*.jsonl`, sorted */
  subagents: string[];
  /** the folder holding the session (the encoded project directory) */
  project: string;
  /** the session id as the file names give it */
  name: string;
}

/** How deep below the given folder transcripts are looked for (projects root → project → session). */
const MAX_DEPTH = 6;
const SUBAGENTS = 'subagents';

/**
 * The folders `loopline import claude-code` reads when no folder is given: `$CLAUDE_CONFIG_DIR/projects`
 * (comma-separated dirs allowed, as ccusage does), else `~/.claude/projects` and `~/.config/claude/projects`.
 */
export function defaultProjectDirs(
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string[] {
  const configured = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((dir) => dir.trim())
    .filter((dir) => dir !== '');
  if (configured.length > 0) return configured.map((dir) => path.join(expandHome(dir, home), 'projects'));
  return [path.join(home, '.claude', 'projects'), path.join(home, '.config', 'claude', 'projects')];
}

export function expandHome(dir: string, home: string = os.homedir()): string {
  return dir === '~' || dir.startsWith('~/') ? path.join(home, dir.slice(1)) : dir;
}

/**
 * Sessions under `roots` (each a projects root, a project folder, a session folder or one .jsonl file),
 * sorted by path. Roots that do not exist are skipped; it is an error only when none exists.
 */
export function discoverSessions(roots: readonly string[]): SessionFiles[] {
  const existing = roots.filter((root) => fs.existsSync(root));
  if (existing.length === 0) {
    throw new AppError(
      'NOT_FOUND',
      `no Claude Code transcripts: ${roots.map((r) => `"${r}"`).join(' and ')} ${roots.length > 1 ? 'do' : 'does'} not exist; pass the folder that holds them (loopline import claude-code <dir>)`,
    );
  }
  const byKey = new Map<string, SessionFiles>();
  for (const root of existing) {
    for (const session of sessionsAt(path.resolve(root)))
      byKey.set(session.main ?? session.project + session.name, session);
  }
  return [...byKey.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

function keyOf(session: SessionFiles): string {
  return session.main ?? path.join(session.project, session.name);
}

function sessionsAt(root: string): SessionFiles[] {
  const stat = fs.statSync(root);
  if (stat.isFile()) return [fileSession(root)];
  const sessions: SessionFiles[] = [];
  // A session folder given directly (`<session>/` or `<session>/subagents/`).
  const asSessionDir = path.basename(root) === SUBAGENTS ? path.dirname(root) : root;
  if (fs.existsSync(path.join(asSessionDir, SUBAGENTS)) && !hasJsonl(asSessionDir)) {
    return [sessionOf(path.dirname(asSessionDir), path.basename(asSessionDir))];
  }
  walk(root, 0, sessions);
  return sessions;
}

function hasJsonl(dir: string): boolean {
  return fs.readdirSync(dir).some((name) => name.endsWith('.jsonl'));
}

function fileSession(file: string): SessionFiles {
  if (!file.endsWith('.jsonl')) {
    throw new AppError('BAD_REQUEST', `${file} is not a transcript (.jsonl) file or a folder of them`);
  }
  const dir = path.dirname(file);
  if (path.basename(dir) === SUBAGENTS) {
    // A sub-agent file: import its whole session.
    const sessionDir = path.dirname(dir);
    return sessionOf(path.dirname(sessionDir), path.basename(sessionDir));
  }
  return sessionOf(dir, path.basename(file, '.jsonl'));
}

/** The session `<project>/<name>.jsonl` with `<project>/<name>/subagents/agent-*.jsonl`. */
function sessionOf(project: string, name: string): SessionFiles {
  const main = path.join(project, `${name}.jsonl`);
  const subDir = path.join(project, name, SUBAGENTS);
  let subagents: string[] = [];
  try {
    subagents = fs
      .readdirSync(subDir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.startsWith('agent-') && e.name.endsWith('.jsonl'))
      .map((e) => path.join(subDir, e.name))
      .sort();
  } catch {
    // no sub-agents
  }
  return { main: fs.existsSync(main) ? main : null, subagents, project, name };
}

function walk(dir: string, depth: number, out: SessionFiles[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const names = new Set(entries.map((e) => e.name));
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.jsonl')) {
      out.push(sessionOf(dir, entry.name.slice(0, -'.jsonl'.length)));
    } else if (entry.isDirectory() && entry.name !== SUBAGENTS) {
      // Sub-agent files whose main transcript is gone still make a session.
      if (!names.has(`${entry.name}.jsonl`) && fs.existsSync(path.join(full, SUBAGENTS))) {
        const orphan = sessionOf(dir, entry.name);
        if (orphan.subagents.length > 0) out.push(orphan);
      }
      if (depth < MAX_DEPTH) walk(full, depth + 1, out);
    }
  }
}
