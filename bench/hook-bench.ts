/**
 * npm run bench:hook — the wall time of one Claude Code hook run (`node packages/cli/dist/hook.cjs
 * claude-code`, the event JSON on stdin) per event, against a bare `node -e 0` measured in the same run,
 * interleaved. Stop sends the turn to a real `loopline serve` on loopback and reads a transcript; the
 * session's cwd is a git repository, so SessionStart pays for git. A second Stop per session goes to an
 * address where nothing listens (the turn is spooled), which shows the hook's own cost without the
 * server's commit-before-acknowledge. Prints median, p95 and the ratio.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { quantile, ROOT, startServe } from './bench-support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const HOOK = path.join(ROOT, 'packages/cli/dist/hook.cjs');
const EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'Stop',
  'SessionEnd',
] as const;
const OFFLINE = 'Stop, unreachable';

/** An address where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function timeMs(args: string[], input: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { input, env, stdio: ['pipe', 'ignore', 'inherit'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return elapsed;
}

function gitRepo(dir: string): void {
  const git = (...args: string[]): void => {
    spawnSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@loopline.test');
  git('config', 'user.name', 'Bench');
  git('remote', 'add', 'origin', 'https://github.com/acme/bench.git');
  git('commit', '-q', '--allow-empty', '-m', 'start');
}

function transcript(file: string, sessionId: string, promptId: string): void {
  const at = Date.now();
  const base = { sessionId, cwd: path.dirname(file), version: '2.1.200', isSidechain: false };
  const lines = [
    {
      ...base,
      type: 'user',
      uuid: `u-${sessionId}`,
      parentUuid: null,
      promptId,
      timestamp: new Date(at).toISOString(),
      message: { role: 'user', content: 'Fix the build' },
    },
    {
      ...base,
      type: 'assistant',
      uuid: `a-${sessionId}`,
      parentUuid: `u-${sessionId}`,
      requestId: `req-${sessionId}`,
      timestamp: new Date(at + 800).toISOString(),
      message: {
        id: `msg-${sessionId}`,
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'Done.' }],
        stop_reason: 'end_turn',
        usage: {
          input_tokens: 12,
          cache_read_input_tokens: 9000,
          cache_creation_input_tokens: 300,
          output_tokens: 80,
        },
      },
    },
  ];
  fs.appendFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

function row(label: string, times: number[], base: number): string {
  const median = quantile(times, 0.5);
  const ratio = base > 0 ? `${(median / base).toFixed(2)}×` : '';
  return `  ${label.padEnd(20)} median ${median.toFixed(1).padStart(6)} ms   p95 ${quantile(times, 0.95).toFixed(1).padStart(6)} ms   ${ratio.padStart(6)}`;
}

async function main(): Promise<void> {
  if (!fs.existsSync(HOOK)) throw new Error(`${HOOK} is missing: run "node scripts/build.mjs" first`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loopline-hook-bench-'));
  const repo = path.join(tmp, 'repo');
  fs.mkdirSync(repo);
  gitRepo(repo);
  const nowhere = await closedPortUrl();
  const server = await startServe(['--data-dir', path.join(tmp, 'data')]);
  const env = {
    ...process.env,
    HOME: path.join(tmp, 'home'),
    LOOPLINE_HOME: path.join(tmp, 'loopline'),
    LOOPLINE_ENDPOINT: server.url,
  };
  const offlineEnv = {
    ...env,
    LOOPLINE_HOME: path.join(tmp, 'loopline-offline'),
    LOOPLINE_ENDPOINT: nowhere,
  };
  const times = new Map<string, number[]>([
    ['node -e 0', []],
    ...EVENTS.map((e): [string, number[]] => [e, []]),
    [OFFLINE, []],
  ]);
  try {
    for (let i = -3; i < RUNS; i++) {
      const sessionId = `bench-${process.pid}-${i}`;
      const transcriptPath = path.join(tmp, `${sessionId}.jsonl`);
      const base = {
        session_id: sessionId,
        transcript_path: transcriptPath,
        cwd: repo,
        permission_mode: 'default',
        prompt_id: `p-${i}`,
      };
      const inputs: Record<(typeof EVENTS)[number], object> = {
        SessionStart: { source: 'startup', model: 'claude-sonnet-4-5' },
        UserPromptSubmit: { prompt: 'Fix the build' },
        PreToolUse: { tool_name: 'Bash', tool_use_id: `t-${i}`, tool_input: { command: 'npm test' } },
        PostToolUse: {
          tool_name: 'Bash',
          tool_use_id: `t-${i}`,
          tool_input: { command: 'npm test' },
          tool_response: { stdout: 'ok' },
          duration_ms: 900,
        },
        Stop: { stop_hook_active: false },
        SessionEnd: { reason: 'prompt_input_exit' },
      };
      for (const event of EVENTS) {
        if (event === 'Stop') transcript(transcriptPath, sessionId, `p-${i}`);
        const bare = timeMs(['-e', '0'], '', env);
        const hook = timeMs(
          [HOOK, 'claude-code'],
          JSON.stringify({ ...base, hook_event_name: event, ...inputs[event] }),
          env,
        );
        if (i < 0) continue; // warm-up
        times.get('node -e 0')!.push(bare);
        times.get(event)!.push(hook);
      }
      const offline = { ...base, session_id: `${sessionId}-offline` };
      timeMs(
        [HOOK, 'claude-code'],
        JSON.stringify({ ...offline, hook_event_name: 'UserPromptSubmit', prompt: 'x' }),
        offlineEnv,
      );
      const spooled = timeMs(
        [HOOK, 'claude-code'],
        JSON.stringify({ ...offline, hook_event_name: 'Stop' }),
        offlineEnv,
      );
      if (i >= 0) times.get(OFFLINE)!.push(spooled);
    }
  } finally {
    await server.stop();
  }
  const base = quantile(times.get('node -e 0')!, 0.5);
  const all = EVENTS.flatMap((e) => times.get(e)!); // the unreachable Stop is not in "all events"
  process.stdout.write(
    `bench:hook — ${RUNS} sessions of ${EVENTS.length + 1} hook runs each, ratio = median ÷ median of node -e 0\n`,
  );
  for (const [label, list] of times)
    process.stdout.write(`${row(label, list, label === 'node -e 0' ? 0 : base)}\n`);
  process.stdout.write(`${row('all events', all, base)}\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

await main();
