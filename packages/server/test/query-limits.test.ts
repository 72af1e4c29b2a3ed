import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateDemo } from '@loopline/demo';
import { encodeTracesProto } from '@loopline/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageStats } from '../src/storage/storage.ts';
import { call, type ErrorBody } from './helpers/api-client.ts';
import { bundleStorageWorker, removeBundle } from './helpers/storage-worker-bundle.ts';
import { startTestServer, type TestServer, tempDir } from './helpers/test-server.ts';

/**
 * One heavy query must not stall everything: queries have a time limit and are stopped in the engine when
 * it passes or their client goes away, too-big answers are cut or refused, and ingest and small queries
 * are answered while a heavy query runs. The store runs on its storage thread, as `loopline serve` runs it.
 */
const END = Date.UTC(2026, 10, 20, 12, 0, 0);
const WEEK = { start_time: END / 1000 - 8 * 86400, end_time: END / 1000 + 3600 };
/** a breakdown on span id with a percentile and a heatmap over every span of the week */
const HEAVY = {
  ...WEEK,
  calculations: [
    { op: 'P99', column: 'duration_ms' },
    { op: 'HEATMAP', column: 'duration_ms' },
  ],
  breakdowns: ['span_id'],
  orders: [{ op: 'P99', column: 'duration_ms', order: 'descending' }],
  limit: 10_000,
};
const SMALL = {
  ...WEEK,
  calculations: [{ op: 'COUNT' }],
  filters: [{ column: 'name', op: '=', value: 'none' }],
};
/** the demo's spans, copied with fresh span ids until the store holds this many */
const HEAVY_ROWS = 2_000_000;

let server: TestServer;
let dataDir: string;
let workerUrl: URL;

async function fillStore(dir: string): Promise<void> {
  const seed = await startTestServer({ dataDir: dir, grpcPort: null });
  for (const batch of generateDemo({ seed: 3, spans: 4000, endTimeMs: END, batchSpans: 2000 })) {
    const response = await fetch(`${seed.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeTracesProto(batch.resourceSpans),
    });
    expect(response.status).toBe(200);
  }
  await seed.close();
  const instance = await DuckDBInstance.create(path.join(dir, 'loopline.duckdb'));
  const connection = await instance.connect();
  for (let rows = 4000; rows < HEAVY_ROWS; rows *= 2) {
    await connection.run(
      'INSERT INTO spans SELECT * REPLACE (substr(md5(random()::VARCHAR), 1, 16) AS span_id) FROM spans',
    );
  }
  connection.closeSync();
  instance.closeSync();
}

beforeAll(async () => {
  dataDir = tempDir('limits');
  await fillStore(dataDir);
  workerUrl = await bundleStorageWorker();
  server = await startTestServer({
    dataDir,
    grpcPort: null,
    storageWorkerUrl: workerUrl,
    limits: { maxQueryTimeoutMs: 120_000 },
  });
}, 180_000);
afterAll(async () => {
  await server?.close();
  removeBundle(workerUrl);
  // the store is hundreds of MB: left in the temp folder, a few runs filled this machine's disk
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const health = async (): Promise<{ storage: StorageStats }> =>
  (await call<{ storage: StorageStats }>(server.httpUrl, 'GET', '/api/health')).body;

function postOneSpan(n: number): Promise<Response> {
  const now = Date.now();
  return fetch(`${server.httpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'beside-heavy' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: n.toString(16).padStart(32, '0'),
                  spanId: n.toString(16).padStart(16, '0'),
                  name: 'small',
                  startTimeUnixNano: String(BigInt(now) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(now + 1) * 1_000_000n),
                },
              ],
            },
          ],
        },
      ],
    }),
  });
}

describe('a heavy query', () => {
  it('is stopped past its time limit and the answer says so', async () => {
    const response = await call<ErrorBody>(server.httpUrl, 'POST', '/api/query?timeout_ms=150', HEAVY);
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe('QUERY_TIMEOUT');
    expect(response.body.error.message).toMatch(/150 ms time limit/);
    expect((await health()).storage.reads?.timedOut).toBeGreaterThanOrEqual(1);
  });

  it('refuses a time limit over the server maximum, saying what it is', async () => {
    const response = await call<ErrorBody>(server.httpUrl, 'POST', '/api/query?timeout_ms=999999', SMALL);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/from 1 to 120000/);
  });

  it('is stopped in the engine when its client goes away', async () => {
    const before = (await health()).storage.reads?.cancelled ?? 0;
    const controller = new AbortController();
    const heavy = fetch(`${server.httpUrl}/api/query?timeout_ms=120000`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(HEAVY),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    // once the heavy query holds a reader, the client leaves
    for (let i = 0; i < 200 && ((await health()).storage.reads?.busy ?? 0) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    controller.abort();
    expect(await heavy).toBeInstanceOf(Error);
    let cancelled = before;
    for (let i = 0; i < 200 && cancelled === before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      cancelled = (await health()).storage.reads?.cancelled ?? 0;
    }
    expect(cancelled).toBe(before + 1);
    expect((await health()).storage.reads?.busy).toBe(0);
  });

  it('does not hold back ingest or a small query running beside it', async () => {
    const finished: string[] = [];
    const heavy = call(server.httpUrl, 'POST', '/api/query?timeout_ms=120000', HEAVY).then((response) => {
      finished.push('heavy');
      return response;
    });
    for (let i = 0; i < 5; i++) {
      const ingest = await postOneSpan(1000 + i);
      expect(ingest.status).toBe(200);
      finished.push('ingest');
      const small = await call<{ totals: { COUNT: number } }>(server.httpUrl, 'POST', '/api/query', SMALL);
      expect(small.status).toBe(200);
      finished.push('small');
    }
    const answer = await heavy;
    // every small request was answered before the heavy query finished
    expect(finished.indexOf('heavy')).toBe(10);
    // and the heavy query's own answer is whole but cut to what one answer may hold
    expect(answer.status).toBe(200);
    const body = answer.body as { groups: unknown[]; series: unknown[]; meta: { warnings?: string[] } };
    expect(body.groups).toHaveLength(10_000);
    expect(body.meta.warnings?.join(' ')).toMatch(/series are shown for the first \d+ of up to 10000 groups/);
    const seriesGroups = new Set(body.series.map((s) => JSON.stringify((s as { key: unknown }).key)));
    expect(seriesGroups.size).toBeLessThan(10_000);
  });
});
