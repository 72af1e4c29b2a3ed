import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The usage one stub response reported (Anthropic's shape: input_tokens excludes cache). */
export interface StubUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export type StubBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown> };

/** What the script answers one request with. */
export interface StubReply {
  /** a label for the log */
  step: string;
  content: StubBlock[];
  stop_reason?: 'end_turn' | 'tool_use';
}

export interface StubRequest {
  method: string;
  path: string;
  model: string | null;
  stream: boolean;
  tools: string[];
  /** the first characters of the system prompt */
  system: string;
  messages: number;
  body: Record<string, unknown>;
}

/** One answered Messages call: what came in, what went out. */
export interface StubCall {
  request: StubRequest;
  step: string;
  messageId: string;
  /** the `request-id` header the answer carried (Claude Code reports it as `request_id`) */
  requestId: string;
  model: string;
  usage: StubUsage;
  content: StubBlock[];
}

export type StubScript = (request: StubRequest) => StubReply;

export interface AnthropicStub {
  url: string;
  /** every HTTP request, in arrival order */
  requests: StubRequest[];
  /** every POST /v1/messages answered, with the usage returned */
  calls: StubCall[];
  /** one line per request, for failure messages */
  log: () => string;
  close: () => Promise<void>;
}

/** Distinct, recognisable token counts per call, so sums can be checked exactly. */
function usageFor(n: number): StubUsage {
  const write5m = 100 + n * 10;
  const write1h = 20 + n;
  return {
    input_tokens: 11 + n,
    output_tokens: 40 + n * 3,
    cache_read_input_tokens: 1000 * (n + 1),
    cache_creation_input_tokens: write5m + write1h,
    cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h },
  };
}

function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  if (Array.isArray(system)) {
    return system.map((b) => (typeof b?.text === 'string' ? (b.text as string) : '')).join('\n');
  }
  return '';
}

function sse(res: http.ServerResponse, event: string, data: object): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * A scripted stand-in for the Anthropic Messages API on 127.0.0.1: streaming and non-streaming
 * POST /v1/messages (answered by `script`), count_tokens, and a harmless answer for anything else.
 */
export async function startAnthropicStub(script: StubScript): Promise<AnthropicStub> {
  const requests: StubRequest[] = [];
  const calls: StubCall[] = [];
  let toolCounter = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body) : {};
      } catch {
        body = {};
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const tools = Array.isArray(body.tools)
        ? (body.tools as Array<{ name?: unknown }>).map((t) => String(t.name ?? ''))
        : [];
      const request: StubRequest = {
        method: req.method ?? 'GET',
        path,
        model: typeof body.model === 'string' ? body.model : null,
        stream: body.stream === true,
        tools,
        system: systemText(body.system).slice(0, 300),
        messages: Array.isArray(body.messages) ? body.messages.length : 0,
        body,
      };
      requests.push(request);
      const requestId = `req_stub_${requests.length}`;
      res.setHeader('request-id', requestId);
      if (req.method === 'POST' && path.endsWith('/v1/messages/count_tokens')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ input_tokens: 42 }));
        return;
      }
      if (req.method !== 'POST' || !path.endsWith('/v1/messages')) {
        res.setHeader('content-type', 'application/json');
        res.end('{}');
        return;
      }
      const reply = script(request);
      const n = calls.length;
      const messageId = `msg_stub_${String(n + 1).padStart(2, '0')}`;
      const model = request.model ?? 'claude-sonnet-4-5';
      const usage = usageFor(n);
      const content = reply.content;
      calls.push({ request, step: reply.step, messageId, requestId, model, usage, content });
      const stopReason =
        reply.stop_reason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
      const blocks = content.map((b) =>
        b.type === 'text'
          ? b
          : { type: 'tool_use' as const, id: `toolu_stub_${++toolCounter}`, name: b.name, input: b.input },
      );
      if (!request.stream) {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            id: messageId,
            type: 'message',
            role: 'assistant',
            model,
            content: blocks,
            stop_reason: stopReason,
            stop_sequence: null,
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      sse(res, 'message_start', {
        type: 'message_start',
        message: {
          id: messageId,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      });
      blocks.forEach((block, index) => {
        if (block.type === 'text') {
          sse(res, 'content_block_start', {
            type: 'content_block_start',
            index,
            content_block: { type: 'text', text: '' },
          });
          sse(res, 'content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'text_delta', text: block.text },
          });
        } else {
          sse(res, 'content_block_start', {
            type: 'content_block_start',
            index,
            content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
          });
          sse(res, 'content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
          });
        }
        sse(res, 'content_block_stop', { type: 'content_block_stop', index });
      });
      sse(res, 'message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: usage.output_tokens },
      });
      sse(res, 'message_stop', { type: 'message_stop' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    calls,
    log: () =>
      requests
        .map((r, i) => {
          const call = calls.find((c) => c.request === r);
          return `#${i + 1} ${r.method} ${r.path} model=${r.model} stream=${r.stream} messages=${r.messages} tools=${r.tools.length}${r.tools.length > 0 ? `[${r.tools.slice(0, 40).join(',')}]` : ''}${call ? ` -> ${call.step} ${call.messageId}` : ''} system=${JSON.stringify(r.system.slice(0, 80))}`;
        })
        .join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
