import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postTraces } from '../src/commands/hook-transport.ts';
import { ROOT, runProcess, tempDir } from './cli-process.ts';

const HOOK = path.join(ROOT, 'packages/cli/dist/hook.cjs');

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** A real node:http server that records each request and answers with `answer`. */
async function httpServer(
  answer: (res: http.ServerResponse) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(res);
    });
  });
  return { url: await listen(server), received };
}

/** A TCP server that runs `onSocket` for each connection (answers that no HTTP server would give). */
async function rawServer(onSocket: (socket: net.Socket) => void): Promise<string> {
  return listen(net.createServer(onSocket));
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const BODY = JSON.stringify({ resourceSpans: [], note: 'é … 漢字 ✓' });

describe('postTraces over http: (a hand-written HTTP/1.1 request)', () => {
  it('sends the body with the headers node:http sent, and a 2xx means delivered', async () => {
    const server = await httpServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"partialSuccess":{}}');
    });
    const result = await postTraces({ endpoint: server.url, apiKey: 'k-123' }, BODY, 2000);
    expect(result).toMatchObject({ ok: true, status: 200, retryable: false });
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/traces');
    expect(request?.body).toBe(BODY);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(BODY)),
      authorization: 'Bearer k-123',
      host: new URL(server.url).host,
    });
  });

  it('sends no authorization header without an API key, and keeps a base path', async () => {
    const server = await httpServer((res) => {
      res.writeHead(204);
      res.end();
    });
    const first = await postTraces({ endpoint: `${server.url}/otlp/` }, BODY, 2000);
    const second = await postTraces({ endpoint: `${server.url}/v1/traces` }, BODY, 2000);
    expect(first).toMatchObject({ ok: true, status: 204 });
    expect(second).toMatchObject({ ok: true, status: 204 });
    expect(server.received.map((r) => r.url)).toEqual(['/otlp/v1/traces', '/v1/traces']);
    expect(server.received[0]?.headers.authorization).toBeUndefined();
  });

  it("an endpoint's user:password@ is sent as basic auth, as node:http did; an API key wins", async () => {
    const server = await httpServer((res) => res.end());
    const withCredentials = server.url.replace('http://', 'http://ada:s%3Acret@');
    expect(await postTraces({ endpoint: withCredentials }, BODY, 2000)).toMatchObject({ ok: true });
    expect(await postTraces({ endpoint: withCredentials, apiKey: 'k' }, BODY, 2000)).toMatchObject({
      ok: true,
    });
    expect(server.received.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from('ada:s:cret').toString('base64')}`,
      'Bearer k',
    ]);
  });

  it('a 4xx that will never be accepted is not retryable; its answer is the detail', async () => {
    const server = await httpServer((res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"code":3,"message":"INVALID_ARGUMENT: bad span"}');
    });
    const result = await postTraces({ endpoint: server.url }, BODY, 2000);
    expect(result).toEqual({
      ok: false,
      status: 400,
      retryable: false,
      detail: '{"code":3,"message":"INVALID_ARGUMENT: bad span"}',
    });
  });

  it('a 5xx is kept for later (retryable), its chunked answer decoded', async () => {
    const server = await httpServer((res) => {
      res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' });
      res.write('storage ');
      setTimeout(() => res.end('is busy'), 20);
    });
    const result = await postTraces({ endpoint: server.url }, BODY, 2000);
    expect(result).toEqual({ ok: false, status: 503, retryable: true, detail: 'storage is busy' });
  });

  it('a refused connection is no answer (retryable)', async () => {
    const port = await closedPort();
    const result = await postTraces({ endpoint: `http://127.0.0.1:${port}` }, BODY, 2000);
    expect(result).toEqual({ ok: false, status: null, retryable: true, detail: 'ECONNREFUSED' });
  });

  it('a server that never answers costs the deadline, no more', async () => {
    const url = await rawServer(() => {
      // reads the request and says nothing
    });
    const started = Date.now();
    const result = await postTraces({ endpoint: url }, BODY, 300);
    const elapsed = Date.now() - started;
    expect(result).toEqual({ ok: false, status: null, retryable: true, detail: 'no answer within 300 ms' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it('a connection closed without an answer, or an answer that is not HTTP, is no answer', async () => {
    const closing = await rawServer((socket) => socket.once('data', () => socket.destroy()));
    expect(await postTraces({ endpoint: closing }, BODY, 2000)).toEqual({
      ok: false,
      status: null,
      retryable: true,
      detail: 'connection closed without an answer',
    });
    const garbage = await rawServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH\r\n')));
    const result = await postTraces({ endpoint: garbage }, BODY, 2000);
    expect(result).toMatchObject({ ok: false, status: null, retryable: true });
    expect(result.detail).toContain('not an HTTP answer');
  });

  it('reads a status line that arrives in pieces, after an interim 100 Continue', async () => {
    const url = await rawServer((socket) =>
      socket.once('data', () => {
        const parts = ['HTTP/1.1 100 Continue\r\n\r\nHT', 'TP/1.1 2', '00 OK\r\ncontent-length: 2\r\n\r\n{}'];
        for (const [i, part] of parts.entries()) setTimeout(() => socket.write(part), 10 * (i + 1));
      }),
    );
    expect(await postTraces({ endpoint: url }, BODY, 2000)).toMatchObject({ ok: true, status: 200 });
  });

  it('never sends an API key that would break the request head', async () => {
    const server = await httpServer((res) => res.end());
    const result = await postTraces({ endpoint: server.url, apiKey: 'k\r\nx-evil: 1' }, BODY, 2000);
    expect(result).toMatchObject({ ok: false, status: null, retryable: false });
    expect(server.received).toHaveLength(0);
  });

  it('https: endpoints still go through node:https', async () => {
    const port = await closedPort();
    const result = await postTraces({ endpoint: `https://127.0.0.1:${port}` }, BODY, 2000);
    expect(result).toEqual({ ok: false, status: null, retryable: true, detail: 'ECONNREFUSED' });
  });
});

describe('the hook process (dist/hook.cjs) sending a turn', () => {
  async function turn(endpoint: string): Promise<{ spool: string; ms: number }> {
    const home = tempDir('transport-home');
    const looplineHome = tempDir('transport-loopline');
    const env = { ...process.env, HOME: home, LOOPLINE_HOME: looplineHome, LOOPLINE_ENDPOINT: endpoint };
    const base = { session_id: 'transport-1', cwd: home, prompt_id: 'p1' };
    const prompt = await runProcess(process.execPath, [HOOK, 'claude-code'], {
      env,
      stdin: JSON.stringify({ ...base, hook_event_name: 'UserPromptSubmit', prompt: 'hi' }),
    });
    expect(prompt.code).toBe(0);
    const stop = await runProcess(process.execPath, [HOOK, 'claude-code'], {
      env,
      stdin: JSON.stringify({ ...base, hook_event_name: 'Stop' }),
    });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe('');
    return { spool: path.join(looplineHome, 'spool'), ms: stop.ms };
  }

  const spooled = (dir: string): string[] =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];

  it('delivered to a 2xx server: the server has the turn, nothing is spooled', async () => {
    const server = await httpServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const { spool } = await turn(server.url);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.headers['content-type']).toBe('application/json');
    const sent = JSON.parse(server.received[0]!.body) as {
      resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
    };
    expect(sent.resourceSpans[0]?.scopeSpans[0]?.spans.map((s) => s.name)).toEqual([
      'invoke_agent claude-code',
    ]);
    expect(spooled(spool)).toEqual([]);
  });

  it('a server that never answers: the hook gives up at its deadline and spools the turn', async () => {
    let requests = 0;
    const url = await rawServer((socket) => socket.once('data', () => requests++));
    const { spool, ms } = await turn(url);
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(4000);
    const files = spooled(spool);
    expect(files).toHaveLength(1);
    expect(fs.readFileSync(path.join(spool, files[0]!), 'utf8')).toContain('invoke_agent claude-code');
  });

  it('a 5xx answer: the turn is spooled; a 400: it is dropped (logged), never resent', async () => {
    const busy = await httpServer((res) => {
      res.writeHead(503);
      res.end('busy');
    });
    expect(spooled((await turn(busy.url)).spool)).toHaveLength(1);
    const refusing = await httpServer((res) => {
      res.writeHead(400);
      res.end('bad');
    });
    expect(spooled((await turn(refusing.url)).spool)).toEqual([]);
    expect(refusing.received).toHaveLength(1);
  });
});
