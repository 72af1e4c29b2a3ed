import { describe, expect, it } from 'vitest';
import { parseTranscript, sessionTotals, subagentIdFromPath } from '../src/index.ts';
import {
  INLINE_PATH,
  loginSession,
  MAIN_PATH,
  ms,
  readFixture,
  SESSION_ID,
  SUBAGENT_PATH,
} from './fixture-files.ts';

const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';

describe('parseTranscript: reading lines', () => {
  it('counts and skips malformed lines without throwing', () => {
    const session = loginSession();
    expect(session.stats.files).toBe(2);
    expect(session.stats.lines).toBe(36);
    expect(session.stats.badLines).toBe(1);
    expect(session.stats.records).toBe(35);
    expect(session.stats.problems).toEqual([`${MAIN_PATH}:11: not valid JSON`]);
    // the repeated Read record, the two sidechain records copied into the main file, the repeated answer
    expect(session.stats.duplicateRecords).toBe(4);
    expect(session.stats.otherRecords).toBe(1);
  });

  it('never throws on garbage and reports what it skipped', () => {
    const session = parseTranscript('not json\n[1,2]\n\n"text"\n{"type":"assistant"\n{"type":"user"}');
    expect(session.stats.lines).toBe(5);
    expect(session.stats.badLines).toBe(4);
    expect(session.main.calls).toEqual([]);
    expect(session.sessionId).toBeNull();
    expect(sessionTotals(session).calls).toBe(0);
  });

  it('reads the session metadata, prompts, summaries and compactions', () => {
    const session = loginSession();
    expect(session.sessionId).toBe(SESSION_ID);
    expect(session.cwd).toBe('/home/dev/acme-api');
    expect(session.gitBranch).toBe('feature/login-rate-limit');
    expect(session.version).toBe('2.1.63');
    expect(session.summaries).toEqual([
      { summary: 'Rate limiting for the login endpoint', leafUuid: '5f0c2d1e-8a4b-4c6d-9e1f-2a3b4c5d6e0a' },
    ]);
    const prompts = session.main.prompts;
    expect(prompts.map((p) => p.text.split('\n')[0])).toEqual([
      'Add a rate limiter to the /login endpoint: at most 5 attempts per minute per IP.',
      '<command-name>/compact</command-name>',
      'Wire src/lib/throttle.ts into the /login route.',
      'Run the whole test suite.',
    ]);
    expect(prompts[0]).toMatchObject({
      uuid: '5f0c2d1e-8a4b-4c6d-9e1f-2a3b4c5d6e01',
      promptId: 'e2d1c0b9-a8f7-4e6d-b5c4-a3b2c1d0e9f8',
      timestampMs: ms('2026-03-02T10:00:00.000Z'),
      permissionMode: 'default',
      gitBranch: 'feature/login-rate-limit',
    });
    expect(session.main.compactions).toHaveLength(1);
    expect(session.main.compactions[0]).toMatchObject({
      uuid: '5f0c2d1e-8a4b-4c6d-9e1f-2a3b4c5d6e0c',
      trigger: 'manual',
      preTokens: 19850,
      timestampMs: ms('2026-03-02T10:05:40.000Z'),
    });
    expect(session.main.compactions[0]!.summary).toMatch(/^This session is being continued/);
  });
});

