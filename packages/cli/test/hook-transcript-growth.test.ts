import fs from 'node:fs';
import path from 'node:path';
import { parseTranscript, sessionTotals, turnTraceId } from '@loopline/claude-code';
import { GEN_AI_ATTRIBUTES, LOOPLINE_ATTRIBUTES } from '@loopline/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, ROOT, runCli, runProcess, type ServeProcess, spawnServe, tempDir } from './cli-process.ts';

/**
 * A long session seen through its hooks: every Stop reads only what the transcript gained since the last
 * one. Its chat spans must add up to what a one-shot import of the finished transcript gives, through the
 * awkward parts: one response written as several per-content-block records (merged, fullest usage wins),
 * a record written twice, a response whose last record lands after its Stop, a record half-written when
 * a Stop reads, and an inline sidechain.
 */
const HOOK = path.join(ROOT, 'packages/cli/dist/hook.cjs');
const GA = GEN_AI_ATTRIBUTES;

let hooked: ServeProcess;
let imported: ServeProcess;
const home = tempDir('growth-home');
const looplineHome = tempDir('growth-loopline');
const sessionId = `3f6a9c1e-growth-${process.pid}`;
const transcriptPath = path.join(home, '.claude/projects/-repo', `${sessionId}.jsonl`);
const startMs = Date.now() - 60_000;

beforeAll(async () => {
  [hooked, imported] = await Promise.all([
    spawnServe(['--data-dir', tempDir('growth-hooked')]),
    spawnServe(['--data-dir', tempDir('growth-imported')]),
  ]);
  fs.mkdirSync(path.dirname(transcriptPath), { recursive: true });
  fs.writeFileSync(transcriptPath, '');
});

afterAll(async () => {
  for (const serve of [hooked, imported]) serve?.child.kill('SIGTERM');
  await Promise.all([hooked, imported].map((serve) => (serve ? exited(serve.child) : undefined)));
});

async function hook(event: string, fields: Record<string, unknown> = {}): Promise<void> {
  const run = await runProcess(process.execPath, [HOOK, 'claude-code'], {
    env: { ...process.env, HOME: home, LOOPLINE_HOME: looplineHome, LOOPLINE_ENDPOINT: hooked.url },
    stdin: JSON.stringify({
      session_id: sessionId,
      transcript_path: transcriptPath,
      cwd: home,
      hook_event_name: event,
      ...fields,
    }),
  });
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('');
}

let clock = 0;
const at = (): string => new Date(startMs + 1000 * clock++).toISOString();
const base = { sessionId, cwd: home, version: '2.1.200', gitBranch: 'main', userType: 'external' };

const line = (record: object): string => `${JSON.stringify(record)}\n`;
const append = (text: string): void => fs.appendFileSync(transcriptPath, text);

/** A user record: a prompt (with its prompt id) or a tool result. */
function userLine(uuid: string, parentUuid: string | null, content: unknown, extra: object = {}): string {
  return line({
    ...base,
    isSidechain: false,
    type: 'user',
    uuid,
    parentUuid,
    ...extra,
    timestamp: at(),
    message: { role: 'user', content },
  });
}

function prompt(promptId: string, uuid: string, text: string, parentUuid: string | null = null): string {
  return userLine(uuid, parentUuid, text, { promptId });
}

/**
 * One per-content-block record of a response; `output` grows as the response streams, and the last record
 * carries the stop reason.
 */
function block(
  uuid: string,
  parentUuid: string,
  messageId: string,
  content: object,
  output: number,
  stop: string | null = null,
): string {
  return line({
    ...base,
    isSidechain: false,
    type: 'assistant',
    uuid,
    parentUuid,
    requestId: `req_${messageId}`,
    timestamp: at(),
    message: {
      id: messageId,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [content],
      stop_reason: stop,
      usage: {
        input_tokens: 30,
        cache_read_input_tokens: 12_000,
        cache_creation_input_tokens: 700,
        cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 500 },
        output_tokens: output,
      },
    },
  });
}

