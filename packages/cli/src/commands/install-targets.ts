/**
 * Which file `loopline install <assistant>` edits, per assistant and scope. Claude Code's are in
 * install-settings.ts; Codex CLI keeps hooks in `.codex/hooks.json` (Claude Code's format; hooks are on
 * by default, SPECS §5), Gemini CLI in the `hooks` object of `.gemini/settings.json`.
 */
import os from 'node:os';
import path from 'node:path';
import type { AssistantId } from '@loopline/claude-code';
import { AppError } from '@loopline/model';
import { settingsPath } from './install-settings.ts';

/** The scopes each assistant has. */
export const ASSISTANT_SCOPES: Readonly<Record<AssistantId, readonly string[]>> = {
  'claude-code': ['user', 'project', 'local'],
  codex: ['user', 'project'],
  gemini: ['user', 'project'],
};

export const SCOPE_FILES: Readonly<Record<AssistantId, string>> = {
  'claude-code': '~/.claude/settings.json, .claude/settings.json, .claude/settings.local.json',
  codex: '~/.codex/hooks.json ($CODEX_HOME), .codex/hooks.json',
  gemini: '~/.gemini/settings.json, .gemini/settings.json',
};

export function assistantSettingsPath(
  assistant: AssistantId,
  scope: string,
  projectDir: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (assistant === 'claude-code') return settingsPath(scope, projectDir, env);
  const scopes = ASSISTANT_SCOPES[assistant];
  if (!scopes.includes(scope)) {
    throw new AppError(
      'BAD_REQUEST',
      `unknown --scope "${scope}" for ${assistant}; use ${scopes.join(' or ')}`,
    );
  }
  const project = (...parts: string[]): string => path.join(path.resolve(projectDir), ...parts);
  if (assistant === 'codex') {
    return scope === 'user'
      ? path.join(env.CODEX_HOME || path.join(os.homedir(), '.codex'), 'hooks.json')
      : project('.codex', 'hooks.json');
  }
  return scope === 'user'
    ? path.join(os.homedir(), '.gemini', 'settings.json')
    : project('.gemini', 'settings.json');
}
