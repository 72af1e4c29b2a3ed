/**
 * The environment Claude Code itself runs with, as far as a hook can tell. Claude Code 2.1.330 passes its
 * hooks an environment without the `OTEL_*` variables (seen with the real CLI: `OTEL_TRACES_EXPORTER` and
 * the endpoints set for Claude Code never reach the hook), so whether its native traces go to this
 * Loopline cannot be read from the hook's own environment. This merges, lowest first:
 * 1. the environment Claude Code was started with (`/proc/$CLAUDE_PID/environ`, Linux only);
 * 2. the `env` blocks of Claude Code's settings: user (`$CLAUDE_CONFIG_DIR` or `~/.claude`), then the
 *    project's `.claude/settings.json` and `.claude/settings.local.json`;
 * 3. the hook's own environment.
 * Every read that fails is skipped: the answer is then what the hook's own environment says.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Env = Record<string, string | undefined>;

function processEnviron(pid: string | undefined): Env {
  if (pid === undefined || !/^\d+$/.test(pid) || process.platform !== 'linux') return {};
  try {
    const env: Env = {};
    for (const entry of fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  } catch {
    return {};
  }
}

function settingsEnv(file: string): Env {
  try {
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as { env?: unknown };
    if (typeof settings.env !== 'object' || settings.env === null || Array.isArray(settings.env)) return {};
    const env: Env = {};
    for (const [key, value] of Object.entries(settings.env)) {
      if (typeof value === 'string') env[key] = value;
    }
    return env;
  } catch {
    return {};
  }
}

/** Claude Code's effective environment for a hook run in `cwd` (see above). */
export function claudeCodeEnv(hookEnv: NodeJS.ProcessEnv, cwd: string | undefined): Env {
  const home = hookEnv.HOME ?? os.homedir();
  const userDir = hookEnv.CLAUDE_CONFIG_DIR ?? path.join(home, '.claude');
  const project = hookEnv.CLAUDE_PROJECT_DIR ?? cwd;
  return {
    ...processEnviron(hookEnv.CLAUDE_PID),
    ...settingsEnv(path.join(userDir, 'settings.json')),
    ...(project === undefined ? {} : settingsEnv(path.join(project, '.claude', 'settings.json'))),
    ...(project === undefined ? {} : settingsEnv(path.join(project, '.claude', 'settings.local.json'))),
    ...hookEnv,
  };
}
