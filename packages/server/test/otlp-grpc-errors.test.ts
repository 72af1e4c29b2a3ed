import * as grpc from '@grpc/grpc-js';
import { decodeTracesJson, encodeTracesProto } from '@loopline/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
let client: grpc.Client;
beforeAll(async () => {
  server = await startTestServer();
  client = new grpc.Client(`127.0.0.1:${server.grpcPort}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await server?.close();
});

const identity = (b: Buffer): Buffer => b;

function exportTraces(
  body: Uint8Array,
): Promise<{ error: grpc.ServiceError | null; reply: Buffer | undefined }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      identity,
      identity,
      Buffer.from(body),
      (error, reply) => resolve({ error, reply }),
    );
  });
}

describe('OTLP/gRPC with bad input', () => {
  it('answers INVALID_ARGUMENT with the reason for a malformed message, then keeps serving', async () => {
    const bad = await exportTraces(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(bad.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.error?.details).toContain('OTLP_MALFORMED_BODY');
    const now = BigInt(Date.now()) * 1_000_000n;
    const good = encodeTracesProto(
      decodeTracesJson({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'grpc-ok' } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '1'.repeat(32),
                    spanId: '2'.repeat(16),
                    name: 'ok',
                    startTimeUnixNano: String(now - 1000n),
                    endTimeUnixNano: String(now),
                  },
                  { traceId: '0'.repeat(32), spanId: '3'.repeat(16), name: 'bad trace id' },
                ],
              },
            ],
          },
        ],
      }),
    );
    const ok = await exportTraces(good);
    expect(ok.error).toBeNull();
    // ExportTraceServiceResponse.partial_success.rejected_spans = 1: bytes 0a 0x 08 01 …
    expect([...(ok.reply ?? Buffer.alloc(0)).subarray(0, 4)]).toEqual([0x0a, ok.reply?.[1], 0x08, 0x01]);
    const result = await server.query({ dataset: 'grpc-ok', calculations: [{ op: 'COUNT' }] });
    expect(Object.values(result.totals)[0]).toBe(1);
  });
});
