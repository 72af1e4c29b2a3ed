import type { RawResourceSpans } from '@loopline/model';
import { encodeTracesProto } from '@loopline/otlp';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/** One JSON request to a running server; the body is parsed whatever the status (204 → undefined). */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** Posts spans over OTLP/HTTP protobuf, as an exporter would. */
export async function sendSpans(baseUrl: string, resourceSpans: RawResourceSpans[]): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: encodeTracesProto(resourceSpans),
  });
  if (response.status !== 200) throw new Error(`OTLP export failed: ${response.status}`);
}

export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  durationMs: number;
  attributes?: Record<string, string | number | boolean>;
  error?: boolean;
}

/** Raw spans of one service, for crafted scenarios. */
export function resourceSpans(service: string, spans: SpanSpec[]): RawResourceSpans {
  return {
    resource: { attributes: { 'service.name': service }, droppedAttributesCount: 0 },
    scopeSpans: [
      {
        scope: { name: 'test', version: '1', attributes: {} },
        spans: spans.map((span) => ({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? '',
          traceState: '',
          flags: 0,
          name: span.name,
          kind: 1,
          startUs: span.startMs * 1000,
          endUs: (span.startMs + span.durationMs) * 1000,
          attributes: span.attributes ?? {},
          droppedAttributesCount: 0,
          events: [],
          links: [],
          statusCode: span.error ? 2 : 0,
          statusMessage: '',
        })),
      },
    ],
  };
}
