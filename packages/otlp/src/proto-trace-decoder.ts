import type { RawEvent, RawLink, RawResourceSpans, RawSpan } from '@loopline/model';
import { decodeEnvelope, decodeKeyValue, decodeRequest } from './proto-common-decoder.ts';
import { ProtoReader } from './proto-reader.ts';

/**
 * Decodes an OTLP ExportTraceServiceRequest (protobuf). Throws AppError('OTLP_MALFORMED_BODY') when the
 * bytes are not a well-formed message; unknown fields are skipped.
 */
export function decodeTracesProto(bytes: Uint8Array): RawResourceSpans[] {
  return decodeRequest(new ProtoReader(bytes), decodeResourceSpans);
}

function decodeResourceSpans(r: ProtoReader, end: number): RawResourceSpans {
  const { resource, scopes } = decodeEnvelope(r, end, decodeSpan);
  return { resource, scopeSpans: scopes.map(({ scope, items }) => ({ scope, spans: items })) };
}

function newSpan(): RawSpan {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: '',
    kind: 0,
    startUs: 0,
    endUs: 0,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
  };
}

function decodeSpan(r: ProtoReader, end: number): RawSpan {
  const span = newSpan();
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case 74: // 9 attributes
        decodeKeyValue(r, r.end(end), span.attributes);
        break;
      case 10: // 1 trace_id
        span.traceId = r.hex(end);
        break;
      case 18: // 2 span_id
        span.spanId = r.hex(end);
        break;
      case 26: // 3 trace_state
        span.traceState = r.string(end);
        break;
      case 34: // 4 parent_span_id
        span.parentSpanId = r.hex(end);
        break;
      case 42: // 5 name
        span.name = r.string(end);
        break;
      case 48: // 6 kind
        span.kind = r.int32();
        break;
      case 57: // 7 start_time_unix_nano
        span.startUs = r.timeUs();
        break;
      case 65: // 8 end_time_unix_nano
        span.endUs = r.timeUs();
        break;
      default:
        decodeSpanRest(r, tag, end, span);
    }
  }
  r.expectEnd(end);
  return span;
}

/** The less frequent span fields, kept out of decodeSpan's switch. */
function decodeSpanRest(r: ProtoReader, tag: number, end: number, span: RawSpan): void {
  switch (tag) {
    case 133: // 16 flags (fixed32)
      span.flags = r.fixed32();
      return;
    case 80: // 10 dropped_attributes_count
      span.droppedAttributesCount = r.uint32();
      return;
    case 90: // 11 events
      span.events.push(decodeEvent(r, r.end(end)));
      return;
    case 106: // 13 links
      span.links.push(decodeLink(r, r.end(end)));
      return;
    case 122: // 15 status
      decodeStatus(r, r.end(end), span);
      return;
    default:
      r.skip(tag, end);
  }
}

function decodeEvent(r: ProtoReader, end: number): RawEvent {
  const event: RawEvent = { timeUs: 0, name: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 9) event.timeUs = r.timeUs();
    else if (tag === 18) event.name = r.string(end);
    else if (tag === 26) decodeKeyValue(r, r.end(end), event.attributes);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return event;
}

function decodeLink(r: ProtoReader, end: number): RawLink {
  const link: RawLink = { traceId: '', spanId: '', traceState: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) link.traceId = r.hex(end);
    else if (tag === 18) link.spanId = r.hex(end);
    else if (tag === 26) link.traceState = r.string(end);
    else if (tag === 34) decodeKeyValue(r, r.end(end), link.attributes);
    else r.skip(tag, end);
  }
  r.expectEnd(end);
  return link;
}

/** Status: 2 message, 3 code (field 1 is reserved). */
function decodeStatus(r: ProtoReader, end: number, span: RawSpan): void {
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 18) span.statusMessage = r.string(end);
    else if (tag === 24) span.statusCode = r.int32();
    else r.skip(tag, end);
  }
  r.expectEnd(end);
}
