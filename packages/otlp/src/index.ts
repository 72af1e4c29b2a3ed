/**
 * @loopline/otlp: the OTLP wire codec. Protobuf and OTLP/JSON decoders from request bodies to the Raw*
 * shapes of @loopline/model (throwing AppError('OTLP_MALFORMED_BODY') for malformed bodies), encoders
 * back to bytes and JSON for tools and tests, and a decode benchmark. No runtime dependencies.
 */
export type { DecodeBenchmarkOptions, DecodeBenchmarkResult } from './decode-benchmark.ts';
export { measureTraceDecodeRate, sampleResourceSpans } from './decode-benchmark.ts';
export type { JsonValue, OtlpJsonObject } from './json-common-encoder.ts';
export { decodeLogsJson } from './json-logs-decoder.ts';
export { encodeLogsJson } from './json-logs-encoder.ts';
export { decodeMetricsJson } from './json-metrics-decoder.ts';
export { encodeMetricsJson } from './json-metrics-encoder.ts';
export { decodeTracesJson } from './json-trace-decoder.ts';
export { encodeTracesJson } from './json-trace-encoder.ts';
export { MAX_NESTING } from './otlp-limits.ts';
export { decodeLogsProto } from './proto-logs-decoder.ts';
export { encodeLogsProto } from './proto-logs-encoder.ts';
export { decodeMetricsProto } from './proto-metrics-decoder.ts';
export { encodeMetricsProto } from './proto-metrics-encoder.ts';
export { decodeTracesProto } from './proto-trace-decoder.ts';
export { encodeTracesProto } from './proto-trace-encoder.ts';
