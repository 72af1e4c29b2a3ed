import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ASSISTANT_IDS,
  type AssistantProfile,
  assistantProfile,
  type InstallPlan,
  type InstallResult,
  installHooks,
  looplineHookCommandOf,
  mergeInstallRecords,
  nativeOtelEnv,
  SettingsShapeError,
  uninstallHooks,
} from '@loopline/claude-code';
import { AppError } from '@loopline/model';
import type { Command } from 'commander';
import {
  DEFAULT_ENDPOINT,
  type LooplineConfig,
  type LooplinePaths,
  looplinePaths,
  readConfig,
  writeConfig,
} from './hook-home.ts';
import {
  backup,
  formatLike,
  readInstallState,
  readSettings,
  removeInstallState,
  type SettingsFile,
  writeInstallState,
  writeSettings,
} from './install-settings.ts';
import {
  ASSISTANT_SCOPES,
  assistantSettingsPath,
  codexInstallResult,
  installCodexTrust,
  SCOPE_FILES,
  uninstallCodexTrust,
} from './install-targets.ts';

interface InstallFlags {
  scope: string;
  projectDir: string;
  endpoint?: string;
  apiKey?: string;
  otel?: boolean;
  otelTraces?: boolean;
  captureContent?: boolean;
  command?: string;
}

interface UninstallFlags {
  scope: string;
  projectDir: string;
}

/** Seconds Claude Code waits for one run of the hook (it normally takes a few tens of milliseconds). */
const HOOK_TIMEOUT_SECONDS = 10;

/** `node "<dist>/hook.cjs" <assistant>` next to this bundle, else the `loopline` bin. */
export function defaultHookCommand(assistant = 'claude-code'): string {
  const bundle = new URL('./hook.cjs', import.meta.url);
  if (bundle.protocol === 'file:' && fs.existsSync(bundle)) {
    return `node "${fileURLToPath(bundle)}" ${assistant}`;
  }
  return `loopline hook ${assistant}`;
}

function assistantArgument(assistant: string): AssistantProfile {
  const profile = assistantProfile(assistant);
  if (profile === undefined) {
    throw new AppError(
      'BAD_REQUEST',
      `unknown assistant "${assistant}"; supported: ${ASSISTANT_IDS.join(', ')}`,
    );
  }
  return profile;
}

const scopeHelp = `where: ${ASSISTANT_SCOPES['claude-code'].join(', ')} (claude-code: ${SCOPE_FILES['claude-code']}; codex: ${SCOPE_FILES.codex}; gemini: ${SCOPE_FILES.gemini})`;
const ASSISTANTS_HELP = `the assistant: ${ASSISTANT_IDS.join(', ')}`;

