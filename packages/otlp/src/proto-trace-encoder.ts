import type { RawEvent, RawLink, RawResourceSpans, RawScopeSpans, RawSpan } from '@loopline/model';
import { encodeAttributes, encodeRequest, encodeResource, encodeScope } from './proto-common-encoder.ts';
import type { ProtoWriter } from './proto-writer.ts';

/** Encodes an OTLP ExportTraceServiceRequest (protobuf bytes); times go from microseconds to nanoseconds. */
export function encodeTracesProto(resourceSpans: readonly RawResourceSpans[]): Uint8Array {
  return encodeRequest(resourceSpans, encodeResourceSpans);
}

function encodeResourceSpans(w: ProtoWriter, item: RawResourceSpans): void {
  encodeResource(w, 1, item.resource);
  for (const scopeSpans of item.scopeSpans) {
    const start = w.fork();
    encodeScopeSpans(w, scopeSpans);
    w.ldelim(2, start);
  }
}

function encodeScopeSpans(w: ProtoWriter, item: RawScopeSpans): void {
  encodeScope(w, 1, item.scope);
  for (const span of item.spans) {
    const start = w.fork();
    encodeSpan(w, span);
    w.ldelim(2, start);
  }
}

function encodeSpan(w: ProtoWriter, span: RawSpan): void {
  w.hexField(1, span.traceId, 'traceId');
  w.hexField(2, span.spanId, 'spanId');
  w.stringField(3, span.traceState);
  w.hexField(4, span.parentSpanId, 'parentSpanId');
  w.stringField(5, span.name);
  w.int32Field(6, span.kind);
  w.timeField(7, span.startUs);
  w.timeField(8, span.endUs);
  encodeAttributes(w, 9, span.attributes);
  w.uint32Field(10, span.droppedAttributesCount);
  for (const event of span.events) {
    const start = w.fork();
    encodeEvent(w, event);
    w.ldelim(11, start);
  }
  for (const link of span.links) {
    const start = w.fork();
    encodeLink(w, link);
    w.ldelim(13, start);
  }
  if (span.statusCode !== 0 || span.statusMessage !== '') {
    const start = w.fork();
    w.stringField(2, span.statusMessage);
    w.int32Field(3, span.statusCode);
    w.ldelim(15, start);
  }
  w.fixed32Field(16, span.flags);
}

function encodeEvent(w: ProtoWriter, event: RawEvent): void {
  w.timeField(1, event.timeUs);
  w.stringField(2, event.name);
  encodeAttributes(w, 3, event.attributes);
}

function encodeLink(w: ProtoWriter, link: RawLink): void {
  w.hexField(1, link.traceId, 'traceId');
  w.hexField(2, link.spanId, 'spanId');
  w.stringField(3, link.traceState);
  encodeAttributes(w, 4, link.attributes);
}
