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

function example(name: string): string {
  return readFileSync(new URL(`./fixtures/examples/${name}.json`, import.meta.url), 'utf8');
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

/** The official example, as protobuf bytes written by protobufjs. */
function exampleBytes(signal: Signal, name: string): Uint8Array {
  return pbEncode(signal, hexIdsToBytes(JSON.parse(example(name))) as Record<string, unknown>);
}

describe('official opentelemetry-proto examples', () => {
  it('trace.json: protobuf and JSON decode agree with protobufjs', () => {
    const bytes = exampleBytes('traces', 'trace');
    const decoded = decodeTracesProto(bytes);
    expect(decoded).toStrictEqual(pbDecodeTraces(bytes));
    expect(decodeTracesJson(example('trace'))).toStrictEqual(decoded);
    const span = decoded[0]!.scopeSpans[0]!.spans[0]!;
    expect(decoded[0]!.resource.attributes).toEqual({ 'service.name': 'my.service' });
    expect(decoded[0]!.scopeSpans[0]!.scope).toEqual({
      name: 'my.library',
      version: '1.0.0',
      attributes: { 'my.scope.attribute': 'some scope attribute' },
    });
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: "I'm a server span",
      kind: 2,
      startUs: 1544712660000000,
      endUs: 1544712661000000,
      attributes: { 'my.span.attr': 'some value' },
    });
  });

  it('logs.json: every AnyValue kind decodes to the same values as protobufjs', () => {
    const bytes = exampleBytes('logs', 'logs');
    const decoded = decodeLogsProto(bytes);
    expect(decoded).toStrictEqual(pbDecodeLogs(bytes));
    expect(decodeLogsJson(example('logs'))).toStrictEqual(decoded);
    const log = decoded[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(log).toMatchObject({
      timeUs: 1544712660300000,
      observedTimeUs: 1544712660300000,
      severityNumber: 10,
      severityText: 'Information',
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      body: 'Example log record',
    });
    expect(log.attributes).toStrictEqual({
      'string.attribute': 'some string',
      'boolean.attribute': true,
      'int.attribute': 10,
      'double.attribute': 637.704,
      'array.attribute': ['many', 'values'],
      'map.attribute': { 'some.map.key': 'some value' },
    });
  });

  it('events.json: event name and a kvlist body', () => {
    const bytes = exampleBytes('logs', 'events');
    const decoded = decodeLogsProto(bytes);
    expect(decoded).toStrictEqual(pbDecodeLogs(bytes));
    expect(decodeLogsJson(example('events'))).toStrictEqual(decoded);
    const log = decoded[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(log.eventName).toBe('browser.page_view');
    expect(log.body).toStrictEqual({
      type: 0,
      url: 'https://www.guidgenerator.com/online-guid-generator.aspx',
      referrer: 'https://wwww.google.com',
      title: 'Free Online GUID Generator',
    });
  });

  it('metrics.json: sum, gauge, histogram and exponential histogram', () => {
    const bytes = exampleBytes('metrics', 'metrics');
    const decoded = decodeMetricsProto(bytes);
    expect(decoded).toStrictEqual(pbDecodeMetrics(bytes));
    expect(decodeMetricsJson(example('metrics'))).toStrictEqual(decoded);
    const [counter, gauge, histogram, exponential] = decoded[0]!.scopeMetrics[0]!.metrics;
    expect(counter).toMatchObject({
      name: 'my.counter',
      type: 'sum',
      aggregationTemporality: 1,
      isMonotonic: true,
    });
    expect(counter!.dataPoints[0]).toMatchObject({ value: 5, startUs: 1544712660300000 });
    expect(gauge).toMatchObject({ name: 'my.gauge', type: 'gauge', dataPoints: [{ value: 10 }] });
    expect(histogram!.dataPoints[0]).toMatchObject({
      count: 2,
      sum: 2,
      bucketCounts: [1, 1],
      explicitBounds: [1],
      min: 0,
      max: 2,
    });
    expect(exponential!.type).toBe('exponential_histogram');
    expect(exponential!.dataPoints[0]).toMatchObject({
      count: 3,
      sum: 10,
      scale: 0,
      zeroCount: 1,
      positive: { offset: 1, bucketCounts: [0, 2] },
      negative: { offset: 0, bucketCounts: [] },
      min: 0,
      max: 5,
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
