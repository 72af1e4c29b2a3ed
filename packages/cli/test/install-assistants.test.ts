import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './cli-process.ts';

interface Env {
  home: string;
  looplineHome: string;
  project: string;
}

const newEnv = (): Env => ({
  home: tempDir('install2-home'),
  looplineHome: tempDir('install2-loopline'),
  project: tempDir('install2-project'),
});

function cli(env: Env, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, {
    cwd: env.project,
    env: {
      ...process.env,
      HOME: env.home,
      LOOPLINE_HOME: env.looplineHome,
      CODEX_HOME: '',
      GEMINI_CLI_HOME: '',
    },
  });
}

type Handler = { type: string; command: string; timeout?: number; name?: string };
type Hooks = Record<string, Array<{ matcher?: string; hooks: Handler[] }>>;
const read = (file: string): { hooks?: Hooks } & Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as { hooks?: Hooks };
const ours = (hooks: Hooks | undefined, event: string): Handler[] =>
  (hooks?.[event] ?? []).flatMap((g) => g.hooks).filter((h) => /dist[\\/]hook\.[cm]js/.test(h.command));
const bundle = (assistant: string): string =>
  `node "${path.join(ROOT, 'packages/cli/dist/hook.cjs')}" ${assistant}`;

/** Codex 0.169.0's hook events (its embedded schemas); SessionEnd and Interrupt time out after 3 s at most. */
const CODEX_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PreCompact',
  'PostCompact',
  'Stop',
  'Interrupt',
  'SubagentStart',
  'SubagentStop',
  'SessionEnd',
];
const CODEX_TIMEOUTS: Record<string, number> = { SessionEnd: 3, Interrupt: 3 };
const snake = (event: string): string => event.replace(/(?<!^)[A-Z]/g, (c) => `_${c}`).toLowerCase();
/** The `[hooks.state."<key>"]` tables of a config.toml that hold only a trusted_hash: key → hash. */
function trusted(config: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of config.matchAll(/^\[hooks\.state\.("[^"\n]*")\]\ntrusted_hash = ("[^"\n]*")$/gm)) {
    found[JSON.parse(m[1]!) as string] = JSON.parse(m[2]!) as string;
  }
  return found;
}
const GEMINI_EVENTS = [
  'SessionStart',
  'BeforeAgent',
  'BeforeModel',
  'BeforeTool',
  'AfterTool',
  'AfterAgent',
  'Notification',
  'SessionEnd',
];

