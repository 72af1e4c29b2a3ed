/**
 * Merging Loopline's hooks into a Claude Code settings object (SPECS §2.5) and taking them out again.
 * Pure: the CLI reads and writes the file. Install touches nothing but its own entries (found by their
 * command), is idempotent, and returns a record of what it created so uninstall restores the original.
 */
import { LOOPLINE_HOOK_EVENTS, TOOL_MATCHED_EVENTS } from './hook-input.ts';

type Json = Record<string, unknown>;

export interface InstallPlan {
  /** the shell command Claude Code runs for every event */
  command: string;
  events?: readonly string[];
  /** per-handler timeout, seconds (Claude Code's default is 600) */
  timeoutSeconds?: number;
  /** the unit the settings format wants for `timeout` (Gemini CLI: milliseconds); default seconds */
  timeoutUnit?: 'seconds' | 'milliseconds';
  /** the handler's `name`, where the format has one (Gemini CLI) */
  handlerName?: string;
  /** events registered with `"matcher": "*"` (default: Claude Code's tool events) */
  toolMatchedEvents?: ReadonlySet<string>;
  /** which handlers are Loopline's (default: `isLooplineHookCommand`, Claude Code's) */
  isOurs?: (command: unknown) => boolean;
  /** variables for settings `env` (Claude Code's native OTel export) */
  env?: Readonly<Record<string, string>>;
}

/** What install created, kept by the CLI next to Loopline's config so uninstall undoes exactly that. */
export interface InstallRecord {
  createdHooks: boolean;
  createdEvents: string[];
  createdEnv: boolean;
  /** env keys install set: the value it set and the one it replaced (null: none) */
  env: Record<string, { value: string; previous: string | null }>;
}

export interface InstallResult {
  settings: Json;
  changed: boolean;
  added: number;
  updated: number;
  record: InstallRecord;
}

export interface UninstallResult {
  settings: Json;
  changed: boolean;
  removed: number;
  envRestored: number;
}

/** Thrown when the settings have a shape install cannot merge into; the message says what to fix. */
export class SettingsShapeError extends Error {
  override readonly name = 'SettingsShapeError';
}

const commandPatterns = (assistant: string): RegExp[] => [
  new RegExp(`[\\\\/]dist[\\\\/]hook\\.[cm]js["']?\\s+${assistant}(?:\\s|$)`),
  new RegExp(`(?:^|[\\s"'/\\\\])loopline["']?\\s+hook\\s+${assistant}(?:\\s|$)`),
];
const HOOK_COMMAND_PATTERNS = commandPatterns('claude-code');

/** Whether a hook command is one of Loopline's (the hook bundle, or `loopline hook claude-code`). */
export function isLooplineHookCommand(command: unknown): boolean {
  return typeof command === 'string' && HOOK_COMMAND_PATTERNS.some((pattern) => pattern.test(command));
}

