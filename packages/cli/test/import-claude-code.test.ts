import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseTranscript,
  type SessionTotals,
  sessionTotals,
  type TranscriptSession,
  transcriptToSpans,
} from '@loopline/claude-code';
import { GEN_AI_ATTRIBUTES, LOOPLINE_ATTRIBUTES } from '@loopline/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSince } from '../src/commands/import-command.ts';
import { defaultProjectDirs, discoverSessions } from '../src/commands/import-discovery.ts';
import { ImportProgress } from '../src/commands/import-progress.ts';
import { exited, runCli, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../claude-code/test/fixtures',
);
const LOGIN = '7c1e4b2a-3f5d-4e8a-9b6c-1d2e3f4a5b6c';
const CHECKOUT = '2b8e6f10-4c3a-4d5e-8f70-91a2b3c4d5e6';

/** A `~/.claude/projects` tree, as Claude Code lays it out, made of the team's fixtures. */
function projectsTree(): { root: string; login: string; loginAgent: string; checkout: string } {
  const root = path.join(tempDir('import-home'), 'projects');
  const login = path.join(root, '-home-dev-acme-api', `${LOGIN}.jsonl`);
  const loginAgent = path.join(root, '-home-dev-acme-api', LOGIN, 'subagents', 'agent-a3f9c2.jsonl');
  const checkout = path.join(root, '-srv-checkout', `${CHECKOUT}.jsonl`);
  fs.mkdirSync(path.dirname(loginAgent), { recursive: true });
  fs.mkdirSync(path.dirname(checkout), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, `${LOGIN}.jsonl`), login);
  fs.copyFileSync(path.join(FIXTURES, LOGIN, 'subagents', 'agent-a3f9c2.jsonl'), loginAgent);
  // The inline-sidechain fixture, with a half-written last line as a crash leaves it, and one call whose
  // 5 min / 1 h split (0 / 0) does not add up to its 250 written tokens, as Anthropic has answered.
  const text = fs
    .readFileSync(path.join(FIXTURES, 'inline-sidechain.jsonl'), 'utf8')
    .replace(
      '"cache_creation_input_tokens":250,',
      '"cache_creation_input_tokens":250,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},',
    );
  fs.writeFileSync(checkout, `${text.trimEnd()}\n{"type":"assistant","message":{"id":"msg_trunc`);
  return { root, login, loginAgent, checkout };
}

const tree = projectsTree();

/** The sessions as the library reads them: what the import must put in Loopline. */
function expectedSessions(): TranscriptSession[] {
  const read = (file: string): string => fs.readFileSync(file, 'utf8');
  return [
    parseTranscript(read(tree.login), {
      path: tree.login,
      subagents: [{ text: read(tree.loginAgent), path: tree.loginAgent }],
    }),
    parseTranscript(read(tree.checkout), { path: tree.checkout }),
  ];
}

function sumTotals(sessions: TranscriptSession[]): SessionTotals {
  const [first, ...rest] = sessions.map(sessionTotals);
  const sum = { ...first! };
  for (const t of rest) {
    for (const key of Object.keys(sum) as Array<keyof SessionTotals>) {
      if (typeof sum[key] === 'number') (sum[key] as number) += t[key] as number;
    }
  }
  return sum;
}

let serve: ServeProcess;

beforeAll(async () => {
  serve = await spawnServe(['--data-dir', tempDir('import-data')]);
});

afterAll(async () => {
  serve?.child.kill('SIGTERM');
  if (serve) await exited(serve.child);
});