describe('loopline install / uninstall codex and gemini', () => {
  it('codex: writes ~/.codex/hooks.json (Claude Code format) and trusts its handlers in config.toml, idempotent, and uninstall removes the files it created', async () => {
    const env = newEnv();
    const file = path.join(env.home, '.codex/hooks.json');
    const config = path.join(env.home, '.codex/config.toml');
    const first = await cli(env, ['install', 'codex']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Codex CLI hooks installed in ${file}`);
    expect(first.stdout).toContain(`12 hook handler(s) trusted in ${config}`);
    const trust = fs.readFileSync(config, 'utf8');
    const second = await cli(env, ['install', 'codex']);
    expect(second.stdout).toContain('already installed');
    expect(second.stdout).toContain('nothing changed');
    expect(fs.readFileSync(config, 'utf8')).toBe(trust);
    const settings = read(file);
    expect(Object.keys(settings.hooks ?? {})).toEqual(CODEX_EVENTS);
    for (const event of CODEX_EVENTS) {
      expect(ours(settings.hooks, event), event).toEqual([
        { type: 'command', command: bundle('codex'), timeout: CODEX_TIMEOUTS[event] ?? 10 },
      ]);
    }
    expect(settings.hooks?.PreToolUse?.[0]?.matcher).toBe('*');
    expect(settings.hooks?.Stop?.[0]?.matcher).toBeUndefined();
    // one trusted_hash per handler, keyed by Codex's `<file>:<event>:<group>:<handler>`
    const hashes = trusted(trust);
    expect(Object.keys(hashes).sort()).toEqual(CODEX_EVENTS.map((e) => `${file}:${snake(e)}:0:0`).sort());
    for (const hash of Object.values(hashes)) expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(new Set(Object.values(hashes)).size).toBe(CODEX_EVENTS.length);

    // the registered command is a working hook with its own state folder
    const ran = spawnSync('sh', ['-c', bundle('codex')], {
      input: JSON.stringify({
        session_id: 'install-check',
        hook_event_name: 'SessionStart',
        cwd: env.project,
      }),
      env: { ...process.env, HOME: env.home, LOOPLINE_HOME: env.looplineHome },
      encoding: 'utf8',
    });
    expect({ status: ran.status, stdout: ran.stdout }).toEqual({ status: 0, stdout: '' });
    expect(fs.readdirSync(path.join(env.looplineHome, 'codex/sessions'))).toEqual(['install-check']);

    const removed = await cli(env, ['uninstall', 'codex']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`removed ${CODEX_EVENTS.length} Loopline hook handler(s)`);
    expect(removed.stdout).toContain(`Loopline's hook trust taken out of ${config}`);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(config)).toBe(false);
  });

  it('codex: merges into an existing project hooks.json and gives it back byte for byte; Claude Code entries are not its own', async () => {
    const env = newEnv();
    const file = path.join(env.project, '.codex/hooks.json');
    const original = `${JSON.stringify(
      {
        hooks: {
          PreToolUse: [
            { matcher: 'Bash|apply_patch', hooks: [{ type: 'command', command: './guard.sh', timeout: 5 }] },
          ],
          Stop: [{ hooks: [{ type: 'command', command: 'loopline hook claude-code' }] }],
        },
      },
      null,
      4,
    )}\n`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, original);
    // the user's own config, with a hook the user trusted through Codex's /hooks
    const config = path.join(env.home, '.codex/config.toml');
    const guardKey = `${file}:pre_tool_use:0:0`;
    const configText = `model = "gpt-5"\n\n[hooks.state.${JSON.stringify(guardKey)}]\ntrusted_hash = "sha256:${'ab'.repeat(32)}"\n`;
    fs.mkdirSync(path.dirname(config), { recursive: true });
    fs.writeFileSync(config, configText);
    const installed = await cli(env, [
      'install',
      'codex',
      '--scope',
      'project',
      '--command',
      'loopline hook codex',
    ]);
    expect(installed.code, installed.stderr).toBe(0);
    const settings = read(file);
    expect(settings.hooks?.PreToolUse?.[0]?.hooks[0]?.command).toBe('./guard.sh');
    expect(settings.hooks?.PreToolUse?.[1]?.hooks[0]?.command).toBe('loopline hook codex');
    expect(settings.hooks?.Stop?.map((g) => g.hooks[0]?.command)).toEqual([
      'loopline hook claude-code',
      'loopline hook codex',
    ]);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^{\n {4}"hooks"/);
    // hooks.json and config.toml backed up
    expect(fs.readdirSync(path.join(env.looplineHome, 'codex/backups'))).toHaveLength(2);
    // Loopline's handlers come after the user's: their trust keys name their own group
    const hashes = trusted(fs.readFileSync(config, 'utf8'));
    expect(hashes[guardKey]).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(hashes[`${file}:pre_tool_use:1:0`]).toMatch(/^sha256:/);
    expect(hashes[`${file}:stop:1:0`]).toMatch(/^sha256:/);
    expect(hashes[`${file}:stop:0:0`]).toBeUndefined();
    expect(Object.keys(hashes)).toHaveLength(CODEX_EVENTS.length + 1);
    expect(installed.stdout).toMatch(/Codex reads \.codex\/hooks\.json only in a project it trusts/);

    const removed = await cli(env, ['uninstall', 'codex', '--scope', 'project']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(fs.readFileSync(config, 'utf8')).toBe(configText);

    const wrong = await cli(env, ['install', 'codex', '--command', 'loopline hook claude-code']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--command must run "loopline hook codex"/);
    const local = await cli(env, ['install', 'codex', '--scope', 'local']);
    expect(local.stderr).toMatch(/unknown --scope "local" for codex; use user or project/);
    const otel = await cli(env, ['install', 'codex', '--otel']);
    expect(otel.stderr).toMatch(/--otel is for claude-code only/);
  });

  it('gemini: adds a named handler (timeout in ms, no matcher) to ~/.gemini/settings.json and undoes it exactly', async () => {
    const env = newEnv();
    const file = path.join(env.home, '.gemini/settings.json');
    const original = `${JSON.stringify(
      {
        theme: 'GitHub',
        telemetry: { enabled: true, target: 'local' },
        hooks: {
          BeforeTool: [{ matcher: 'run_shell_command', hooks: [{ type: 'command', command: './guard.sh' }] }],
        },
      },
      null,
      2,
    )}\n`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, original);
    const first = await cli(env, ['install', 'gemini']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Gemini CLI hooks installed in ${file}`);
    expect((await cli(env, ['install', 'gemini'])).stdout).toContain('already installed');
    const settings = read(file);
    expect(Object.keys(settings.hooks ?? {}).sort()).toEqual([...GEMINI_EVENTS].sort());
    for (const event of GEMINI_EVENTS) {
      expect(ours(settings.hooks, event), event).toEqual([
        { name: 'loopline', type: 'command', command: bundle('gemini'), timeout: 10_000 },
      ]);
    }
    expect(settings.hooks?.BeforeTool?.[0]?.hooks[0]?.command).toBe('./guard.sh');
    expect(settings.hooks?.BeforeTool?.[1]).toEqual({ hooks: ours(settings.hooks, 'BeforeTool') });
    expect(settings.theme).toBe('GitHub');

    const removed = await cli(env, ['uninstall', 'gemini']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`removed ${GEMINI_EVENTS.length} Loopline hook handler(s)`);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect((await cli(env, ['uninstall', 'gemini'])).stdout).toContain('no Loopline hooks');
    // Claude Code's settings were never touched
    expect(fs.existsSync(path.join(env.home, '.claude/settings.json'))).toBe(false);
  });

  it('gemini: project scope writes .gemini/settings.json under --project-dir', async () => {
    const env = newEnv();
    const result = await cli(env, ['install', 'gemini', '--scope', 'project', '--project-dir', env.project]);
    expect(result.code, result.stderr).toBe(0);
    const file = path.join(env.project, '.gemini/settings.json');
    expect(ours(read(file).hooks, 'AfterAgent')).toHaveLength(1);
    expect(fs.existsSync(path.join(env.home, '.gemini/settings.json'))).toBe(false);
    await cli(env, ['uninstall', 'gemini', '--scope', 'project', '--project-dir', env.project]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('gemini: user scope follows $GEMINI_CLI_HOME, where Gemini CLI then looks for .gemini', async () => {
    const env = newEnv();
    const geminiHome = tempDir('install2-gemini-home');
    const run = (args: string[]) =>
      runCli(args, {
        cwd: env.project,
        env: { ...process.env, HOME: env.home, LOOPLINE_HOME: env.looplineHome, GEMINI_CLI_HOME: geminiHome },
      });
    const installed = await run(['install', 'gemini']);
    expect(installed.code, installed.stderr).toBe(0);
    const file = path.join(geminiHome, '.gemini/settings.json');
    expect(installed.stdout).toContain(`Gemini CLI hooks installed in ${file}`);
    expect(ours(read(file).hooks, 'BeforeTool')).toHaveLength(1);
    expect(fs.existsSync(path.join(env.home, '.gemini/settings.json'))).toBe(false);
    expect((await run(['uninstall', 'gemini'])).code).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });
});
