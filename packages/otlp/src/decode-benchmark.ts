import type { Attributes, RawResourceSpans, RawSpan } from '@loopline/model';
import { decodeTracesProto } from './proto-trace-decoder.ts';
import { encodeTracesProto } from './proto-trace-encoder.ts';

export interface DecodeBenchmarkOptions {
  /** Spans per request body (default 1000). */
  spansPerRequest?: number;
  /** Attributes per span (default 10: strings, ints, a double and a boolean). */
  attributesPerSpan?: number;
  /** How long to decode for, after a warm-up of the same length (default 1000 ms). */
  durationMs?: number;
  /** Decoder to time (default decodeTracesProto); e.g. a reference decoder for comparison. */
  decode?: (bytes: Uint8Array) => unknown;
}

export interface DecodeBenchmarkResult {
  spansPerSecond: number;
  megabytesPerSecond: number;
  bytesPerSpan: number;
  requests: number;
  elapsedMs: number;
}

/**
 * Measures protobuf trace decoding on a generated body of typical agent spans (an LLM call: model,
 * token counts, ids), e.g. `measureTraceDecodeRate({ durationMs: 2000 }).spansPerSecond`.
 */
export function measureTraceDecodeRate(options: DecodeBenchmarkOptions = {}): DecodeBenchmarkResult {
  const spansPerRequest = options.spansPerRequest ?? 1000;
  const durationMs = options.durationMs ?? 1000;
  const decode = options.decode ?? decodeTracesProto;
  const bytes = encodeTracesProto(sampleResourceSpans(spansPerRequest, options.attributesPerSpan ?? 10));
  timeLoop(decode, bytes, durationMs);
  const { requests, elapsedMs } = timeLoop(decode, bytes, durationMs);
  const seconds = elapsedMs / 1000;
  return {
    spansPerSecond: Math.round((requests * spansPerRequest) / seconds),
    megabytesPerSecond: Math.round((requests * bytes.length) / seconds / 1e4) / 100,
    bytesPerSpan: Math.round(bytes.length / spansPerRequest),
    requests,
    elapsedMs: Math.round(elapsedMs),
  };
}

function timeLoop(
  decode: (bytes: Uint8Array) => unknown,
  bytes: Uint8Array,
  durationMs: number,
): { requests: number; elapsedMs: number } {
  const start = performance.now();
  let requests = 0;
  let elapsedMs = 0;
  while (elapsedMs < durationMs) {
    decode(bytes);
    requests++;
    elapsedMs = performance.now() - start;
  }
  return { requests, elapsedMs };
}

/** One resource and scope with `count` deterministic LLM-call spans of `attributesPerSpan` attributes. */
export function sampleResourceSpans(count: number, attributesPerSpan = 10): RawResourceSpans[] {
  const spans: RawSpan[] = [];
  for (let i = 0; i < count; i++) spans.push(sampleSpan(i, attributesPerSpan));
  return [
    {
      resource: {
        attributes: { 'service.name': 'agent', 'service.version': '1.4.2' },
        droppedAttributesCount: 0,
      },
      scopeSpans: [{ scope: { name: 'loopline.sample', version: '0.1.0', attributes: {} }, spans }],
    },
  ];
}

function sampleSpan(i: number, attributesPerSpan: number): RawSpan {
  const startUs = 1_760_000_000_000_000 + i * 1_000;
  return {
    traceId: hex32(i, 0x5b8efff7) + hex32(i, 0x98038103) + hex32(i, 0xd269b633) + hex32(i, 0x813fc60c),
    spanId: hex32(i, 0xeee19b7e) + hex32(i, 0xc3c1b174),
    parentSpanId: i % 4 === 0 ? '' : hex32(i - 1, 0xeee19b7e) + hex32(i - 1, 0xc3c1b174),
    traceState: '',
    flags: 1,
    name: `chat gpt-4o-${i % 3}`,
    kind: 3,
    startUs,
    endUs: startUs + 350_000 + (i % 97) * 1_000,
    attributes: sampleAttributes(i, attributesPerSpan),
    droppedAttributesCount: 0,
    events: [],
    links: [],
    statusCode: i % 50 === 0 ? 2 : 0,
    statusMessage: '',
  };
}

function sampleAttributes(i: number, count: number): Attributes {
  const base: Attributes = {
    'gen_ai.system': 'openai',
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.response.id': `chatcmpl-${hex32(i, 0x1234abcd)}`,
    'gen_ai.usage.input_tokens': 1000 + (i % 500),
    'gen_ai.usage.output_tokens': 100 + (i % 300),
    'gen_ai.request.temperature': 0.7,
    'gen_ai.request.stream': i % 2 === 0,
    'server.address': 'api.openai.com',
  };
  const attributes: Attributes = {};
  const keys = Object.keys(base);
  for (let k = 0; k < count; k++) {
    const key = keys[k % keys.length]!;
    attributes[k < keys.length ? key : `${key}.${k}`] = base[key]!;
  }
  return attributes;
}

function hex32(i: number, salt: number): string {
  return ((Math.imul(i + 1, 2654435761) ^ salt) >>> 0).toString(16).padStart(8, '0');
}
