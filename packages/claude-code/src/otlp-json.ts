import { COMMON_ATTRIBUTES, GEN_AI_ATTRIBUTES } from '@loopline/conventions';
import type { SpanAttributes, SpanAttributeValue, SpanKind, SpanRecord } from './span-record.ts';

/** OTLP/JSON AnyValue (int64 as a decimal string, as proto3 JSON writes it). */
export type OtlpAnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: OtlpAnyValue[] } };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: Array<{ timeUnixNano: string; name: string; attributes: OtlpKeyValue[] }>;
  status: { code: number; message?: string };
}

export interface OtlpExportTraceServiceRequest {
  resourceSpans: Array<{
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>;
  }>;
}

/** The instrumentation scope of spans rebuilt from transcripts. */
export const TRANSCRIPT_SCOPE = { name: '@loopline/claude-code', version: '0.1.0' } as const;

/** Claude Code's own `service.name` (SPECS §4.1), so transcript spans land in the same dataset. */
export const CLAUDE_CODE_SERVICE_NAME = 'claude-code';

const KIND_NUMBERS: Record<SpanKind, number> = {
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};
const STATUS_NUMBERS = { unset: 0, ok: 1, error: 2 } as const;
/** Attributes typed double by the conventions even when the value happens to be whole. */
const DOUBLE_KEYS = new Set<string>([GEN_AI_ATTRIBUTES.RESPONSE_TIME_TO_FIRST_CHUNK]);

/**
 * Span records → an OTLP/JSON ExportTraceServiceRequest (one resource, one scope). The resource gets
 * `service.name = claude-code` unless `resource` sets it.
 */
export function spansToOtlpJson(
  spans: readonly SpanRecord[],
  resource: SpanAttributes = {},
): OtlpExportTraceServiceRequest {
  const resourceAttributes: SpanAttributes = {
    [COMMON_ATTRIBUTES.SERVICE_NAME]: CLAUDE_CODE_SERVICE_NAME,
    ...resource,
  };
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues(resourceAttributes) },
        scopeSpans: [{ scope: { ...TRANSCRIPT_SCOPE }, spans: spans.map(spanToJson) }],
      },
    ],
  };
}

function spanToJson(span: SpanRecord): OtlpSpan {
  const out: OtlpSpan = {
    traceId: span.traceId,
    spanId: span.spanId,
    name: span.name,
    kind: KIND_NUMBERS[span.kind],
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    attributes: keyValues(span.attributes),
    events: span.events.map((e) => ({
      timeUnixNano: e.timeUnixNano,
      name: e.name,
      attributes: keyValues(e.attributes),
    })),
    status: { code: STATUS_NUMBERS[span.status.code] },
  };
  if (span.parentSpanId !== null) out.parentSpanId = span.parentSpanId;
  if (span.status.message !== undefined && span.status.message !== '')
    out.status.message = span.status.message;
  return out;
}

function keyValues(attributes: SpanAttributes): OtlpKeyValue[] {
  return Object.entries(attributes).map(([key, value]) => ({
    key,
    value: anyValue(value, DOUBLE_KEYS.has(key)),
  }));
}

function anyValue(value: SpanAttributeValue, double: boolean): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) && !double ? { intValue: String(value) } : { doubleValue: value };
  }
  return { arrayValue: { values: value.map((v) => ({ stringValue: v })) } };
}
