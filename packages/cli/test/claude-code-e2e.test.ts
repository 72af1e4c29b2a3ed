/**
 * The real Claude Code CLI (the root devDependency @anthropic-ai/claude-code) in print mode, against a
 * scripted Anthropic Messages API stub on 127.0.0.1, with Loopline's hooks installed by the built CLI
 * and a real `loopline serve`: what the hooks make of a real session, checked through the server's API.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnthropicStub, type StubCall, startAnthropicStub } from './anthropic-stub.ts';
import {
  CLAUDE,
  type ClaudeResult,
  type Conversation,
  claude,
  conversation,
  expected,
  FINAL,
  loopline,
  MODEL,
  parseResult,
  type Sandbox,
  type SpanView,
  sandbox,
  script,
} from './claude-code-session.ts';
import { exited, ROOT, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

let stub: AnthropicStub;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  expect(fs.existsSync(CLAUDE), `${CLAUDE} (npm install the root devDependencies)`).toBe(true);
  expect(fs.existsSync(path.join(ROOT, 'packages/cli/dist/hook.cjs')), 'run "npm run build"').toBe(true);
  stub = await startAnthropicStub(script);
});

afterAll(async () => {
  await stub?.close();
  if (serve !== undefined) {
    serve.child.kill('SIGKILL');
    await exited(serve.child);
  }
});

describe('Claude Code 2.1.330 with Loopline hooks, end to end', () => {
  let box: Sandbox;
  let session: ClaudeResult;
  let conv: Conversation;
  let calls: StubCall[];
  const byName = (name: string) => conv.spans.filter((s) => s.name === name);

  beforeAll(async () => {
    serve = await spawnServe(['--data-dir', tempDir('cc-e2e-data')]);
    box = sandbox('on', stub);
    const install = await loopline(box, [
      'install',
      'claude-code',
      '--scope',
      'project',
      '--project-dir',
      box.repo,
      '--endpoint',
      serve.url,
    ]);
    expect(install.code, install.stderr).toBe(0);
    const settings = fs.readFileSync(path.join(box.repo, '.claude/settings.json'), 'utf8');
    expect(settings).toContain(path.join(ROOT, 'packages/cli/dist/hook.cjs'));
    const first = stub.calls.length;
    session = parseResult(await claude(box, 'Say hello, list the files, then push.'), stub);
    calls = stub.calls.slice(first);
    const flush = await loopline(box, ['flush']);
    expect(flush.code, flush.stderr).toBe(0);
    const got = await conversation(serve.url, session.session_id);
    expect(got.status, `${JSON.stringify(got.body).slice(0, 500)}\nstub:\n${stub.log()}`).toBe(200);
    conv = got.body;
  }, 120_000);

  it('runs the scripted session: the answer printed, the hook logged no problem', () => {
    expect(session).toMatchObject({ is_error: false, result: FINAL });
    expect(calls.map((c) => c.step).filter((s) => s !== 'aux')).toEqual([
      'bash',
      'agent',
      'subagent',
      'push',
      'final',
    ]);
    const log = path.join(box.looplineHome, 'claude-code/hook.log');
    expect(fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '').toBe('');
  });

  it('makes one trace per prompt turn, rooted at the invoke_agent turn span with the instruction files', () => {
    const turns = byName('invoke_agent claude-code');
    expect(turns).toHaveLength(1);
    expect(conv.totals.traces).toBe(1);
    const turn = turns[0]!;
    expect(turn.parent_span_id || null).toBeNull();
    expect(turn.conversation_id).toBe(session.session_id);
    expect(typeof turn.attributes['prompt.id']).toBe('string');
    expect(turn.attributes['claude_code.instructions.files']).toEqual(['CLAUDE.md', 'CODING_STANDARDS.md']);
    expect(turn.attributes['loopline.policy.rule_ids']).toEqual(['no-force-push']);
    for (const span of conv.spans) expect(span.trace_id, span.name).toBe(turn.trace_id);
  });

  it('records the Bash call, the denied force-push and the sub-agent under its Agent call', () => {
    const bash = byName('execute_tool Bash');
    expect(bash).toHaveLength(2);
    const hello = bash.find((s) => s.status_code !== 'error')!;
    expect(hello.attributes['claude_code.tool.outcome']).toBe('success');
    expect(hello.duration_ms).toBeGreaterThan(0);
    const denied = bash.find((s) => s.status_code === 'error')!;
    expect(denied.error_type).toBe('policy_denied');
    expect(denied.attributes).toMatchObject({
      'claude_code.tool.outcome': 'denied',
      'loopline.policy.outcome': 'denied',
      'loopline.policy.rule_id': 'no-force-push',
    });
    const agentTool = conv.spans.find(
      (s) => s.name === 'execute_tool Agent' || s.name === 'execute_tool Task',
    );
    expect(agentTool, conv.spans.map((s) => s.name).join(', ')).toBeDefined();
    const sub = byName('invoke_agent general-purpose');
    expect(sub).toHaveLength(1);
    expect(sub[0]!.parent_span_id).toBe(agentTool!.span_id);
    expect(sub[0]!.attributes['claude_code.agent.outcome']).toBe('completed');
    // the sub-agent's own model call hangs under it
    const subChats = conv.spans.filter(
      (s) => s.parent_span_id === sub[0]!.span_id && s.name.startsWith('chat '),
    );
    expect(subChats).toHaveLength(1);
  });

  it('has one chat span per model call with exactly the stub usage and the price-table cost', () => {
    const modelCalls = calls.filter((c) => c.step !== 'aux');
    const chats = conv.spans.filter((s) => s.name === `chat ${MODEL}`);
    expect(chats.map((s) => s.attributes['gen_ai.response.id']).sort()).toEqual(
      modelCalls.map((c) => c.messageId).sort(),
    );
    const want = expected(modelCalls);
    const sum = (pick: (s: SpanView) => number | null) => chats.reduce((n, s) => n + (pick(s) ?? 0), 0);
    expect(sum((s) => s.input_tokens)).toBe(want.input);
    expect(sum((s) => s.output_tokens)).toBe(want.output);
    expect(sum((s) => s.cache_read_tokens)).toBe(want.cacheRead);
    expect(sum((s) => s.cache_write_tokens)).toBe(want.cacheWrite);
    expect(sum((s) => s.cost_usd)).toBeCloseTo(want.cost, 9);
    expect(conv.totals.costUsd).toBeCloseTo(want.cost, 9);
    expect(conv.totals.llmCalls).toBe(modelCalls.length);
  });

  it('puts repository, branch and user from git on every span', () => {
    for (const span of conv.spans) {
      expect([span.name, span.vcs_repository, span.vcs_ref, span.user_id]).toEqual([
        span.name,
        'shop',
        'main',
        'dana@acme.test',
      ]);
    }
  });

  it('attributes the commit the Bash call made to that call and to its turn', () => {
    const head = spawnSync('git', ['-C', box.repo, 'log', '-1', '--format=%H%n%s'], { encoding: 'utf8' });
    const [sha, subject] = head.stdout.trim().split('\n');
    expect(subject).toBe('Say hello');
    const bash = byName('execute_tool Bash').find((s) => s.status_code !== 'error')!;
    expect(bash.attributes).toMatchObject({
      'loopline.vcs.commits': [sha],
      'loopline.vcs.commit.count': 1,
      'vcs.ref.head.revision': sha,
    });
    expect(byName('invoke_agent claude-code')[0]!.attributes).toMatchObject({
      'loopline.vcs.commits': [sha],
      'loopline.vcs.commit.count': 1,
    });
  });

  it('answers a query over the session: tool calls by outcome', async () => {
    const response = await fetch(`${serve!.url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        dataset: 'claude-code',
        calculations: [{ op: 'COUNT', alias: 'calls' }],
        filters: [
          { column: 'gen_ai.conversation.id', op: '=', value: session.session_id },
          { column: 'claude_code.tool.outcome', op: 'exists' },
        ],
        breakdowns: ['claude_code.tool.outcome'],
        time_range: 3600,
      }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const answer = (await response.json()) as {
      groups: Array<{ key: Record<string, unknown>; values: Record<string, number> }>;
    };
    const counts = Object.fromEntries(
      answer.groups.map((g) => [g.key['claude_code.tool.outcome'], g.values.calls]),
    );
    expect(counts).toEqual({ success: 2, denied: 1 });
  });
});

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Claude Code with Loopline down', () => {
  it('finishes normally, the hook spools, and "loopline flush" delivers the conversation later', async () => {
    const box = sandbox('down', stub);
    const prompt = 'Say hello, list the files, then push.';
    // the same run without hooks, for the wall time
    const bareRun = await claude(box, prompt);
    expect(parseResult(bareRun, stub).result).toBe(FINAL);
    const callsBefore = stub.calls.length;
    const deadEndpoint = `http://127.0.0.1:${await freePort()}`;
    const install = await loopline(box, [
      'install',
      'claude-code',
      '--scope',
      'project',
      '--project-dir',
      box.repo,
      '--endpoint',
      deadEndpoint,
    ]);
    expect(install.code, install.stderr).toBe(0);
    const hooked = await claude(box, prompt);
    const result = parseResult(hooked, stub);
    expect(result).toMatchObject({ is_error: false, result: FINAL });
    expect(stub.calls.length).toBeGreaterThan(callsBefore);
    const spool = path.join(box.looplineHome, 'spool');
    const spooled = fs.existsSync(spool) ? fs.readdirSync(spool).filter((f) => f.endsWith('.json')) : [];
    expect(spooled.length, `spool: ${spooled.join(', ')}`).toBeGreaterThan(0);
    // not asserted (machine-dependent): how much the hooks added with nothing listening
    console.info(
      `claude -p wall time: ${Math.round(hooked.ms)} ms with hooks and Loopline down, ${Math.round(bareRun.ms)} ms without hooks`,
    );

    serve ??= await spawnServe(['--data-dir', tempDir('cc-e2e-data')]);
    const flush = await loopline(box, ['flush', '--endpoint', serve.url]);
    expect(flush.code, `${flush.stdout}${flush.stderr}`).toBe(0);
    expect(flush.stdout).toMatch(/flush: sent \d+ file\(s\)/);
    const got = await conversation(serve.url, result.session_id);
    expect(got.status).toBe(200);
    expect(got.body.spans.filter((s) => s.name === 'invoke_agent claude-code')).toHaveLength(1);
    expect(got.body.spans.some((s) => s.attributes['loopline.policy.outcome'] === 'denied')).toBe(true);
  }, 120_000);
});
