import { describe, expect, it } from 'vitest';
import {
  attributeText,
  evaluationTarget,
  eventTimeUs,
  groupAttributes,
  messagesOf,
  parseMessages,
  redactedKeys,
  spanKind,
} from './span-content.ts';

const base = { span_id: 'aaaaaaaaaaaaaaaa', parent_span_id: 'bbbbbbbbbbbbbbbb' };

describe('groupAttributes', () => {
  it('groups by family with tool before gen_ai, keys sorted, empty groups left out', () => {
    const groups = groupAttributes({
      'gen_ai.request.model': 'gpt-5',
      'gen_ai.tool.name': 'shell',
      'tool.args': '{}',
      'cicd.pipeline.name': 'build',
      'service.name': 'ci',
      'telemetry.sdk.name': 'opentelemetry',
      'gen_ai.agent.name': 'a',
      zeta: 1,
    });
    expect(groups.map((g) => [g.id, g.entries.map(([k]) => k)])).toEqual([
      ['tool', ['gen_ai.tool.name', 'tool.args']],
      ['gen_ai', ['gen_ai.agent.name', 'gen_ai.request.model']],
      ['cicd', ['cicd.pipeline.name']],
      ['resource', ['service.name', 'telemetry.sdk.name']],
      ['other', ['zeta']],
    ]);
    expect(groupAttributes(undefined)).toEqual([]);
  });
});

describe('attributeText', () => {
  it('keeps strings as they are and shows the rest as JSON', () => {
    expect(attributeText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(attributeText(3)).toBe('3');
    expect(attributeText(false)).toBe('false');
    expect(attributeText(['a', 'b'])).toBe('["a","b"]');
    expect(attributeText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});

describe('messagesOf', () => {
  it('reads gen_ai.input.messages / output.messages with parts, as JSON text', () => {
    const span = {
      ...base,
      attributes: {
        'gen_ai.input.messages': JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: 'be brief' }] },
          { role: 'user', parts: [{ type: 'text', content: 'why is CI red?' }] },
        ]),
        'gen_ai.output.messages': [
          {
            role: 'assistant',
            parts: [
              { type: 'text', content: 'Looking.' },
              { type: 'tool_call', name: 'run_query', arguments: { q: 1 } },
            ],
          },
        ],
      },
    };
    expect(messagesOf(span, 'input')).toEqual([
      { role: 'system', text: 'be brief' },
      { role: 'user', text: 'why is CI red?' },
    ]);
    expect(messagesOf(span, 'output')).toEqual([
      { role: 'assistant', text: 'Looking.\n→ run_query({\n  "q": 1\n})' },
    ]);
  });

  it('reads gen_ai.prompt / completion as text, JSON and the indexed form', () => {
    expect(messagesOf({ ...base, attributes: { 'gen_ai.prompt': 'hello' } }, 'input')).toEqual([
      { role: 'user', text: 'hello' },
    ]);
    expect(
      messagesOf(
        { ...base, attributes: { 'gen_ai.completion': '[{"role":"assistant","content":"hi"}]' } },
        'output',
      ),
    ).toEqual([{ role: 'assistant', text: 'hi' }]);
    expect(
      messagesOf(
        {
          ...base,
          attributes: {
            'gen_ai.prompt.1.content': 'second',
            'gen_ai.prompt.0.role': 'system',
            'gen_ai.prompt.0.content': 'first',
            'gen_ai.prompt.1.role': 'user',
          },
        },
        'input',
      ),
    ).toEqual([
      { role: 'system', text: 'first' },
      { role: 'user', text: 'second' },
    ]);
  });

  it('reads message events (gen_ai.user.message, gen_ai.choice, claude_code.user_prompt)', () => {
    const span = {
      ...base,
      events: [
        { name: 'claude_code.user_prompt', time: 1, attributes: { prompt: 'fix the test' } },
        { name: 'gen_ai.user.message', time: 2, attributes: { content: 'and the lint' } },
        { name: 'gen_ai.choice', time: 3, attributes: { message: { role: 'assistant', content: 'done' } } },
        { name: 'other', time: 4, attributes: { content: 'ignored' } },
      ],
    };
    expect(messagesOf(span, 'input')).toEqual([
      { role: 'user', text: 'fix the test' },
      { role: 'user', text: 'and the lint' },
    ]);
    expect(messagesOf(span, 'output')).toEqual([{ role: 'assistant', text: 'done' }]);
  });

  it('is empty when nothing was captured', () => {
    expect(messagesOf({ ...base, attributes: { 'gen_ai.request.model': 'x' } }, 'input')).toEqual([]);
    expect(parseMessages('', 'user')).toEqual([]);
    expect(parseMessages('{not json', 'user')).toEqual([{ role: 'user', text: '{not json' }]);
  });

  it('lists the content keys dropped at ingest', () => {
    expect(redactedKeys({ attributes: { 'loopline.redacted': ['gen_ai.input.messages'] } })).toEqual([
      'gen_ai.input.messages',
    ]);
    expect(redactedKeys({ attributes: {} })).toEqual([]);
  });
});

describe('evaluationTarget', () => {
  it('prefers an explicit target, then a link, then the parent', () => {
    expect(
      evaluationTarget({
        ...base,
        attributes: { 'gen_ai.evaluation.target.span_id': 'CCCCCCCCCCCCCCCC' },
        links: [{ trace_id: 't', span_id: 'dddddddddddddddd' }],
      }),
    ).toEqual({ spanId: 'cccccccccccccccc' });
    expect(evaluationTarget({ ...base, links: [{ trace_id: 't', span_id: 'dddddddddddddddd' }] })).toEqual({
      spanId: 'dddddddddddddddd',
      traceId: 't',
    });
    expect(evaluationTarget(base)).toEqual({ spanId: 'bbbbbbbbbbbbbbbb' });
    expect(evaluationTarget({ ...base, parent_span_id: '' })).toBeNull();
  });
});

describe('eventTimeUs', () => {
  it('reads µs numbers, numeric text and ISO times', () => {
    expect(eventTimeUs({ time: 1_700_000_000_000_000 })).toBe(1_700_000_000_000_000);
    expect(eventTimeUs({ timestamp_us: 5 })).toBe(5);
    expect(eventTimeUs({ time: '2024-01-01T00:00:00.000Z' })).toBe(Date.parse('2024-01-01T00:00:00Z') * 1000);
    expect(eventTimeUs({})).toBeNull();
  });
});

describe('spanKind', () => {
  it('classifies by operation, and a model with tokens as an LLM call', () => {
    expect(spanKind({ operation: 'chat' })).toBe('llm');
    expect(spanKind({ operation: 'execute_tool' })).toBe('tool');
    expect(spanKind({ operation: 'invoke_agent' })).toBe('agent');
    expect(spanKind({ operation: 'evaluate' })).toBe('eval');
    expect(spanKind({ operation: null, request_model: 'm', input_tokens: 3 })).toBe('llm');
    expect(spanKind({ operation: null, request_model: 'm' })).toBe('span');
  });
});
