import type { Attributes, AttrValue, RawResource, RawScope } from '@loopline/model';
import { isInt64 } from './proto-common-encoder.ts';

/** A JSON-compatible value, as produced by the OTLP/JSON encoders (ready for JSON.stringify). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type OtlpJsonObject = { [key: string]: JsonValue };

/** Integer microseconds as the decimal nanosecond string OTLP/JSON uses for fixed64 times (exact). */
export function timeToJson(us: number): string {
  const t = Number.isFinite(us) && us >= 1 ? Math.floor(us) : 0;
  return t === 0 ? '0' : `${t}000`;
}

/**
 * A double: a JSON number, or "NaN" / "Infinity" / "-Infinity" as proto3 JSON writes them. -0 is written
 * as "-0" because JSON.stringify would drop its sign.
 */
export function doubleToJson(value: number): JsonValue {
  if (Object.is(value, -0)) return '-0';
  return Number.isFinite(value) ? value : String(value);
}

/** A 64-bit integer as a decimal string (proto3 JSON), exact for every integer double. */
export function int64ToJson(value: number): string {
  return Number.isFinite(value) ? BigInt(Math.trunc(value)).toString() : '0';
}

export function attributesToJson(attributes: Attributes): JsonValue[] {
  return Object.keys(attributes).map((key) => ({ key, value: anyValueToJson(attributes[key] ?? null) }));
}

/** An AttrValue as an OTLP/JSON AnyValue; integers (in the int64 range, not -0) become intValue. */
export function anyValueToJson(value: AttrValue): OtlpJsonObject {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return isInt64(value) ? { intValue: int64ToJson(value) } : { doubleValue: doubleToJson(value) };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValueToJson) } };
  if (value !== null && typeof value === 'object')
    return { kvlistValue: { values: attributesToJson(value) } };
  return {};
}

export function resourceToJson(resource: RawResource): OtlpJsonObject {
  return {
    attributes: attributesToJson(resource.attributes),
    droppedAttributesCount: resource.droppedAttributesCount,
  };
}

export function scopeToJson(scope: RawScope): OtlpJsonObject {
  return { name: scope.name, version: scope.version, attributes: attributesToJson(scope.attributes) };
}
