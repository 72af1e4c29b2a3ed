import {
  type Attributes,
  type AttrValue,
  isAppError,
  type RawResource,
  type RawScope,
} from '@loopline/model';
import { setAttribute } from './attribute-map.ts';
import {
  ANY_VALUE_FIELDS,
  ARRAY_VALUE_FIELDS,
  type EnvelopeFields,
  KEY_VALUE_FIELDS,
  KEY_VALUE_LIST_FIELDS,
  RESOURCE_FIELDS,
  SCOPE_FIELDS,
} from './proto-fields.ts';
import type { ProtoReader } from './proto-reader.ts';

// Field keys are `field number << 3 | wire type`: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.

/** Decodes the top level of an Export*ServiceRequest: field 1, repeated, one item per resource. */
export function decodeRequest<T>(
  r: ProtoReader,
  fields: EnvelopeFields,
  decodeItem: (r: ProtoReader, end: number) => T,
): T[] {
  const out: T[] = [];
  const end = r.length;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) out.push(decodeItem(r, r.end(end)));
    else r.skip(tag, end, fields.request);
  }
  return out;
}

/**
 * Decodes one item (a span, log record, metric or data point) of the bytes up to `end` into `item`. An
 * item that cannot be read does not fail its request: it comes back with `malformed` set (normalisation
 * rejects it alone) and the reader moves on past its bytes, whose length its envelope gave.
 */
export function decodeItem<Item extends { malformed?: string }>(
  r: ProtoReader,
  end: number,
  item: Item,
  decodeFields: (r: ProtoReader, end: number, item: Item) => void,
): Item {
  try {
    decodeFields(r, end, item);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'OTLP_MALFORMED_BODY') throw error;
    item.malformed = `malformed protobuf: ${String(error.details?.reason ?? error.message)}`;
    r.pos = end;
    r.depth = 0;
  }
  return item;
}

export interface Envelope<Item> {
  resource: RawResource;
  scopes: { scope: RawScope; items: Item[] }[];
}

/**
 * The envelope every signal shares: Resource<X> { resource = 1; scope_<x> = 2 } and
 * Scope<X> { scope = 1; <items> = 2 }. `decodeItem` may return undefined to leave an item out.
 */
export function decodeEnvelope<Item>(
  r: ProtoReader,
  end: number,
  fields: EnvelopeFields,
  decodeItem: (r: ProtoReader, end: number) => Item | undefined,
): Envelope<Item> {
  const out: Envelope<Item> = { resource: emptyResource(), scopes: [] };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) out.resource = decodeResource(r, r.end(end));
    else if (tag === 18) out.scopes.push(decodeScopeEnvelope(r, r.end(end), fields, decodeItem));
    else r.skip(tag, end, fields.resource);
  }
  r.expectEnd(end);
  return out;
}

function decodeScopeEnvelope<Item>(
  r: ProtoReader,
  end: number,
  fields: EnvelopeFields,
  decodeItem: (r: ProtoReader, end: number) => Item | undefined,
): { scope: RawScope; items: Item[] } {
  const out: { scope: RawScope; items: Item[] } = { scope: emptyScope(), items: [] };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) out.scope = decodeScope(r, r.end(end));
    else if (tag === 18) {
      const item = decodeItem(r, r.end(end));
      if (item !== undefined) out.items.push(item);
    } else r.skip(tag, end, fields.scope);
  }
  r.expectEnd(end);
  return out;
}

/** Decodes one KeyValue message (field 1 key, field 2 value) into `attrs`. */
export function decodeKeyValue(r: ProtoReader, end: number, attrs: Attributes): void {
  let key = '';
  let value: AttrValue = null;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) key = r.string(end);
    else if (tag === 18) value = decodeAnyValue(r, r.end(end));
    else r.skip(tag, end, KEY_VALUE_FIELDS);
  }
  r.expectEnd(end);
  setAttribute(attrs, key, value);
}

/** Decodes an AnyValue; null when no value is set (or only string_value_strindex). */
export function decodeAnyValue(r: ProtoReader, end: number): AttrValue {
  let value: AttrValue = null;
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case 10:
        value = r.string(end);
        break;
      case 16:
        value = r.bool();
        break;
      case 24:
        value = r.int64();
        break;
      case 33:
        value = r.double();
        break;
      case 42:
        value = decodeArrayValue(r, r.end(end));
        break;
      case 50:
        value = decodeKvlistValue(r, r.end(end));
        break;
      case 58:
        value = r.base64(end);
        break;
      default:
        r.skip(tag, end, ANY_VALUE_FIELDS);
    }
  }
  r.expectEnd(end);
  return value;
}

function decodeArrayValue(r: ProtoReader, end: number): AttrValue[] {
  r.enter();
  const values: AttrValue[] = [];
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) values.push(decodeAnyValue(r, r.end(end)));
    else r.skip(tag, end, ARRAY_VALUE_FIELDS);
  }
  r.expectEnd(end);
  r.leave();
  return values;
}

function decodeKvlistValue(r: ProtoReader, end: number): Attributes {
  r.enter();
  const values: Attributes = {};
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) decodeKeyValue(r, r.end(end), values);
    else r.skip(tag, end, KEY_VALUE_LIST_FIELDS);
  }
  r.expectEnd(end);
  r.leave();
  return values;
}

export function emptyResource(): RawResource {
  return { attributes: {}, droppedAttributesCount: 0 };
}

export function emptyScope(): RawScope {
  return { name: '', version: '', attributes: {} };
}

/** Resource: 1 attributes, 2 dropped_attributes_count (entity_refs are skipped). */
export function decodeResource(r: ProtoReader, end: number): RawResource {
  const resource = emptyResource();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) decodeKeyValue(r, r.end(end), resource.attributes);
    else if (tag === 16) resource.droppedAttributesCount = r.uint32();
    else r.skip(tag, end, RESOURCE_FIELDS);
  }
  r.expectEnd(end);
  return resource;
}

/** InstrumentationScope: 1 name, 2 version, 3 attributes. */
export function decodeScope(r: ProtoReader, end: number): RawScope {
  const scope = emptyScope();
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === 10) scope.name = r.string(end);
    else if (tag === 18) scope.version = r.string(end);
    else if (tag === 26) decodeKeyValue(r, r.end(end), scope.attributes);
    else r.skip(tag, end, SCOPE_FIELDS);
  }
  r.expectEnd(end);
  return scope;
}
