/**
 * Which file `loopline install <assistant>` edits, per assistant and scope. Claude Code's are in
 * install-settings.ts; Codex CLI keeps hooks in `.codex/hooks.json` (Claude Code's format; hooks are on
 * by default, SPECS §5) and runs them only once `config.toml` trusts them (below), Gemini CLI in the
 * `hooks` object of `.gemini/settings.json`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AssistantId, InstallResult } from '@loopline/claude-code';
import { AppError } from '@loopline/model';
import type { LooplinePaths } from './hook-home.ts';
import { backup, settingsPath, writeSettings } from './install-settings.ts';

/** The scopes each assistant has. */
export const ASSISTANT_SCOPES: Readonly<Record<AssistantId, readonly string[]>> = {
  'claude-code': ['user', 'project', 'local'],
  codex: ['user', 'project'],
  gemini: ['user', 'project'],
};

export const SCOPE_FILES: Readonly<Record<AssistantId, string>> = {
  'claude-code': '~/.claude/settings.json, .claude/settings.json, .claude/settings.local.json',
  codex: '~/.codex/hooks.json ($CODEX_HOME), .codex/hooks.json; trust in ~/.codex/config.toml',
  gemini: '~/.gemini/settings.json ($GEMINI_CLI_HOME/.gemini), .gemini/settings.json',
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
    return scope === 'user' ? path.join(codexHome(env), 'hooks.json') : project('.codex', 'hooks.json');
  }
  // Gemini CLI 0.61.0 takes $GEMINI_CLI_HOME for the home folder that holds .gemini when it is set
  return scope === 'user'
    ? path.join(env.GEMINI_CLI_HOME || os.homedir(), '.gemini', 'settings.json')
    : project('.gemini', 'settings.json');
}

// ── Codex CLI: hook trust ────────────────────────────────────────────────────────────────────────────
//
// Codex 0.169.0 runs a user or project hook only once the user config trusts it: `[hooks.state."<key>"]
// trusted_hash = "sha256:…"` in $CODEX_HOME/config.toml, where the key is `<hooks.json path>:<event in
// snake_case>:<group index>:<handler index>` and the hash is Codex's over the handler's normalised form.
// Untrusted hooks are skipped without a word in `codex exec` (the TUI lists them under /hooks). Install
// is the user asking for Loopline's hooks, so it trusts exactly the handlers it added, in a marked block
// of config.toml that uninstall takes out again.

/** Events whose `matcher` Codex keeps (for the others it is ignored, and left out of the hash). */
const CODEX_MATCHER_EVENTS = new Set([
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PreCompact',
  'PostCompact',
  'SessionStart',
  'SubagentStart',
  'SubagentStop',
]);

/** Events whose handler timeout Codex caps (it warns on every run when the file asks for more). */
export const CODEX_CAPPED_TIMEOUTS: Readonly<Record<string, number>> = { SessionEnd: 3, Interrupt: 3 };

const CODEX_DEFAULT_TIMEOUT_SECONDS = 600;

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `$CODEX_HOME`, default `~/.codex`: the user layer, the only one whose hook state Codex reads. */
export function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CODEX_HOME || path.join(os.homedir(), '.codex');
}

/** `PreToolUse` → `pre_tool_use`, as in Codex's hook-state keys. */
export function codexEventLabel(event: string): string {
  return event.replace(/[A-Z]/g, (c, at: number) => `${at === 0 ? '' : '_'}${c.toLowerCase()}`);
}

/** JSON with object keys sorted and no spaces (serde_json over a canonicalised value). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJson(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Codex 0.169.0's trust hash of one command handler: sha256 of the canonical JSON of `{event_name,
 * matcher?, hooks: [{type, command, timeout, async}]}` with the timeout as Codex normalises it (default
 * 600 s, capped where Codex caps it). Checked against `hooks/list` of `codex app-server` and by the
 * end-to-end test, where an untrusted hook would not run.
 */
export function codexHookHash(event: string, matcher: string | undefined, handler: Json): string {
  const timeout =
    typeof handler.timeout === 'number' ? Math.max(1, handler.timeout) : CODEX_DEFAULT_TIMEOUT_SECONDS;
  const cap = CODEX_CAPPED_TIMEOUTS[event];
  const normalised: Json = {
    type: 'command',
    command: handler.command,
    timeout: cap === undefined ? timeout : Math.min(timeout, cap),
    async: handler.async === true,
  };
  if (typeof handler.statusMessage === 'string') normalised.statusMessage = handler.statusMessage;
  const identity: Json = { event_name: codexEventLabel(event), hooks: [normalised] };
  if (matcher !== undefined && CODEX_MATCHER_EVENTS.has(event)) identity.matcher = matcher;
  return `sha256:${createHash('sha256').update(canonicalJson(identity)).digest('hex')}`;
}

