import type {
  Attributes,
  RawDataPoint,
  RawEvent,
  RawLogRecord,
  RawMetric,
  RawResourceLogs,
  RawResourceMetrics,
  RawResourceSpans,
  RawSpan,
} from '../src/raw-otlp.ts';

/** Builders for decoded OTLP shapes, with realistic defaults, for normalisation tests. */
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_ID = '00f067aa0ba902b7';
export const START_US = 1_763_000_000_000_000;

let counter = 0;

export function span(overrides: Partial<RawSpan> = {}): RawSpan {
  counter++;
  return {
    traceId: TRACE_ID,
    spanId: (0x1000_0000_0000 + counter).toString(16).padStart(16, '0'),
    parentSpanId: '',
    traceState: '',
    flags: 1,
    name: 'chat claude-sonnet-4-5',
    kind: 3,
    startUs: START_US,
    endUs: START_US + 1_500_000,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    ...overrides,
  };
}

export function event(name: string, attributes: Attributes, timeUs = START_US + 1000): RawEvent {
  return { name, attributes, timeUs };
}

export function traces(
  spans: RawSpan[],
  resource: Attributes = { 'service.name': 'checkout-agent' },
  scope = { name: 'test-scope', version: '1.0.0' },
): RawResourceSpans[] {
  return [
    {
      resource: { attributes: resource, droppedAttributesCount: 0 },
      scopeSpans: [{ scope: { ...scope, attributes: {} }, spans }],
    },
  ];
}

export function logRecord(overrides: Partial<RawLogRecord> = {}): RawLogRecord {
  return {
    timeUs: START_US,
    observedTimeUs: START_US + 10,
    severityNumber: 9,
    severityText: 'INFO',
    body: '',
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
    ...overrides,
  };
}

export function logs(
  records: RawLogRecord[],
  resource: Attributes = { 'service.name': 'claude-code' },
  scopeName = 'com.anthropic.claude_code.events',
): RawResourceLogs[] {
  return [
    {
      resource: { attributes: resource, droppedAttributesCount: 0 },
      scopeLogs: [{ scope: { name: scopeName, version: '2.1.330', attributes: {} }, logRecords: records }],
    },
  ];
}

export function point(overrides: Partial<RawDataPoint> = {}): RawDataPoint {
  return { startUs: START_US, timeUs: START_US + 60_000_000, attributes: {}, flags: 0, ...overrides };
}

export function metric(overrides: Partial<RawMetric> & Pick<RawMetric, 'type'>): RawMetric {
  return {
    name: 'gen_ai.client.token.usage',
    description: 'tokens',
    unit: '{token}',
    aggregationTemporality: 1,
    isMonotonic: false,
    dataPoints: [point()],
    ...overrides,
  };
}

export function metrics(
  list: RawMetric[],
  resource: Attributes = { 'service.name': 'checkout-agent' },
): RawResourceMetrics[] {
  return [
    {
      resource: { attributes: resource, droppedAttributesCount: 0 },
      scopeMetrics: [{ scope: { name: 'meter', version: '1', attributes: {} }, metrics: list }],
    },
  ];
}