export function installCommand(program: Command): void {
  program
    .command('install')
    .description("add Loopline's hooks to an AI assistant's settings, so every session is traced")
    .argument('<assistant>', ASSISTANTS_HELP)
    .option('--scope <scope>', scopeHelp, 'user')
    .option('--project-dir <dir>', 'the project for --scope project or local', process.cwd())
    .option(
      '--endpoint <url>',
      `the Loopline server hooks send to (saved in $LOOPLINE_HOME/config.json; default ${DEFAULT_ENDPOINT})`,
    )
    .option(
      '--api-key <key>',
      'sent as "authorization: Bearer <key>" (saved in $LOOPLINE_HOME/config.json, mode 600)',
    )
    .option(
      '--otel',
      "also turn on Claude Code's native OpenTelemetry export (metrics, events) to Loopline (claude-code only)",
    )
    .option(
      '--otel-traces',
      "with --otel, also Claude Code's beta trace export: its llm_request spans then carry the session's tokens and cost instead of the transcript (docs/stations/ide.md)",
    )
    .option('--capture-content', 'record prompts, responses and tool input/output (off by default)')
    .option(
      '--command <command>',
      'the hook command to register (default: node "<cli>/dist/hook.cjs" <assistant>)',
    )
    .addHelpText(
      'after',
      `
Only Loopline's own entries are added (found again by their command); running it twice adds nothing, and
the previous file is backed up to $LOOPLINE_HOME/<assistant>/backups. "loopline uninstall <assistant>"
takes out exactly what was added. Codex CLI's hooks go to hooks.json, Gemini CLI's to settings.json. For a project file shared through git, consider
--command "loopline hook claude-code" (the default path is specific to this machine).`,
    )
    .action((assistant: string, flags: InstallFlags) => install(assistant, flags));

  program
    .command('uninstall')
    .description("remove Loopline's hooks (and what --otel set) from an AI assistant's settings")
    .argument('<assistant>', ASSISTANTS_HELP)
    .option('--scope <scope>', scopeHelp, 'user')
    .option('--project-dir <dir>', 'the project for --scope project or local', process.cwd())
    .action((assistant: string, flags: UninstallFlags) => uninstall(assistant, flags));
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function install(assistant: string, flags: InstallFlags): void {
  const profile = assistantArgument(assistant);
  const id = profile.id;
  const name = profile.displayName;
  if (flags.otelTraces) flags.otel = true;
  if (flags.otel && id !== 'claude-code') {
    throw new AppError(
      'BAD_REQUEST',
      `--otel is for claude-code only; ${name}'s native telemetry is set in its own config (see docs/stations/ide.md)`,
    );
  }
  const paths = looplinePaths(undefined, id);
  const file = readSettings(assistantSettingsPath(id, flags.scope, flags.projectDir));
  const command = flags.command ?? defaultHookCommand(id);
  const isOurs = looplineHookCommandOf(id);
  if (!isOurs(command)) {
    throw new AppError(
      'BAD_REQUEST',
      `--command must run "loopline hook ${id}" or "…/dist/hook.cjs ${id}", so uninstall can find it again`,
    );
  }
  const known = readConfig(paths);
  const endpoint = flags.endpoint ?? known.endpoint ?? DEFAULT_ENDPOINT;
  const plan: InstallPlan = {
    command,
    events: profile.hookEvents,
    timeoutSeconds: HOOK_TIMEOUT_SECONDS,
    timeoutUnit: profile.timeoutUnit,
    toolMatchedEvents: profile.toolMatchedEvents,
    isOurs,
    env: flags.otel
      ? nativeOtelEnv(endpoint, flags.apiKey ?? known.apiKey, { traces: flags.otelTraces === true })
      : undefined,
  };
  if (profile.handlerName !== undefined) plan.handlerName = profile.handlerName;
  const result = id === 'codex' ? codexInstallResult(merged(file, plan), isOurs) : merged(file, plan);
  const saved = saveConfig(paths, flags);
  // Codex runs a hook only once its config.toml trusts it (install-targets.ts)
  const trust =
    id === 'codex'
      ? installCodexTrust(paths, flags.scope, file.path, result.settings, isOurs)
      : { changed: false, lines: [] };
  if (!result.changed) {
    out(
      `loopline: ${name} hooks are already installed in ${file.path}${trust.changed ? '' : '; nothing changed'}`,
    );
    for (const line of trust.lines) out(line);
    return;
  }
  const backupPath = file.exists ? backup(paths, file, flags.scope) : null;
  writeSettings(file.path, formatLike(file.text, result.settings));
  const previous = readInstallState(paths, file.path);
  writeInstallState(paths, {
    settingsPath: file.path,
    createdFile: previous?.createdFile ?? !file.exists,
    originalText: previous?.originalText ?? file.text,
    record: mergeInstallRecords(previous?.record, result.record),
    installedAt: new Date().toISOString(),
  });
  const what = result.added > 0 ? `${result.added} hook event(s) added` : 'hook command updated';
  out(`loopline: ${name} hooks installed in ${file.path} (${what})`);
  out(`  command   ${command}`);
  out(`  backup    ${backupPath ?? '(the file is new)'}`);
  out(`  endpoint  ${endpoint}${saved ? ` (saved in ${paths.config})` : ''}`);
  for (const line of trust.lines) out(line);
  if (flags.otel) {
    const signals = flags.otelTraces ? 'metrics, events and (beta) traces' : 'metrics and events';
    out(`  native    Claude Code's OTel ${signals} also go to ${endpoint}`);
  }
  if (flags.otel && flags.scope === 'project') {
    out(
      "  note      Claude Code 2.1.330 in print mode (-p) did not start its OTel export from a project file's env; --scope user or local did",
    );
  }
  if (flags.otel && flags.apiKey !== undefined && flags.scope === 'project') {
    out(
      '  warning   the API key is now in a project file that may be committed; --scope local keeps it private',
    );
  }
  out(
    `Start Loopline with "loopline serve" and use ${name} as usual; "loopline uninstall ${id}" undoes this.`,
  );
}

function merged(file: SettingsFile, plan: InstallPlan): InstallResult {
  try {
    return installHooks(file.settings, plan);
  } catch (error) {
    if (error instanceof SettingsShapeError)
      throw new AppError('BAD_REQUEST', `${file.path}: ${error.message}`);
    throw error;
  }
}

/** Endpoint, API key and content capture go to $LOOPLINE_HOME/config.json, where the hook reads them. */
function saveConfig(paths: LooplinePaths, flags: InstallFlags): boolean {
  const config: LooplineConfig = {};
  if (flags.endpoint !== undefined) config.endpoint = flags.endpoint;
  if (flags.apiKey !== undefined) config.apiKey = flags.apiKey;
  if (flags.captureContent) config.captureContent = true;
  if (Object.keys(config).length === 0) return false;
  writeConfig(paths, config);
  return true;
}

function uninstall(assistant: string, flags: UninstallFlags): void {
  const profile = assistantArgument(assistant);
  const paths = looplinePaths(undefined, profile.id);
  const target = assistantSettingsPath(profile.id, flags.scope, flags.projectDir);
  const file = readSettings(target);
  const isOurs = looplineHookCommandOf(profile.id);
  // Codex: the trust install wrote for Loopline's handlers, found while they are still in the file
  const trust =
    profile.id === 'codex' ? uninstallCodexTrust(paths, flags.scope, target, file.settings, isOurs) : [];
  const state = readInstallState(paths, target);
  if (!file.exists) {
    removeInstallState(paths, target);
    out(`loopline: ${target} does not exist; nothing to remove`);
    return;
  }
  const result = uninstallHooks(file.settings, state?.record, isOurs);
  if (!result.changed) {
    out(
      `loopline: no Loopline hooks in ${target}; nothing changed (try another --scope: ${ASSISTANT_SCOPES[profile.id].join(', ')})`,
    );
    return;
  }
  const saved = backup(paths, file, flags.scope);
  const backToOriginal =
    state !== undefined &&
    JSON.stringify(result.settings) ===
      JSON.stringify(state.originalText.trim() === '' ? {} : JSON.parse(state.originalText));
  if (backToOriginal && state.createdFile) fs.rmSync(target, { force: true });
  else writeSettings(target, backToOriginal ? state.originalText : formatLike(file.text, result.settings));
  removeInstallState(paths, target);
  const env = result.envRestored > 0 ? ` and ${result.envRestored} env setting(s)` : '';
  out(`loopline: removed ${result.removed} Loopline hook handler(s)${env} from ${target}`);
  out(`  backup    ${saved}`);
  for (const line of trust) out(line);
  if (backToOriginal)
    out(
      `  the file is back as it was before "loopline install"${state.createdFile ? ' (it did not exist: removed)' : ''}`,
    );
}
