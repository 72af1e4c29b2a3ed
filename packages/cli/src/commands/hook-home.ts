/**
 * Where the hook keeps things (`$LOOPLINE_HOME`, default `~/.loopline`): the config written by `loopline
 * install`, the spool of undelivered OTLP, per-session hook state and the hook's log. Small and free of
 * heavy imports: the hook bundle loads it on every Claude Code event.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';

export interface LooplineConfig {
  /** the Loopline server's OTLP/HTTP base URL */
  endpoint?: string;
  /** sent as `authorization: Bearer …` */
  apiKey?: string;
  /** put prompts, responses and tool input/output on spans */
  captureContent?: boolean;
}

export interface LooplinePaths {
  home: string;
  config: string;
  spool: string;
  sessions: string;
  log: string;
  installs: string;
  backups: string;
}

/**
 * Config and spool are shared; sessions, log, install records and backups are per assistant
 * (`$LOOPLINE_HOME/<assistant>/…`), so two assistants' sessions never collide.
 */
export function looplinePaths(
  env: NodeJS.ProcessEnv = process.env,
  assistant = 'claude-code',
): LooplinePaths {
  const home = env.LOOPLINE_HOME || path.join(os.homedir(), '.loopline');
  const own = path.join(home, assistant);
  return {
    home,
    config: path.join(home, 'config.json'),
    spool: path.join(home, 'spool'),
    sessions: path.join(own, 'sessions'),
    log: path.join(own, 'hook.log'),
    installs: path.join(own, 'installs'),
    backups: path.join(own, 'backups'),
  };
}

/** The config file, or {} when it is missing or unreadable (the hook must start regardless). */
export function readConfig(paths: LooplinePaths): LooplineConfig {
  try {
    const value = JSON.parse(fs.readFileSync(paths.config, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as LooplineConfig)
      : {};
  } catch {
    return {};
  }
}

/** Merges `patch` into the config file (kept private to the user: it may hold an API key). */
export function writeConfig(paths: LooplinePaths, patch: LooplineConfig): void {
  const next = { ...readConfig(paths), ...patch };
  writeFileAtomic(paths.config, `${JSON.stringify(next, null, 2)}\n`, 0o600);
}

export interface ResolvedTarget {
  endpoint: string;
  apiKey?: string;
}

/** Endpoint: `--endpoint`, else `LOOPLINE_ENDPOINT`, else the config file, else 127.0.0.1:4318. */
export function resolveTarget(
  flags: { endpoint?: string | undefined },
  env: NodeJS.ProcessEnv,
  config: LooplineConfig,
): ResolvedTarget {
  const endpoint = flags.endpoint || env.LOOPLINE_ENDPOINT || config.endpoint || DEFAULT_ENDPOINT;
  const apiKey = env.LOOPLINE_API_KEY || config.apiKey;
  return apiKey ? { endpoint, apiKey } : { endpoint };
}

/** Content capture: `LOOPLINE_CAPTURE_CONTENT=1` (or `true`), else the config's `captureContent`. */
export function captureContentOn(env: NodeJS.ProcessEnv, config: LooplineConfig): boolean {
  const flag = env.LOOPLINE_CAPTURE_CONTENT;
  if (flag !== undefined && flag !== '') return /^(1|true|yes|on)$/i.test(flag);
  return config.captureContent === true;
}

let sequence = 0;

/** Writes a whole file at once: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(file: string, text: string, mode?: number): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${sequence++}.tmp`);
  try {
    fs.writeFileSync(temp, text, mode === undefined ? undefined : { mode });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