async function api<T>(route: string, body?: object): Promise<{ status: number; body: T }> {
  const response = await fetch(`${serve.url}${route}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as T };
}

const RANGE = { start_time: 1_600_000_000, end_time: 2_000_000_000 };
const GA = GEN_AI_ATTRIBUTES;

/** What Loopline holds: chat token sums and counts per operation, over every span of the fixtures' time. */
async function stored(): Promise<Record<string, number>> {
  const chat = await api<{ totals: Record<string, number | null> }>('/api/query', {
    ...RANGE,
    calculations: [
      { op: 'COUNT', alias: 'calls' },
      { op: 'SUM', column: GA.USAGE_INPUT_TOKENS, alias: 'input' },
      { op: 'SUM', column: GA.USAGE_OUTPUT_TOKENS, alias: 'output' },
      { op: 'SUM', column: GA.USAGE_CACHE_READ_INPUT_TOKENS, alias: 'cacheRead' },
      { op: 'SUM', column: LOOPLINE_ATTRIBUTES.USAGE_CACHE_WRITE_1H_INPUT_TOKENS, alias: 'cacheWrite1h' },
    ],
    filters: [{ column: GA.OPERATION_NAME, op: '=', value: 'chat' }],
  });
  expect(chat.status).toBe(200);
  const counts = await api<{ totals: Record<string, number> }>('/api/query', {
    ...RANGE,
    calculations: [
      { op: 'COUNT', alias: 'spans' },
      { op: 'COUNT_DISTINCT', column: 'trace.span_id', alias: 'distinctSpans' },
    ],
  });
  const tools = await api<{ totals: Record<string, number> }>('/api/query', {
    ...RANGE,
    calculations: [{ op: 'COUNT', alias: 'tools' }],
    filters: [{ column: GA.OPERATION_NAME, op: '=', value: 'execute_tool' }],
  });
  return {
    ...(chat.body.totals as Record<string, number>),
    ...counts.body.totals,
    ...tools.body.totals,
  };
}

describe('loopline import claude-code', () => {
  const sessions = expectedSessions();
  const expected = sumTotals(sessions);
  const spanCount = sessions.reduce((n, s) => n + transcriptToSpans(s).length, 0);
  const badLines = sessions.reduce((n, s) => n + s.stats.badLines, 0);

  it('the fixtures are worth importing (calls, tools, a sub-agent, 1h cache writes, bad lines)', () => {
    expect(expected.calls).toBeGreaterThan(5);
    expect(expected.toolCalls).toBeGreaterThan(3);
    expect(expected.subagents).toBeGreaterThanOrEqual(1);
    expect(expected.cacheWrite1hTokens).toBeGreaterThan(0);
    expect(badLines).toBeGreaterThanOrEqual(2);
  });

  it('--dry-run counts what it would send and sends nothing', async () => {
    const run = await runCli(['import', 'claude-code', tree.root, '--url', serve.url, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(LOGIN);
    expect(run.stdout).toContain('dry run, nothing sent: 2 sessions');
    expect(run.stdout).toContain(`${expected.calls} LLM calls, ${expected.toolCalls} tool calls`);
    expect(run.stdout).toContain(`${spanCount} would be sent`);
    expect((await stored()).spans).toBe(0);
  });

  it('the token summary adds up: writes without a known split are "split unknown", not 0', async () => {
    const run = await runCli(['import', 'claude-code', tree.root, '--url', serve.url, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.includes('tokens:')) ?? '';
    const count = (label: string): number =>
      Number(new RegExp(`([\\d,]+) ${label}`).exec(line)?.[1]?.replaceAll(',', '') ?? Number.NaN);
    const parts = ['uncached', 'cache read', 'cache write 5m', 'cache write 1h', 'cache write split unknown'];
    const sum = parts.reduce((n, label) => n + count(label), 0);
    expect(sum).toBe(count('input'));
    expect(count('input')).toBe(expected.inputTokens);
    // the fixture's split-less call and the 0 / 0 one
    expect(count('cache write split unknown')).toBe(800 + 7250);
  });

  it('imports every session with the totals sessionTotals() gives, and reports the bad lines', async () => {
    const run = await runCli(['import', 'claude-code', tree.root, '--url', serve.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2 sessions imported of 2 found');
    expect(run.stdout).toContain(`spans: ${spanCount} sent, 0 already present`);
    expect(run.stdout).toContain(`bad lines skipped: ${badLines}`);
    // The truncated last line of the checkout session is named with its file and line.
    const lastLine = fs.readFileSync(tree.checkout, 'utf8').split('\n').length;
    expect(run.stderr).toContain(`${tree.checkout}:${lastLine}: not valid JSON`);
    expect(run.stderr).toMatch(/imported 2\/2 sessions/);

    const got = await stored();
    expect(got).toMatchObject({
      calls: expected.calls,
      input: expected.inputTokens,
      output: expected.outputTokens,
      cacheRead: expected.cacheReadTokens,
      cacheWrite1h: expected.cacheWrite1hTokens,
      tools: expected.toolCalls,
      spans: spanCount,
      distinctSpans: spanCount,
    });
  });

  it('the session appears as a conversation', async () => {
    const { status, body } = await api<{
      conversationId: string;
      totals: { llmCalls: number; toolCalls: number };
      spans: Array<{ span_id: string }>;
    }>(`/api/conversations/${LOGIN}`);
    expect(status).toBe(200);
    const login = sessionTotals(sessions[0]!);
    expect(body.conversationId).toBe(LOGIN);
    expect(body.totals.llmCalls).toBe(login.calls);
    expect(body.totals.toolCalls).toBe(login.toolCalls);
    expect(new Set(body.spans.map((s) => s.span_id))).toEqual(
      new Set(transcriptToSpans(sessions[0]!).map((s) => s.spanId)),
    );
  });

  it('importing again adds nothing: the spans are already present', async () => {
    const before = await stored();
    const run = await runCli(['import', 'claude-code', tree.root, '--url', serve.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`spans: 0 sent, ${spanCount} already present`);
    expect(await stored()).toEqual(before);
    // A single transcript file (here a sub-agent's, which means its whole session) is also a no-op.
    const one = await runCli(['import', 'claude-code', tree.loginAgent, '--url', serve.url]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('1 session imported of 1 found');
    expect(one.stdout).toMatch(/spans: 0 sent, \d+ already present/);
    expect(await stored()).toEqual(before);
  });

  it('explains an unreachable server and a missing folder (exit 1)', async () => {
    const down = await runCli(['import', 'claude-code', tree.root, '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach Loopline at http://127.0.0.1:9');
    expect(down.stderr).toContain('loopline serve');
    const missing = path.join(tree.root, 'nope');
    const none = await runCli(['import', 'claude-code', missing, '--url', serve.url]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`"${missing}" does not exist`);
  });

  it('--since skips sessions last active before the date', async () => {
    const run = await runCli(['import', 'claude-code', tree.root, '--dry-run', '--since', '2026-01-01']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('1 session imported of 2 found (1 older than --since)');
    expect(run.stdout).toContain(LOGIN);
    expect(run.stdout).not.toContain(`${CHECKOUT} (`);
  });

  it('--help documents the command', async () => {
    const run = await runCli(['import', 'claude-code', '--help']);
    for (const flag of [
      '--url',
      '--capture-content',
      '--since',
      '--dry-run',
      'CLAUDE_CONFIG_DIR',
      'idempotent',
    ])
      expect(run.stdout).toContain(flag);
  });
});

describe('finding transcripts', () => {
  it('finds main sessions with their sub-agents from a projects root, a project, a file or a sub-agent file', () => {
    const fromRoot = discoverSessions([tree.root]);
    expect(fromRoot).toEqual([
      {
        main: tree.login,
        subagents: [tree.loginAgent],
        project: path.dirname(tree.login),
        name: LOGIN,
      },
      { main: tree.checkout, subagents: [], project: path.dirname(tree.checkout), name: CHECKOUT },
    ]);
    expect(discoverSessions([path.dirname(tree.login)])).toEqual([fromRoot[0]]);
    expect(discoverSessions([tree.login])).toEqual([fromRoot[0]]);
    expect(discoverSessions([tree.loginAgent])).toEqual([fromRoot[0]]);
  });

  it('keeps sub-agent files whose main transcript is gone, and skips missing roots', () => {
    const root = path.join(tempDir('import-orphan'), 'projects');
    const agent = path.join(root, '-p', 'abc', 'subagents', 'agent-x1.jsonl');
    fs.mkdirSync(path.dirname(agent), { recursive: true });
    fs.writeFileSync(agent, '{}\n');
    expect(discoverSessions([root, path.join(root, 'missing')])).toEqual([
      { main: null, subagents: [agent], project: path.join(root, '-p'), name: 'abc' },
    ]);
    expect(() => discoverSessions([path.join(root, 'missing')])).toThrow(/does not exist/);
  });

  it('defaults to $CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects', () => {
    expect(defaultProjectDirs({ CLAUDE_CONFIG_DIR: '/cfg/a,/cfg/b' }, '/home/u')).toEqual([
      '/cfg/a/projects',
      '/cfg/b/projects',
    ]);
    expect(defaultProjectDirs({}, '/home/u')).toEqual([
      '/home/u/.claude/projects',
      '/home/u/.config/claude/projects',
    ]);
  });

  it('reads --since as a date or a span of time before now', () => {
    const now = Date.parse('2026-03-10T00:00:00Z');
    expect(parseSince('2026-03-01', now)).toBe(Date.parse('2026-03-01'));
    expect(parseSince('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseSince('12h', now)).toBe(now - 12 * 3_600_000);
    expect(() => parseSince('last tuesday', now)).toThrow(/not a date/);
  });

  it('draws a bar on a terminal and plain lines otherwise', () => {
    const written: string[] = [];
    let time = 0;
    const tty = new ImportProgress(
      4,
      { isTTY: true, columns: 80, write: (t) => written.push(t) },
      'imported',
      'sent',
      () => (time += 1000),
    );
    tty.update(2, 10);
    tty.finish();
    expect(written[0]).toContain('[############------------] imported 2/4 sessions, 10 spans sent');
    const plain: string[] = [];
    const lines = new ImportProgress(20, { write: (t) => plain.push(t) }, 'imported', 'sent', () => 0);
    for (let i = 1; i <= 20; i++) lines.update(i, i);
    expect(plain).toHaveLength(10);
    expect(plain.at(-1)).toBe('imported 20/20 sessions, 20 spans sent\n');
  });
});
