import zlib from 'node:zlib';
import { decodeTracesJson, encodeTracesProto } from '@loopline/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 1024 * 1024, grpcPort: null });
});
afterAll(async () => {
  await server?.close();
});

const now = BigInt(Date.now()) * 1_000_000n;
function jsonSpan(i: number, traceId = 'a'.repeat(31) + (i % 10).toString()): object {
  return {
    traceId,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: `op-${i}`,
    kind: 1,
    startTimeUnixNano: String(now - 1_000_000n),
    endTimeUnixNano: String(now),
    attributes: [{ key: 'i', value: { intValue: String(i) } }],
  };
}
function jsonBody(dataset: string, spans: object[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: dataset } }] },
        scopeSpans: [{ scope: { name: 't' }, spans }],
      },
    ],
  });
}

async function post(
  body: Uint8Array | string,
  headers: Record<string, string>,
  path = '/v1/traces',
): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${server.httpUrl}${path}`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function count(dataset: string): Promise<number> {
  const result = await server.query({ dataset, calculations: [{ op: 'COUNT' }] });
  return Object.values(result.totals)[0] ?? 0;
}

const json = { 'content-type': 'application/json' };
type ErrorJson = { error: { code: string; message: string } };
const errorOf = async (response: Response): Promise<ErrorJson['error']> =>
  ((await response.json()) as ErrorJson).error;
const proto = { 'content-type': 'application/x-protobuf' };

describe('bad OTLP bodies get the right status and a clear message, and the server stays up', () => {
  it('garbage protobuf is a 400 with a google.rpc.Status naming the problem', async () => {
    const res = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), proto);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/x-protobuf');
    expect(res.text).toContain('OTLP_MALFORMED_BODY');
  });

  it('a truncated protobuf body is a 400, at any cut', async () => {
    const full = encodeTracesProto(decodeTracesJson(jsonBody('truncated', [jsonSpan(1), jsonSpan(2)])));
    for (const cut of [3, Math.floor(full.length / 2), full.length - 1]) {
      const res = await post(full.subarray(0, cut), proto);
      expect(res.status, `cut at ${cut} of ${full.length}`).toBe(400);
      expect(res.text).toContain('OTLP_MALFORMED_BODY');
    }
    expect(await count('truncated')).toBe(0);
  });

  it('text that is not JSON is a 400 with a JSON Status', async () => {
    const res = await post('{"resourceSpans": [', json);
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.code).toBe(3);
    expect(body.message).toContain('OTLP_MALFORMED_BODY');
  });

  it('wrongly typed JSON names the path of the bad field', async () => {
    const res = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: { spans: 1 } }] }), json);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).message).toMatch(/resourceSpans\[0\]\.scopeSpans/);
  });

  it('a broken gzip body is a 400 OTLP_BAD_COMPRESSION', async () => {
    const gz = zlib.gzipSync(jsonBody('gz-broken', [jsonSpan(1)]));
    const res = await post(gz.subarray(0, gz.length - 9), { ...json, 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).message).toContain('OTLP_BAD_COMPRESSION');
  });

  it('a good gzip body is accepted', async () => {
    const gz = zlib.gzipSync(jsonBody('gz-good', [jsonSpan(1), jsonSpan(2)]));
    const res = await post(gz, { ...json, 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(await count('gz-good')).toBe(2);
  });

  it('a body over the limit is a 413, raw or inflated from gzip', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    expect((await post(big, json)).status).toBe(413);
    const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const res = await post(bomb, { ...json, 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).message).toContain('OTLP_BODY_TOO_LARGE');
  });

  it('an unsupported content type is a 415', async () => {
    const res = await post('hello', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
  });

  it('a bad span is rejected by count while the rest of the batch is stored', async () => {
    const spans = [
      ...Array.from({ length: 9 }, (_, i) => jsonSpan(i)),
      jsonSpan(99, '00000000000000000000000000000000'),
    ];
    const res = await post(jsonBody('partial', spans), json);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(/trace id/i);
    expect(await count('partial')).toBe(9);
  });

  it('an empty request is a success', async () => {
    expect((await post(new Uint8Array(0), proto)).status).toBe(200);
    expect((await post('{}', json)).status).toBe(200);
  });

  it('after all of that the server is healthy and still ingests', async () => {
    const health = await fetch(`${server.httpUrl}/api/health`);
    expect(health.status).toBe(200);
    expect((await post(jsonBody('after', [jsonSpan(5)]), json)).status).toBe(200);
    expect(await count('after')).toBe(1);
  });
});

describe('API errors are { error: { code, message, details } } with stable codes', () => {
  it('an invalid query is a 400 QUERY_INVALID', async () => {
    const response = await fetch(`${server.httpUrl}/api/query`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ calculations: [{ op: 'MEDIAN', column: 'duration_ms' }] }),
    });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('QUERY_INVALID');
    expect(error.message).toContain('MEDIAN');
  });

  it('a malformed trace id is a 400 and an unknown one a 404', async () => {
    const bad = await fetch(`${server.httpUrl}/api/traces/not-hex`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe('BAD_REQUEST');
    const missing = await fetch(`${server.httpUrl}/api/traces/${'f'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('NOT_FOUND');
  });

  it('an unknown route is a 404 with the same error shape', async () => {
    const response = await fetch(`${server.httpUrl}/api/nope`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('NOT_FOUND');
  });
});