/** The same for another assistant's hook (`loopline hook codex`, `…/dist/hook.mjs gemini`). */
export function looplineHookCommandOf(
  assistant: 'claude-code' | 'codex' | 'gemini',
): (command: unknown) => boolean {
  if (assistant === 'claude-code') return isLooplineHookCommand;
  const patterns = commandPatterns(assistant);
  return (command) => typeof command === 'string' && patterns.some((pattern) => pattern.test(command));
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const clone = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;

/** Claude Code's native OTel export to Loopline (SPECS §4.1): metrics and log events over OTLP/HTTP. */
export function nativeOtelEnv(
  endpoint: string,
  apiKey?: string,
  options: { traces?: boolean } = {},
): Record<string, string> {
  const env: Record<string, string> = {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint.replace(/\/+$/, ''),
  };
  if (options.traces) {
    // beta (SPECS §4.4): claude_code.interaction / llm_request / tool spans
    env.CLAUDE_CODE_ENHANCED_TELEMETRY_BETA = '1';
    env.OTEL_TRACES_EXPORTER = 'otlp';
  }
  if (apiKey !== undefined && apiKey !== '') {
    env.OTEL_EXPORTER_OTLP_HEADERS = `authorization=${encodeURIComponent(`Bearer ${apiKey}`)}`;
  }
  return env;
}

function handlerOf(plan: InstallPlan): Json {
  const seconds = plan.timeoutSeconds ?? 10;
  const handler: Json = plan.handlerName === undefined ? {} : { name: plan.handlerName };
  Object.assign(handler, {
    type: 'command',
    command: plan.command,
    timeout: plan.timeoutUnit === 'milliseconds' ? seconds * 1000 : seconds,
  });
  return handler;
}

function objectField(parent: Json, key: string, where: string): { value: Json; created: boolean } {
  const existing = parent[key];
  if (existing === undefined) {
    const value: Json = {};
    parent[key] = value;
    return { value, created: true };
  }
  if (!isObject(existing))
    throw new SettingsShapeError(`"${where}" is not a JSON object; fix it by hand first`);
  return { value: existing, created: false };
}

/** Adds Loopline's handler to every event (or updates its command); never touches other entries. */
export function installHooks(original: Json, plan: InstallPlan): InstallResult {
  const isOurs = plan.isOurs ?? isLooplineHookCommand;
  const settings = clone(original);
  const record: InstallRecord = { createdHooks: false, createdEvents: [], createdEnv: false, env: {} };
  const hooks = objectField(settings, 'hooks', 'hooks');
  record.createdHooks = hooks.created;
  let added = 0;
  let updated = 0;
  for (const event of plan.events ?? LOOPLINE_HOOK_EVENTS) {
    let groups = hooks.value[event];
    if (groups === undefined) {
      groups = [];
      hooks.value[event] = groups;
      record.createdEvents.push(event);
    }
    if (!Array.isArray(groups))
      throw new SettingsShapeError(`"hooks.${event}" is not a list; fix it by hand first`);
    const ours = groups.flatMap((group: unknown) =>
      isObject(group) && Array.isArray(group.hooks)
        ? group.hooks.filter((h: unknown) => isObject(h) && isOurs(h.command)).map((h) => h as Json)
        : [],
    );
    if (ours.length === 0) {
      const group: Json = (plan.toolMatchedEvents ?? TOOL_MATCHED_EVENTS).has(event)
        ? { matcher: '*', hooks: [] }
        : { hooks: [] };
      group.hooks = [handlerOf(plan)];
      groups.push(group);
      added++;
    } else if (ours.some((h) => h.command !== plan.command)) {
      for (const h of ours) h.command = plan.command;
      updated++;
    }
  }
  if (plan.env !== undefined) {
    const env = objectField(settings, 'env', 'env');
    record.createdEnv = env.created;
    for (const [key, value] of Object.entries(plan.env)) {
      const previous = env.value[key];
      if (previous === value) continue;
      record.env[key] = { value, previous: typeof previous === 'string' ? previous : null };
      env.value[key] = value;
    }
  }
  const changed = JSON.stringify(settings) !== JSON.stringify(original);
  return { settings: changed ? settings : original, changed, added, updated, record };
}

/** Two installs' records as one: what the first install found stays the truth about the original. */
export function mergeInstallRecords(first: InstallRecord | undefined, next: InstallRecord): InstallRecord {
  if (first === undefined) return next;
  const env = { ...first.env };
  for (const [key, entry] of Object.entries(next.env)) {
    env[key] =
      first.env[key] === undefined ? entry : { value: entry.value, previous: first.env[key]!.previous };
  }
  return {
    createdHooks: first.createdHooks || next.createdHooks,
    createdEvents: [...new Set([...first.createdEvents, ...next.createdEvents])],
    createdEnv: first.createdEnv || next.createdEnv,
    env,
  };
}

/**
 * Removes every Loopline handler (found by its command) and what install created around it: empty
 * groups, event lists and `hooks` it added, and the env values it set (restoring what they replaced,
 * unless someone changed them since). Without a record, containers left empty by the removal go.
 */
export function uninstallHooks(
  original: Json,
  record: InstallRecord | undefined,
  isOurs: (command: unknown) => boolean = isLooplineHookCommand,
): UninstallResult {
  const settings = clone(original);
  let removed = 0;
  const hooks = settings.hooks;
  if (isObject(hooks)) {
    for (const [event, groups] of Object.entries(hooks)) {
      if (!Array.isArray(groups)) continue;
      const before = removed;
      const kept = groups.filter((group: unknown) => {
        if (!isObject(group) || !Array.isArray(group.hooks)) return true;
        const handlers = group.hooks.filter((h: unknown) => !(isObject(h) && isOurs(h.command)));
        removed += group.hooks.length - handlers.length;
        if (handlers.length === group.hooks.length) return true;
        group.hooks = handlers;
        return handlers.length > 0;
      });
      hooks[event] = kept;
      const created = record === undefined || record.createdEvents.includes(event);
      if (kept.length === 0 && removed > before && created) delete hooks[event];
    }
    if (Object.keys(hooks).length === 0 && removed > 0 && (record?.createdHooks ?? true))
      delete settings.hooks;
  }
  const envRestored = restoreEnv(settings, record);
  const changed = JSON.stringify(settings) !== JSON.stringify(original);
  return { settings: changed ? settings : original, changed, removed, envRestored };
}

function restoreEnv(settings: Json, record: InstallRecord | undefined): number {
  const env = settings.env;
  if (record === undefined || !isObject(env)) return 0;
  let restored = 0;
  for (const [key, entry] of Object.entries(record.env)) {
    if (env[key] !== entry.value) continue;
    if (entry.previous === null) delete env[key];
    else env[key] = entry.previous;
    restored++;
  }
  if (record.createdEnv && restored > 0 && Object.keys(env).length === 0) delete settings.env;
  return restored;
}
