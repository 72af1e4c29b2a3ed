/**
 * Bytes from the real OpenTelemetry JS pipeline: spans, log records and metrics recorded with the SDKs and
 * serialized by @opentelemetry/otlp-transformer (the code every OTel JS OTLP exporter sends with), made by
 * support/otel-sdk-payloads.mjs in a plain Node process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  decodeLogsJson,
  decodeLogsProto,
  decodeMetricsJson,
  decodeMetricsProto,
  decodeTracesJson,
  decodeTracesProto,
} from '@loopline/otlp';
import { beforeAll, describe, expect, it } from 'vitest';

interface Bodies {
  proto: Uint8Array;
  json: Uint8Array;
}

interface Payloads {
  chatSpanId: string;
  traces: Bodies;
  logs: Bodies;
  metrics: Bodies;
}

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const REMOTE_PARENT = 'b7ad6b7169203331';
/** The script's [seconds, nanoseconds] start and end, in microseconds. */
const START_US = 1_760_000_000_123_456;
const END_US = 1_760_000_001_500_000;

function loadPayloads(): Payloads {
  const script = fileURLToPath(new URL('./support/otel-sdk-payloads.mjs', import.meta.url));
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const out = JSON.parse(execFileSync(process.execPath, [script], { env, encoding: 'utf8' })) as Record<
    string,
    { proto: string; json: string } | string
  >;
  const bodies = (key: string): Bodies => {
    const value = out[key] as { proto: string; json: string };
    return { proto: Buffer.from(value.proto, 'base64'), json: Buffer.from(value.json, 'base64') };
  };
  return {
    chatSpanId: out.chatSpanId as string,
    traces: bodies('traces'),
    logs: bodies('logs'),
    metrics: bodies('metrics'),
  };
}

let payloads: Payloads;
beforeAll(() => {
  payloads = loadPayloads();
});

describe('@opentelemetry/otlp-transformer trace serializers', () => {
  it('ProtobufTraceSerializer bytes decode to the spans the SDK recorded', () => {
    const decoded = decodeTracesProto(payloads.traces.proto);
    expect(decoded).toHaveLength(1);
    expect(decoded[0]!.resource.attributes).toMatchObject({
      'service.name': 'checkout-agent',
      'service.version': '2.0.1',
    });
    const scopeSpans = decoded[0]!.scopeSpans[0]!;
    expect(scopeSpans.scope).toMatchObject({ name: 'loopline.test', version: '1.2.3' });
    const [chat, tool] = scopeSpans.spans;
    expect(chat).toMatchObject({
      traceId: TRACE_ID,
      spanId: payloads.chatSpanId,
      parentSpanId: REMOTE_PARENT,
      name: 'chat gpt-4o',
      kind: 3,
      startUs: START_US,
      endUs: END_US,
      statusCode: 2,
      statusMessage: 'rate limited',
    });
    expect(chat!.flags & 0xff).toBe(1);
    expect(chat!.attributes).toStrictEqual({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1234,
      'gen_ai.request.temperature': 0.25,
      'gen_ai.request.stream': true,
      'gen_ai.response.finish_reasons': ['stop', 'length'],
    });
    expect(chat!.events).toStrictEqual([
      { timeUs: START_US, name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': 'héllo 🌍' } },
    ]);
    expect(chat!.links).toStrictEqual([
      {
        traceId: 'f'.repeat(32),
        spanId: '0123456789abcdef',
        traceState: '',
        attributes: { 'link.reason': 'retry' },
      },
    ]);
    expect(tool).toMatchObject({ name: 'tool call', kind: 1, parentSpanId: '', statusCode: 0 });
    expect(tool!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(tool!.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('JsonTraceSerializer output decodes to the same spans', () => {
    expect(decodeTracesJson(payloads.traces.json)).toStrictEqual(decodeTracesProto(payloads.traces.proto));
  });
});

describe('@opentelemetry/otlp-transformer logs serializers', () => {
  it('ProtobufLogsSerializer bytes decode to the emitted records', () => {
    const decoded = decodeLogsProto(payloads.logs.proto);
    const scopeLogs = decoded[0]!.scopeLogs[0]!;
    expect(scopeLogs.scope).toMatchObject({ name: 'loopline.logs', version: '0.9.0' });
    expect(scopeLogs.logRecords[0]).toStrictEqual({
      timeUs: START_US,
      observedTimeUs: END_US,
      severityNumber: 17,
      severityText: 'ERROR',
      body: { message: 'tool failed', code: 503, retry: false },
      attributes: { 'tool.name': 'search', attempts: 3 },
      droppedAttributesCount: 0,
      flags: 1,
      traceId: TRACE_ID,
      spanId: REMOTE_PARENT,
      eventName: 'gen_ai.tool.error',
    });
    expect(scopeLogs.logRecords[1]).toMatchObject({
      body: 'plain text body',
      severityNumber: 9,
      traceId: '',
    });
  });

  it('JsonLogsSerializer output decodes to the same records', () => {
    expect(decodeLogsJson(payloads.logs.json)).toStrictEqual(decodeLogsProto(payloads.logs.proto));
  });
});

describe('@opentelemetry/otlp-transformer metrics serializers', () => {
  it('counter, gauge and histogram collected by the SDK decode from protobuf', () => {
    const decoded = decodeMetricsProto(payloads.metrics.proto);
    const scopeMetrics = decoded[0]!.scopeMetrics[0]!;
    expect(scopeMetrics.scope).toMatchObject({ name: 'loopline.metrics', version: '3.0.0' });
    const byName = Object.fromEntries(scopeMetrics.metrics.map((m) => [m.name, m]));
    expect(byName['gen_ai.client.token.usage']).toMatchObject({
      type: 'sum',
      unit: '{token}',
      aggregationTemporality: 1,
      isMonotonic: true,
      dataPoints: [{ value: 1200, attributes: { 'gen_ai.token.type': 'input' } }],
    });
    expect(byName['queue.depth']).toMatchObject({ type: 'gauge', dataPoints: [{ value: -7.5 }] });
    const histogram = byName['gen_ai.client.operation.duration']!;
    expect(histogram).toMatchObject({ type: 'histogram', unit: 's', aggregationTemporality: 1 });
    const point = histogram.dataPoints[0]!;
    expect(point).toMatchObject({
      count: 3,
      sum: 4.6,
      min: 0.2,
      max: 3.5,
      attributes: { 'gen_ai.system': 'openai' },
    });
    expect(point.bucketCounts!.reduce((a, b) => a + b, 0)).toBe(3);
    expect(point.bucketCounts).toHaveLength(point.explicitBounds!.length + 1);
    expect(point.timeUs).toBeGreaterThanOrEqual(point.startUs);
    expect(point.startUs).toBeGreaterThan(1_700_000_000_000_000);
  });

  it('JsonMetricsSerializer output decodes to the same metrics', () => {
    expect(decodeMetricsJson(payloads.metrics.json)).toStrictEqual(
      decodeMetricsProto(payloads.metrics.proto),
    );
  });
});
