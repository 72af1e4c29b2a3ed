import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, sleep } from './helpers/raw-http.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const limits = {
  requestTimeoutMs: 400,
  headersTimeoutMs: 500,
  grpcIdleConnectionMs: 500,
  maxConnections: 2,
};
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits });
});
afterAll(async () => {
  await server?.close();
});

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function session(): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = http2.connect(`http://127.0.0.1:${server.grpcPort}`);
    s.once('remoteSettings', () => resolve(s));
    s.once('error', reject);
  });
}

interface GrpcAnswer {
  status: string | undefined;
  message: string;
  afterMs: number;
}

/** one Export call written by hand: `frame` is the gRPC-framed message, sent as it is, ended or not */
function exportCall(s: http2.ClientHttp2Session, frame: Buffer, end: boolean): Promise<GrpcAnswer> {
  const started = Date.now();
  const stream = s.request({
    ':method': 'POST',
    ':path': EXPORT,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  let headers: http2.IncomingHttpHeaders = {};
  stream.on('response', (h) => {
    headers = { ...headers, ...h };
  });
  stream.on('trailers', (h) => {
    headers = { ...headers, ...h };
  });
  stream.on('data', () => undefined);
  stream.on('error', () => undefined);
  if (end) stream.end(frame);
  else stream.write(frame);
  return new Promise((resolve) => {
    stream.on('close', () =>
      resolve({
        status: headers['grpc-status'] as string | undefined,
        message: decodeURIComponent(String(headers['grpc-message'] ?? '')),
        afterMs: Date.now() - started,
      }),
    );
  });
}

function closed(s: http2.ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    s.once('close', () => resolve());
    s.destroy();
  });
}

/** a gRPC frame announcing `declared` bytes and carrying `sent` of them */
function frame(declared: number, sent: number): Buffer {
  const prefix = Buffer.from([0, 0, 0, 0, 0]);
  prefix.writeUInt32BE(declared, 1);
  return Buffer.concat([prefix, Buffer.alloc(sent)]);
}

describe('OTLP/gRPC limits', () => {
  it('a request message that never completes ends with DEADLINE_EXCEEDED (REQUEST_TIMEOUT)', async () => {
    const s = await session();
    const answer = await exportCall(s, frame(100, 10), false);
    expect(answer.status).toBe('4');
    expect(answer.message).toContain('REQUEST_TIMEOUT');
    expect(answer.afterMs).toBeGreaterThanOrEqual(350);
    expect(answer.afterMs).toBeLessThan(1500);
    // the connection still serves a whole request (an empty export is a success)
    expect((await exportCall(s, frame(0, 0), true)).status).toBe('0');
    await closed(s);
  });

  it('past maxConnections a new connection is closed, while the first ones keep working', async () => {
    const first = await Promise.all([session(), session()]);
    const extra = await connect(server.grpcPort as number);
    const refused = await extra.answer;
    expect(refused.text).toBe('');
    expect(refused.closedAfterMs).toBeLessThan(500);
    for (const s of first) expect((await exportCall(s, frame(0, 0), true)).status).toBe('0');
    for (const s of first) await closed(s);
  });

  it('a connection that never finishes its HTTP/2 handshake is closed', async () => {
    const silent = await connect(server.grpcPort as number);
    const answer = await silent.answer;
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(400);
    expect(answer.closedAfterMs).toBeLessThan(2000);
  });

  it('a connection with no call is closed after the idle time', async () => {
    const s = await session();
    const closed = new Promise<number>((resolve) => {
      const started = Date.now();
      s.on('error', () => undefined);
      s.once('close', () => resolve(Date.now() - started));
    });
    expect(await Promise.race([closed, sleep(3000).then(() => -1)])).toBeGreaterThanOrEqual(400);
  });
});
