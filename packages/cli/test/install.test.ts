import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './cli-process.ts';

const EVENTS = [
  'SessionStart',
  'InstructionsLoaded',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
  'SubagentStart',
  'SubagentStop',
  'PreCompact',
  'PostCompact',
  'Notification',
  'Stop',
  'StopFailure',
  'SessionEnd',
];

interface Env {
  home: string;
  looplineHome: string;
  project: string;
}

function newEnv(): Env {
  return {
    home: tempDir('install-home'),
    looplineHome: tempDir('install-loopline'),
    project: tempDir('install-project'),
  };
}

function cli(env: Env, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(args, {
    cwd: env.project,
    env: { ...process.env, HOME: env.home, LOOPLINE_HOME: env.looplineHome, CLAUDE_CONFIG_DIR: '' },
  });
}

type Settings = {
  hooks?: Record<string, Array<{ matcher?: string; hooks: Array<{ command: string }> }>>;
  env?: Record<string, string>;
};
const read = (file: string): Settings => JSON.parse(fs.readFileSync(file, 'utf8')) as Settings;
const looplineHandlers = (settings: Settings, event: string): string[] =>
  (settings.hooks?.[event] ?? [])
    .flatMap((g) => g.hooks.map((h) => h.command))
    .filter((c) => /dist[\\/]hook\.[cm]js/.test(c));

/** Unrelated settings, tab-indented, to see they come back byte for byte. */
const ORIGINAL = `${JSON.stringify(
  {
    model: 'opus',
    permissions: { allow: ['Bash(npm test)'], deny: [] },
    env: { FOO: 'bar' },
    hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh' }] }] },
    statusLine: { type: 'command', command: 'echo hi' },
  },
  null,
  '\t',
)}\n`;