describe('parseTranscript: API calls', () => {
  it('merges per-content-block records into one call with the fullest usage', () => {
    const session = loginSession();
    const first = session.main.calls[0]!;
    expect(first).toMatchObject({
      key: 'msg_01LpQ7rT2xYvKc9aWm3nE8sD:req_011CVa1Rt5LoginAAAAA001',
      messageId: 'msg_01LpQ7rT2xYvKc9aWm3nE8sD',
      requestId: 'req_011CVa1Rt5LoginAAAAA001',
      model: SONNET,
      stopReason: 'tool_use',
      records: 3,
      toolUseIds: ['toolu_01Hq8ZkR3mWn5Tc2Lp9Xv4Bd'],
    });
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(first.usage).toEqual({
      inputTokens: 16_203,
      uncachedInputTokens: 3,
      outputTokens: 156,
      cacheReadTokens: 15_000,
      cacheWriteTokens: 1200,
      cacheWrite5mTokens: 200,
      cacheWrite1hTokens: 1000,
      reasoningTokens: null,
      serviceTier: 'standard',
      speed: null,
    });
    expect(session.main.calls.map((c) => c.messageId)).toEqual([
      'msg_01LpQ7rT2xYvKc9aWm3nE8sD',
      'msg_01Tb4VwX8nKp2Qr6Ys1Zc7Fe',
      'msg_01Gd6Hs3Kf8Lj1Mn5Pb2Qc9R',
      'msg_01Kw9Pz4Lr6Ts3Vb8Nd2Hf5J',
      'msg_01Rz2Ww5Ee8Qq1Aa4Ss7Dd3F',
      'msg_01Yu6Ii9Oo3Pp7Aa2Ss5Dd8G',
    ]);
  });

  it('splits cache writes into 5-minute and 1-hour parts, unknown (null) without a split', () => {
    const calls = loginSession().main.calls;
    const split = (i: number) => [calls[i]!.usage!.cacheWrite5mTokens, calls[i]!.usage!.cacheWrite1hTokens];
    expect(split(0)).toEqual([200, 1000]);
    expect(split(1)).toEqual([null, null]); // cache_creation_input_tokens only
    expect(split(3)).toEqual([0, 300]); // 1-hour writes only
  });

  it('leaves a split that does not add up unknown, and the session totals still add up', () => {
    const usage = (id: string, cacheCreation: object | undefined) =>
      JSON.stringify({
        type: 'assistant',
        sessionId: 's-1',
        uuid: `u-${id}`,
        timestamp: '2026-03-02T10:00:00.000Z',
        requestId: `req_${id}`,
        message: {
          id: `msg_${id}`,
          role: 'assistant',
          model: SONNET,
          content: [{ type: 'text', text: 'ok' }],
          usage: {
            input_tokens: 5,
            output_tokens: 10,
            cache_creation_input_tokens: 500,
            ...(cacheCreation === undefined ? {} : { cache_creation: cacheCreation }),
          },
        },
      });
    const session = parseTranscript(
      [
        usage('a', { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }),
        usage('b', undefined),
        usage('c', { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 400 }),
      ].join('\n'),
    );
    const splits = session.main.calls.map((c) => [c.usage!.cacheWrite5mTokens, c.usage!.cacheWrite1hTokens]);
    expect(splits).toEqual([
      [null, null],
      [null, null],
      [100, 400],
    ]);
    expect(sessionTotals(session)).toMatchObject({
      cacheWriteTokens: 1500,
      cacheWrite5mTokens: 100,
      cacheWrite1hTokens: 400,
      cacheWriteSplitUnknownTokens: 1000,
    });
  });

  it('measures time to first token from the user record each call answers', () => {
    const session = loginSession();
    expect(session.main.calls.map((c) => c.ttftMs)).toEqual([2500, 1400, 2000, 3000, 4000, 2500]);
    const first = session.main.calls[0]!;
    expect(first.requestStartMs).toBe(ms('2026-03-02T10:00:00.000Z'));
    expect(first.firstRecordMs).toBe(ms('2026-03-02T10:00:02.500Z'));
    expect(first.lastRecordMs).toBe(ms('2026-03-02T10:00:03.400Z'));
    expect(session.subagents[0]!.calls.map((c) => c.ttftMs)).toEqual([1400, 2500, 12_200]);
  });

  it('gives a response found in both the main chain and a sidechain to the main chain', () => {
    const session = loginSession();
    const edit = session.main.calls.find((c) => c.messageId === 'msg_01Rz2Ww5Ee8Qq1Aa4Ss7Dd3F')!;
    expect(edit.records).toBe(3);
    expect(edit.isSidechain).toBe(false);
    expect(edit.usage?.outputTokens).toBe(310);
    expect(edit.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    // the replayed sidechain copy owns nothing, so it does not become a sub-agent
    expect(session.subagents.map((a) => a.agentId)).toEqual(['a3f9c2']);
  });

  it('keeps synthetic API error entries out of the calls', () => {
    const session = loginSession();
    expect(session.main.apiErrors).toHaveLength(1);
    expect(session.main.apiErrors[0]).toMatchObject({ error: 'overloaded' });
    expect(session.main.calls.some((c) => c.model === '<synthetic>')).toBe(false);
  });
});

describe('parseTranscript: tools and sub-agents', () => {
  it('records tool calls and their results by tool_use id', () => {
    const session = loginSession();
    const tools = session.main.toolUses.map((t) => [t.name, t.result?.isError]);
    expect(tools).toEqual([
      ['Read', false],
      ['Bash', true],
      ['Task', false],
      ['Edit', false],
    ]);
    const bash = session.main.toolUses[1]!;
    expect(bash).toMatchObject({
      id: 'toolu_01Nc5Jm7Wq2Er9Ty4Ui8Op3A',
      callKey: 'msg_01Tb4VwX8nKp2Qr6Ys1Zc7Fe:req_011CVa1Rt5LoginAAAAA002',
      timestampMs: ms('2026-03-02T10:00:05.000Z'),
      input: { command: 'npm test -- login', description: 'Run the login tests' },
    });
    expect(bash.result?.timestampMs).toBe(ms('2026-03-02T10:00:09.000Z'));
    expect(session.stats.unmatchedToolResults).toBe(0);
  });

  it('merges a sub-agent file with its sidechain copies in the main file', () => {
    const session = loginSession();
    expect(session.subagents).toHaveLength(1);
    const agent = session.subagents[0]!;
    expect(agent).toMatchObject({
      agentId: 'a3f9c2',
      source: 'file',
      path: SUBAGENT_PATH,
      isSidechain: true,
      agentType: 'Explore',
      parentToolUseId: 'toolu_01Ta7Sk2Dl9Fj4Gh6Jk1Lz8X',
      records: 7,
      firstTimestampMs: ms('2026-03-02T10:00:11.200Z'),
      lastTimestampMs: ms('2026-03-02T10:00:29.000Z'),
    });
    expect(agent.prompts.map((p) => p.text)).toEqual([
      'Search the repo for existing rate limiting or throttling helpers and report their file paths.',
    ]);
    expect(agent.calls.map((c) => [c.model, c.records, c.usage?.outputTokens])).toEqual([
      [HAIKU, 2, 60],
      [HAIKU, 1, 45],
      [HAIKU, 1, 210], // the repeated line has the same uuid: one record
    ]);
    expect(agent.toolUses.map((t) => [t.name, t.result?.isError])).toEqual([
      ['Grep', false],
      ['Read', true],
    ]);
  });

  it('counts every API call exactly once across the main file and the sub-agent file', () => {
    expect(sessionTotals(loginSession())).toEqual({
      calls: 9,
      inputTokens: 87_199,
      uncachedInputTokens: 49,
      outputTokens: 1476,
      cacheReadTokens: 75_850,
      cacheWriteTokens: 11_300,
      cacheWrite5mTokens: 7200,
      cacheWrite1hTokens: 3300,
      cacheWriteSplitUnknownTokens: 800, // the one call with no split: 7,200 + 3,300 + 800 = 11,300
      reasoningTokens: 0,
      prompts: 4,
      toolCalls: 6,
      toolErrors: 2,
      compactions: 1,
      apiErrors: 1,
      subagents: 1,
      callsByModel: { [SONNET]: 6, [HAIKU]: 3 },
    });
  });

  it('gives the same totals whatever the order of files and repeats', () => {
    const main = readFixture(MAIN_PATH);
    const sub = readFixture(SUBAGENT_PATH);
    const doubled = parseTranscript(`${main}\n${main}`, {
      subagents: [{ text: `${sub}\n${sub}`, agentId: 'a3f9c2' }],
    });
    expect(sessionTotals(doubled)).toEqual(sessionTotals(loginSession()));
  });

  it('without the sub-agent file, keeps the sidechain copies as an inline sub-agent', () => {
    const session = parseTranscript(readFixture(MAIN_PATH));
    expect(session.subagents).toHaveLength(1);
    const agent = session.subagents[0]!;
    expect(agent).toMatchObject({
      agentId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c01',
      source: 'inline',
      parentToolUseId: 'toolu_01Ta7Sk2Dl9Fj4Gh6Jk1Lz8X',
      agentType: 'Explore',
    });
    // only the first content block of its first answer was copied into the main file
    expect(agent.calls.map((c) => c.usage?.outputTokens)).toEqual([5]);
    expect(sessionTotals(session).calls).toBe(7);
  });

  it('groups inline sidechains of an older transcript into a sub-agent linked by its prompt', () => {
    const session = parseTranscript(readFixture(INLINE_PATH));
    expect(session.main.calls).toHaveLength(2);
    expect(session.main.prompts.map((p) => p.text)).toEqual(['Why does checkout time out on large carts?']);
    expect(session.subagents).toHaveLength(1);
    expect(session.subagents[0]).toMatchObject({
      source: 'inline',
      agentType: 'general-purpose',
      parentToolUseId: 'toolu_01Zz9Yy8Xx7Ww6Vv5Uu4Tt3S',
    });
    const totals = sessionTotals(session);
    expect(totals).toMatchObject({
      calls: 3,
      uncachedInputTokens: 39,
      inputTokens: 39 + 22_000 + 7250,
      outputTokens: 415,
      cacheReadTokens: 22_000,
      cacheWriteTokens: 7250,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheWriteSplitUnknownTokens: 7250,
      toolCalls: 1,
      toolErrors: 0,
    });
  });

  it('reads agent ids from sub-agent file paths', () => {
    expect(subagentIdFromPath(SUBAGENT_PATH)).toBe('a3f9c2');
    expect(subagentIdFromPath('C:\\Users\\dev\\.claude\\projects\\x\\s\\subagents\\agent-b71.jsonl')).toBe(
      'b71',
    );
    expect(subagentIdFromPath('/tmp/session.jsonl')).toBeNull();
  });
});
