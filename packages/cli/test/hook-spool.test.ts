import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN,
  exited,
  ROOT,
  type ProcessRun as Run,
  runProcess,
  type ServeProcess,
  spawnServe,
  tempDir,
} from './cli-process.ts';

const HOOK = path.join(ROOT, 'packages/cli/dist/hook.cjs');
const home = tempDir('spool-home');
const looplineHome = tempDir('spool-loopline');
const spool = path.join(looplineHome, 'spool');
let serve: ServeProcess | undefined;
let downUrl: string;

function run(args: string[], options: { stdin?: string; endpoint?: string } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, LOOPLINE_HOME: looplineHome };
  if (options.endpoint) env.LOOPLINE_ENDPOINT = options.endpoint;
  return runProcess(process.execPath, args, { env, stdin: options.stdin ?? '' });
}

/** One prompt turn of a session, each event its own hook process. */
async function turn(sessionId: string, endpoint: string): Promise<Run[]> {
  const runs: Run[] = [];
  const base = {
    session_id: sessionId,
    transcript_path: path.join(home, 'none.jsonl'),
    cwd: home,
    prompt_id: `${sessionId}-p1`,
  };
  for (const [event, fields] of [
    ['SessionStart', { source: 'startup' }],
    ['UserPromptSubmit', { prompt: 'hello' }],
    ['PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1', tool_input: { command: 'ls' } }],
    [
      'PostToolUse',
      { tool_name: 'Bash', tool_use_id: 'toolu_1', tool_input: { command: 'ls' }, tool_response: {} },
    ],
    ['Stop', { stop_hook_active: false }],
  ] as const) {
    runs.push(
      await run([HOOK, 'claude-code'], {
        stdin: JSON.stringify({ ...base, hook_event_name: event, ...fields }),
        endpoint,
      }),
    );
  }
  return runs;
}

async function conversation(sessionId: string): Promise<{ status: number; traces?: number }> {
  const response = await fetch(`${serve!.url}/api/conversations/${sessionId}`);
  const body = (await response.json()) as { totals?: { traces: number } };
  return { status: response.status, traces: body.totals?.traces };
}

/** An address where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const spooled = (): string[] =>
  fs.existsSync(spool) ? fs.readdirSync(spool).filter((f) => f.endsWith('.json')) : [];

beforeAll(async () => {
  downUrl = await closedPortUrl();
});

afterAll(async () => {
  serve?.child.kill('SIGKILL');
  if (serve) await exited(serve.child);
});

describe('when Loopline is unreachable', () => {
  it('the hook exits 0 quickly, prints nothing and spools the turn', async () => {
    const runs = await turn('offline-a', downUrl);
    for (const r of runs) {
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: 0,
        stdout: '',
        stderr: '',
      });
      expect(r.ms).toBeLessThan(3000);
    }
    expect(spooled()).toHaveLength(1);
    const log = fs.readFileSync(path.join(looplineHome, 'claude-code/hook.log'), 'utf8');
    expect(log).toMatch(/spooled Stop offline-a .*unreachable \(no answer: ECONNREFUSED\)/);
  });

  it('loopline flush says what to do next and keeps the spool', async () => {
    const result = await run([BIN, 'flush', '--endpoint', downUrl]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[1/1]');
    expect(result.stderr).toMatch(
      /^loopline: SERVER_UNREACHABLE: .*start it with "loopline serve" or pass --endpoint/,
    );
    expect(spooled()).toHaveLength(1);
  });
});

describe('when Loopline is back', () => {
  beforeAll(async () => {
    serve = await spawnServe(['--data-dir', tempDir('spool-data')]);
  });

  it('loopline flush delivers the spool and the conversation appears', async () => {
    expect(await conversation('offline-a')).toMatchObject({ status: 404 });
    const result = await run([BIN, 'flush', '--endpoint', serve!.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/flush: \[1\/1\] \S+\.json: 2 span\(s\) sent/);
    expect(result.stdout).toMatch(
      /flush: sent 1 file\(s\), 2 span\(s\) to http:\/\/127\.0\.0\.1:\d+; 0 left in the spool/,
    );
    expect(await conversation('offline-a')).toEqual({ status: 200, traces: 1 });
    expect(spooled()).toEqual([]);
  });

  it('a second flush sends nothing', async () => {
    const result = await run([BIN, 'flush', '--endpoint', serve!.url]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`flush: nothing to send (the spool ${spool} is empty)`);
  });

  it('later hooks resend what was spooled, a few files per run', async () => {
    await turn('offline-b', downUrl);
    await turn('offline-c', downUrl);
    expect(spooled()).toHaveLength(2);
    const runs = await turn('online-d', serve!.url);
    expect(runs.every((r) => r.code === 0 && r.stdout === '')).toBe(true);
    expect(spooled()).toEqual([]);
    for (const id of ['offline-b', 'offline-c', 'online-d'])
      expect(await conversation(id)).toEqual({ status: 200, traces: 1 });
  });
});
