/**
 * Seeded mutations of valid protobuf request bodies for the ingest fuzz test: byte-level (flip, insert,
 * delete, truncate) and structural ones on the parsed field tree, whose length prefixes are recomputed so
 * the damage lands where it is meant to (a wrong wire type, a duplicated or missing field, a huge length,
 * an over-long varint, a nesting bomb). Each returns the bytes and a short description for replay.
 */
import type { Random } from '../../../otlp/test/support/random-otlp.ts';

/** A field as read from the wire, kept as raw bytes so an untouched field re-encodes as it was. */
interface ProtoField {
  tag: Uint8Array;
  wire: number;
  /** a varint's or fixed value's bytes, or a length-delimited field's payload */
  value: Uint8Array;
  /** the payload read as a message, when it parses as one */
  children?: ProtoField[];
  /** a (bogus) length prefix written instead of the payload's length */
  lengthPrefix?: Uint8Array;
}

export interface Mutated {
  body: Uint8Array;
  what: string;
}

export function varint(value: bigint | number): Uint8Array {
  let n = BigInt(value);
  const out: number[] = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/** Reads a varint's end offset, or -1 when it is truncated or longer than 10 bytes. */
function varintEnd(bytes: Uint8Array, pos: number): number {
  for (let i = pos; i < bytes.length && i < pos + 10; i++) if (bytes[i]! < 0x80) return i + 1;
  return -1;
}

function readVarint(bytes: Uint8Array, pos: number, end: number): number {
  let value = 0;
  for (let i = end - 1; i >= pos; i--) value = value * 128 + (bytes[i]! & 0x7f);
  return value;
}

/** The fields of a message, or null when the bytes are not one (so they stay an opaque payload). */
function parseMessage(bytes: Uint8Array, depth: number): ProtoField[] | null {
  const fields: ProtoField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const tagEnd = varintEnd(bytes, pos);
    if (tagEnd < 0) return null;
    const key = readVarint(bytes, pos, tagEnd);
    const wire = key % 8;
    if (key < 8) return null;
    const tag = bytes.subarray(pos, tagEnd);
    let end: number;
    let start = tagEnd;
    if (wire === 0) end = varintEnd(bytes, tagEnd);
    else if (wire === 1) end = tagEnd + 8;
    else if (wire === 5) end = tagEnd + 4;
    else if (wire === 2) {
      start = varintEnd(bytes, tagEnd);
      if (start < 0) return null;
      end = start + readVarint(bytes, tagEnd, start);
    } else return null;
    if (end < 0 || end > bytes.length) return null;
    const value = bytes.subarray(start, end);
    const field: ProtoField = { tag, wire, value };
    if (wire === 2 && value.length > 0 && depth < 32) {
      const children = parseMessage(value, depth + 1);
      if (children) field.children = children;
    }
    fields.push(field);
    pos = end;
  }
  return fields;
}

function serialise(fields: readonly ProtoField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    parts.push(field.tag);
    if (field.wire !== 2) {
      parts.push(field.value);
      continue;
    }
    const payload = field.children ? serialise(field.children) : field.value;
    parts.push(field.lengthPrefix ?? varint(payload.length), payload);
  }
  return concat(parts);
}

interface Slot {
  list: ProtoField[];
  index: number;
  field: ProtoField;
}

function slots(fields: ProtoField[], out: Slot[] = []): Slot[] {
  fields.forEach((field, index) => {
    out.push({ list: fields, index, field });
    if (field.children) slots(field.children, out);
  });
  return out;
}

/**
 * `depth` levels around `inner`, each level the `heads` in order, every head followed by the length of
 * all that comes after it (its field's payload). Built back to front in one pass: a bomb 20,000 deep is
 * cheap to make.
 */
export function nest(heads: readonly Uint8Array[], inner: Uint8Array, depth: number): Uint8Array {
  const pieces: Uint8Array[] = [];
  let length = inner.length;
  for (let level = 0; level < depth; level++) {
    for (let i = heads.length - 1; i >= 0; i--) {
      const prefix = varint(length);
      pieces.push(prefix, heads[i]!);
      length += heads[i]!.length + prefix.length;
    }
  }
  return concat([...pieces.reverse(), inner]);
}

