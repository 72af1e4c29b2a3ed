/**
 * The file side of `loopline install` / `uninstall claude-code`: which settings.json a scope means,
 * reading it strictly, writing it in its own indentation, backups, and the record of what install
 * changed (kept under $LOOPLINE_HOME, not in the settings file).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InstallRecord } from '@loopline/claude-code';
import { AppError } from '@loopline/model';
import { type LooplinePaths, writeFileAtomic } from './hook-home.ts';

export const SCOPES = ['user', 'project', 'local'] as const;
export type Scope = (typeof SCOPES)[number];

/** user: ~/.claude/settings.json ($CLAUDE_CONFIG_DIR); project: .claude/settings.json; local: .claude/settings.local.json. */
export function settingsPath(
  scope: string,
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (scope === 'user')
    return path.join(env.CLAUDE_CONFIG_DIR || path.join(os.homedir(), '.claude'), 'settings.json');
  if (scope === 'project') return path.join(path.resolve(projectDir), '.claude', 'settings.json');
  if (scope === 'local') return path.join(path.resolve(projectDir), '.claude', 'settings.local.json');
  throw new AppError('BAD_REQUEST', `unknown --scope "${scope}"; use user, project or local`);
}

export interface SettingsFile {
  path: string;
  exists: boolean;
  text: string;
  settings: Record<string, unknown>;
}

export function readSettings(file: string): SettingsFile {
  if (!fs.existsSync(file)) return { path: file, exists: false, text: '', settings: {} };
  const text = fs.readFileSync(file, 'utf8');
  let settings: unknown;
  try {
    settings = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'BAD_REQUEST',
      `${file} is not valid JSON (${(error as Error).message}); fix it or move it away, then run this again`,
    );
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new AppError(
      'BAD_REQUEST',
      `${file} does not hold a JSON object; fix it or move it away, then run this again`,
    );
  }
  return { path: file, exists: true, text, settings: settings as Record<string, unknown> };
}

/** The file's own indentation (2 spaces when it has none) and final newline, so diffs stay small. */
export function formatLike(original: string, settings: Record<string, unknown>): string {
  const indent = /\n([ \t]+)["}\]]/.exec(original)?.[1] ?? '  ';
  const newline = original === '' || original.endsWith('\n') ? '\n' : '';
  return `${JSON.stringify(settings, null, indent)}${newline}`;
}

/** Copies the file into $LOOPLINE_HOME/claude-code/backups; returns the copy's path. */
export function backup(paths: LooplinePaths, file: SettingsFile, scope: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(paths.backups, `${scope}-${path.basename(file.path)}-${stamp}.bak`);
  fs.mkdirSync(paths.backups, { recursive: true });
  fs.writeFileSync(target, file.text);
  return target;
}

export function writeSettings(file: string, text: string): void {
  writeFileAtomic(file, text);
}

/** What install did to one settings file, for uninstall. */
export interface InstallState {
  settingsPath: string;
  /** the file did not exist before the first install */
  createdFile: boolean;
  /** the file's text before the first install (restored as is when uninstall gets back to it) */
  originalText: string;
  record: InstallRecord;
  installedAt: string;
}

function statePath(paths: LooplinePaths, settingsFile: string): string {
  const id = createHash('sha256').update(path.resolve(settingsFile)).digest('hex').slice(0, 16);
  return path.join(paths.installs, `${id}.json`);
}

export function readInstallState(paths: LooplinePaths, settingsFile: string): InstallState | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePath(paths, settingsFile), 'utf8')) as InstallState;
  } catch {
    return undefined;
  }
}

export function writeInstallState(paths: LooplinePaths, state: InstallState): void {
  writeFileAtomic(statePath(paths, state.settingsPath), `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

export function removeInstallState(paths: LooplinePaths, settingsFile: string): void {
  fs.rmSync(statePath(paths, settingsFile), { force: true });
}
