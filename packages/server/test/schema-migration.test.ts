import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createTableSql } from '@loopline/query';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, tempDir } from './helpers/test-server.ts';

/** OTLP/JSON with one chat span for a priced model and one for a model the price table lacks. */
function chatSpans(): object {
  const span = (id: string, model: string) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: id,
    name: `chat ${model}`,
    kind: 3,
    startTimeUnixNano: String(BigInt(Date.now() - 5000) * 1_000_000n),
    endTimeUnixNano: String(BigInt(Date.now() - 4000) * 1_000_000n),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: model } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '100' } },
    ],
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'old-store' } }] },
        scopeSpans: [
          { spans: [span('eee19b7ec3c1b174', 'gpt-4o-mini'), span('eee19b7ec3c1b175', 'llama-9-local')] },
        ],
      },
    ],
  };
}

/** OTLP/JSON with one gauge point that has a time but no start time. */
function gaugeWithoutStart(): object {
  const dataPoints = [{ timeUnixNano: String(BigInt(Date.now() - 5000) * 1_000_000n), asDouble: 7 }];
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'old-store' } }] },
        scopeMetrics: [{ metrics: [{ name: 'queue.depth', gauge: { dataPoints } }] }],
      },
    ],
  };
}

describe('a store made by an earlier release', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('gains the columns added since (loopline.model.tier) and stores them', async () => {
    const dataDir = tempDir('migrate');
    // the spans table as the first release made it: no model_tier column
    const instance = await DuckDBInstance.create(path.join(dataDir, 'loopline.duckdb'));
    const connection = await instance.connect();
    await connection.run(createTableSql('spans'));
    await connection.run('ALTER TABLE spans DROP COLUMN model_tier');
    connection.closeSync();
    instance.closeSync();

    server = await startTestServer({ dataDir, grpcPort: null });
    const sent = await fetch(`${server.httpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chatSpans()),
    });
    expect(sent.status).toBe(200);
    const result = await server.query({ breakdowns: ['loopline.model.tier'], time_range: 3600 });
    const tiers = Object.fromEntries(
      result.groups.map((g) => [String(g.key['loopline.model.tier']), g.values.COUNT]),
    );
    expect(tiers).toEqual({ fast: 1, null: 1 });
    expect(fs.existsSync(path.join(dataDir, 'loopline.duckdb'))).toBe(true);
  });

  it('stores a gauge point without a start time where the first release required one', async () => {
    const dataDir = tempDir('migrate-metrics');
    // the first release's metrics table: start_timestamp and is_monotonic NOT NULL
    const instance = await DuckDBInstance.create(path.join(dataDir, 'loopline.duckdb'));
    const connection = await instance.connect();
    const firstRelease = createTableSql('metrics')
      .replace('"start_timestamp" TIMESTAMP', '"start_timestamp" TIMESTAMP NOT NULL')
      .replace('"is_monotonic" BOOLEAN', '"is_monotonic" BOOLEAN NOT NULL');
    expect(firstRelease).toContain('"is_monotonic" BOOLEAN NOT NULL');
    await connection.run(firstRelease);
    connection.closeSync();
    instance.closeSync();

    server = await startTestServer({ dataDir, grpcPort: null });
    const sent = await fetch(`${server.httpUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(gaugeWithoutStart()),
    });
    expect(sent.status, await sent.text()).toBe(200);
    const result = await server.query({
      source: 'metrics',
      breakdowns: ['metric.name', 'start_timestamp', 'metric.monotonic'],
      time_range: 3600,
    });
    expect(result.groups.map((g) => g.key)).toEqual([
      { 'metric.name': 'queue.depth', start_timestamp: null, 'metric.monotonic': null },
    ]);
  });
});
