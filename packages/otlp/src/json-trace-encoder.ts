import type { RawEvent, RawLink, RawResourceSpans, RawSpan } from '@loopline/model';
import {
  attributesToJson,
  type OtlpJsonObject,
  resourceToJson,
  scopeToJson,
  timeToJson,
} from './json-common-encoder.ts';

/** Encodes spans as an OTLP/JSON ExportTraceServiceRequest object (pass it to JSON.stringify). */
export function encodeTracesJson(resourceSpans: readonly RawResourceSpans[]): OtlpJsonObject {
  return {
    resourceSpans: resourceSpans.map((item) => ({
      resource: resourceToJson(item.resource),
      scopeSpans: item.scopeSpans.map((scopeSpans) => ({
        scope: scopeToJson(scopeSpans.scope),
        spans: scopeSpans.spans.map(spanToJson),
      })),
    })),
  };
}

function spanToJson(span: RawSpan): OtlpJsonObject {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    traceState: span.traceState,
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: timeToJson(span.startUs),
    endTimeUnixNano: timeToJson(span.endUs),
    attributes: attributesToJson(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map(eventToJson),
    links: span.links.map(linkToJson),
    status: { code: span.statusCode, message: span.statusMessage },
  };
}

function eventToJson(event: RawEvent): OtlpJsonObject {
  return {
    timeUnixNano: timeToJson(event.timeUs),
    name: event.name,
    attributes: attributesToJson(event.attributes),
  };
}

function linkToJson(link: RawLink): OtlpJsonObject {
  return {
    traceId: link.traceId,
    spanId: link.spanId,
    traceState: link.traceState,
    attributes: attributesToJson(link.attributes),
  };
}
