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
    env: { ...process.env, HOME: env.home, LOOPLINE_HOME: env.looplineHome, CODEX_HOME: '' },
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

const CODEX_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'PreCompact',
  'PostCompact',
  'Stop',
  'StopFailure',
  'SubagentStart',
  'SubagentStop',
];
const GEMINI_EVENTS = [
  'SessionStart',
  'BeforeAgent',
  'BeforeModel',
  'BeforeTool',
  'AfterTool',
  'AfterAgent',
  'PreCompress',
  'Notification',
  'SessionEnd',
];

describe('loopline install / uninstall codex and gemini', () => {
  it('codex: writes ~/.codex/hooks.json (Claude Code format), idempotent, and uninstall removes the file it created', async () => {
    const env = newEnv();
    const file = path.join(env.home, '.codex/hooks.json');
    const first = await cli(env, ['install', 'codex']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Codex CLI hooks installed in ${file}`);
    const second = await cli(env, ['install', 'codex']);
    expect(second.stdout).toContain('already installed');
    const settings = read(file);
    expect(Object.keys(settings.hooks ?? {})).toEqual(CODEX_EVENTS);
    for (const event of CODEX_EVENTS) {
      expect(ours(settings.hooks, event), event).toEqual([
        { type: 'command', command: bundle('codex'), timeout: 10 },
      ]);
    }
    expect(settings.hooks?.PreToolUse?.[0]?.matcher).toBe('*');
    expect(settings.hooks?.Stop?.[0]?.matcher).toBeUndefined();

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
    expect(fs.existsSync(file)).toBe(false);
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
    expect(fs.readdirSync(path.join(env.looplineHome, 'codex/backups'))).toHaveLength(1);

    const removed = await cli(env, ['uninstall', 'codex', '--scope', 'project']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);

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
});
