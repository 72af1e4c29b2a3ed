import { describe, expect, it } from 'vitest';
import { contentLabel } from './content-keys.ts';
import { maskSecrets, REDACTED_CONTENT, redactAttributes, redactBody } from './redact.ts';

describe('content attributes', () => {
  const attrs = {
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"refund order 1234"}]}]',
    'gen_ai.output.messages': '[{"role":"assistant","parts":[]}]',
    'gen_ai.system_instructions': '[{"type":"text","content":"You are a support agent"}]',
    'gen_ai.tool.call.arguments': '{"order":1234}',
    'gen_ai.tool.call.result': '{"ok":true}',
    'gen_ai.retrieval.query.text': 'refund policy',
    'gen_ai.usage.input_tokens': 1200,
  };

  it('drops content by default and lists what was dropped in loopline.redacted', () => {
    const result = redactAttributes(attrs, { captureContent: false });
    expect(result.attributes).toEqual({
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 1200,
      'loopline.redacted': [
        'gen_ai.input.messages',
        'gen_ai.output.messages',
        'gen_ai.retrieval.query.text',
        'gen_ai.system_instructions',
        'gen_ai.tool.call.arguments',
        'gen_ai.tool.call.result',
      ],
    });
  });

  it('keeps content when captureContent is on, and returns the same object when nothing changes', () => {
    const result = redactAttributes(attrs, { captureContent: true });
    expect(result.attributes).toBe(attrs);
    expect(result.dropped).toEqual([]);
  });

  it.each([
    ['gen_ai.prompt', 'gen_ai.prompt'],
    ['gen_ai.completion', 'gen_ai.completion'],
    ['gen_ai.prompt.0.content', 'gen_ai.prompt.*'],
    ['gen_ai.completion.0.content', 'gen_ai.completion.*'],
    ['gen_ai.prompt.variable.customer', 'gen_ai.prompt.variable.*'],
    ['llm.input_messages.0.message.content', 'llm.input_messages.*'],
    ['llm.output_messages.0.message.content', 'llm.output_messages.*'],
    ['input.value', 'input.value'],
    ['output.value', 'output.value'],
    ['ai.prompt', 'ai.prompt'],
    ['ai.prompt.messages', 'ai.prompt.*'],
    ['ai.response.text', 'ai.response.text'],
    ['ai.toolCall.args', 'ai.toolCall.args'],
    ['traceloop.entity.input', 'traceloop.entity.input'],
    ['prompt', 'prompt'],
    ['response', 'response'],
    ['tool_input', 'tool_input'],
    ['response_text', 'response_text'],
  ])('%s is content (listed as %s)', (key, label) => {
    expect(contentLabel(key)).toBe(label);
  });

  it.each([
    'gen_ai.prompt.name',
    'gen_ai.prompt.version',
    'gen_ai.request.model',
    'llm.model_name',
    'ai.response.model',
    'prompt_length',
    'tool_parameters',
  ])('%s is not content', (key) => {
    expect(contentLabel(key)).toBeNull();
  });

  it('drops event-specific content (codex.tool_result arguments and output) only on that event', () => {
    const toolResult = { tool_name: 'shell', arguments: '{"cmd":"ls"}', output: 'a.txt' };
    expect(
      redactAttributes(toolResult, { captureContent: false, eventName: 'codex.tool_result' }).attributes,
    ).toEqual({
      tool_name: 'shell',
      'loopline.redacted': ['arguments', 'output'],
    });
    expect(redactAttributes(toolResult, { captureContent: false, eventName: 'other' }).attributes).toBe(
      toolResult,
    );
  });

  it('drops the process command line, where an assistant started with a prompt argument carries it', () => {
    const { attributes } = redactAttributes(
      {
        'process.command_args': ['node', '/usr/bin/gemini', '-p', 'fix the payment bug for ACME'],
        'process.command_line': 'gemini -p "fix the payment bug for ACME"',
        'process.executable.name': 'node',
      },
      { captureContent: false },
    );
    expect(attributes).toEqual({
      'process.executable.name': 'node',
      'loopline.redacted': ['process.command_args', 'process.command_line'],
    });
  });

  it('merges with a loopline.redacted list the emitter already sent', () => {
    const result = redactAttributes(
      { 'loopline.redacted': ['hook.input'], 'input.value': 'hi' },
      { captureContent: false },
    );
    expect(result.attributes['loopline.redacted']).toEqual(['hook.input', 'input.value']);
  });
});

