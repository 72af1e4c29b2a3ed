import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN,
  exited,
  type ProcessRun,
  ROOT,
  runProcess,
  type ServeProcess,
  spawnServe,
  tempDir,
} from './cli-process.ts';

const HOOK = path.join(ROOT, 'packages/cli/dist/hook.cjs');

const POLICY = `# Loopline policy for the test repository
version: 1
rules:
  - id: no-force-push
    description: Never rewrite shared history
    level: MUST_NOT
    match:
      tool: Bash
      command: ['git\\s+push\\b.*\\s(--force|-f)\\b']
    action: deny
    reason: Force-pushing rewrites shared history; push a new commit instead
  - id: no-env-files
    match:
      tool: [Write, Edit]
      path: '**/.env*'
    action: deny
    reason: Secrets belong in the vault, not in .env files
  - id: ask-before-rm-rf
    match:
      command: '\\brm\\s+-[a-zA-Z]*r[a-zA-Z]*f'
    action: ask
    reason: Recursive delete
`;

const BROKEN = `rules:
  - id: no-force-push
    match: { tool: Bash, command: 'git push --force' }
    acton: deny
`;

let serve: ServeProcess;
const home = tempDir('policy-home');
const looplineHome = tempDir('policy-loopline');
const repo = tempDir('policy-repo');
const brokenRepo = tempDir('policy-broken');
const sessionId = `7a0c1d2e-policy-${process.pid}`;
const brokenSession = `8b1d2e3f-policy-${process.pid}`;
const env = (): NodeJS.ProcessEnv => ({
  ...process.env,
  HOME: home,
  LOOPLINE_HOME: looplineHome,
  LOOPLINE_ENDPOINT: serve.url,
});

/** What a run printed and its exit code (no wall time: the decisions are compared whole). */
type Run = Omit<ProcessRun, 'ms'>;

async function run(args: string[], stdin = '', cwd = ROOT): Promise<Run> {
  const { code, stdout, stderr } = await runProcess(process.execPath, args, { env: env(), cwd, stdin });
  return { code, stdout, stderr };
}

function initRepo(dir: string, policy: string): void {
  const git = (...args: string[]) =>
    spawnSync('git', ['-C', dir, ...args], { env: { ...process.env, HOME: home } });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'dana@acme.test');
  git('commit', '-q', '--allow-empty', '-m', 'start');
  fs.mkdirSync(path.join(dir, '.loopline'));
  fs.writeFileSync(path.join(dir, '.loopline/policy.yaml'), policy);
  fs.mkdirSync(path.join(dir, 'src'));
}

const input = (event: string, fields: Record<string, unknown>, session = sessionId, cwd = repo) => ({
  session_id: session,
  transcript_path: path.join(home, 'none.jsonl'),
  cwd,
  permission_mode: 'default',
  hook_event_name: event,
  ...fields,
});

const hook = (event: string, fields: Record<string, unknown> = {}, session = sessionId, cwd = repo) =>
  run([HOOK, 'claude-code'], JSON.stringify(input(event, fields, session, cwd)));

const bash = (id: string, command: string, prompt = 'p1') => ({
  prompt_id: prompt,
  tool_use_id: id,
  tool_name: 'Bash',
  tool_input: { command, description: 'run' },
});

const deny = (reason: string) =>
  `${JSON.stringify({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: reason,
    },
  })}\n`;

const FORCE_REASON =
  'Force-pushing rewrites shared history; push a new commit instead (Loopline policy no-force-push)';

const decisions: Record<string, Run> = {};
const others: Run[] = [];

interface QueryAnswer {
  totals: Record<string, number>;
  groups: Array<{ key: Record<string, unknown>; values: Record<string, number> }>;
}

