import * as grpc from '@grpc/grpc-js';
import {
  decodeLogsJson,
  decodeMetricsJson,
  decodeTracesJson,
  encodeLogsProto,
  encodeMetricsProto,
  encodeTracesProto,
} from '@loopline/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

// One bad item in a batch is rejected alone (OTLP partial success) and the rest stored; a bad envelope
// is a 400 / INVALID_ARGUMENT. Bad: a time no query could show, or a field of the wrong type.

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

const NOW_NS = BigInt(Date.now()) * 1_000_000n;
const YEAR_3000_NS = '32503680000000000000';
/** The year 2500: past a day ahead, and within what protobuf's fixed64 nanoseconds can say. */
const YEAR_2500_NS = String(BigInt(Date.UTC(2500, 0, 1)) * 1_000_000n);

const resource = (dataset: string) => ({
  attributes: [{ key: 'service.name', value: { stringValue: dataset } }],
});
function span(i: number, startNs = String(NOW_NS - 1_000_000n)): object {
  return {
    traceId: `${'a'.repeat(30)}${String(i).padStart(2, '0')}`,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: `op-${i}`,
    startTimeUnixNano: startNs,
    endTimeUnixNano: String(BigInt(startNs) + 1_000_000n),
  };
}
const traces = (dataset: string, spans: object[]) => ({
  resourceSpans: [{ resource: resource(dataset), scopeSpans: [{ scope: { name: 't' }, spans }] }],
});
const logs = (dataset: string, times: string[]) => ({
  resourceLogs: [
    {
      resource: resource(dataset),
      scopeLogs: [{ logRecords: times.map((t, i) => ({ timeUnixNano: t, eventName: `e${i}` })) }],
    },
  ],
});
const metrics = (dataset: string, times: string[]) => ({
  resourceMetrics: [
    {
      resource: resource(dataset),
      scopeMetrics: [
        {
          metrics: [
            { name: 'm', gauge: { dataPoints: times.map((t, i) => ({ timeUnixNano: t, asDouble: i })) } },
          ],
        },
      ],
    },
  ],
});

type Signal = 'traces' | 'logs' | 'metrics';

async function postJson(
  signal: Signal,
  body: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.httpUrl}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface ProtoAnswer {
  status: number;
  /** rejected_* and error_message of the answer's partial_success */
  rejected: number;
  message: string;
}

