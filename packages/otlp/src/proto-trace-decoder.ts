import type { RawEvent, RawLink, RawResourceSpans, RawSpan } from '@loopline/model';
import { decodeEnvelope, decodeItem, decodeKeyValue, decodeRequest } from './proto-common-decoder.ts';
import { envelopeFields, I32, I64, LEN, messageFields, VARINT } from './proto-fields.ts';
import { ProtoReader } from './proto-reader.ts';

const ENVELOPE = envelopeFields('Trace', 'Spans', 'spans');
const SPAN_FIELDS = messageFields('Span', {
  1: ['trace_id', LEN],
  2: ['span_id', LEN],
  3: ['trace_state', LEN],
  4: ['parent_span_id', LEN],
  5: ['name', LEN],
  6: ['kind', VARINT],
  7: ['start_time_unix_nano', I64],
  8: ['end_time_unix_nano', I64],
  9: ['attributes', LEN],
  10: ['dropped_attributes_count', VARINT],
  11: ['events', LEN],
  12: ['dropped_events_count', VARINT],
  13: ['links', LEN],
  14: ['dropped_links_count', VARINT],
  15: ['status', LEN],
  16: ['flags', I32],
});
const EVENT_FIELDS = messageFields('Span.Event', {
  1: ['time_unix_nano', I64],
  2: ['name', LEN],
  3: ['attributes', LEN],
  4: ['dropped_attributes_count', VARINT],
});
const LINK_FIELDS = messageFields('Span.Link', {
  1: ['trace_id', LEN],
  2: ['span_id', LEN],
  3: ['trace_state', LEN],
  4: ['attributes', LEN],
  5: ['dropped_attributes_count', VARINT],
  6: ['flags', I32],
});
const STATUS_FIELDS = messageFields('Status', { 2: ['message', LEN], 3: ['code', VARINT] });

/**
 * Decodes an OTLP ExportTraceServiceRequest (protobuf). Throws AppError('OTLP_MALFORMED_BODY') when the
 * envelope (request, resource, scope) is not well-formed; a span that is not comes back `malformed`, for
 * normalisation to reject alone. Unknown fields are skipped; a known field of the wrong wire type is
 * malformed.
 */
export function decodeTracesProto(bytes: Uint8Array): RawResourceSpans[] {
  return decodeRequest(new ProtoReader(bytes), ENVELOPE, decodeResourceSpans);
}

function decodeResourceSpans(r: ProtoReader, end: number): RawResourceSpans {
  const { resource, scopes } = decodeEnvelope(r, end, ENVELOPE, decodeSpan);
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
  return decodeItem(r, end, newSpan(), decodeSpanFields);
}

function decodeSpanFields(r: ProtoReader, end: number, span: RawSpan): void {
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
      r.skip(tag, end, SPAN_FIELDS);
  }
}

function decodeEvent(r: ProtoReader, end: number): RawEvent {
  const event: RawEvent = { timeUs: 0, name: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 9) event.timeUs = r.timeUs();
    else if (tag === 18) event.name = r.string(end);
    else if (tag === 26) decodeKeyValue(r, r.end(end), event.attributes);
    else r.skip(tag, end, EVENT_FIELDS);
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
    else r.skip(tag, end, LINK_FIELDS);
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
    else r.skip(tag, end, STATUS_FIELDS);
  }
  r.expectEnd(end);
}