/** Loopline's handlers in a hooks.json object, with the hook-state key and hash Codex gives each. */
export function codexTrustEntries(
  hooksFile: string,
  settings: Json,
  isOurs: (command: unknown) => boolean,
): Array<{ key: string; hash: string }> {
  const entries: Array<{ key: string; hash: string }> = [];
  const hooks = settings.hooks;
  if (!isJson(hooks)) return entries;
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group: unknown, g) => {
      if (!isJson(group) || !Array.isArray(group.hooks)) return;
      const matcher = typeof group.matcher === 'string' ? group.matcher : undefined;
      group.hooks.forEach((handler: unknown, h) => {
        if (!isJson(handler) || !isOurs(handler.command)) return;
        entries.push({
          key: `${path.resolve(hooksFile)}:${codexEventLabel(event)}:${g}:${h}`,
          hash: codexHookHash(event, matcher, handler),
        });
      });
    });
  }
  return entries;
}

/** Caps Loopline's handler timeouts where Codex caps them; the settings unchanged when nothing is over. */
export function capCodexTimeouts(settings: Json, isOurs: (command: unknown) => boolean): Json {
  const copy = JSON.parse(JSON.stringify(settings)) as Json;
  let changed = false;
  const hooks = copy.hooks;
  for (const [event, cap] of Object.entries(CODEX_CAPPED_TIMEOUTS)) {
    const groups = isJson(hooks) ? hooks[event] : undefined;
    if (!Array.isArray(groups)) continue;
    for (const group of groups) {
      if (!isJson(group) || !Array.isArray(group.hooks)) continue;
      for (const handler of group.hooks) {
        if (!isJson(handler) || !isOurs(handler.command)) continue;
        if (typeof handler.timeout === 'number' && handler.timeout <= cap) continue;
        handler.timeout = cap;
        changed = true;
      }
    }
  }
  return changed ? copy : settings;
}

/** A TOML basic string (JSON's escapes are TOML's). */
const tomlString = (value: string): string => JSON.stringify(value);

const trustComment = (hooksFile: string): string =>
  `# Loopline's Codex hooks in ${path.resolve(hooksFile)}, trusted by "loopline install codex" ("loopline uninstall codex" takes them out)`;

const HEADER = /^\[hooks\.state\.("(?:[^"\\]|\\.)*")\]\s*$/;
const TRUSTED_HASH = /^trusted_hash\s*=\s*("(?:[^"\\]|\\.)*")\s*$/;

/** One `[hooks.state."<key>"]` table of config.toml: its lines, and its hash when that is all it holds. */
interface StateTable {
  key: string;
  hash: string | null;
  /** the header's line index */
  start: number;
  /** one past the table's last non-blank line */
  end: number;
}

function stateTables(lines: readonly string[]): StateTable[] {
  const tables: StateTable[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = HEADER.exec(lines[i] ?? '');
    if (header === null) continue;
    let end = i + 1;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !/^\s*\[/.test(lines[j] ?? ''); j++) {
      const line = (lines[j] ?? '').trim();
      if (line === '' || line.startsWith('#')) continue;
      body.push(line);
      end = j + 1;
    }
    const hash = body.length === 1 ? TRUSTED_HASH.exec(body[0] ?? '') : null;
    tables.push({
      key: JSON.parse(header[1] ?? '""') as string,
      hash: hash === null ? null : (JSON.parse(hash[1] ?? '""') as string),
      start: i,
      end,
    });
  }
  return tables;
}

/**
 * The config text without Loopline's trust for these handlers: each `[hooks.state."<key>"]` table that
 * holds exactly Loopline's `trusted_hash` for that key, and Loopline's comment line (with the blank line
 * install put before it). Found by content, not by position: Codex rewrites config.toml itself (it adds
 * `[projects."…"]` tables at the end, after whatever is there).
 */
function withoutOwnTrust(
  text: string,
  hooksFile: string,
  entries: ReadonlyArray<{ key: string; hash: string }>,
): { text: string; removed: number } {
  const lines = text.split('\n');
  const ours = new Map(entries.map((e) => [e.key, e.hash]));
  const drop = new Set<number>();
  let removed = 0;
  for (const table of stateTables(lines)) {
    if (table.hash === null || ours.get(table.key) !== table.hash) continue;
    for (let i = table.start; i < table.end; i++) drop.add(i);
    removed++;
  }
  const comment = lines.indexOf(trustComment(hooksFile));
  if (comment >= 0) {
    drop.add(comment);
    if (comment > 0 && lines[comment - 1] === '') drop.add(comment - 1);
  }
  if (drop.size === 0) return { text, removed };
  const kept = lines.filter((_, i) => !drop.has(i)).join('\n');
  return { text: kept.trim() === '' ? '' : kept, removed };
}

/**
 * The config.toml text that trusts Loopline's handlers of one hooks.json: Loopline's own tables taken
 * out, then written again at the end (where a table cannot swallow the user's keys). A key the config
 * already has another state for is left to the user: TOML forbids defining a table twice.
 */
