import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted stand-in for the Gemini API (generativelanguage, v1beta) on 127.0.0.1, for the real Gemini
 * CLI pointed at it with `GOOGLE_GEMINI_BASE_URL`. What Gemini CLI 0.61.0 calls for a `-p` prompt:
 * `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` (server-sent events, one JSON chunk per
 * `data:` line), once per step of its agent loop; `:generateContent` and `:countTokens` are answered too.
 */

/** The usage of one call, in the Gemini API's `usageMetadata` shape. */
export interface GeminiUsage {
  /** includes `cachedContentTokenCount` */
  promptTokenCount: number;
  /** excludes `thoughtsTokenCount` */
  candidatesTokenCount: number;
  cachedContentTokenCount: number;
  thoughtsTokenCount: number;
  totalTokenCount: number;
}

export type GeminiPart = { text: string } | { functionCall: { name: string; args: Record<string, unknown> } };

/** What the script answers one call with. */
export interface GeminiReply {
  /** a label for the log */
  step: string;
  parts: GeminiPart[];
}

export interface GeminiRequest {
  method: string;
  path: string;
  /** from the path: `/v1beta/models/{model}:{action}` */
  model: string | null;
  action: string | null;
  /** the function declarations offered */
  tools: string[];
  /** the conversation's length and how many function responses it holds */
  contents: number;
  functionResponses: number;
  body: Record<string, unknown>;
}

/** One answered generate call: what came in, what went out. */
export interface GeminiCall {
  request: GeminiRequest;
  step: string;
  responseId: string;
  model: string;
  usage: GeminiUsage;
  parts: GeminiPart[];
}

export type GeminiScript = (request: GeminiRequest) => GeminiReply;

export interface GeminiStub {
  url: string;
  /** every HTTP request, in arrival order */
  requests: GeminiRequest[];
  /** every generateContent / streamGenerateContent answered, with the usage returned */
  calls: GeminiCall[];
  /** one line per request, for failure messages */
  log: () => string;
  close: () => Promise<void>;
}

/** Distinct, recognisable token counts per call, so sums can be checked exactly. */
function usageFor(n: number): GeminiUsage {
  const prompt = 1200 + n * 101;
  const candidates = 30 + n * 7;
  const thoughts = 8 + n;
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    cachedContentTokenCount: 1000 + n * 50,
    thoughtsTokenCount: thoughts,
    totalTokenCount: prompt + candidates + thoughts,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function toolNames(body: Record<string, unknown>): string[] {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  return tools.flatMap((tool: unknown) =>
    isRecord(tool) && Array.isArray(tool.functionDeclarations)
      ? tool.functionDeclarations.map((f: unknown) => (isRecord(f) ? String(f.name ?? '') : ''))
      : [],
  );
}

function functionResponses(contents: unknown[]): number {
  let n = 0;
  for (const content of contents) {
    const parts = isRecord(content) && Array.isArray(content.parts) ? content.parts : [];
    for (const part of parts) if (isRecord(part) && part.functionResponse !== undefined) n++;
  }
  return n;
}

function candidate(parts: GeminiPart[], finished: boolean) {
  return { content: { role: 'model', parts }, index: 0, ...(finished ? { finishReason: 'STOP' } : {}) };
}

export async function startGeminiStub(script: GeminiScript): Promise<GeminiStub> {
  const requests: GeminiRequest[] = [];
  const calls: GeminiCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        const parsed: unknown = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        if (isRecord(parsed)) body = parsed;
      } catch {
        body = {};
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const match = /\/models\/([^/:]+):(\w+)$/.exec(path);
      const contents = Array.isArray(body.contents) ? body.contents : [];
      const request: GeminiRequest = {
        method: req.method ?? 'GET',
        path,
        model: match?.[1] ?? null,
        action: match?.[2] ?? null,
        tools: toolNames(body),
        contents: contents.length,
        functionResponses: functionResponses(contents),
        body,
      };
      requests.push(request);
      const json = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method !== 'POST' || request.model === null) {
        json(404, {
          error: { code: 404, message: `not in the stub: ${req.method} ${path}`, status: 'NOT_FOUND' },
        });
        return;
      }
      if (request.action === 'countTokens') {
        json(200, { totalTokens: 42 });
        return;
      }
      if (request.action !== 'streamGenerateContent' && request.action !== 'generateContent') {
        json(404, { error: { code: 404, message: `no ${request.action} in the stub`, status: 'NOT_FOUND' } });
        return;
      }
      const reply = script(request);
      const n = calls.length;
      const responseId = `resp_stub_${String(n + 1).padStart(2, '0')}`;
      const model = request.model;
      const usage = usageFor(n);
      calls.push({ request, step: reply.step, responseId, model, usage, parts: reply.parts });
      const final = {
        candidates: [candidate(reply.parts, true)],
        usageMetadata: usage,
        modelVersion: model,
        responseId,
      };
      if (request.action === 'generateContent') {
        json(200, final);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (chunk: object): void => void res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
      const [head, ...rest] = reply.parts;
      if (head !== undefined && 'text' in head && rest.length === 0 && head.text.length > 1) {
        // text streams in two chunks; only the last carries the call's full usage (Gemini CLI keeps it)
        const cut = Math.floor(head.text.length / 2);
        send({
          candidates: [candidate([{ text: head.text.slice(0, cut) }], false)],
          usageMetadata: {
            promptTokenCount: usage.promptTokenCount,
            totalTokenCount: usage.promptTokenCount,
          },
          modelVersion: model,
          responseId,
        });
        send({ ...final, candidates: [candidate([{ text: head.text.slice(cut) }], true)] });
      } else {
        send(final);
      }
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
          return `#${i + 1} ${r.method} ${r.path} tools=${r.tools.length} contents=${r.contents} functionResponses=${r.functionResponses}${call ? ` -> ${call.step} ${call.responseId}` : ''}`;
        })
        .join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
