import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type RawConnection, sleep } from './helpers/raw-http.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** a budget of 100 kB of request bodies in flight; clocks long enough not to interfere */
const limits = { maxInflightBytes: 100_000, bodyIdleTimeoutMs: 5000, requestTimeoutMs: 10_000 };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits });
});
afterAll(async () => {
  await server?.close();
});

/** an empty OTLP/JSON request padded with spaces to `bytes` */
function emptyExport(bytes: number): string {
  return '{"resourceSpans":[]}'.padEnd(bytes, ' ');
}
function head(bytes: number | 'chunked', path = '/v1/traces'): string {
  const length = bytes === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${bytes}`;
  return `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${length}\r\n\r\n`;
}

/** the first response on a connection, or a failure when none comes within a second */
async function firstResponse(conn: RawConnection): Promise<string> {
  const timeout = sleep(1000).then(() => 'no response within 1 s');
  return Promise.race([conn.waitFor('\r\n\r\n'), timeout]);
}

/** a request that holds `bytes` of the budget: its headers are sent, its body only begun */
async function holdBudget(bytes: number): Promise<{ conn: RawConnection; finish: () => void }> {
  const conn = await connect(server.httpPort);
  const body = emptyExport(bytes);
  conn.socket.write(head(bytes) + body.slice(0, 10));
  await sleep(50);
  return { conn, finish: () => conn.socket.write(body.slice(10)) };
}

describe('request bytes in flight are counted against a budget before they are buffered', () => {
  it('a body that does not fit beside those in flight gets 503 + Retry-After before it is sent', async () => {
    const held = await holdBudget(80_000);
    const refused = await connect(server.httpPort);
    refused.socket.write(head(50_000));
    const answer = await firstResponse(refused);
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer.toLowerCase()).toContain('retry-after: 1');
    const status = await refused.waitFor('}');
    expect(status).toContain('SERVER_BUSY');
    expect(status).toContain('--max-inflight-bytes');
    refused.socket.destroy();
    held.finish();
    expect(await firstResponse(held.conn)).toMatch(/^HTTP\/1\.1 200/);
    // answered: the budget is free again for a request of the refused size
    const after = await connect(server.httpPort);
    after.socket.write(head(50_000) + emptyExport(50_000));
    expect(await firstResponse(after)).toMatch(/^HTTP\/1\.1 200/);
    held.conn.socket.destroy();
    after.socket.destroy();
  });

  it('a chunked body is counted as it arrives, and refused once it passes the budget', async () => {
    const held = await holdBudget(80_000);
    const chunked = await connect(server.httpPort);
    chunked.socket.write(head('chunked'));
    const chunk = emptyExport(30_000);
    chunked.socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const answer = await firstResponse(chunked);
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(await chunked.waitFor('}')).toContain('SERVER_BUSY');
    held.finish();
    expect(await firstResponse(held.conn)).toMatch(/^HTTP\/1\.1 200/);
    held.conn.socket.destroy();
  });

  it('a request larger than the whole budget is still taken when nothing else is in flight', async () => {
    const conn = await connect(server.httpPort);
    conn.socket.write(head(150_000) + emptyExport(150_000));
    expect(await firstResponse(conn)).toMatch(/^HTTP\/1\.1 200/);
    conn.socket.destroy();
  });

  it('gRPC shares the budget: an export that does not fit is UNAVAILABLE with SERVER_BUSY', async () => {
    const held = await holdBudget(80_000);
    const client = new grpc.Client(`127.0.0.1:${server.grpcPort}`, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError | null>((resolve) => {
      client.makeUnaryRequest(
        '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(30_000),
        (err) => resolve(err),
      );
    });
    client.close();
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(error?.details).toContain('SERVER_BUSY');
    held.finish();
    expect(await firstResponse(held.conn)).toMatch(/^HTTP\/1\.1 200/);
    held.conn.socket.destroy();
  });
});

describe('a store that is behind refuses OTLP before the body is read', () => {
  it('answers 503 INGEST_OVERLOADED to the headers alone', async () => {
    const behind = await startTestServer({ grpcPort: null, maxPendingRows: -1, limits });
    try {
      const conn = await connect(behind.httpPort);
      conn.socket.write(head(1000));
      const answer = await firstResponse(conn);
      expect(answer).toMatch(/^HTTP\/1\.1 503/);
      expect(await conn.waitFor('}')).toContain('INGEST_OVERLOADED');
      conn.socket.destroy();
    } finally {
      await behind.close();
    }
  });
});