function toolResult(uuid: string, parentUuid: string, toolUseId: string): string {
  return userLine(uuid, parentUuid, [{ type: 'tool_result', tool_use_id: toolUseId, content: 'ok' }]);
}

interface Totals {
  calls: number;
  distinct: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite1h: number;
}

/** The chat spans of the session a server holds, summed. */
async function chatTotals(serve: ServeProcess): Promise<Totals> {
  const response = await fetch(`${serve.url}/api/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      start_time: Math.floor(startMs / 1000) - 3600,
      end_time: Math.ceil(Date.now() / 1000) + 3600,
      calculations: [
        { op: 'COUNT', alias: 'calls' },
        { op: 'COUNT_DISTINCT', column: 'trace.span_id', alias: 'distinct' },
        { op: 'SUM', column: GA.USAGE_INPUT_TOKENS, alias: 'input' },
        { op: 'SUM', column: GA.USAGE_OUTPUT_TOKENS, alias: 'output' },
        { op: 'SUM', column: GA.USAGE_CACHE_READ_INPUT_TOKENS, alias: 'cacheRead' },
        { op: 'SUM', column: LOOPLINE_ATTRIBUTES.USAGE_CACHE_WRITE_1H_INPUT_TOKENS, alias: 'cacheWrite1h' },
      ],
      filters: [
        { column: GA.OPERATION_NAME, op: '=', value: 'chat' },
        { column: GA.CONVERSATION_ID, op: '=', value: sessionId },
      ],
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { totals: Totals }).totals;
}

interface ChatView {
  trace_id: string;
  operation: string | null;
  attributes: Record<string, unknown>;
}

/** The chat spans the hooks' server holds so far: response id → trace id. */
async function chatsSoFar(): Promise<Record<string, string>> {
  const response = await fetch(`${hooked.url}/api/conversations/${sessionId}`);
  if (response.status === 404) return {};
  const { spans } = (await response.json()) as { spans: ChatView[] };
  const chats = spans.filter((s) => s.operation === 'chat');
  return Object.fromEntries(chats.map((s) => [String(s.attributes[GA.RESPONSE_ID]), s.trace_id]));
}

/** Response ids sent by the end of each Stop. */
const afterStop: Record<string, string[]> = {};
async function stop(promptId: string): Promise<void> {
  await hook('Stop', { prompt_id: promptId });
  afterStop[promptId] = Object.keys(await chatsSoFar()).sort();
}

describe('a transcript that grows across Stops', () => {
  beforeAll(async () => {
    await hook('SessionStart', { source: 'startup' });

    // turn 1: a response in three per-content-block records (usage grows), a tool call, a second response;
    // one record is written twice
    await hook('UserPromptSubmit', { prompt_id: 'p1', prompt: 'Fix the cart total' });
    const thinking = block('a1-1', 'u1', 'msg_1', { type: 'thinking', thinking: 'Look', signature: 's1' }, 5);
    append(
      prompt('p1', 'u1', 'Fix the cart total') +
        thinking +
        block('a1-2', 'a1-1', 'msg_1', { type: 'text', text: 'Running the tests.' }, 40) +
        thinking +
        block(
          'a1-3',
          'a1-2',
          'msg_1',
          { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} },
          120,
          'tool_use',
        ) +
        toolResult('r1', 'a1-3', 'toolu_1') +
        block('a1-4', 'r1', 'msg_2', { type: 'text', text: 'Fixed.' }, 60, 'end_turn'),
    );
    await stop('p1');

    // turn 2: its response's last record lands after the Stop hook read the transcript
    await hook('UserPromptSubmit', { prompt_id: 'p2', prompt: 'And the tax?' });
    append(
      prompt('p2', 'u2', 'And the tax?', 'a1-4') +
        block('a2-1', 'u2', 'msg_3', { type: 'thinking', thinking: 'Tax', signature: 's3' }, 8),
    );
    await stop('p2');
    append(block('a2-2', 'a2-1', 'msg_3', { type: 'text', text: 'Tax is right.' }, 90, 'end_turn'));

    // turn 3: a record half-written when Stop reads; an inline sidechain (an older Task sub-agent)
    await hook('UserPromptSubmit', { prompt_id: 'p3', prompt: 'Look around' });
    const half = block('a3-2', 'r3', 'msg_5', { type: 'text', text: 'Found it.' }, 70, 'end_turn');
    append(
      prompt('p3', 'u3', 'Look around', 'a2-2') +
        block(
          'a3-1',
          'u3',
          'msg_4',
          { type: 'tool_use', id: 'toolu_2', name: 'Task', input: {} },
          50,
          'tool_use',
        ) +
        line({
          ...base,
          isSidechain: true,
          type: 'user',
          uuid: 's3-u',
          parentUuid: null,
          timestamp: at(),
          message: { role: 'user', content: 'Find the cart code' },
        }) +
        line({
          ...base,
          isSidechain: true,
          type: 'assistant',
          uuid: 's3-a',
          parentUuid: 's3-u',
          requestId: 'req_side',
          timestamp: at(),
          message: {
            id: 'msg_side',
            role: 'assistant',
            model: 'claude-haiku-4-5',
            content: [{ type: 'text', text: 'cart.ts' }],
            stop_reason: 'end_turn',
            usage: { input_tokens: 15, cache_read_input_tokens: 3000, output_tokens: 25 },
          },
        }) +
        toolResult('r3', 'a3-1', 'toolu_2') +
        half.slice(0, 120),
    );
    await stop('p3');
    append(half.slice(120));

    // turn 4: plain, then the session ends
    await hook('UserPromptSubmit', { prompt_id: 'p4', prompt: 'Thanks' });
    append(
      prompt('p4', 'u4', 'Thanks', 'a3-2') +
        block('a4-1', 'u4', 'msg_6', { type: 'text', text: 'You are welcome.' }, 12, 'end_turn'),
    );
    await stop('p4');
    await hook('SessionEnd', { reason: 'prompt_input_exit' });

    const run = await runCli(['import', 'claude-code', transcriptPath, '--url', imported.url]);
    expect(run.code, run.stderr).toBe(0);
  });

  it('the scenario has what it is about: merged records, a repeat, a late record, a sidechain', () => {
    const session = parseTranscript(fs.readFileSync(transcriptPath, 'utf8'));
    expect(session.stats.badLines).toBe(0);
    expect(session.stats.duplicateRecords).toBe(1);
    expect(session.main.calls.find((c) => c.messageId === 'msg_1')?.records).toBe(3);
    expect(session.main.calls.find((c) => c.messageId === 'msg_3')?.records).toBe(2);
    expect(session.subagents).toHaveLength(1);
  });

  it("each Stop sends its turn's calls, and a response still being written once it is whole", async () => {
    expect(afterStop).toEqual({
      p1: ['msg_1', 'msg_2'],
      p2: ['msg_1', 'msg_2'],
      p3: ['msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_side'],
      p4: ['msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_5', 'msg_6', 'msg_side'],
    });
    const trace = (promptId: string): string => turnTraceId(sessionId, promptId);
    expect(await chatsSoFar()).toEqual({
      msg_1: trace('p1'),
      msg_2: trace('p1'),
      msg_3: trace('p2'),
      msg_4: trace('p3'),
      msg_5: trace('p3'),
      msg_side: trace('p3'),
      msg_6: trace('p4'),
    });
  });

  it("the hooks' chat spans add up to the one-shot import of the finished transcript", async () => {
    const expected = sessionTotals(parseTranscript(fs.readFileSync(transcriptPath, 'utf8')));
    const fromImport = await chatTotals(imported);
    const fromHooks = await chatTotals(hooked);
    expect(fromImport).toEqual({
      calls: expected.calls,
      distinct: expected.calls,
      input: expected.inputTokens,
      output: expected.outputTokens,
      cacheRead: expected.cacheReadTokens,
      cacheWrite1h: expected.cacheWrite1hTokens,
    });
    expect(fromHooks).toEqual(fromImport);
  });
});