async function postProto(signal: Signal, body: Uint8Array): Promise<ProtoAnswer> {
  const response = await fetch(`${server.httpUrl}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
  });
  const reply = new Uint8Array(await response.arrayBuffer());
  if (!response.ok) return { status: response.status, rejected: 0, message: new TextDecoder().decode(reply) };
  return { status: response.status, ...partialSuccess(reply) };
}

/** Export*ServiceResponse { partial_success (1) { rejected_* (1) varint, error_message (2) string } } */
function partialSuccess(reply: Uint8Array): { rejected: number; message: string } {
  const out = { rejected: 0, message: '' };
  let pos = 0;
  const read = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = reply[pos++]!;
      value += (byte & 127) * 2 ** shift;
      if (byte < 128) return value;
    }
  };
  if (reply.length === 0) return out;
  read();
  const end = read() + pos;
  while (pos < end) {
    const tag = read();
    if (tag === 8) out.rejected = read();
    else {
      const length = read();
      out.message = new TextDecoder().decode(reply.subarray(pos, pos + length));
      pos += length;
    }
  }
  return out;
}

function exportTracesGrpc(body: Uint8Array): Promise<{ error: grpc.ServiceError | null; reply?: Buffer }> {
  const identity = (b: Buffer): Buffer => b;
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

async function count(source: Signal | 'spans', dataset: string): Promise<number> {
  const result = await server.query({ source, dataset, time_range: 3600, calculations: [{ op: 'COUNT' }] });
  return Object.values(result.totals)[0] ?? 0;
}

// protobuf by hand, for the malformed parts (valid parts come from the encoders; two encoded requests
// concatenated are one request holding both)
const varint = (value: number): number[] => {
  const out: number[] = [];
  let rest = value;
  while (rest > 127) {
    out.push((rest & 127) | 128);
    rest >>>= 7;
  }
  return [...out, rest];
};
const len = (field: number, bytes: number[]): number[] => [
  ...varint((field << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const text = (value: string): number[] => [...new TextEncoder().encode(value)];
/** Export*ServiceRequest { resource_* (1) { scope_* (2) { item (2) } } }: the same numbers for every signal. */
const oneItemRequest = (item: number[]): number[] => len(1, len(2, len(2, item)));
const ids = [...len(1, Array(16).fill(0x11)), ...len(2, Array(8).fill(0x22))];
const concat = (...parts: (Uint8Array | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => [...part]));

/** An AnyValue of arrays nested `depth` deep around `true`. */
function nestedValue(depth: number): number[] {
  let value = [0x10, 0x01];
  for (let i = 0; i < depth; i++) value = len(5, len(1, value));
  return value;
}

const WRONG_TYPE_SPAN = oneItemRequest([...ids, ...len(5, text('wrong')), 0x48, 0x01]); // attributes (9) as a varint
const DEEP_SPAN = oneItemRequest([...ids, ...len(9, [...len(1, text('deep')), ...len(2, nestedValue(101))])]);

describe('times no query could show are rejected per item, the rest of the batch stored', () => {
  it('OTLP/JSON: a span starting in the year 3000', async () => {
    const answer = await postJson('traces', traces('future-json', [span(1), span(2, YEAR_3000_NS), span(3)]));
    expect(answer).toEqual({
      status: 200,
      body: {
        partialSuccess: {
          rejectedSpans: '1',
          errorMessage: `1 × span rejected: start time is more than a day ahead of the server's clock (first: "3000-01-01T00:00:00.000Z")`,
        },
      },
    });
    expect(await count('spans', 'future-json')).toBe(2);
  });

  it('OTLP/JSON: a span starting in January 1970 (microseconds sent as nanoseconds)', async () => {
    const answer = await postJson('traces', traces('past-json', [span(1, String(NOW_NS / 1000n)), span(2)]));
    expect(answer.body).toMatchObject({ partialSuccess: { rejectedSpans: '1' } });
    expect(JSON.stringify(answer.body)).toContain(
      'start time is before 2000-01-01 (seconds, milliseconds or microseconds sent as nanoseconds?)',
    );
    expect(await count('spans', 'past-json')).toBe(1);
  });

  it('OTLP/JSON: a log record and a metric point in the year 3000', async () => {
    const logAnswer = await postJson('logs', logs('future-logs', [String(NOW_NS), YEAR_3000_NS]));
    expect(logAnswer.body).toMatchObject({ partialSuccess: { rejectedLogRecords: '1' } });
    expect(await count('logs', 'future-logs')).toBe(1);
    const metricAnswer = await postJson('metrics', metrics('future-metrics', [String(NOW_NS), YEAR_3000_NS]));
    expect(metricAnswer.body).toMatchObject({ partialSuccess: { rejectedDataPoints: '1' } });
    expect(await count('metrics', 'future-metrics')).toBe(1);
  });

  it('protobuf over HTTP and gRPC: a span in the year 2500', async () => {
    const body = (dataset: string) =>
      encodeTracesProto(decodeTracesJson(traces(dataset, [span(1), span(2, YEAR_2500_NS)])));
    const answer = await postProto('traces', body('future-proto'));
    expect(answer).toMatchObject({ status: 200, rejected: 1 });
    expect(answer.message).toContain('start time is more than a day ahead');
    expect(await count('spans', 'future-proto')).toBe(1);
    const grpcAnswer = await exportTracesGrpc(body('future-grpc'));
    expect(grpcAnswer.error).toBeNull();
    expect(partialSuccess(grpcAnswer.reply!)).toEqual({ rejected: 1, message: answer.message });
    expect(await count('spans', 'future-grpc')).toBe(1);
  });
});