export function codexTrustText(
  configText: string,
  hooksFile: string,
  entries: ReadonlyArray<{ key: string; hash: string }>,
): { text: string; trusted: number; existing: string[] } {
  const rest = withoutOwnTrust(configText, hooksFile, entries).text;
  const taken = new Set(stateTables(rest.split('\n')).map((t) => t.key));
  const existing = entries.filter((e) => taken.has(e.key)).map((e) => e.key);
  const own = entries.filter((e) => !taken.has(e.key));
  if (own.length === 0) return { text: rest, trusted: 0, existing };
  const lines = [trustComment(hooksFile)];
  for (const entry of own) {
    lines.push(`[hooks.state.${tomlString(entry.key)}]`, `trusted_hash = ${tomlString(entry.hash)}`);
  }
  const head = rest === '' ? '' : `${rest.replace(/\n*$/, '')}\n\n`;
  return { text: `${head}${lines.join('\n')}\n`, trusted: own.length, existing };
}

/** The config.toml without Loopline's trust for its handlers in `settings` (what uninstall writes). */
export function codexUntrustText(
  configText: string,
  hooksFile: string,
  settings: Json,
  isOurs: (command: unknown) => boolean,
): string {
  return withoutOwnTrust(configText, hooksFile, codexTrustEntries(hooksFile, settings, isOurs)).text;
}

export interface CodexTrustResult {
  /** $CODEX_HOME/config.toml */
  configPath: string;
  /** handlers trusted by Loopline's tables */
  trusted: number;
  /** keys that already have another state in config.toml (left alone) */
  existing: string[];
  /** the text before and after; equal when nothing changed */
  before: string;
  after: string;
}

function readCodexConfig(env: NodeJS.ProcessEnv): { configPath: string; exists: boolean; text: string } {
  const configPath = path.join(codexHome(env), 'config.toml');
  const exists = fs.existsSync(configPath);
  return { configPath, exists, text: exists ? fs.readFileSync(configPath, 'utf8') : '' };
}

/** Reads $CODEX_HOME/config.toml and works out the trust for Loopline's handlers in `settings`. */
export function codexTrust(
  hooksFile: string,
  settings: Json,
  isOurs: (command: unknown) => boolean,
  env: NodeJS.ProcessEnv = process.env,
): CodexTrustResult {
  const config = readCodexConfig(env);
  const next = codexTrustText(config.text, hooksFile, codexTrustEntries(hooksFile, settings, isOurs));
  return {
    configPath: config.configPath,
    trusted: next.trusted,
    existing: next.existing,
    before: config.text,
    after: next.text,
  };
}

/** Install's result for Codex: Loopline's handlers' timeouts capped where Codex caps them. */
export function codexInstallResult(
  result: InstallResult,
  isOurs: (command: unknown) => boolean,
): InstallResult {
  const settings = capCodexTimeouts(result.settings, isOurs);
  return settings === result.settings ? result : { ...result, settings, changed: true };
}

const configBackup = (configPath: string, text: string) => ({
  path: configPath,
  exists: true,
  text,
  settings: {},
});

/** Writes Loopline's trust for its handlers in `hooksFile` to config.toml (backed up first); what to print. */
export function installCodexTrust(
  paths: LooplinePaths,
  scope: string,
  hooksFile: string,
  settings: Json,
  isOurs: (command: unknown) => boolean,
): { changed: boolean; lines: string[] } {
  const trust = codexTrust(hooksFile, settings, isOurs);
  const lines: string[] = [];
  if (trust.after !== trust.before) {
    if (trust.before !== '') backup(paths, configBackup(trust.configPath, trust.before), scope);
    writeSettings(trust.configPath, trust.after);
    lines.push(
      `  trust     ${trust.trusted} hook handler(s) trusted in ${trust.configPath} (Codex runs no untrusted hook)`,
    );
  }
  if (trust.existing.length > 0) {
    lines.push(
      `  note      ${trust.configPath} already has a state for ${trust.existing.length} of them (left as is); if Codex does not run them, trust them in Codex's /hooks`,
    );
  }
  if (scope === 'project') {
    lines.push(
      '  note      Codex reads .codex/hooks.json only in a project it trusts (trust it when Codex asks, or "codex exec --trust" once)',
    );
  }
  return { changed: trust.after !== trust.before, lines };
}

/**
 * Takes Loopline's trust for its handlers in `hooksFile` (as they are before uninstall removes them) out
 * of config.toml; the file goes when nothing else is left in it.
 */
export function uninstallCodexTrust(
  paths: LooplinePaths,
  scope: string,
  hooksFile: string,
  settings: Json,
  isOurs: (command: unknown) => boolean,
): string[] {
  const config = readCodexConfig(process.env);
  if (!config.exists) return [];
  const after = codexUntrustText(config.text, hooksFile, settings, isOurs);
  if (after === config.text) return [];
  backup(paths, configBackup(config.configPath, config.text), scope);
  if (after === '') fs.rmSync(config.configPath, { force: true });
  else writeSettings(config.configPath, after);
  return [`  trust     Loopline's hook trust taken out of ${config.configPath}`];
}
