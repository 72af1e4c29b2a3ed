import { readFileSync } from 'node:fs';
import {
  decodeLogsJson,
  decodeLogsProto,
  decodeMetricsJson,
  decodeMetricsProto,
  decodeTracesJson,
  decodeTracesProto,
  encodeLogsProto,
  encodeMetricsProto,
  encodeTracesProto,
  sampleResourceSpans,
} from '@loopline/otlp';
import { describe, expect, it } from 'vitest';
import {
  pbDecodeLogs,
  pbDecodeMetrics,
  pbDecodeTraces,
  pbEncode,
  type Signal,
} from './support/otlp-reference.ts';
import { tracesToPbObject } from './support/raw-to-pb-object.ts';

/** Payloads the team wrote in OTLP/JSON, covering every AnyValue kind and every metric type. */
function payload(name: string): string {
  return readFileSync(new URL(`./fixtures/payloads/${name}.json`, import.meta.url), 'utf8');
}

/** OTLP/JSON ids are hex; protobufjs `fromObject` wants bytes for them. */
function hexIdsToBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hexIdsToBytes);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      ['traceId', 'spanId', 'parentSpanId'].includes(key) && typeof v === 'string'
        ? Buffer.from(v, 'hex')
        : hexIdsToBytes(v),
    ]),
  );
}

/** The payload as protobuf bytes written by the reference (protobufjs). */
function payloadBytes(signal: Signal, name: string): Uint8Array {
  return pbEncode(signal, hexIdsToBytes(JSON.parse(payload(name))) as Record<string, unknown>);
}

describe('hand-written OTLP payloads', () => {
  it('agent-trace.json: protobuf and JSON decode agree with protobufjs', () => {
    const bytes = payloadBytes('traces', 'agent-trace');
    const decoded = decodeTracesProto(bytes);
    expect(decoded).toStrictEqual(pbDecodeTraces(bytes));
    expect(decodeTracesJson(payload('agent-trace'))).toStrictEqual(decoded);
    expect(decoded[0]!.resource.attributes).toEqual({ 'service.name': 'coding-agent' });
    expect(decoded[0]!.scopeSpans[0]!.scope).toEqual({
      name: '@loopline/sdk',
      version: '0.1.0',
      attributes: { 'loopline.scope.kind': 'agent' },
    });
    expect(decoded[0]!.scopeSpans[0]!.spans[0]!).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: 'b7ad6b7169203330',
      name: 'chat claude-sonnet-4-5',
      kind: 3,
      startUs: 1795000000000000,
      endUs: 1795000002500000,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 1200 },
    });
  });

  it('typed-logs.json: every AnyValue kind decodes to the same values as protobufjs', () => {
    const bytes = payloadBytes('logs', 'typed-logs');
    const decoded = decodeLogsProto(bytes);
    expect(decoded).toStrictEqual(pbDecodeLogs(bytes));
    expect(decodeLogsJson(payload('typed-logs'))).toStrictEqual(decoded);
    const log = decoded[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(log).toMatchObject({
      timeUs: 1795000000123000,
      observedTimeUs: 1795000000124000,
      severityNumber: 9,
      severityText: 'INFO',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      body: 'api request finished',
    });
    expect(log.attributes).toStrictEqual({
      model: 'claude-sonnet-4-5',
      success: true,
      input_tokens: 42,
      cost_usd: 0.0123,
      tools: ['Bash', 'Edit'],
      request: { attempt: 1 },
    });
  });

  it('evaluation-event.json: event name and a kvlist body', () => {
    const bytes = payloadBytes('logs', 'evaluation-event');
    const decoded = decodeLogsProto(bytes);
    expect(decoded).toStrictEqual(pbDecodeLogs(bytes));
    expect(decodeLogsJson(payload('evaluation-event'))).toStrictEqual(decoded);
    const log = decoded[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(log.eventName).toBe('gen_ai.evaluation.result');
    expect(log.body).toStrictEqual({ label: 'mostly grounded', score: 0.82, claims: 7, flagged: false });
  });

  it('ci-metrics.json: sum, gauge, histogram and exponential histogram', () => {
    const bytes = payloadBytes('metrics', 'ci-metrics');
    const decoded = decodeMetricsProto(bytes);
    expect(decoded).toStrictEqual(pbDecodeMetrics(bytes));
    expect(decodeMetricsJson(payload('ci-metrics'))).toStrictEqual(decoded);
    const [counter, gauge, histogram, exponential] = decoded[0]!.scopeMetrics[0]!.metrics;
    expect(counter).toMatchObject({
      name: 'loopline.ci.runs',
      type: 'sum',
      aggregationTemporality: 1,
      isMonotonic: true,
    });
    expect(counter!.dataPoints[0]).toMatchObject({
      value: 3,
      startUs: 1795000000000000,
      attributes: { result: 'success' },
    });
    expect(gauge).toMatchObject({
      name: 'loopline.queue.depth',
      type: 'gauge',
      dataPoints: [{ value: 4.5 }],
    });
    expect(histogram!.dataPoints[0]).toMatchObject({
      count: 3,
      sum: 4.5,
      bucketCounts: [1, 2],
      explicitBounds: [1],
      min: 0.5,
      max: 2.5,
    });
    expect(exponential!.type).toBe('exponential_histogram');
    expect(exponential!.dataPoints[0]).toMatchObject({
      count: 4,
      sum: 30,
      scale: 1,
      zeroCount: 1,
      positive: { offset: 2, bucketCounts: [1, 2] },
      negative: { offset: 0, bucketCounts: [] },
      min: 0,
      max: 12,
    });
  });
});

describe('generated agent spans', () => {
  const spans = sampleResourceSpans(200);

  it('our bytes decode the same with protobufjs, and protobufjs bytes the same with ours', () => {
    expect(pbDecodeTraces(encodeTracesProto(spans))).toStrictEqual(spans);
    const reference = pbEncode('traces', tracesToPbObject(spans));
    expect(decodeTracesProto(reference)).toStrictEqual(spans);
  });

  it('empty requests decode to empty lists', () => {
    expect(decodeTracesProto(new Uint8Array(0))).toEqual([]);
    expect(decodeLogsProto(encodeLogsProto([]))).toEqual([]);
    expect(decodeMetricsProto(encodeMetricsProto([]))).toEqual([]);
    expect(decodeTracesJson('{}')).toEqual([]);
  });
});