const TAG = (field: number, wire: number): Uint8Array => varint(field * 8 + wire);
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** KeyValue { key, value: AnyValue nested `depth` arrays (or kvlists) deep around a string }. */
export function deepAttribute(depth: number, kvlist: boolean): Uint8Array {
  const leaf = concat([TAG(1, 2), varint(4), text('leaf')]); // AnyValue { string_value }
  // AnyValue.array_value(5) → ArrayValue.values(1) → AnyValue, or
  // AnyValue.kvlist_value(6) → KeyValueList.values(1) → KeyValue { key(1) "k", value(2) → AnyValue }
  const heads = kvlist
    ? [TAG(6, 2), TAG(1, 2), concat([TAG(1, 2), varint(1), text('k'), TAG(2, 2)])]
    : [TAG(5, 2), TAG(1, 2)];
  const levels = nest(heads, leaf, depth);
  return concat([TAG(1, 2), varint(9), text('fuzz.deep'), TAG(2, 2), varint(levels.length), levels]);
}

function cloneField(field: ProtoField): ProtoField {
  return { ...field, children: field.children?.map(cloneField) };
}

/** Little-endian fixed64 values: as uint64 nanoseconds, as doubles. */
const FIXED64_EXTREMES: readonly [string, readonly number[]][] = [
  ['2^64 - 1 (year 2554 in ns; NaN as a double)', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ['2^63 (the sign bit; -0 as a double)', [0, 0, 0, 0, 0, 0, 0, 0x80]],
  ['2^63 - 1', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
  ['+Infinity as a double', [0, 0, 0, 0, 0, 0, 0xf0, 0x7f]],
  ['-Infinity as a double', [0, 0, 0, 0, 0, 0, 0xf0, 0xff]],
  ['0', [0, 0, 0, 0, 0, 0, 0, 0]],
  ['1', [1, 0, 0, 0, 0, 0, 0, 0]],
];

const HUGE_LENGTHS = [2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 2n ** 64n - 1n];

type TreeMutation = (rnd: Random, tree: ProtoField[], all: Slot[]) => string | null;

const TREE_MUTATIONS: Readonly<Record<string, TreeMutation>> = {
  'wire-type': (rnd, _tree, all) => {
    const { field } = rnd.pick(all);
    const wire = (field.wire + 1 + rnd.int(7)) % 8;
    field.tag = field.tag.slice();
    field.tag[0] = (field.tag[0]! & ~7) | wire;
    return `wire type ${field.wire}→${wire}`;
  },
  duplicate: (rnd, _tree, all) => {
    const { list, index, field } = rnd.pick(all);
    const copies = rnd.chance(0.2) ? 50 : 1;
    list.splice(index, 0, ...Array.from({ length: copies }, () => cloneField(field)));
    return `duplicate field ×${copies}`;
  },
  remove: (rnd, _tree, all) => {
    const { list, index } = rnd.pick(all);
    list.splice(index, 1);
    return 'remove field';
  },
  'huge-length': (rnd, _tree, all) => {
    const delimited = all.filter((slot) => slot.field.wire === 2);
    if (delimited.length === 0) return null;
    const { field } = rnd.pick(delimited);
    const length = rnd.chance(0.3) ? field.value.length + 1 + rnd.int(1000) : rnd.pick(HUGE_LENGTHS);
    field.lengthPrefix = varint(length);
    return `length prefix ${length}`;
  },
  'long-varint': (rnd, _tree, all) => {
    const varints = all.filter((slot) => slot.field.wire === 0);
    if (varints.length === 0) return null;
    const { field } = rnd.pick(varints);
    field.value = longVarint(rnd, field.value);
    return `varint of ${field.value.length} bytes`;
  },
  'fixed-extreme': (rnd, _tree, all) => {
    // fixed64 fields are times (nanoseconds) and doubles: the largest, NaN, infinities, the sign bit
    const fixed = all.filter((slot) => slot.field.wire === 1);
    if (fixed.length === 0) return null;
    const { field } = rnd.pick(fixed);
    const [name, bytes] = rnd.pick(FIXED64_EXTREMES);
    field.value = Uint8Array.from(bytes);
    return `fixed64 → ${name}`;
  },
  'nest-bomb': (rnd, _tree, all) => {
    const messages = all.filter((slot) => slot.field.children);
    if (messages.length === 0) return null;
    const { field } = rnd.pick(messages);
    const depth = rnd.pick([50, 101, 1000, 20_000]);
    field.value = nest([field.tag], serialise(field.children ?? []), depth - 1);
    delete field.children;
    return `field nested in itself ${depth} deep`;
  },
  'deep-attribute': (rnd, tree) => {
    // the first Resource* item's Resource (field 1 of field 1) gets a deeply nested attribute
    const resourceItem = tree.find((field) => field.children);
    if (!resourceItem?.children) return null;
    const resource = resourceItem.children.find((field) => field.tag[0] === 0x0a && field.children);
    if (!resource?.children) return null;
    const depth = rnd.pick([99, 100, 101, 150, 5000]);
    const kvlist = rnd.chance(0.5);
    const attribute = deepAttribute(depth, kvlist);
    resource.children.push({ tag: TAG(1, 2), wire: 2, value: attribute });
    return `resource attribute ${kvlist ? 'kvlist' : 'array'} nested ${depth} deep`;
  },
};

/** A varint spelled with 10 or more bytes: padded (same value), all ones, or too long to be valid. */
function longVarint(rnd: Random, value: Uint8Array): Uint8Array {
  const choice = rnd.int(4);
  if (choice === 0) {
    const padded = [...value];
    padded[padded.length - 1]! |= 0x80;
    while (padded.length < 10 + rnd.int(2)) padded.push(0x80);
    padded[padded.length - 1] = 0x00;
    return Uint8Array.from(padded);
  }
  if (choice === 1) return Uint8Array.from([...Array(9).fill(0xff), 0x01]); // 2^64 - 1
  if (choice === 2) return Uint8Array.from([...Array(9).fill(0xff), 0x7f]); // bits past 64
  return Uint8Array.from([...Array(10 + rnd.int(6)).fill(0xff), 0x01]); // 11+ bytes
}

type ByteMutation = (rnd: Random, bytes: Uint8Array) => Mutated;

export const BYTE_MUTATIONS: readonly ByteMutation[] = [
  (rnd, bytes) => {
    const out = bytes.slice();
    const count = 1 + rnd.int(4);
    for (let i = 0; i < count && out.length > 0; i++) {
      const at = rnd.int(out.length);
      out[at] = out[at]! ^ (1 << rnd.int(8));
    }
    return { body: out, what: `flip ${count} bits` };
  },
  (rnd, bytes) => {
    const at = rnd.int(bytes.length + 1);
    const junk = Uint8Array.from({ length: 1 + rnd.int(16) }, () => rnd.int(256));
    return {
      body: concat([bytes.subarray(0, at), junk, bytes.subarray(at)]),
      what: `insert ${junk.length}@${at}`,
    };
  },
  (rnd, bytes) => {
    const at = rnd.int(bytes.length + 1);
    const length = 1 + rnd.int(16);
    const body = concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
    return { body, what: `delete ${length}@${at}` };
  },
  (rnd, bytes) => {
    const at = rnd.int(bytes.length);
    return { body: bytes.subarray(0, at), what: `truncate at ${at} of ${bytes.length}` };
  },
];

/** One to three mutations of a valid protobuf body; structural ones are more likely than byte-level. */
export function mutateProto(rnd: Random, bytes: Uint8Array): Mutated {
  const tree = parseMessage(bytes, 0);
  const steps: string[] = [];
  let body = bytes;
  if (tree && rnd.chance(0.7)) {
    const names = Object.keys(TREE_MUTATIONS);
    for (let n = 1 + rnd.int(2); n > 0; n--) {
      const name = rnd.pick(names);
      const all = slots(tree);
      if (all.length === 0) break;
      const what = TREE_MUTATIONS[name]!(rnd, tree, all);
      if (what) steps.push(what);
    }
    body = serialise(tree);
  }
  if (steps.length === 0 || rnd.chance(0.25)) {
    const mutated = rnd.pick(BYTE_MUTATIONS)(rnd, body);
    body = mutated.body;
    steps.push(mutated.what);
  }
  return { body, what: `protobuf: ${steps.join(', ')}` };
}
