import type { Attributes, AttrValue, RawResource, RawScope } from '@loopline/model';
import { ProtoWriter } from './proto-writer.ts';

/** Encodes an Export*ServiceRequest: each item as field 1. */
export function encodeRequest<T>(
  items: readonly T[],
  encodeItem: (w: ProtoWriter, item: T) => void,
): Uint8Array {
  const w = new ProtoWriter();
  for (const item of items) {
    const start = w.fork();
    encodeItem(w, item);
    w.ldelim(1, start);
  }
  return w.finish();
}

/** True for numbers written as int_value: integers in the int64 range, except -0. */
export function isInt64(value: number): boolean {
  return Number.isInteger(value) && value >= -(2 ** 63) && value <= 2 ** 63 && !Object.is(value, -0);
}

/** Writes each attribute as a KeyValue in field `field`. */
export function encodeAttributes(w: ProtoWriter, field: number, attributes: Attributes): void {
  for (const key of Object.keys(attributes)) {
    const start = w.fork();
    w.stringField(1, key);
    const valueStart = w.fork();
    encodeAnyValue(w, attributes[key] ?? null);
    w.ldelim(2, valueStart);
    w.ldelim(field, start);
  }
}

/**
 * Writes an AnyValue body: strings, booleans, int64 integers, doubles, arrays and plain objects (kvlist);
 * null writes an empty AnyValue. Bytes have no distinct AttrValue form, so base64 text stays a string.
 */
export function encodeAnyValue(w: ProtoWriter, value: AttrValue): void {
  if (typeof value === 'string') {
    w.key(1, 2);
    w.string(value);
  } else if (typeof value === 'boolean') {
    w.key(2, 0);
    w.uint32(value ? 1 : 0);
  } else if (typeof value === 'number') {
    encodeNumberValue(w, value);
  } else if (Array.isArray(value)) {
    const start = w.fork();
    for (const item of value) {
      const itemStart = w.fork();
      encodeAnyValue(w, item);
      w.ldelim(1, itemStart);
    }
    w.ldelim(5, start);
  } else if (value !== null && typeof value === 'object') {
    const start = w.fork();
    encodeAttributes(w, 1, value);
    w.ldelim(6, start);
  }
}

function encodeNumberValue(w: ProtoWriter, value: number): void {
  if (isInt64(value)) {
    w.key(3, 0);
    w.int64(value);
  } else {
    w.key(4, 1);
    w.double(value);
  }
}

/** Resource as field `field`: 1 attributes, 2 dropped_attributes_count. */
export function encodeResource(w: ProtoWriter, field: number, resource: RawResource): void {
  const start = w.fork();
  encodeAttributes(w, 1, resource.attributes);
  w.uint32Field(2, resource.droppedAttributesCount);
  w.ldelim(field, start);
}

/** InstrumentationScope as field `field`: 1 name, 2 version, 3 attributes. */
export function encodeScope(w: ProtoWriter, field: number, scope: RawScope): void {
  const start = w.fork();
  w.stringField(1, scope.name);
  w.stringField(2, scope.version);
  encodeAttributes(w, 3, scope.attributes);
  w.ldelim(field, start);
}