describe('content from the older GenAI conventions and other SDKs', () => {
  it.each([
    ['gen_ai.event.content', 'gen_ai.event.content'],
    ['llm.prompts', 'llm.prompts'],
    ['llm.completions', 'llm.completions'],
    ['llm.completions.0.content', 'llm.completions.*'],
    ['embedding.embeddings.0.embedding.text', 'embedding.embeddings.*'],
    ['reranker.query', 'reranker.query'],
    ['reranker.input_documents.0.document.content', 'reranker.input_documents.*'],
    ['reranker.output_documents.0.document.content', 'reranker.output_documents.*'],
    ['tool_call.function.arguments', 'tool_call.function.arguments'],
    ['langfuse.observation.input', 'langfuse.observation.input'],
    ['langfuse.observation.output', 'langfuse.observation.output'],
    ['langfuse.trace.input', 'langfuse.trace.input'],
    ['langfuse.trace.output', 'langfuse.trace.output'],
    ['mlflow.spanInputs', 'mlflow.spanInputs'],
    ['mlflow.spanOutputs', 'mlflow.spanOutputs'],
    ['gcp.vertex.agent.llm_request', 'gcp.vertex.agent.llm_request'],
    ['gcp.vertex.agent.llm_response', 'gcp.vertex.agent.llm_response'],
    ['gcp.vertex.agent.tool_call_args', 'gcp.vertex.agent.tool_call_args'],
    ['gcp.vertex.agent.tool_response', 'gcp.vertex.agent.tool_response'],
    ['tool_arguments', 'tool_arguments'],
    ['tool_response', 'tool_response'],
    ['all_messages_events', 'all_messages_events'],
    ['pydantic_ai.all_messages', 'pydantic_ai.all_messages'],
    ['final_result', 'final_result'],
    ['tool.args', 'tool.args'],
    ['tool.arguments', 'tool.arguments'],
    ['tool.input', 'tool.input'],
    ['tool.output', 'tool.output'],
    ['tool.result', 'tool.result'],
  ])('%s is content (listed as %s)', (key, label) => {
    expect(contentLabel(key)).toBe(label);
  });

  it.each([
    'langfuse.observation.metadata',
    'langfuse.observation.prompt.name',
    'mlflow.spanType',
    'tool.name',
    'tool.description',
    'tool.parameters',
    'llm.prompt_template.template',
    'llm.token_count.prompt',
  ])('%s is not content', (key) => {
    expect(contentLabel(key)).toBeNull();
  });

  it.each([
    ['gen_ai.system.message', { content: 'You are a support agent' }, ['content']],
    ['gen_ai.user.message', { content: 'refund order 1234' }, ['content']],
    [
      'gen_ai.assistant.message',
      { content: 'Looking it up', tool_calls: '[{"function":{"arguments":"{}"}}]' },
      ['content', 'tool_calls'],
    ],
    ['gen_ai.tool.message', { content: '{"status":"shipped"}', id: 'call_1' }, ['content']],
    [
      'gen_ai.choice',
      { message: '{"role":"assistant","content":"Refunded"}', 'message.content': 'Refunded' },
      ['message', 'message.*'],
    ],
  ])('drops the message fields of the %s event, keeping the rest', (eventName, fields, labels) => {
    const attrs = { 'gen_ai.system': 'openai', index: 0, finish_reason: 'stop', ...fields };
    const { attributes } = redactAttributes(attrs, { captureContent: false, eventName });
    const kept = Object.fromEntries(
      Object.entries(attrs).filter(([key]) => !(key in fields) || key === 'id'),
    );
    expect(attributes).toEqual({ ...kept, 'loopline.redacted': labels });
    expect(redactAttributes(attrs, { captureContent: true, eventName }).attributes).toBe(attrs);
  });

  it('keeps fields named content or message on other events', () => {
    const attrs = { content: 'cache warmed', message: 'ok' };
    expect(redactAttributes(attrs, { captureContent: false, eventName: 'exception' }).attributes).toBe(attrs);
    expect(redactAttributes(attrs, { captureContent: false }).attributes).toBe(attrs);
  });
});

