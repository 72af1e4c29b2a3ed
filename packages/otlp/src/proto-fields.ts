/**
 * The fields each OTLP message declares, by number, with the wire type its type has. A decoder handles
 * the fields it reads by their full key (number and wire type) and hands every other key to
 * `ProtoReader.skip` with its message's table: an unknown field is skipped, as protobuf wants, but a
 * known field with another wire type (`resource_spans` as a varint) is malformed, not silently ignored.
 */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

export const WIRE_TYPE_NAMES: Readonly<Record<number, string>> = {
  [VARINT]: 'varint',
  [I64]: 'fixed64',
  [LEN]: 'length-delimited',
  [I32]: 'fixed32',
};

export interface MessageFields {
  readonly message: string;
  /** by field number: [name, wire type] */
  readonly byNumber: readonly (readonly [string, number] | undefined)[];
}

export function messageFields(
  message: string,
  fields: Readonly<Record<number, readonly [string, number]>>,
): MessageFields {
  const byNumber: (readonly [string, number] | undefined)[] = [];
  for (const [number, field] of Object.entries(fields)) byNumber[Number(number)] = field;
  return { message, byNumber };
}

/** The top of each signal's envelope: Export*ServiceRequest, Resource* and Scope* (Spans, Logs, Metrics). */
export interface EnvelopeFields {
  readonly request: MessageFields;
  readonly resource: MessageFields;
  readonly scope: MessageFields;
}

/** `signal`: Trace, Logs or Metrics; `kind`: Spans, Logs or Metrics; `items`: spans, log_records, metrics. */
export function envelopeFields(signal: string, kind: string, items: string): EnvelopeFields {
  const snake = kind.toLowerCase();
  return {
    request: messageFields(`Export${signal}ServiceRequest`, { 1: [`resource_${snake}`, LEN] }),
    resource: messageFields(`Resource${kind}`, {
      1: ['resource', LEN],
      2: [`scope_${snake}`, LEN],
      3: ['schema_url', LEN],
    }),
    scope: messageFields(`Scope${kind}`, { 1: ['scope', LEN], 2: [items, LEN], 3: ['schema_url', LEN] }),
  };
}

export const RESOURCE_FIELDS = messageFields('Resource', {
  1: ['attributes', LEN],
  2: ['dropped_attributes_count', VARINT],
  3: ['entity_refs', LEN],
});

export const SCOPE_FIELDS = messageFields('InstrumentationScope', {
  1: ['name', LEN],
  2: ['version', LEN],
  3: ['attributes', LEN],
  4: ['dropped_attributes_count', VARINT],
});

export const KEY_VALUE_FIELDS = messageFields('KeyValue', { 1: ['key', LEN], 2: ['value', LEN] });

export const ANY_VALUE_FIELDS = messageFields('AnyValue', {
  1: ['string_value', LEN],
  2: ['bool_value', VARINT],
  3: ['int_value', VARINT],
  4: ['double_value', I64],
  5: ['array_value', LEN],
  6: ['kvlist_value', LEN],
  7: ['bytes_value', LEN],
  8: ['string_value_strindex', VARINT],
});

export const ARRAY_VALUE_FIELDS = messageFields('ArrayValue', { 1: ['values', LEN] });
export const KEY_VALUE_LIST_FIELDS = messageFields('KeyValueList', { 1: ['values', LEN] });
