import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as MetricsJson,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const grpcUrl = (): string => `http://127.0.0.1:${server.grpcPort}`;

const transports = [
  { name: 'proto', trace: () => new TraceProto({ url: `${server.httpUrl}/v1/traces` }) },
  { name: 'json', trace: () => new TraceJson({ url: `${server.httpUrl}/v1/traces` }) },
  { name: 'grpc', trace: () => new TraceGrpc({ url: grpcUrl() }) },
] as const;

describe.each(transports)('traces over OTLP $name from the official exporter', ({ name, trace }) => {
  const dataset = `exporter-${name}`;
  // eighths of a millisecond are exact in binary floats, so what the SDK sends is exactly these values
  const durations = Array.from({ length: 200 }, (_, i) => 5 + ((i * 37) % 200) + i / 8);
  const tokens = durations.map((_, i) => 100 + i * 3);

  beforeAll(async () => {
    const exporter: SpanExporter = trace();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': dataset }),
      spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 64 })],
    });
    const tracer = provider.getTracer('loopline-test');
    const base = Date.now() - 60_000;
    durations.forEach((ms, i) => {
      const span = tracer.startSpan(`chat claude-sonnet-4-5`, {
        startTime: base + i,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': i % 2 === 0 ? 'claude-sonnet-4-5' : 'claude-haiku-4-5',
          'gen_ai.usage.input_tokens': tokens[i] as number,
          'gen_ai.usage.output_tokens': 10,
          'test.index': i,
        },
      });
      span.end(base + i + ms);
    });
    await provider.forceFlush();
    await provider.shutdown();
  });

  it('stores every span: the count, the token sum and the percentiles equal what was sent', async () => {
    const result = await server.query({
      dataset,
      calculations: [
        { op: 'COUNT' },
        { op: 'SUM', column: 'gen_ai.usage.input_tokens' },
        { op: 'P50', column: 'duration_ms' },
        { op: 'P95', column: 'duration_ms' },
        { op: 'MAX', column: 'duration_ms' },
      ],
    });
    const values = Object.values(result.totals);
    expect(values[0]).toBe(200);
    expect(values[1]).toBe(tokens.reduce((a, b) => a + b, 0));
    expect(values[2]).toBeCloseTo(percentile(durations, 0.5), 6);
    expect(values[3]).toBeCloseTo(percentile(durations, 0.95), 6);
    expect(values[4]).toBeCloseTo(Math.max(...durations), 6);
  });

  it('breaks down by model with the counts that were sent', async () => {
    const result = await server.query({
      dataset,
      breakdowns: ['gen_ai.request.model'],
      calculations: [{ op: 'COUNT' }],
    });
    const counts = Object.fromEntries(
      result.groups.map((g) => [g.key['gen_ai.request.model'], Object.values(g.values)[0]]),
    );
    expect(counts).toEqual({ 'claude-sonnet-4-5': 100, 'claude-haiku-4-5': 100 });
  });
});

const logTransports = [
  { name: 'proto', make: () => new LogsProto({ url: `${server.httpUrl}/v1/logs` }) },
  { name: 'json', make: () => new LogsJson({ url: `${server.httpUrl}/v1/logs` }) },
  { name: 'grpc', make: () => new LogsGrpc({ url: grpcUrl() }) },
] as const;

describe.each(logTransports)('logs over OTLP $name', ({ name, make }) => {
  it('stores each record with its body and attributes', async () => {
    const dataset = `logs-${name}`;
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': dataset }),
      processors: [new SimpleLogRecordProcessor({ exporter: make() })],
    });
    const logger = provider.getLogger('loopline-test');
    for (let i = 0; i < 25; i++) {
      logger.emit({
        body: `request ${i}`,
        severityNumber: 9,
        attributes: { 'event.name': 'api_request', cost: i },
      });
    }
    await provider.forceFlush();
    await provider.shutdown();
    const result = await server.query({
      source: 'logs',
      dataset,
      calculations: [{ op: 'COUNT' }, { op: 'SUM', column: 'cost' }],
    });
    expect(Object.values(result.totals)).toEqual([25, (24 * 25) / 2]);
  });
});

const metricTransports = [
  {
    name: 'proto',
    make: () =>
      new MetricsProto({
        temporalityPreference: AggregationTemporalityPreference.DELTA,
        url: `${server.httpUrl}/v1/metrics`,
      }),
  },
  {
    name: 'json',
    make: () =>
      new MetricsJson({
        temporalityPreference: AggregationTemporalityPreference.DELTA,
        url: `${server.httpUrl}/v1/metrics`,
      }),
  },
  {
    name: 'grpc',
    make: () =>
      new MetricsGrpc({ temporalityPreference: AggregationTemporalityPreference.DELTA, url: grpcUrl() }),
  },
] as const;

describe.each(metricTransports)('metrics over OTLP $name', ({ name, make }) => {
  it('stores sums and histograms with the values recorded', async () => {
    const dataset = `metrics-${name}`;
    // delta temporality: every exported point is new data, so SUM over points is the total recorded
    const reader = new PeriodicExportingMetricReader({ exporter: make(), exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': dataset }),
      readers: [reader],
    });
    const meter = provider.getMeter('loopline-test');
    const counter = meter.createCounter('gen_ai.test.tokens');
    const histogram = meter.createHistogram('gen_ai.test.duration');
    for (let i = 1; i <= 10; i++) {
      counter.add(i, { model: i % 2 ? 'a' : 'b' });
      histogram.record(i / 10);
    }
    await provider.forceFlush();
    await provider.shutdown();
    const sums = await server.query({
      source: 'metrics',
      dataset,
      filters: [{ column: 'metric.name', op: '=', value: 'gen_ai.test.tokens' }],
      breakdowns: ['model'],
      calculations: [{ op: 'SUM', column: 'value' }],
      orders: [{ column: 'model', order: 'ascending' }],
    });
    expect(sums.groups.map((g) => [g.key.model, Object.values(g.values)[0]])).toEqual([
      ['a', 1 + 3 + 5 + 7 + 9],
      ['b', 2 + 4 + 6 + 8 + 10],
    ]);
    const hist = await server.query({
      source: 'metrics',
      dataset,
      filters: [{ column: 'metric.name', op: '=', value: 'gen_ai.test.duration' }],
      calculations: [
        { op: 'SUM', column: 'count' },
        { op: 'SUM', column: 'sum' },
      ],
    });
    const [count, sum] = Object.values(hist.totals);
    expect(count).toBe(10);
    expect(sum).toBeCloseTo(5.5, 9);
  });
});
