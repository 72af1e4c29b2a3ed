/**
 * The scripted Claude Code session the end-to-end tests run: the real Claude Code CLI (the root
 * devDependency @anthropic-ai/claude-code) in print mode against the Anthropic stub, in a throwaway git
 * repository with instruction files and a policy, plus what the tests read back from Loopline's API.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundledPriceTable, computeCost, lookupModel } from '@loopline/model';
import { expect } from 'vitest';
import type { AnthropicStub, StubCall, StubRequest } from './anthropic-stub.ts';
import { BIN, ROOT, type ProcessRun as Run, runProcess, tempDir } from './cli-process.ts';

export const CLAUDE = path.join(ROOT, 'node_modules/@anthropic-ai/claude-code/bin/claude.exe');
export const MODEL = 'claude-sonnet-4-5';
export const SUBTASK = 'SUBTASK: list the files of this repository';
export const PUSH = 'git push --force origin main';
export const FINAL = 'All done: said hello, listed files, did not force-push.';

export const POLICY = `version: 1
rules:
  - id: no-force-push
    level: MUST_NOT
    match:
      tool: Bash
      command: ['git\\s+push\\b.*\\s(--force|-f)\\b']
    action: deny
    reason: Force-pushing rewrites shared history
`;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b: { text?: unknown }) => (typeof b?.text === 'string' ? b.text : '')).join('\n');
}

/**
 * The session, one response per request: Bash `echo hello` and an empty commit → a foreground sub-agent (its own request
 * answers with text) → a force-push the policy denies → a final text. Requests without tools (titles,
 * summaries) get a short text; a <task-notification> turn gets one too.
 */
export function script(request: StubRequest) {
  const messages = (request.body.messages as Array<{ role: string; content: unknown }> | undefined) ?? [];
  if (request.tools.length === 0) return { step: 'aux', content: [{ type: 'text' as const, text: 'Title' }] };
  if (textOf(messages[0]?.content).includes(SUBTASK)) {
    return { step: 'subagent', content: [{ type: 'text' as const, text: 'README.md and src/' }] };
  }
  if (textOf(messages.at(-1)?.content).includes('<task-notification>')) {
    return { step: 'notification', content: [{ type: 'text' as const, text: 'Noted.' }] };
  }
  const agentTool = request.tools.includes('Agent') ? 'Agent' : 'Task';
  const steps = [
    {
      step: 'bash',
      name: 'Bash',
      input: { command: 'echo hello && git commit --allow-empty -m "Say hello"', description: 'Say hello' },
    },
    {
      step: 'agent',
      name: agentTool,
      input: {
        description: 'List files',
        prompt: SUBTASK,
        subagent_type: 'general-purpose',
        run_in_background: false,
      },
    },
    { step: 'push', name: 'Bash', input: { command: PUSH, description: 'Push' } },
  ];
  const next = steps[messages.filter((m) => m.role === 'assistant').length];
  if (next === undefined) return { step: 'final', content: [{ type: 'text' as const, text: FINAL }] };
  return { step: next.step, content: [{ type: 'tool_use' as const, name: next.name, input: next.input }] };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutMs: number,
): Promise<Run> {
  return runProcess(command, args, { env, cwd, timeoutMs });
}

export interface Sandbox {
  home: string;
  looplineHome: string;
  repo: string;
  env: NodeJS.ProcessEnv;
}

export function sandbox(name: string, stub: AnthropicStub): Sandbox {
  const home = tempDir(`cc-e2e-${name}-home`);
  const looplineHome = tempDir(`cc-e2e-${name}-loopline`);
  const repo = tempDir(`cc-e2e-${name}-repo`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    LOOPLINE_HOME: looplineHome,
    IS_SANDBOX: '1',
    ANTHROPIC_BASE_URL: stub.url,
    ANTHROPIC_API_KEY: 'sk-ant-test-not-a-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    NO_PROXY: '127.0.0.1,localhost',
  };
  const git = (...args: string[]) => spawnSync('git', ['-C', repo, ...args], { env: { ...env } });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dana@acme.test');
  git('config', 'user.name', 'Dana');
  git('remote', 'add', 'origin', 'https://github.com/acme/shop.git');
  fs.writeFileSync(path.join(repo, 'CLAUDE.md'), '# Shop\n\n@CODING_STANDARDS.md\n');
  fs.writeFileSync(path.join(repo, 'CODING_STANDARDS.md'), 'Use two spaces.\n');
  fs.mkdirSync(path.join(repo, '.loopline'));
  fs.writeFileSync(path.join(repo, '.loopline/policy.yaml'), POLICY);
  git('add', '.');
  git('commit', '-q', '-m', 'start');
  return { home, looplineHome, repo, env };
}

export const claude = (box: Sandbox, prompt: string): Promise<Run> =>
  run(
    CLAUDE,
    ['-p', prompt, '--model', MODEL, '--output-format', 'json', '--permission-mode', 'bypassPermissions'],
    box.env,
    box.repo,
    90_000,
  );

export const loopline = (box: Sandbox, args: string[]): Promise<Run> =>
  run(process.execPath, [BIN, ...args], box.env, box.repo, 30_000);

export interface SpanView {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  duration_ms: number;
  status_code: string;
  error_type: string | null;
  conversation_id: string | null;
  user_id: string | null;
  vcs_repository: string | null;
  vcs_ref: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  cost_usd: number | null;
  attributes: Record<string, unknown>;
}

export interface Conversation {
  totals: { traces: number; llmCalls: number; toolCalls: number; costUsd: number };
  spans: SpanView[];
}

export async function conversation(url: string, id: string): Promise<{ status: number; body: Conversation }> {
  const response = await fetch(`${url}/api/conversations/${id}`);
  return { status: response.status, body: (await response.json()) as Conversation };
}

export interface ClaudeResult {
  session_id: string;
  result: string;
  is_error: boolean;
}

export function parseResult(out: Run, stub: AnthropicStub): ClaudeResult {
  const debug = `exit ${out.code}\nstderr: ${out.stderr}\nstdout: ${out.stdout.slice(0, 2000)}\nstub:\n${stub.log()}`;
  expect(out.code, debug).toBe(0);
  return JSON.parse(out.stdout) as ClaudeResult;
}

/** Expected chat usage (Loopline's inclusive input) and price-table cost of some stub calls. */
export function expected(calls: StubCall[]) {
  const price = lookupModel(bundledPriceTable(), MODEL, 'anthropic');
  expect(price, MODEL).toBeDefined();
  let input = 0;
  let output = 0;
  let cacheRead = 0;
  let cacheWrite = 0;
  let cost = 0;
  for (const { usage } of calls) {
    const inclusive = usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens;
    input += inclusive;
    output += usage.output_tokens;
    cacheRead += usage.cache_read_input_tokens;
    cacheWrite += usage.cache_creation_input_tokens;
    cost += computeCost(
      {
        inputTokens: inclusive,
        outputTokens: usage.output_tokens,
        cacheReadTokens: usage.cache_read_input_tokens,
        cacheWriteTokens: usage.cache_creation_input_tokens,
        cacheWrite5mTokens: usage.cache_creation.ephemeral_5m_input_tokens,
        cacheWrite1hTokens: usage.cache_creation.ephemeral_1h_input_tokens,
      },
      price!,
    ).costUsd;
  }
  return { input, output, cacheRead, cacheWrite, cost };
}
