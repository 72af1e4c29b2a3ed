/**
 * A scripted OpenAI Responses API on 127.0.0.1, enough for the real Codex CLI 0.169.0 with a custom
 * `model_provider` (`wire_api = "responses"`): `POST /v1/responses` with `stream: true`, answered as the
 * server-sent events Codex reads — `response.created`, `response.output_item.added` / `.done` for the one
 * output item, `response.completed` with `usage`. Anything else (Codex also posts
 * `/v1/analytics/codex/turn-costs`) gets a 404, which Codex ignores.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The usage one stub response reported (OpenAI's shape: input includes cached, output includes reasoning). */
export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/**
 * What the script answers one request with: a function call (Codex's `exec_command` shell tool takes
 * `{ cmd }`), a custom tool call (Codex's freeform `apply_patch` takes the patch text as `input`), or a
 * final text.
 */
export type ResponsesReply =
  | { step: string; call: { name: string; arguments: Record<string, unknown> } }
  | { step: string; custom: { name: string; input: string } }
  | { step: string; text: string };

export interface ResponsesCall {
  step: string;
  responseId: string;
  model: string;
  usage: ResponsesUsage;
  /** the tool call's `call_id` (Codex's hooks see it as `tool_use_id`) */
  callId?: string;
  /** the turn Codex says the request belongs to (`turn_id` of its `x-codex-turn-metadata` header) */
  turnId?: string;
  /** the request's `input` items and tool names */
  input: Array<Record<string, unknown>>;
  tools: string[];
}

export interface OpenAiStub {
  /** `http://127.0.0.1:<port>/v1`, for the provider's `base_url` */
  url: string;
  calls: ResponsesCall[];
  /** one line per request, for failure messages */
  log: () => string;
  close: () => Promise<void>;
}

/** Distinct token counts per call, so sums can be checked exactly. */
export function usageFor(n: number): ResponsesUsage {
  const cached = 500 * (n + 1);
  const input = cached + 100 + n;
  const reasoning = 7 + n;
  const output = 30 + 3 * n + reasoning;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}

function outputItem(reply: ResponsesReply, n: number, callId: string): Record<string, unknown> {
  if ('call' in reply) {
    return {
      type: 'function_call',
      id: `fc_stub_${n + 1}`,
      call_id: callId,
      name: reply.call.name,
      arguments: JSON.stringify(reply.call.arguments),
      status: 'completed',
    };
  }
  if ('custom' in reply) {
    return {
      type: 'custom_tool_call',
      id: `ctc_stub_${n + 1}`,
      call_id: callId,
      name: reply.custom.name,
      input: reply.custom.input,
      status: 'completed',
    };
  }
  return {
    type: 'message',
    id: `msg_stub_${n + 1}`,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: reply.text, annotations: [] }],
  };
}

function turnOf(header: string | string[] | undefined): string | undefined {
  try {
    const turnId = (JSON.parse(String(header)) as { turn_id?: unknown }).turn_id;
    return typeof turnId === 'string' ? turnId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the stub. `script` gets the request body and how many calls came before; every answer carries
 * `usageFor(n)`.
 */
export async function startOpenAiStub(
  script: (body: Record<string, unknown>, n: number) => ResponsesReply,
): Promise<OpenAiStub> {
  const calls: ResponsesCall[] = [];
  const lines: string[] = [];
  let callIds = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      if (req.method !== 'POST' || !(req.url ?? '').split('?')[0]?.endsWith('/responses')) {
        lines.push(`${req.method} ${req.url} → 404`);
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not scripted"}}');
        return;
      }
      const n = calls.length;
      const reply = script(body, n);
      const responseId = `resp_stub_${n + 1}`;
      const model = typeof body.model === 'string' ? body.model : 'gpt-5';
      const usage = usageFor(n);
      const input = Array.isArray(body.input) ? (body.input as Array<Record<string, unknown>>) : [];
      const tools = Array.isArray(body.tools)
        ? (body.tools as Array<{ name?: unknown }>).map((t) => String(t.name ?? '?'))
        : [];
      const callId = 'text' in reply ? undefined : `call_stub_${++callIds}`;
      const item = outputItem(reply, n, callId ?? '');
      const call: ResponsesCall = { step: reply.step, responseId, model, usage, input, tools };
      if (callId !== undefined) call.callId = callId;
      const turnId = turnOf(req.headers['x-codex-turn-metadata']);
      if (turnId !== undefined) call.turnId = turnId;
      calls.push(call);
      lines.push(`${req.method} ${req.url} model=${model} input=${input.length} → ${reply.step}`);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (type: string, data: object): void => {
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      };
      const response = { id: responseId, object: 'response', model };
      send('response.created', { response: { ...response, status: 'in_progress', output: [] } });
      send('response.output_item.added', { output_index: 0, item });
      send('response.output_item.done', { output_index: 0, item });
      send('response.completed', { response: { ...response, status: 'completed', output: [item], usage } });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    log: () => lines.join('\n'),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
