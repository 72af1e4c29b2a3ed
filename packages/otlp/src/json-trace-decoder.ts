import type { RawEvent, RawLink, RawResourceSpans, RawScopeSpans, RawSpan } from '@loopline/model';
import {
  decodeJsonRequest,
  decodeResourceJson,
  decodeScopeJson,
  readAttributes,
} from './json-common-decoder.ts';
import type { JsonPath } from './json-path.ts';
import {
  type JsonObject,
  mapItems,
  mapObjects,
  readEnum,
  readId,
  readInteger,
  readObject,
  readString,
  readTimeUs,
  stringOf,
} from './json-reader.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from './otlp-enum-names.ts';

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest: text, UTF-8 bytes or a parsed object. lowerCamelCase
 * and proto (snake_case) field names are both accepted; unknown fields are ignored. A value of the wrong
 * type in the envelope (request, resource, scope) throws AppError('OTLP_MALFORMED_BODY') naming its path,
 * e.g. `resourceSpans[0].scopeSpans: expected array`; a span that cannot be read comes back `malformed`
 * with the path inside it (`malformed JSON: traceId: expected hex string`), for normalisation to reject
 * alone.
 */
export function decodeTracesJson(body: unknown): RawResourceSpans[] {
  return decodeJsonRequest(body, 'resourceSpans', decodeResourceSpans);
}

function decodeResourceSpans(path: JsonPath, obj: JsonObject): RawResourceSpans {
  return {
    resource: decodeResourceJson(path, obj),
    scopeSpans: mapObjects(path, obj, 'scopeSpans', decodeScopeSpans),
  };
}

function decodeScopeSpans(path: JsonPath, obj: JsonObject): RawScopeSpans {
  return {
    scope: decodeScopeJson(path, obj),
    spans: mapItems(path, obj, 'spans', decodeSpan, malformedSpan),
  };
}

function malformedSpan(reason: string, item: unknown): RawSpan {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: stringOf(item, 'name'),
    kind: 0,
    startUs: 0,
    endUs: 0,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    malformed: reason,
  };
}

function decodeSpan(path: JsonPath, obj: JsonObject): RawSpan {
  const span: RawSpan = {
    traceId: readId(path, obj, 'traceId'),
    spanId: readId(path, obj, 'spanId'),
    parentSpanId: readId(path, obj, 'parentSpanId'),
    traceState: readString(path, obj, 'traceState'),
    flags: readInteger(path, obj, 'flags', true),
    name: readString(path, obj, 'name'),
    kind: readEnum(path, obj, 'kind', SPAN_KIND_NAMES),
    startUs: readTimeUs(path, obj, 'startTimeUnixNano'),
    endUs: readTimeUs(path, obj, 'endTimeUnixNano'),
    attributes: {},
    droppedAttributesCount: readInteger(path, obj, 'droppedAttributesCount', true),
    events: mapObjects(path, obj, 'events', decodeEvent),
    links: mapObjects(path, obj, 'links', decodeLink),
    statusCode: 0,
    statusMessage: '',
  };
  readAttributes(path, obj, 'attributes', span.attributes);
  const status = readObject(path, obj, 'status');
  if (status !== undefined) {
    path.push('status');
    span.statusCode = readEnum(path, status, 'code', STATUS_CODE_NAMES);
    span.statusMessage = readString(path, status, 'message');
    path.pop();
  }
  return span;
}

function decodeEvent(path: JsonPath, obj: JsonObject): RawEvent {
  const event: RawEvent = {
    timeUs: readTimeUs(path, obj, 'timeUnixNano'),
    name: readString(path, obj, 'name'),
    attributes: {},
  };
  readAttributes(path, obj, 'attributes', event.attributes);
  return event;
}

function decodeLink(path: JsonPath, obj: JsonObject): RawLink {
  const link: RawLink = {
    traceId: readId(path, obj, 'traceId'),
    spanId: readId(path, obj, 'spanId'),
    traceState: readString(path, obj, 'traceState'),
    attributes: {},
  };
  readAttributes(path, obj, 'attributes', link.attributes);
  return link;
}