describe('secrets are always masked', () => {
  it.each([
    ['anthropic_api_key', 'key sk-ant-api03-AbCdEf0123456789_xyzXYZ-abcdefghij done'],
    ['openai_api_key', 'OPENAI_API_KEY=sk-proj-Abc123Def456Ghi789Jkl012Mno345'],
    ['openai_api_key', 'sk-1234567890abcdefghijklmnop'],
    ['aws_access_key_id', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
    ['github_token', 'git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r'],
    ['github_token', 'token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
    ['slack_token', 'SLACK=xoxb-1234567890-abcdefghijkl'],
    ['google_api_key', 'key=AIzaSyA1234567890abcdefghijklmnopqrstuv'],
  ])('%s in %s', (kind, text) => {
    const masked = maskSecrets(text);
    expect(masked).toContain(`[REDACTED:${kind}]`);
    expect(masked).not.toMatch(
      /sk-ant-api03-AbC|sk-proj-Abc|AKIAIOSF|ghp_abc|github_pat_11|xoxb-123|AIzaSyA/,
    );
  });

  it('keeps the Bearer word and masks the token', () => {
    expect(maskSecrets('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe(
      'Authorization: Bearer [REDACTED:bearer_token]',
    );
  });

  it('masks private key blocks', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----';
    expect(maskSecrets(`key:\n${pem}\nend`)).toBe('key:\n[REDACTED:private_key]\nend');
  });

  it('leaves ordinary text alone (same string instance)', () => {
    const text = 'task-management-system-overview with risk-assessment and ask-for-help';
    expect(maskSecrets(text)).toBe(text);
  });

  it('masks nested values and content that is kept', () => {
    const attrs = {
      'gen_ai.input.messages': 'use sk-ant-api03-AbCdEf0123456789_xyzXYZ please',
      'http.request.header.authorization': ['Bearer abcdefgh12345678'],
      config: { nested: { token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' } },
    };
    const result = redactAttributes(attrs, { captureContent: true });
    expect(result.attributes).toEqual({
      'gen_ai.input.messages': 'use [REDACTED:anthropic_api_key] please',
      'http.request.header.authorization': ['Bearer [REDACTED:bearer_token]'],
      config: { nested: { token: '[REDACTED:github_token]' } },
    });
    expect(attrs.config.nested.token).toBe('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
  });
});

describe('log bodies', () => {
  it('replaces the body of a content event', () => {
    expect(redactBody('refund order 1234 please', 'claude_code.user_prompt', false)).toEqual({
      body: REDACTED_CONTENT,
      dropped: true,
    });
  });

  it('keeps a body that only repeats the event name', () => {
    expect(redactBody('claude_code.user_prompt', 'claude_code.user_prompt', false)).toEqual({
      body: 'claude_code.user_prompt',
      dropped: false,
    });
  });

  it('keeps content bodies when captured, still masking secrets', () => {
    expect(redactBody('my key is sk-ant-api03-AbCdEf0123456789_xyz', 'gen_ai.user.message', true)).toEqual({
      body: 'my key is [REDACTED:anthropic_api_key]',
      dropped: false,
    });
  });

  it('drops content keys inside a map body', () => {
    const result = redactBody({ 'gen_ai.input.messages': '[]', 'gen_ai.request.model': 'gpt-5' }, 'x', false);
    expect(result.dropped).toBe(true);
    expect(result.body).toMatchObject({ 'gen_ai.request.model': 'gpt-5' });
    expect(result.body).not.toHaveProperty('gen_ai.input.messages');
  });
});