async function query<T = QueryAnswer>(body: object): Promise<T> {
  const response = await fetch(`${serve.url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

interface SpanView {
  name: string;
  span_id: string;
  status_code: string;
  error_type: string | null;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
}
let spans: SpanView[] = [];
let brokenSpans: SpanView[] = [];

beforeAll(async () => {
  initRepo(repo, POLICY);
  initRepo(brokenRepo, BROKEN);
  serve = await spawnServe(['--data-dir', tempDir('policy-data')]);
  others.push(await hook('SessionStart', { source: 'startup' }));
  others.push(await hook('UserPromptSubmit', { prompt_id: 'p1', prompt: 'ship it' }));
  decisions.force = await hook('PreToolUse', bash('t1', 'git push --force origin main'));
  decisions.test = await hook('PreToolUse', bash('t2', 'npm test'));
  others.push(await hook('PostToolUse', { ...bash('t2', 'npm test'), tool_response: { stdout: 'ok' } }));
  decisions.env = await hook('PreToolUse', {
    prompt_id: 'p1',
    tool_use_id: 't3',
    tool_name: 'Write',
    tool_input: { file_path: path.join(repo, 'src/.env.local'), content: 'KEY=1' },
  });
  decisions.readEnv = await hook('PreToolUse', {
    prompt_id: 'p1',
    tool_use_id: 't4',
    tool_name: 'Read',
    tool_input: { file_path: path.join(repo, '.env') },
  });
  others.push(await hook('PostToolUse', { prompt_id: 'p1', tool_use_id: 't4', tool_name: 'Read' }));
  decisions.rm = await hook('PreToolUse', bash('t5', 'rm -rf build'));
  others.push(await hook('PostToolUse', bash('t5', 'rm -rf build')));
  decisions.retry = await hook('PreToolUse', bash('t6', 'git push -f origin main'));
  others.push(await hook('Stop', { prompt_id: 'p1', stop_hook_active: false }));
  // the next turn: the assistant complies (a plain push is no match)
  others.push(await hook('UserPromptSubmit', { prompt_id: 'p2', prompt: 'push normally' }));
  decisions.plainPush = await hook('PreToolUse', bash('t7', 'git push origin main', 'p2'));
  others.push(await hook('PostToolUse', bash('t7', 'git push origin main', 'p2')));
  others.push(await hook('Stop', { prompt_id: 'p2', stop_hook_active: false }));
  others.push(await hook('SessionEnd', { reason: 'other' }));
  // a repository whose policy file is broken: the hook fails open
  others.push(await hook('SessionStart', { source: 'startup' }, brokenSession, brokenRepo));
  others.push(await hook('UserPromptSubmit', { prompt_id: 'q1', prompt: 'x' }, brokenSession, brokenRepo));
  decisions.broken = await hook(
    'PreToolUse',
    bash('b1', 'git push --force', 'q1'),
    brokenSession,
    brokenRepo,
  );
  others.push(await hook('Stop', { prompt_id: 'q1' }, brokenSession, brokenRepo));
  others.push(await hook('SessionEnd', { reason: 'other' }, brokenSession, brokenRepo));
  const get = async (id: string): Promise<SpanView[]> =>
    ((await (await fetch(`${serve.url}/api/conversations/${id}`)).json()) as { spans: SpanView[] }).spans;
  spans = await get(sessionId);
  brokenSpans = await get(brokenSession);
}, 120_000);

afterAll(async () => {
  serve?.child.kill('SIGKILL');
  if (serve) await exited(serve.child);
});

const toolSpan = (id: string): SpanView => {
  const found = spans.find((s) => s.attributes['gen_ai.tool.call.id'] === id);
  expect(found, id).toBeDefined();
  return found!;
};

describe('policy rules in the PreToolUse hook', () => {
  it('prints the documented decision for matched calls and nothing otherwise, always exit 0', () => {
    expect(decisions.force).toEqual({ code: 0, stdout: deny(FORCE_REASON), stderr: '' });
    expect(decisions.env).toEqual({
      code: 0,
      stdout: deny('Secrets belong in the vault, not in .env files (Loopline policy no-env-files)'),
      stderr: '',
    });
    expect(JSON.parse(decisions.rm!.stdout)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'ask',
        permissionDecisionReason: 'Recursive delete (Loopline policy ask-before-rm-rf)',
      },
    });
    expect(decisions.retry).toEqual({ code: 0, stdout: deny(FORCE_REASON), stderr: '' });
    for (const key of ['test', 'readEnv', 'plainPush', 'broken']) {
      expect({ key, ...decisions[key] }).toEqual({ key, code: 0, stdout: '', stderr: '' });
    }
    for (const other of others) expect(other).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.existsSync(path.join(looplineHome, 'claude-code/hook.log'))).toBe(false);
  });

  it('closes a denied call as a tool span with the decision, and marks the retry as a repeat', () => {
    const first = toolSpan('t1');
    expect(first).toMatchObject({
      name: 'execute_tool Bash',
      status_code: 'error',
      error_type: 'policy_denied',
    });
    expect(first.attributes).toMatchObject({
      'claude_code.tool.outcome': 'denied',
      'loopline.policy.rule_id': 'no-force-push',
      'loopline.policy.action': 'deny',
      'loopline.policy.outcome': 'denied',
      'loopline.policy.reason': FORCE_REASON,
      'loopline.policy.level': 'MUST_NOT',
      'loopline.policy.repeat': false,
      'user.id': 'dana@acme.test',
    });
    expect(toolSpan('t6').attributes).toMatchObject({
      'loopline.policy.outcome': 'denied',
      'loopline.policy.repeat': true,
    });
    expect(toolSpan('t3').attributes).toMatchObject({ 'loopline.policy.rule_id': 'no-env-files' });
    expect(toolSpan('t5')).toMatchObject({ status_code: 'unset' });
    expect(toolSpan('t5').attributes).toMatchObject({
      'claude_code.tool.outcome': 'success',
      'loopline.policy.outcome': 'asked',
    });
    for (const id of ['t2', 't4', 't7'])
      expect(toolSpan(id).attributes['loopline.policy.rule_id']).toBeUndefined();
  });

  it('counts decisions and lists rule ids on the turn span', () => {
    const turns = spans.filter((s) => s.name === 'invoke_agent claude-code');
    const first = turns.find((t) => t.attributes['prompt.id'] === 'p1')!;
    expect(first.attributes).toMatchObject({
      'loopline.policy.decisions': 4,
      'loopline.policy.rule_ids': ['ask-before-rm-rf', 'no-env-files', 'no-force-push'],
    });
    expect(
      first.events
        .filter((e) => e.name === 'loopline.policy.decision')
        .map((e) => e.attributes['gen_ai.tool.call.id']),
    ).toEqual(['t1', 't3', 't5', 't6']);
    const second = turns.find((t) => t.attributes['prompt.id'] === 'p2')!;
    expect(second.attributes['loopline.policy.decisions']).toBeUndefined();
  });

  it('fails open on a broken policy file and records loopline.policy.error on the turn', () => {
    const turn = brokenSpans.find((s) => s.name === 'invoke_agent claude-code')!;
    expect(String(turn.attributes['loopline.policy.error'])).toMatch(
      /\.loopline\/policy\.yaml:4:5: unknown field "acton" in rule "no-force-push" \(did you mean "action"\?\)/,
    );
    const tool = brokenSpans.find((s) => s.name === 'execute_tool Bash')!;
    expect(tool.attributes['loopline.policy.rule_id']).toBeUndefined();
  });

  it('answers "how often did rule X fire, for whom" with a query', async () => {
    const result = await query({
      dataset: 'claude-code',
      calculations: [{ op: 'COUNT', alias: 'calls' }],
      filters: [{ column: 'loopline.policy.outcome', op: 'exists' }],
      breakdowns: ['loopline.policy.rule_id', 'user.id'],
      orders: [{ op: 'COUNT', order: 'descending' }],
      time_range: 3600,
    });
    const rows = result.groups.map((g) => [
      g.key['loopline.policy.rule_id'],
      g.key['user.id'],
      g.values.calls,
    ]);
    expect(rows[0]).toEqual(['no-force-push', 'dana@acme.test', 2]);
    expect(rows.slice(1).sort()).toEqual([
      ['ask-before-rm-rf', 'dana@acme.test', 1],
      ['no-env-files', 'dana@acme.test', 1],
    ]);
  });

  it('answers "did the assistant comply afterwards": denied calls and repeats of them', async () => {
    const denied = await query({
      dataset: 'claude-code',
      calculations: [{ op: 'COUNT', alias: 'denied' }],
      filters: [{ column: 'loopline.policy.outcome', op: '=', value: 'denied' }],
      breakdowns: ['loopline.policy.rule_id', 'loopline.policy.repeat'],
      time_range: 3600,
    });
    const byRepeat = Object.fromEntries(
      denied.groups.map((g) => [
        `${g.key['loopline.policy.rule_id']} ${g.key['loopline.policy.repeat']}`,
        g.values.denied,
      ]),
    );
    // 3 denied calls; 1 of them retried an action a rule had already denied (a share of 1/3)
    expect(byRepeat).toEqual({ 'no-force-push false': 1, 'no-force-push true': 1, 'no-env-files false': 1 });
    expect(denied.totals.denied).toBe(3);
  });
});

describe('loopline policy test / check', () => {
  const payloadFile = path.join(repo, 'payload.json');
  const write = (file: string, value: unknown) => fs.writeFileSync(file, JSON.stringify(value));

  it('dry-runs a payload: the rule, the action and the exact hook output', async () => {
    write(payloadFile, input('PreToolUse', bash('x1', 'git push --force origin main')));
    const result = await run([BIN, 'policy', 'test', payloadFile]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`policy: ${path.join(repo, '.loopline/policy.yaml')} (3 rule(s))`);
    expect(result.stdout).toContain('rule:   no-force-push (MUST_NOT)');
    expect(result.stdout).toContain('action: deny');
    expect(result.stdout).toContain(deny(FORCE_REASON));
    const json = await run(
      [BIN, 'policy', 'test', '-', '--json'],
      JSON.stringify(input('PreToolUse', bash('x', 'ls'))),
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ match: null, output: null, root: repo });
    const viaStdin = await run([BIN, 'policy', 'test', '-', '--json'], fs.readFileSync(payloadFile, 'utf8'));
    expect(JSON.parse(viaStdin.stdout)).toMatchObject({
      match: { rule_id: 'no-force-push', action: 'deny', outcome: 'denied', line: 4 },
      output: deny(FORCE_REASON).trimEnd(),
    });
  });

  it('takes --policy and --cwd, and reports a broken policy with its line (exit 1)', async () => {
    write(payloadFile, { ...input('PreToolUse', bash('x1', 'git push --force')), cwd: undefined });
    const result = await run([
      BIN,
      'policy',
      'test',
      payloadFile,
      '--policy',
      path.join(brokenRepo, '.loopline/policy.yaml'),
      '--cwd',
      brokenRepo,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('is invalid; the hook ignores it (fails open)');
    expect(result.stdout).toContain('policy.yaml:4:5: unknown field "acton"');
    expect(result.stdout).toContain('result: no rule matched');
  });

  it('checks a file and lists its rules', async () => {
    const good = await run([BIN, 'policy', 'check', '--cwd', path.join(repo, 'src')]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/3 rule\(s\), valid/);
    expect(good.stdout).toMatch(/no-force-push\s+MUST_NOT deny\s+tool: Bash; command: /);
    const bad = await run([BIN, 'policy', 'check', path.join(brokenRepo, '.loopline/policy.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('did you mean "action"?');
    const yamlError = path.join(brokenRepo, 'syntax.yaml');
    fs.writeFileSync(yamlError, 'rules:\n  - id: a\n    match: { tool: [Bash }\n');
    const syntax = await run([BIN, 'policy', 'check', yamlError]);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(/syntax\.yaml:3:\d+: YAML: /);
  });

  it('explains missing files and shows help', async () => {
    const missing = await run([BIN, 'policy', 'check', path.join(repo, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.yaml does not exist');
    const noPayload = await run([BIN, 'policy', 'test', path.join(repo, 'nope.json')]);
    expect(noPayload.stderr).toContain('the payload file');
    const help = await run([BIN, 'policy', 'test', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--policy <file>');
    const none = await run([BIN, 'policy', 'check', '--cwd', home]);
    expect(none.stdout).toContain('no policy file');
  });
});