describe('a malformed item is rejected alone; a malformed envelope is refused', () => {
  it('protobuf: resource_spans sent as a varint is a 400 (HTTP) / INVALID_ARGUMENT (gRPC) naming the field', async () => {
    const named =
      'OTLP_MALFORMED_BODY: Malformed protobuf body: ExportTraceServiceRequest.resource_spans (field 1) has wire type 0 (varint), expected 2 (length-delimited)';
    const answer = await postProto('traces', Uint8Array.from([0x08, 0x01]));
    expect(answer.status).toBe(400);
    expect(answer.message).toContain(named);
    const grpcAnswer = await exportTracesGrpc(Uint8Array.from([0x08, 0x01]));
    expect(grpcAnswer.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(grpcAnswer.error?.details).toContain(named);
  });

  it('protobuf: a span with attributes as a varint and one nested 101 deep are rejected, the rest stored', async () => {
    const good = (dataset: string) =>
      encodeTracesProto(decodeTracesJson(traces(dataset, [span(1), span(2)])));
    const answer = await postProto('traces', concat(good('bad-span-http'), WRONG_TYPE_SPAN, DEEP_SPAN));
    expect(answer).toMatchObject({ status: 200, rejected: 2 });
    expect(answer.message).toContain(
      '1 × span rejected: malformed protobuf: Span.attributes (field 9) has wire type 0 (varint), expected 2 (length-delimited) (first: "wrong")',
    );
    expect(answer.message).toContain(
      '1 × span rejected: malformed protobuf: values nested deeper than 100 levels',
    );
    expect(await count('spans', 'bad-span-http')).toBe(2);
    const grpcAnswer = await exportTracesGrpc(concat(good('bad-span-grpc'), WRONG_TYPE_SPAN, DEEP_SPAN));
    expect(grpcAnswer.error).toBeNull();
    expect(partialSuccess(grpcAnswer.reply!)).toEqual({ rejected: 2, message: answer.message });
    expect(await count('spans', 'bad-span-grpc')).toBe(2);
  });

  it('protobuf: a log record and a data point with a field of the wrong wire type', async () => {
    const goodLogs = encodeLogsProto(decodeLogsJson(logs('bad-log-proto', [String(NOW_NS)])));
    const badLog = oneItemRequest([0x08, 0x01]); // time_unix_nano (fixed64) as a varint
    const logAnswer = await postProto('logs', concat(goodLogs, badLog));
    expect(logAnswer).toMatchObject({ status: 200, rejected: 1 });
    expect(logAnswer.message).toContain('log record rejected: malformed protobuf: LogRecord.time_unix_nano');
    expect(await count('logs', 'bad-log-proto')).toBe(1);
    const goodMetrics = encodeMetricsProto(decodeMetricsJson(metrics('bad-point-proto', [String(NOW_NS)])));
    const badPoint = oneItemRequest([...len(1, text('m')), ...len(5, len(1, [0x18, 0x01]))]);
    const metricAnswer = await postProto('metrics', concat(goodMetrics, badPoint));
    expect(metricAnswer).toMatchObject({ status: 200, rejected: 1 });
    expect(metricAnswer.message).toContain(
      'data point rejected: malformed protobuf: NumberDataPoint.time_unix_nano',
    );
    expect(await count('metrics', 'bad-point-proto')).toBe(1);
  });

  it('OTLP/JSON: a span with a field of the wrong type is rejected alone; a wrongly shaped envelope is a 400', async () => {
    const bad = { ...span(2), traceId: 42, attributes: [{ key: 'k', value: 'not an AnyValue' }] };
    const answer = await postJson('traces', traces('bad-span-json', [span(1), bad, span(3)]));
    expect(answer).toEqual({
      status: 200,
      body: {
        partialSuccess: {
          rejectedSpans: '1',
          errorMessage: '1 × span rejected: malformed JSON: traceId: expected hex string (first: "op-2")',
        },
      },
    });
    expect(await count('spans', 'bad-span-json')).toBe(2);
    const envelope = await postJson('traces', { resourceSpans: [{ scopeSpans: [{ spans: {} }] }] });
    expect(envelope.status).toBe(400);
    expect(envelope.body.message).toContain('resourceSpans[0].scopeSpans[0].spans: expected array');
  });
});
