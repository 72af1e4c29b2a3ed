import { describe, expect, it } from 'vitest';
import { LOOPLINE_HOOK_EVENTS } from './hook-input.ts';
import {
  installHooks,
  isLooplineHookCommand,
  mergeInstallRecords,
  nativeOtelEnv,
  SettingsShapeError,
  uninstallHooks,
} from './settings-merge.ts';

const COMMAND = 'node "/opt/loopline/packages/cli/dist/hook.mjs" claude-code';

const unrelated = () => ({
  model: 'opus',
  permissions: { allow: ['Bash(npm test)'] },
  env: { FOO: 'bar' },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './guard.sh', timeout: 5 }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
  },
});

describe('installHooks / uninstallHooks', () => {
  it('adds one handler per event next to what is there, and nothing the second time', () => {
    const first = installHooks(unrelated(), { command: COMMAND });
    expect(first.changed).toBe(true);
    expect(first.added).toBe(LOOPLINE_HOOK_EVENTS.length);
    const hooks = first.settings.hooks as Record<string, Array<{ matcher?: string; hooks: unknown[] }>>;
    expect(Object.keys(hooks)).toEqual([
      'PreToolUse',
      'Stop',
      ...LOOPLINE_HOOK_EVENTS.filter((e) => e !== 'PreToolUse' && e !== 'Stop'),
    ]);
    expect(hooks.PreToolUse).toEqual([
      unrelated().hooks.PreToolUse[0],
      { matcher: '*', hooks: [{ type: 'command', command: COMMAND, timeout: 10 }] },
    ]);
    expect(hooks.SessionStart).toEqual([{ hooks: [{ type: 'command', command: COMMAND, timeout: 10 }] }]);
    expect(first.settings.permissions).toEqual(unrelated().permissions);
    const second = installHooks(first.settings, { command: COMMAND });
    expect(second.changed).toBe(false);
    expect(second.added).toBe(0);
    expect(second.settings).toBe(first.settings);
  });

  it('updates its own command when the CLI moved instead of adding a second handler', () => {
    const first = installHooks({}, { command: COMMAND });
    const moved = installHooks(first.settings, { command: 'loopline hook claude-code' });
    expect(moved).toMatchObject({ changed: true, added: 0, updated: LOOPLINE_HOOK_EVENTS.length });
    expect(JSON.stringify(moved.settings)).not.toContain('hook.mjs');
  });

  it('takes out exactly what install added, back to the original', () => {
    const original = unrelated();
    const installed = installHooks(original, {
      command: COMMAND,
      env: nativeOtelEnv('http://127.0.0.1:4318'),
    });
    const removed = uninstallHooks(installed.settings, installed.record);
    expect(removed.removed).toBe(LOOPLINE_HOOK_EVENTS.length);
    expect(removed.envRestored).toBe(5);
    expect(JSON.stringify(removed.settings)).toBe(JSON.stringify(original));
  });

  it('restores env values it replaced, and leaves ones changed since alone', () => {
    const original = { env: { OTEL_LOGS_EXPORTER: 'console', KEEP: '1' } };
    const installed = installHooks(original, {
      command: COMMAND,
      env: nativeOtelEnv('http://h:4318', 'k 1'),
    });
    expect((installed.settings.env as Record<string, string>).OTEL_EXPORTER_OTLP_HEADERS).toBe(
      'authorization=Bearer%20k%201',
    );
    const edited = JSON.parse(JSON.stringify(installed.settings)) as { env: Record<string, string> };
    edited.env.OTEL_METRICS_EXPORTER = 'prometheus';
    const removed = uninstallHooks(edited, installed.record);
    expect(removed.settings).toEqual({
      env: { OTEL_LOGS_EXPORTER: 'console', KEEP: '1', OTEL_METRICS_EXPORTER: 'prometheus' },
    });
  });

  it('works without a record: empty containers its removal left behind go', () => {
    const installed = installHooks({ model: 'opus' }, { command: COMMAND });
    expect(uninstallHooks(installed.settings, undefined).settings).toEqual({ model: 'opus' });
    expect(uninstallHooks({ model: 'opus' }, undefined).changed).toBe(false);
  });

  it('keeps the first install as the truth about the original across repeated installs', () => {
    const a = installHooks({}, { command: COMMAND, env: { X: '1' } });
    const b = installHooks(a.settings, { command: COMMAND, env: { X: '2' } });
    const record = mergeInstallRecords(a.record, b.record);
    expect(record.env.X).toEqual({ value: '2', previous: null });
    expect(uninstallHooks(b.settings, record).settings).toEqual({});
  });

  it('refuses settings whose hooks it cannot merge into, saying what to fix', () => {
    expect(() => installHooks({ hooks: [] }, { command: COMMAND })).toThrow(SettingsShapeError);
    expect(() => installHooks({ hooks: { Stop: {} } }, { command: COMMAND })).toThrow(
      /"hooks.Stop" is not a list/,
    );
  });

  it("recognises Loopline's commands and nobody else's", () => {
    expect(isLooplineHookCommand(COMMAND)).toBe(true);
    expect(isLooplineHookCommand('loopline hook claude-code')).toBe(true);
    expect(isLooplineHookCommand('npx loopline hook claude-code --endpoint http://x')).toBe(true);
    expect(isLooplineHookCommand('node C:\\loopline\\dist\\hook.mjs claude-code')).toBe(true);
    expect(isLooplineHookCommand('node "/opt/loopline/packages/cli/dist/hook.cjs" claude-code')).toBe(true);
    expect(isLooplineHookCommand('node "/opt/loopline/packages/cli/dist/hook.cjs" codex')).toBe(false);
    expect(isLooplineHookCommand('./my-hook.mjs claude-code')).toBe(false);
    expect(isLooplineHookCommand('loopline hook codex')).toBe(false);
    expect(isLooplineHookCommand(undefined)).toBe(false);
  });
});
