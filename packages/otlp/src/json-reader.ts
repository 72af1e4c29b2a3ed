import { isAppError } from '@loopline/model';
import { isHex } from './hex.ts';
import type { JsonPath } from './json-path.ts';

export type JsonObject = Record<string, unknown>;

const SNAKE_NAMES = new Map<string, string>();

/** The proto field name for a lowerCamelCase JSON name (`traceId` → `trace_id`). */
function snakeName(camel: string): string {
  let snake = SNAKE_NAMES.get(camel);
  if (snake === undefined) {
    snake = camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    SNAKE_NAMES.set(camel, snake);
  }
  return snake;
}

/** A field by its lowerCamelCase JSON name, falling back to the proto (snake_case) name. */
export function field(obj: JsonObject, name: string): unknown {
  const value = obj[name];
  if (value !== undefined) return value;
  const snake = snakeName(name);
  return snake === name ? undefined : obj[snake];
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested message: undefined when absent or null (proto3 JSON treats null as the default). */
export function readObject(path: JsonPath, obj: JsonObject, name: string): JsonObject | undefined {
  const value = field(obj, name);
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return path.fail('expected object', name);
  return value;
}

/** Maps a repeated message field; each item must be an object, and the path names its index. */
export function mapObjects<T>(
  path: JsonPath,
  obj: JsonObject,
  name: string,
  decodeItem: (path: JsonPath, item: JsonObject) => T,
): T[] {
  const items = readArray(path, obj, name);
  const out: T[] = [];
  if (items.length === 0) return out;
  path.push(name);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    path.push(i);
    if (!isObject(item)) path.fail('expected object');
    out.push(decodeItem(path, item));
    path.pop();
  }
  path.pop();
  return out;
}

/**
 * mapObjects for the items a request carries (spans, log records, metrics, data points): an item that
 * cannot be read (not an object, a field of the wrong type) comes back as `malformed(reason, item)`, for
 * normalisation to reject alone, instead of failing the request.
 */
export function mapItems<T>(
  path: JsonPath,
  obj: JsonObject,
  name: string,
  decodeItem: (path: JsonPath, item: JsonObject) => T,
  malformed: (reason: string, item: unknown) => T,
): T[] {
  const items = readArray(path, obj, name);
  const out: T[] = [];
  if (items.length === 0) return out;
  path.push(name);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    path.push(i);
    const depth = path.depth;
    try {
      if (!isObject(item)) path.fail('expected object');
      out.push(decodeItem(path, item));
    } catch (error) {
      out.push(malformed(malformedReason(path, depth, error), item));
    }
    path.pop();
  }
  path.pop();
  return out;
}

/** `malformed JSON: attributes[0].value: expected AnyValue object`: the path inside the item, the reason. */
function malformedReason(path: JsonPath, depth: number, error: unknown): string {
  if (!isAppError(error) || error.code !== 'OTLP_MALFORMED_BODY') throw error;
  path.truncate(depth);
  const item = path.format();
  const inside = String(error.details?.path ?? '')
    .slice(item.length)
    .replace(/^\./, '');
  return `malformed JSON: ${inside ? `${inside}: ` : ''}${String(error.details?.reason ?? error.message)}`;
}

/** A string field of an item that may not be an object ('' when it is not there). */
export function stringOf(item: unknown, name: string): string {
  const value = isObject(item) ? field(item, name) : undefined;
  return typeof value === 'string' ? value : '';
}

export function readArray(path: JsonPath, obj: JsonObject, name: string): readonly unknown[] {
  const value = field(obj, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return path.fail('expected array', name);
  return value;
}

export function readString(path: JsonPath, obj: JsonObject, name: string): string {
  const value = field(obj, name);
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return path.fail('expected string', name);
}

export function readBool(path: JsonPath, obj: JsonObject, name: string): boolean {
  const value = field(obj, name);
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  return path.fail('expected boolean', name);
}

/** A trace or span id: hex (either case) → lowercase; '' when absent. */
export function readId(path: JsonPath, obj: JsonObject, name: string): string {
  const value = field(obj, name);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || !isHex(value)) return path.fail('expected hex string', name);
  return value.toLowerCase();
}

/**
 * An integer field (uint32, int32, fixed32, int64, uint64): a JSON number or a decimal string, as proto3
 * JSON allows. 64-bit values become numbers (exact below 2^53).
 */
export function readInteger(path: JsonPath, obj: JsonObject, name: string, unsigned: boolean): number {
  const value = field(obj, name);
  if (value === undefined || value === null) return 0;
  return toInteger(path, value, name, unsigned);
}

export function toInteger(
  path: JsonPath,
  value: unknown,
  key: string | undefined,
  unsigned: boolean,
): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && INTEGER.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(n) || (unsigned && n < 0)) {
    return path.fail(unsigned ? 'expected unsigned integer' : 'expected integer', key);
  }
  return n;
}

const INTEGER = /^-?\d+$/;
const UNSIGNED = /^\d+$/;

/** A fixed64 nanosecond timestamp (decimal string or number) as exact integer microseconds. */
export function readTimeUs(path: JsonPath, obj: JsonObject, name: string): number {
  const value = field(obj, name);
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string' && UNSIGNED.test(value)) {
    // Drop the last three digits instead of dividing, so nanoseconds beyond 2^53 stay exact.
    return value.length > 3 ? Number(value.slice(0, -3)) : 0;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return Math.floor(value / 1000);
  return path.fail('expected unsigned integer nanoseconds', name);
}

/** A double: a JSON number, or "NaN", "Infinity", "-Infinity" or a numeric string. */
export function readDouble(path: JsonPath, obj: JsonObject, name: string): number {
  const value = field(obj, name);
  if (value === undefined || value === null) return 0;
  return toDouble(path, value, name);
}

export function readOptionalDouble(path: JsonPath, obj: JsonObject, name: string): number | undefined {
  const value = field(obj, name);
  if (value === undefined || value === null) return undefined;
  return toDouble(path, value, name);
}

export function toDouble(path: JsonPath, value: unknown, key: string | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isNaN(n)) return n;
  }
  return path.fail('expected number', key);
}

/** An enum: its integer value (number or decimal string) or, leniently, its proto name. */
export function readEnum(
  path: JsonPath,
  obj: JsonObject,
  name: string,
  names: Readonly<Record<string, number>>,
): number {
  const value = field(obj, name);
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string' && Object.hasOwn(names, value)) return names[value]!;
  return toInteger(path, value, name, false);
}
