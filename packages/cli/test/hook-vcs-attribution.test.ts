/**
 * Commits and PRs attributed to the tool call that made them: the built hook (dist/hook.cjs), a real git
 * repository where the "tool" really commits between PreToolUse and PostToolUse, a real `loopline serve`.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, ROOT, runProcess, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

const HOOK = `${ROOT}/packages/cli/dist/hook.cjs`;
const home = tempDir('vcs-home');
const looplineHome = tempDir('vcs-loopline');
const repo = tempDir('vcs-repo');
const sessionId = `vcs-session-${process.pid}`;
const PR = 'https://github.com/acme/shop/pull/42';

interface SpanView {
  name: string;
  vcs_revision: string | null;
  attributes: Record<string, unknown>;
}

let serve: ServeProcess;

function git(...args: string[]): string {
  const result = spawnSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: home },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

async function hook(event: string, fields: Record<string, unknown> = {}): Promise<void> {
  const run = await runProcess(process.execPath, [HOOK, 'claude-code'], {
    env: { ...process.env, HOME: home, LOOPLINE_HOME: looplineHome, LOOPLINE_ENDPOINT: serve.url },
    stdin: JSON.stringify({ session_id: sessionId, cwd: repo, hook_event_name: event, ...fields }),
  });
  expect([run.code, run.stdout, run.stderr]).toEqual([0, '', '']);
}

/** One Bash call as Claude Code reports it, with `run` doing the command's work in between. */
async function bash(id: string, command: string, run: () => string): Promise<void> {
  const toolInput = { command, description: id };
  await hook('PreToolUse', { tool_name: 'Bash', tool_use_id: id, tool_input: toolInput });
  const stdout = run();
  await hook('PostToolUse', {
    tool_name: 'Bash',
    tool_use_id: id,
    tool_input: toolInput,
    tool_response: { stdout, stderr: '', interrupted: false },
  });
}

let spans: SpanView[];
let before: string;
let commits: string[];

beforeAll(async () => {
  serve = await spawnServe(['--data-dir', tempDir('vcs-data')]);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dana@acme.test');
  git('config', 'user.name', 'Dana');
  git('commit', '-q', '--allow-empty', '-m', 'start');
  before = git('rev-parse', 'HEAD');
  await hook('SessionStart', { source: 'startup' });
  await hook('UserPromptSubmit', { prompt_id: 'p-1', prompt: 'Fix the cart and open a PR' });
  await bash('t-status', 'git status --short', () => git('status', '--short'));
  await bash(
    't-commit',
    'git checkout -b fix/cart && git commit -am "Fix cart" && git commit -m "Test"',
    () => {
      git('checkout', '-q', '-b', 'fix/cart');
      git('commit', '-q', '--allow-empty', '-m', 'Fix cart');
      git('commit', '-q', '--allow-empty', '-m', 'Test');
      return '[fix/cart 1a2b3c4] Fix cart';
    },
  );
  commits = git('rev-list', `${before}..HEAD`).split('\n');
  await bash(
    't-pr',
    'git push -u origin fix/cart && gh pr create --fill',
    () => `Creating pull request\n${PR}\n`,
  );
  await bash('t-ls', 'ls', () => 'README.md');
  await hook('Stop', { stop_hook_active: false });
  const response = await fetch(`${serve.url}/api/conversations/${sessionId}`);
  expect(response.status).toBe(200);
  spans = ((await response.json()) as { spans: SpanView[] }).spans;
}, 60_000);

afterAll(async () => {
  serve.child.kill('SIGKILL');
  await exited(serve.child);
});

const tool = (id: string): SpanView => {
  const span = spans.find((s) => s.attributes['gen_ai.tool.call.id'] === id);
  expect(span, id).toBeDefined();
  return span!;
};

describe('commits and PRs a Claude Code session produced', () => {
  it('puts the commits on the Bash call that made them, newest first, with the new HEAD and branch', () => {
    expect(commits).toHaveLength(2);
    const span = tool('t-commit');
    expect(span.attributes).toMatchObject({
      'loopline.vcs.commits': commits,
      'loopline.vcs.commit.count': 2,
      'vcs.ref.head.name': 'fix/cart',
    });
    expect(span.vcs_revision).toBe(commits[0]);
  });

  it('puts the PR URL and number, and the pushed branch, on the call that opened it', () => {
    expect(tool('t-pr').attributes).toMatchObject({
      'loopline.vcs.change.urls': [PR],
      'vcs.change.id': '42',
      'loopline.vcs.change.action': 'created',
      'vcs.change.state': 'open',
      'loopline.vcs.pushed_ref': 'fix/cart',
    });
  });

  it('leaves other calls alone; the calls after a commit carry the new HEAD and branch', () => {
    for (const id of ['t-status', 't-ls']) {
      expect(tool(id).attributes['loopline.vcs.commits']).toBeUndefined();
      expect(tool(id).attributes['vcs.change.id']).toBeUndefined();
    }
    expect([tool('t-status').vcs_revision, tool('t-status').attributes['vcs.ref.head.name']]).toEqual([
      before,
      'main',
    ]);
    expect([tool('t-ls').vcs_revision, tool('t-ls').attributes['vcs.ref.head.name']]).toEqual([
      commits[0],
      'fix/cart',
    ]);
  });

  it('rolls them up on the turn, so commits and PRs per session are a query', async () => {
    const turn = spans.find((s) => s.name === 'invoke_agent claude-code');
    expect(turn?.attributes).toMatchObject({
      'loopline.vcs.commits': commits,
      'loopline.vcs.commit.count': 2,
      'loopline.vcs.change.urls': [PR],
      'vcs.change.id': '42',
    });
    const answer = await fetch(`${serve.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        dataset: 'claude-code',
        filters: [{ column: 'gen_ai.operation.name', op: '=', value: 'invoke_agent' }],
        breakdowns: ['gen_ai.conversation.id'],
        calculations: [{ op: 'SUM', column: 'loopline.vcs.commit.count', alias: 'commits' }],
        time_range: 3600,
      }),
    });
    const body = (await answer.json()) as {
      groups: Array<{ key: Record<string, unknown>; values: Record<string, number> }>;
    };
    expect(body.groups.find((g) => g.key['gen_ai.conversation.id'] === sessionId)?.values.commits).toBe(2);
  });

  it('answers which sessions opened a PR (the query in docs/stations/ide.md)', async () => {
    const answer = await fetch(`${serve.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        dataset: 'claude-code',
        filters: [{ column: 'loopline.vcs.change.action', op: '=', value: 'created' }],
        breakdowns: ['gen_ai.conversation.id', 'vcs.change.id'],
        calculations: [{ op: 'COUNT', alias: 'prs' }],
        time_range: 3600,
      }),
    });
    expect(answer.status, await answer.clone().text()).toBe(200);
    const body = (await answer.json()) as {
      groups: Array<{ key: Record<string, unknown>; values: Record<string, number> }>;
    };
    expect(body.groups).toEqual([
      { key: { 'gen_ai.conversation.id': sessionId, 'vcs.change.id': '42' }, values: { prs: 1 } },
    ]);
  });
});
