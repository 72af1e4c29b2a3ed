/**
 * Prints OTLP request bodies made by the real OpenTelemetry JS pipeline, as JSON with base64 bodies:
 * spans, log records and metrics recorded with the SDKs and serialized by @opentelemetry/otlp-transformer
 * (protobuf and JSON). otel-sdk-serializer.test.ts runs this in a plain Node process: under Vitest, Node
 * gets `--conditions module`, which selects the OTel packages' `module` builds, and Node cannot load
 * their extensionless relative imports.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

const resource = resourceFromAttributes({ 'service.name': 'checkout-agent', 'service.version': '2.0.1' });
/** [seconds, nanoseconds]: 1760000000123456789 ns, 1760000001500000999 ns. */
const START = [1_760_000_000, 123_456_789];
const END = [1_760_000_001, 500_000_999];
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const REMOTE_PARENT = 'b7ad6b7169203331';
const parentContext = trace.setSpanContext(context.active(), {
  traceId: TRACE_ID,
  spanId: REMOTE_PARENT,
  traceFlags: 1,
});

function base64(bytes) {
  return Buffer.from(bytes).toString('base64');
}

function recordSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('loopline.test', '1.2.3');
  const link = {
    context: { traceId: 'f'.repeat(32), spanId: '0123456789abcdef', traceFlags: 0 },
    attributes: { 'link.reason': 'retry' },
  };
  const attributes = {
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': 1234,
    'gen_ai.request.temperature': 0.25,
    'gen_ai.request.stream': true,
    'gen_ai.response.finish_reasons': ['stop', 'length'],
  };
  const span = tracer.startSpan(
    'chat gpt-4o',
    { kind: SpanKind.CLIENT, startTime: START, links: [link], attributes },
    parentContext,
  );
  span.addEvent('gen_ai.content.prompt', { 'gen_ai.prompt': 'héllo 🌍' }, START);
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
  span.end(END);
  tracer.startSpan('tool call', { startTime: START }).end(END);
  return exporter.getFinishedSpans();
}

async function recordLogs() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('loopline.logs', '0.9.0');
  logger.emit({
    timestamp: START,
    observedTimestamp: END,
    severityNumber: 17,
    severityText: 'ERROR',
    body: { message: 'tool failed', code: 503, retry: false },
    attributes: { 'tool.name': 'search', attempts: 3 },
    eventName: 'gen_ai.tool.error',
    context: parentContext,
  });
  logger.emit({ timestamp: START, severityNumber: 9, body: 'plain text body' });
  await provider.forceFlush();
  return exporter.getFinishedLogRecords();
}

class TestMetricReader extends MetricReader {
  onShutdown() {
    return Promise.resolve();
  }
  onForceFlush() {
    return Promise.resolve();
  }
}

async function recordMetrics() {
  const reader = new TestMetricReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('loopline.metrics', '3.0.0');
  meter
    .createCounter('gen_ai.client.token.usage', { unit: '{token}' })
    .add(1200, { 'gen_ai.token.type': 'input' });
  meter.createGauge('queue.depth').record(-7.5, { queue: 'tools' });
  const histogram = meter.createHistogram('gen_ai.client.operation.duration', { unit: 's' });
  for (const seconds of [0.2, 0.9, 3.5]) histogram.record(seconds, { 'gen_ai.system': 'openai' });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

const spans = recordSpans();
const logs = await recordLogs();
const metrics = await recordMetrics();
process.stdout.write(
  JSON.stringify({
    chatSpanId: spans[0].spanContext().spanId,
    traces: {
      proto: base64(ProtobufTraceSerializer.serializeRequest(spans)),
      json: base64(JsonTraceSerializer.serializeRequest(spans)),
    },
    logs: {
      proto: base64(ProtobufLogsSerializer.serializeRequest(logs)),
      json: base64(JsonLogsSerializer.serializeRequest(logs)),
    },
    metrics: {
      proto: base64(ProtobufMetricsSerializer.serializeRequest(metrics)),
      json: base64(JsonMetricsSerializer.serializeRequest(metrics)),
    },
  }),
);
