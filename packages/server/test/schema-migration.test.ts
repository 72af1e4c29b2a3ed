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

/** OTLP/JSON logs and metrics from one scope, `@acme/meter` 2.0.1. */
function scopedLogsAndMetrics(): { logs: object; metrics: object } {
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'old-store' } }] };
  const scope = { name: '@acme/meter', version: '2.0.1' };
  const timeUnixNano = String(BigInt(Date.now() - 5000) * 1_000_000n);
  return {
    logs: { resourceLogs: [{ resource, scopeLogs: [{ scope, logRecords: [{ timeUnixNano }] }] }] },
    metrics: {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            { scope, metrics: [{ name: 'q', gauge: { dataPoints: [{ timeUnixNano, asInt: '1' }] } }] },
          ],
        },
      ],
    },
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

  it('gains the scope version of logs and metric points (otel.scope.version) and stores it', async () => {
    const dataDir = tempDir('migrate-scope');
    // the logs and metric_points tables before scope_version was kept
    const instance = await DuckDBInstance.create(path.join(dataDir, 'loopline.duckdb'));
    const connection = await instance.connect();
    for (const table of ['logs', 'metrics'] as const) {
      await connection.run(createTableSql(table));
    }
    await connection.run('ALTER TABLE logs DROP COLUMN scope_version');
    await connection.run('ALTER TABLE metric_points DROP COLUMN scope_version');
    connection.closeSync();
    instance.closeSync();

    server = await startTestServer({ dataDir, grpcPort: null });
    const { logs, metrics } = scopedLogsAndMetrics();
    for (const [route, body] of [
      ['/v1/logs', logs],
      ['/v1/metrics', metrics],
    ] as const) {
      const sent = await fetch(`${server.httpUrl}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(sent.status, await sent.text()).toBe(200);
    }
    for (const source of ['logs', 'metrics']) {
      const result = await server.query({
        source,
        breakdowns: ['otel.scope.name', 'otel.scope.version'],
        time_range: 3600,
      });
      expect(result.groups.map((g) => [g.key, g.values.COUNT])).toEqual([
        [{ 'otel.scope.name': '@acme/meter', 'otel.scope.version': '2.0.1' }, 1],
      ]);
    }
  });
});
