import { AppError, type Attributes, type AttrValue, type RawResource, type RawScope } from '@loopline/model';
import { setAttribute } from './attribute-map.ts';
import { base64ToBytes, bytesToBase64 } from './base64.ts';
import { JsonPath } from './json-path.ts';
import {
  field,
  isObject,
  type JsonObject,
  mapObjects,
  readArray,
  readInteger,
  readObject,
  readString,
  toDouble,
  toInteger,
} from './json-reader.ts';

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Decodes an OTLP/JSON request body (text, UTF-8 bytes or an already parsed value) and maps its
 * top-level repeated field (`resourceSpans`, `resourceLogs` or `resourceMetrics`) with `decodeItem`.
 */
export function decodeJsonRequest<T>(
  body: unknown,
  name: string,
  decodeItem: (path: JsonPath, item: JsonObject) => T,
): T[] {
  const value = parseBody(body);
  const path = new JsonPath();
  if (!isObject(value)) return path.fail('expected a JSON object');
  return mapObjects(path, value, name, decodeItem);
}

/** `\ud800`–`\udfff` written as an escape: the only way JSON text carries a lone surrogate */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;
const MAX_WALK_DEPTH = 256;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Every string and key with lone surrogates replaced by U+FFFD, as UTF-8 decoding does for protobuf
 * bodies: stored as JSON, a lone surrogate made DuckDB's JSON reader fail every later read of the rows
 * (the dataset list, any attribute breakdown) for everyone. Values nested deeper than any OTLP message
 * allows are left alone: the decoder rejects them (an AnyValue deeper than 100 levels).
 */
function wellFormed(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\ufffd');
  if (value === null || typeof value !== 'object' || depth > MAX_WALK_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => wellFormed(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key.replace(LONE_SURROGATE, '\ufffd'), {
      value: wellFormed(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : UTF8.decode(body);
  try {
    const value: unknown = JSON.parse(text);
    return ESCAPED_SURROGATE.test(text) ? wellFormed(value) : value;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('OTLP_MALFORMED_BODY', `Malformed JSON body: ${reason}`);
  }
}

/** The `attributes` (KeyValue list) field `name` of `obj`, added to `attrs`. */
export function readAttributes(path: JsonPath, obj: JsonObject, name: string, attrs: Attributes): void {
  const items = readArray(path, obj, name);
  if (items.length === 0) return;
  path.push(name);
  addKeyValues(path, items, attrs);
  path.pop();
}

function addKeyValues(path: JsonPath, items: readonly unknown[], attrs: Attributes): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    path.push(i);
    if (!isObject(item)) path.fail('expected object');
    const key = readString(path, item, 'key');
    setAttribute(attrs, key, decodeAnyValueField(path, item, 'value'));
    path.pop();
  }
}

/** The AnyValue field `name` of `obj` (null when absent or empty). */
export function decodeAnyValueField(path: JsonPath, obj: JsonObject, name: string): AttrValue {
  const value = field(obj, name);
  if (value === undefined || value === null) return null;
  path.push(name);
  if (!isObject(value)) path.fail('expected AnyValue object');
  const out = decodeAnyValue(path, value);
  path.pop();
  return out;
}

function decodeAnyValue(path: JsonPath, value: JsonObject): AttrValue {
  let v = field(value, 'stringValue');
  if (v !== undefined && v !== null) {
    if (typeof v !== 'string') path.fail('expected string', 'stringValue');
    return v;
  }
  v = field(value, 'boolValue');
  if (v !== undefined && v !== null) {
    if (typeof v !== 'boolean') path.fail('expected boolean', 'boolValue');
    return v;
  }
  v = field(value, 'intValue');
  if (v !== undefined && v !== null) return toInteger(path, v, 'intValue', false);
  v = field(value, 'doubleValue');
  if (v !== undefined && v !== null) return toDouble(path, v, 'doubleValue');
  return decodeCompositeValue(path, value);
}

/** arrayValue, kvlistValue and bytesValue. */
function decodeCompositeValue(path: JsonPath, value: JsonObject): AttrValue {
  const array = readObject(path, value, 'arrayValue');
  if (array !== undefined) {
    path.push('arrayValue');
    path.enter();
    const out = decodeArrayValues(path, readArray(path, array, 'values'));
    path.leave();
    path.pop();
    return out;
  }
  const kvlist = readObject(path, value, 'kvlistValue');
  if (kvlist !== undefined) {
    const attrs: Attributes = {};
    path.push('kvlistValue');
    path.enter();
    readAttributes(path, kvlist, 'values', attrs);
    path.leave();
    path.pop();
    return attrs;
  }
  return decodeBytesValue(path, value);
}

function decodeArrayValues(path: JsonPath, items: readonly unknown[]): AttrValue[] {
  const out: AttrValue[] = [];
  path.push('values');
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    path.push(i);
    if (item !== null && !isObject(item)) path.fail('expected AnyValue object');
    out.push(item === null ? null : decodeAnyValue(path, item));
    path.pop();
  }
  path.pop();
  return out;
}

function decodeBytesValue(path: JsonPath, value: JsonObject): AttrValue {
  const bytes = field(value, 'bytesValue');
  if (bytes === undefined || bytes === null) return null;
  const decoded = typeof bytes === 'string' ? base64ToBytes(bytes) : undefined;
  if (decoded === undefined) return path.fail('expected base64 string', 'bytesValue');
  return bytesToBase64(decoded);
}

export function decodeResourceJson(path: JsonPath, obj: JsonObject): RawResource {
  const resource: RawResource = { attributes: {}, droppedAttributesCount: 0 };
  const value = readObject(path, obj, 'resource');
  if (value === undefined) return resource;
  path.push('resource');
  readAttributes(path, value, 'attributes', resource.attributes);
  resource.droppedAttributesCount = readInteger(path, value, 'droppedAttributesCount', true);
  path.pop();
  return resource;
}

export function decodeScopeJson(path: JsonPath, obj: JsonObject): RawScope {
  const scope: RawScope = { name: '', version: '', attributes: {} };
  const value = readObject(path, obj, 'scope');
  if (value === undefined) return scope;
  path.push('scope');
  scope.name = readString(path, value, 'name');
  scope.version = readString(path, value, 'version');
  readAttributes(path, value, 'attributes', scope.attributes);
  path.pop();
  return scope;
}