describe('loopline install claude-code / uninstall claude-code', () => {
  it('merges the hooks into user settings once, with a backup, and uninstall gives the file back byte for byte', async () => {
    const env = newEnv();
    const file = path.join(env.home, '.claude/settings.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, ORIGINAL);

    const first = await cli(env, ['install', 'claude-code', '--endpoint', 'http://127.0.0.1:4999']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Claude Code hooks installed in ${file}`);
    const second = await cli(env, ['install', 'claude-code']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('already installed');

    const settings = read(file);
    for (const event of EVENTS) expect(looplineHandlers(settings, event), event).toHaveLength(1);
    expect(settings.hooks?.PreToolUse?.[0]).toEqual({
      matcher: 'Bash',
      hooks: [{ type: 'command', command: './guard.sh' }],
    });
    expect(settings.hooks?.PreToolUse?.[1]?.matcher).toBe('*');
    const command = looplineHandlers(settings, 'Stop')[0]!;
    expect(command).toBe(`node "${path.join(ROOT, 'packages/cli/dist/hook.cjs')}" claude-code`);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^{\n\t"model": "opus",/);
    expect(JSON.parse(fs.readFileSync(path.join(env.looplineHome, 'config.json'), 'utf8'))).toEqual({
      endpoint: 'http://127.0.0.1:4999',
    });

    const backups = fs.readdirSync(path.join(env.looplineHome, 'claude-code/backups'));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(env.looplineHome, 'claude-code/backups', backups[0]!), 'utf8')).toBe(
      ORIGINAL,
    );

    // the registered command really is a hook: it takes an event and says nothing
    const ran = spawnSync('sh', ['-c', command], {
      input: JSON.stringify({
        session_id: 'install-check',
        hook_event_name: 'SessionStart',
        cwd: env.project,
      }),
      env: { ...process.env, HOME: env.home, LOOPLINE_HOME: env.looplineHome },
      encoding: 'utf8',
    });
    expect({ status: ran.status, stdout: ran.stdout }).toEqual({ status: 0, stdout: '' });

    const removed = await cli(env, ['uninstall', 'claude-code']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`removed ${EVENTS.length} Loopline hook handler(s)`);
    expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL);
    const again = await cli(env, ['uninstall', 'claude-code']);
    expect(again.stdout).toContain('no Loopline hooks');
  });

  it('--otel sets Claude Code native OTel env in project-local settings; uninstall takes out only that', async () => {
    const env = newEnv();
    const file = path.join(env.project, '.claude/settings.local.json');
    const result = await cli(env, [
      'install',
      'claude-code',
      '--scope',
      'local',
      '--otel',
      '--endpoint',
      'http://loopline.test:4318',
      '--api-key',
      'k-123',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const settings = read(file);
    expect(settings.env).toEqual({
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://loopline.test:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20k-123',
    });
    expect(fs.statSync(path.join(env.looplineHome, 'config.json')).mode & 0o777).toBe(0o600);
    const removed = await cli(env, ['uninstall', 'claude-code', '--scope', 'local']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('writes project settings under --project-dir and leaves other scopes alone', async () => {
    const env = newEnv();
    const project = tempDir('install-other-project');
    const result = await cli(env, [
      'install',
      'claude-code',
      '--scope',
      'project',
      '--project-dir',
      project,
      '--command',
      'loopline hook claude-code',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const settings = read(path.join(project, '.claude/settings.json'));
    expect(settings.hooks?.Stop?.[0]?.hooks[0]?.command).toBe('loopline hook claude-code');
    expect(fs.existsSync(path.join(env.home, '.claude/settings.json'))).toBe(false);
  });

  it('says what to fix when the settings are not JSON or the assistant is unknown', async () => {
    const env = newEnv();
    const file = path.join(env.home, '.claude/settings.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{ "model": ');
    const broken = await cli(env, ['install', 'claude-code']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/settings\.json is not valid JSON .*fix it or move it away/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{ "model": ');
    const unknown = await cli(env, ['install', 'cursor']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown assistant "cursor"; supported: claude-code/);
    const scope = await cli(env, ['install', 'claude-code', '--scope', 'team']);
    expect(scope.stderr).toMatch(/unknown --scope "team"; use user, project or local/);
  });

  it('has --help for install, uninstall, hook and flush', async () => {
    const env = newEnv();
    const expectations: Array<[string[], RegExp]> = [
      [['install', '--help'], /--scope <scope>[\s\S]*--api-key[\s\S]*--otel/],
      [['uninstall', '--help'], /--scope <scope>/],
      [['hook', '--help'], /<assistant>[\s\S]*always exits 0/],
      [['flush', '--help'], /spool/],
    ];
    const results = await Promise.all(expectations.map(([args]) => cli(env, args)));
    for (const [i, [args, pattern]] of expectations.entries()) {
      expect(results[i]?.code, args.join(' ')).toBe(0);
      expect(results[i]?.stdout).toMatch(pattern);
    }
  });
});

describe('the Claude Code plugin layout (packages/cli/claude-plugin)', () => {
  const plugin = path.join(ROOT, 'packages/cli/claude-plugin');

  it('declares the plugin and registers the hook for every event', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(plugin, '.claude-plugin/plugin.json'), 'utf8')) as {
      name: string;
    };
    expect(manifest.name).toBe('loopline');
    const hooks = JSON.parse(fs.readFileSync(path.join(plugin, 'hooks/hooks.json'), 'utf8')) as Settings;
    expect(Object.keys(hooks.hooks ?? {})).toEqual(EVENTS);
    for (const event of EVENTS) {
      expect(hooks.hooks?.[event]?.[0]?.hooks[0]?.command).toBe(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Claude Code expands ${CLAUDE_PLUGIN_ROOT}, not JavaScript
        'node "${CLAUDE_PLUGIN_ROOT}/hooks/run-hook.mjs" claude-code',
      );
    }
  });

  it("runs the CLI's hook bundle through hooks/run-hook.mjs", () => {
    const looplineHome = tempDir('plugin-loopline');
    const ran = spawnSync(process.execPath, [path.join(plugin, 'hooks/run-hook.mjs'), 'claude-code'], {
      input: JSON.stringify({
        session_id: 'plugin-check',
        hook_event_name: 'UserPromptSubmit',
        prompt: 'hi',
        cwd: looplineHome,
      }),
      env: { ...process.env, LOOPLINE_HOME: looplineHome },
      encoding: 'utf8',
    });
    expect({ status: ran.status, stdout: ran.stdout, stderr: ran.stderr }).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(fs.existsSync(path.join(looplineHome, 'claude-code/sessions/plugin-check/turn.json'))).toBe(true);
  });
});
