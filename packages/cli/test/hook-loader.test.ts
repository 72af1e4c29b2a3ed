import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runProcess, tempDir } from './cli-process.ts';

/**
 * dist/hook.cjs runs the bundle through V8's code cache, which holds only what had been compiled when it
 * was written: the cache names the code paths it has seen, and a run that takes a new one rewrites it.
 * Each test works on its own copy of the built hook, so the shared dist keeps its cache.
 */
const DIST = path.join(ROOT, 'packages/cli/dist');
const dir = tempDir('loader-dist');
const hookFile = path.join(dir, 'hook.cjs');
const cacheFile = path.join(dir, 'hook-body.cjs.cache');
const home = tempDir('loader-home');
const transcriptPath = path.join(home, 'session.jsonl');
let server: http.Server;
let url: string;
const received: string[] = [];

beforeAll(async () => {
  for (const name of ['hook.cjs', 'hook-body.cjs'])
    fs.copyFileSync(path.join(DIST, name), path.join(dir, name));
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function hook(event: string, fields: Record<string, unknown> = {}): Promise<void> {
  const run = await runProcess(process.execPath, [hookFile, 'claude-code'], {
    env: { ...process.env, HOME: home, LOOPLINE_HOME: path.join(home, 'loopline'), LOOPLINE_ENDPOINT: url },
    stdin: JSON.stringify({
      session_id: 'loader-1',
      transcript_path: transcriptPath,
      cwd: home,
      prompt_id: 'p1',
      hook_event_name: event,
      ...fields,
    }),
  });
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe('');
}

/** The code paths the cache file says it has seen. */
function cachedPaths(): string[] {
  const bytes = fs.readFileSync(cacheFile);
  const lines = bytes.toString('latin1', 0, 4096).split('\n');
  expect(lines[0]).toBe('loopline-hook-cache 1');
  return JSON.parse(lines[1]!) as string[];
}

function appendTurn(): void {
  const at = Date.now();
  const base = { sessionId: 'loader-1', cwd: home, version: '2.1.200', isSidechain: false };
  const records = [
    {
      ...base,
      type: 'user',
      uuid: 'u1',
      parentUuid: null,
      promptId: 'p1',
      timestamp: new Date(at).toISOString(),
      message: { role: 'user', content: 'Fix the build' },
    },
    {
      ...base,
      type: 'assistant',
      uuid: 'a1',
      parentUuid: 'u1',
      requestId: 'req_1',
      timestamp: new Date(at + 500).toISOString(),
      message: {
        id: 'msg_1',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'Done.' }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 10, output_tokens: 20 },
      },
    },
  ];
  fs.appendFileSync(transcriptPath, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

describe('the hook loader and its code cache', () => {
  it('writes the cache at the first run, naming the path it took', async () => {
    expect(fs.existsSync(cacheFile)).toBe(false);
    await hook('SessionStart', { source: 'startup' });
    expect(cachedPaths()).toEqual(['claude-code SessionStart']);
  });

  it('a run that takes new paths adds them; one that takes known paths leaves the cache alone', async () => {
    fs.writeFileSync(transcriptPath, '');
    await hook('UserPromptSubmit', { prompt: 'Fix the build' });
    appendTurn();
    await hook('Stop');
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('chat claude-sonnet-4-5');
    expect(cachedPaths()).toEqual([
      'chat spans',
      'claude-code SessionStart',
      'claude-code Stop',
      'claude-code UserPromptSubmit',
      'sent',
    ]);
    const before = fs.readFileSync(cacheFile);
    await hook('UserPromptSubmit', { prompt: 'Again', prompt_id: 'p2' });
    expect(fs.readFileSync(cacheFile).equals(before)).toBe(true);
  });

  it('a cache it cannot use (garbage, or from an older loader) is replaced, and the hook still runs', async () => {
    fs.writeFileSync(cacheFile, 'not a code cache');
    await hook('Stop', { prompt_id: 'p2' });
    expect(received).toHaveLength(2);
    expect(cachedPaths()).toEqual(['claude-code Stop', 'sent']);
    fs.writeFileSync(
      cacheFile,
      Buffer.concat([Buffer.from('loopline-hook-cache 1\n[]\n'), Buffer.alloc(64, 7)]),
    );
    await hook('PreToolUse', { tool_name: 'Bash', tool_use_id: 't1', tool_input: { command: 'ls' } });
    expect(cachedPaths()).toEqual(['claude-code PreToolUse']);
  });
});
