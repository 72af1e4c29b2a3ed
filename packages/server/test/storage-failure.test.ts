import * as grpc from '@grpc/grpc-js';
import { isAppError } from '@loopline/model';
import { encodeTracesProto } from '@loopline/otlp';
import { describe, expect, it } from 'vitest';
import { errorText } from '../src/error-text.ts';
import { call, type ErrorBody, resourceSpans } from './helpers/api-client.ts';
import { bundleStorageWorker, removeBundle } from './helpers/storage-worker-bundle.ts';
import { startTestServer } from './helpers/test-server.ts';

const now = BigInt(Date.now()) * 1_000_000n;
const BODY = JSON.stringify({
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: [
            {
              traceId: '1'.repeat(32),
              spanId: '1'.repeat(16),
              name: 'x',
              startTimeUnixNano: String(now - 1000n),
              endTimeUnixNano: String(now),
            },
          ],
        },
      ],
    },
  ],
});

/** Words of DuckDB's own messages for a closed or failing database: none may reach a client. */
const ENGINE_TEXT = /duckdb|connection|database|closed|catalog|binder|sql/i;

function grpcExport(port: number): Promise<grpc.ServiceError | null> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const spans = Buffer.from(
    encodeTracesProto([
      resourceSpans('grpc', [
        { traceId: '2'.repeat(32), spanId: '2'.repeat(16), name: 'y', startMs: Date.now(), durationMs: 1 },
      ]),
    ]),
  );
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (b: Buffer) => b,
      (b: Buffer) => b,
      spans,
      (error) => {
        client.close();
        resolve(error);
      },
    );
  });
}

describe('when the store fails under the receiver', () => {
  it('answers 503 with Retry-After (so exporters keep their data and retry) and stays up', async () => {
    const server = await startTestServer({ grpcPort: null });
    await server.storage.close();
    const response = await fetch(`${server.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await response.json()) as { message: string }).message).toMatch(/^STORAGE_FAILED: /);
    expect((await fetch(`${server.httpUrl}/api/health`)).status).toBe(200);
    await server.close().catch(() => undefined);
  });

  it("answers with a code and keeps the engine's message in the server log only", async () => {
    const logged: string[] = [];
    const server = await startTestServer({ log: (line) => logged.push(line) });
    await server.storage.close();

    const otlp = await fetch(`${server.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    });
    const otlpMessage = ((await otlp.json()) as { message: string }).message;
    expect(otlpMessage).toMatch(/^STORAGE_FAILED: /);
    expect(otlpMessage).not.toMatch(ENGINE_TEXT);

    const query = await call<ErrorBody>(server.httpUrl, 'POST', '/api/query', {
      calculations: [{ op: 'COUNT' }],
    });
    expect(query.status).toBe(500);
    expect(query.body.error.code).toBe('STORAGE_FAILED');
    expect(query.body.error.message).not.toMatch(ENGINE_TEXT);
    expect(JSON.stringify(query.body.error.details)).toBe('{}');

    const datasets = await call<ErrorBody>(server.httpUrl, 'GET', '/api/datasets');
    expect(datasets.body.error.code).toBe('STORAGE_FAILED');
    expect(datasets.body.error.message).not.toMatch(ENGINE_TEXT);

    const grpcError = await grpcExport(server.grpcPort as number);
    expect(grpcError?.code).toBe(grpc.status.UNAVAILABLE);
    expect(grpcError?.details).toMatch(/^STORAGE_FAILED: /);
    expect(grpcError?.details).not.toMatch(ENGINE_TEXT);

    // the operator still learns what went wrong
    expect(logged.filter((line) => ENGINE_TEXT.test(line)).length).toBeGreaterThanOrEqual(3);
    await server.close().catch(() => undefined);
  });

  it("logs a failed query with the engine's error as its cause, and answers with the code alone", async () => {
    const logged: string[] = [];
    const server = await startTestServer({ grpcPort: null, log: (line) => logged.push(line) });
    await server.storage.close();

    const query = await call<ErrorBody>(server.httpUrl, 'POST', '/api/query', {
      calculations: [{ op: 'COUNT' }],
    });
    expect(query.body.error.code).toBe('STORAGE_FAILED');
    expect(JSON.stringify(query.body)).not.toMatch(ENGINE_TEXT);

    // one log line: the coded error first (its message free of the engine's text), then what it wraps
    const line = logged.find((entry) => entry.startsWith('error: AppError: query failed')) ?? '';
    const [head, cause] = line.split('\ncaused by: ');
    expect(head?.split('\n')[0]).toBe('error: AppError: query failed in the store');
    expect(cause).toMatch(ENGINE_TEXT);
    await server.close().catch(() => undefined);
  });

  it('logs a failed checkpoint and counts it in the health answer', async () => {
    const logged: string[] = [];
    const server = await startTestServer({
      grpcPort: null,
      checkpointIntervalMs: 20,
      log: (line) => logged.push(line),
    });
    await server.storage.close();
    for (let i = 0; i < 100 && !logged.some((line) => line.startsWith('checkpoint failed')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(logged.find((line) => line.startsWith('checkpoint failed'))).toBeDefined();
    const health = await call<{ storage: { checkpoints: { failed: number; lastFailedAt: string } } }>(
      server.httpUrl,
      'GET',
      '/api/health',
    );
    expect(health.body.storage.checkpoints.failed).toBeGreaterThanOrEqual(1);
    await server.close().catch(() => undefined);
  });
});

describe('when a read fails on the storage thread', () => {
  it("brings the engine's error back as the cause, for the log only", async () => {
    const workerUrl = await bundleStorageWorker();
    const server = await startTestServer({ grpcPort: null, storageWorkerUrl: workerUrl });
    try {
      const failed = await server.storage.query('SELECT * FROM no_such_table', []).catch((e: unknown) => e);
      expect(isAppError(failed) && failed.code).toBe('STORAGE_FAILED');
      expect((failed as Error).message).not.toMatch(/no_such_table/);
      expect(((failed as Error).cause as Error).message).toMatch(/no_such_table/);
      expect(errorText(failed)).toMatch(/\ncaused by: .*no_such_table/);
    } finally {
      await server.close();
      removeBundle(workerUrl);
    }
  });
});
