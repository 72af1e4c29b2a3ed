import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type RawConnection, request, sleep } from './helpers/raw-http.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** short clocks so the test is quick: a body may idle 300 ms and take 1.2 s in all */
const limits = { bodyIdleTimeoutMs: 300, requestTimeoutMs: 1200, headersTimeoutMs: 1000, maxConnections: 4 };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ grpcPort: null, limits });
});
afterAll(async () => {
  await server?.close();
});

function head(path: string, headers: string[]): string {
  return [`POST ${path} HTTP/1.1`, 'host: 127.0.0.1', ...headers, '', ''].join('\r\n');
}
const otlpJson = (extra: string): string => head('/v1/traces', ['content-type: application/json', extra]);

async function open(): Promise<RawConnection> {
  return connect(server.httpPort);
}

describe('a body that never finishes gets a 408 and its connection is closed', () => {
  it('a chunked body that goes silent: 408 with an OTLP status, closed after the idle time', async () => {
    const conn = await open();
    conn.socket.write(otlpJson('transfer-encoding: chunked'));
    conn.socket.write('5\r\n{"res\r\n');
    const answer = await conn.answer;
    expect(answer.status).toBe(408);
    // a google.rpc.Status in JSON, as for every OTLP error
    expect(JSON.parse(answer.text.split('\r\n\r\n')[1] ?? '')).toMatchObject({
      message: expect.stringContaining('REQUEST_TIMEOUT'),
    });
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(answer.closedAfterMs).toBeLessThan(1100);
  });

  it('a Content-Length longer than the body sent: 408 after the idle time', async () => {
    const conn = await open();
    conn.socket.write(otlpJson('content-length: 100'));
    conn.socket.write('{"resourceSpans"');
    const answer = await conn.answer;
    expect(answer.status).toBe(408);
    expect(answer.text).toContain('REQUEST_TIMEOUT');
    expect(answer.closedAfterMs).toBeLessThan(1100);
  });

  it('a byte every 150 ms never idles, and still gets its 408 at the body deadline', async () => {
    const conn = await open();
    conn.socket.write(otlpJson('content-length: 1000'));
    const drip = setInterval(() => conn.socket.writable && conn.socket.write(' '), 150);
    const answer = await conn.answer;
    clearInterval(drip);
    expect(answer.status).toBe(408);
    expect(answer.text).toContain('within 1200 ms');
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(1150);
    expect(answer.closedAfterMs).toBeLessThan(2500);
  });

  it('the same on the JSON API, in its own error shape', async () => {
    const conn = await open();
    conn.socket.write(head('/api/query', ['content-type: application/json', 'content-length: 50']));
    conn.socket.write('{"calc');
    const answer = await conn.answer;
    expect(answer.status).toBe(408);
    expect(answer.text).toContain('"code":"REQUEST_TIMEOUT"');
  });

  it('headers that never finish: 408 from the headers clock', async () => {
    const conn = await open();
    conn.socket.write('POST /v1/traces HTTP/1.1\r\nhost: 127.0.0.1\r\n');
    const answer = await conn.answer;
    expect(answer.status).toBe(408);
    expect(answer.text).toContain('REQUEST_TIMEOUT');
    expect(answer.closedAfterMs).toBeLessThan(2500);
  });
});

describe('open connections are capped', () => {
  it('past maxConnections a new connection is closed unanswered, while the first ones keep working', async () => {
    const health = 'GET /api/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n';
    const first = await Promise.all(Array.from({ length: limits.maxConnections }, open));
    for (const conn of first) {
      conn.socket.write(health);
      await conn.waitFor('"status":"ok"');
    }
    const extra = await open();
    extra.socket.write(health);
    const refused = await extra.answer;
    expect(refused.status).toBeNull();
    expect(refused.text).toBe('');
    // the first connections, kept alive, answer a second request
    for (const conn of first) {
      conn.socket.write(health);
      const text = await conn.waitFor('"status":"ok"', 2);
      expect(text.split('HTTP/1.1 200 OK').length).toBe(3);
    }
    for (const conn of first) conn.socket.destroy();
    await sleep(50);
    expect((await request(`${server.httpUrl}/api/health`, {})).status).toBe(200);
  });
});
