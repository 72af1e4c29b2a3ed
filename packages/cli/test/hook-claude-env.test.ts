import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { nativeTracesToLoopline } from '@loopline/claude-code';
import { describe, expect, it } from 'vitest';
import { claudeCodeEnv } from '../src/commands/hook-claude-env.ts';
import { tempDir } from './cli-process.ts';

const ENDPOINT = 'http://127.0.0.1:4318';

function writeSettings(file: string, env: Record<string, string>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ hooks: {}, env }));
}

describe("Claude Code's environment as a hook sees it", () => {
  it('reads the OTEL_* settings Claude Code hides from hooks, from its settings files', () => {
    const home = tempDir('claude-env-home');
    const project = tempDir('claude-env-project');
    writeSettings(path.join(home, '.claude/settings.json'), {
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://elsewhere:4318',
    });
    writeSettings(path.join(project, '.claude/settings.json'), { OTEL_TRACES_EXPORTER: 'otlp' });
    writeSettings(path.join(project, '.claude/settings.local.json'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT,
    });
    const hookEnv = { HOME: home, CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: '1', CLAUDE_PROJECT_DIR: project };
    expect(nativeTracesToLoopline(hookEnv, ENDPOINT)).toBe(false);
    const env = claudeCodeEnv(hookEnv, undefined);
    expect(env).toMatchObject({
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, // local settings win over user settings
    });
    expect(nativeTracesToLoopline(env, ENDPOINT)).toBe(true);
  });

  it.runIf(process.platform === 'linux')(
    "reads the variables Claude Code was started with from its process (CLAUDE_PID), under the hook's own",
    async () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], {
        env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'otlp', SHARED: 'from-claude' },
      });
      try {
        const env = claudeCodeEnv(
          { HOME: tempDir('claude-env-empty'), CLAUDE_PID: String(child.pid), SHARED: 'from-hook' },
          undefined,
        );
        expect(env.OTEL_TRACES_EXPORTER).toBe('otlp');
        expect(env.SHARED).toBe('from-hook');
      } finally {
        child.kill();
      }
    },
  );

  it('skips what it cannot read: no settings, a bad pid, broken JSON', () => {
    const home = tempDir('claude-env-broken');
    fs.mkdirSync(path.join(home, '.claude'));
    fs.writeFileSync(path.join(home, '.claude/settings.json'), '{ not json');
    expect(claudeCodeEnv({ HOME: home, CLAUDE_PID: 'x/../1', ONLY: 'me' }, '/nonexistent')).toEqual({
      HOME: home,
      CLAUDE_PID: 'x/../1',
      ONLY: 'me',
    });
  });
});
