/**
 * Seeded mutations of valid OTLP/JSON request bodies for the ingest fuzz test: structural ones on the
 * parsed object (wrong types, extreme and non-numbers, numbers as strings, deep nesting, unknown, empty
 * and `__proto__` keys, long strings, bad hex ids, far timestamps, lone surrogates and invalid UTF-8,
 * duplicate keys), then sometimes text-level ones (truncation, garbage bytes). Values JSON.stringify
 * cannot spell (1e400, a 50,000-deep array, raw bytes) go in as placeholders replaced in the bytes.
 */
import type { Random } from '../../../otlp/test/support/random-otlp.ts';
import {
  BAD_IDS,
  ID_KEYS,
  INTERESTING,
  INVALID_UTF8,
  type Json,
  LONE_SURROGATES,
  NUMERIC_STRINGS,
  ODD_KEYS,
  RAW_NUMBERS,
  TIME_KEYS,
  TIMES,
  WRONG_TYPES,
} from './json-fuzz-values.ts';
import type { Mutated } from './proto-mutator.ts';

type Container = Json[] | { [key: string]: Json };

interface Slot {
  parent: Container;
  key: string | number;
}

const encoder = new TextEncoder();

/** Raw text or bytes put in place of a placeholder string once the body is serialised. */
class RawParts {
  private readonly parts = new Map<string, Uint8Array>();

  add(raw: string | Uint8Array): string {
    const marker = `\u0001raw${this.parts.size}\u0001`;
    this.parts.set(JSON.stringify(marker), typeof raw === 'string' ? encoder.encode(raw) : raw);
    return marker;
  }

  /** The serialised body with each quoted placeholder replaced by its raw bytes. */
  bytes(text: string): Uint8Array {
    if (this.parts.size === 0) return encoder.encode(text);
    const pattern = /"\\u0001raw\d+\\u0001"/g;
    const pieces: Uint8Array[] = [];
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      pieces.push(
        encoder.encode(text.slice(last, match.index)),
        this.parts.get(match[0]) ?? new Uint8Array(),
      );
      last = match.index + match[0].length;
    }
    pieces.push(encoder.encode(text.slice(last)));
    return Buffer.concat(pieces);
  }
}

function collect(value: Json, out: Slot[]): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push({ parent: value, key: index });
      collect(item, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push({ parent: value, key });
      collect(item, out);
    }
  }
  return out;
}

function set(slot: Slot, value: Json): void {
  (slot.parent as Record<string | number, Json>)[slot.key] = value;
}

function get(slot: Slot): Json {
  return (slot.parent as Record<string | number, Json>)[slot.key] as Json;
}

function deep(rnd: Random, raw: RawParts): string {
  const depth = rnd.pick([64, 101, 1000, 50_000]);
  if (rnd.chance(0.5)) return raw.add(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  if (rnd.chance(0.5)) return raw.add(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  // an OTLP AnyValue nested `depth` arrays deep
  return raw.add(`${'{"arrayValue":{"values":['.repeat(depth)}{"intValue":"1"}${']}}'.repeat(depth)}`);
}

type SlotMutation = (rnd: Random, slot: Slot, raw: RawParts) => string;

const SLOT_MUTATIONS: Readonly<Record<string, SlotMutation>> = {
  'wrong type': (rnd, slot) => {
    set(slot, rnd.pick(WRONG_TYPES));
    return `${String(slot.key)} → ${JSON.stringify(get(slot))}`;
  },
  'raw number': (rnd, slot, raw) => {
    const number = rnd.pick(RAW_NUMBERS);
    set(slot, raw.add(number));
    return `${String(slot.key)} → ${number}`;
  },
  'numeric string': (rnd, slot) => {
    set(slot, rnd.pick(NUMERIC_STRINGS));
    return `${String(slot.key)} → "${get(slot)}"`;
  },
  'deep nesting': (rnd, slot, raw) => {
    set(slot, deep(rnd, raw));
    return `${String(slot.key)} → deep nesting`;
  },
  'long string': (rnd, slot) => {
    const length = rnd.pick([1000, 10_000, 100_000]);
    set(slot, rnd.pick(['x', 'é', '日', '🌍']).repeat(length));
    return `${String(slot.key)} → string ×${length}`;
  },
  'bad id': (rnd, slot) => {
    set(slot, rnd.pick(BAD_IDS));
    return `${String(slot.key)} → ${JSON.stringify(get(slot))}`;
  },
  'far time': (rnd, slot) => {
    set(slot, rnd.pick(TIMES));
    return `${String(slot.key)} → ${JSON.stringify(get(slot))}`;
  },
  'lone surrogate': (rnd, slot) => {
    set(slot, rnd.pick(LONE_SURROGATES));
    return `${String(slot.key)} → lone surrogate`;
  },
  'invalid utf-8': (rnd, slot, raw) => {
    const bytes = rnd.pick(INVALID_UTF8);
    set(slot, raw.add(Uint8Array.from([0x22, 0x61, ...bytes, 0x62, 0x22]))); // "a<bytes>b"
    return `${String(slot.key)} → invalid UTF-8 ${bytes.map((b) => b.toString(16)).join(' ')}`;
  },
  remove: (_rnd, slot) => {
    if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
    else delete slot.parent[slot.key as string];
    return `remove ${String(slot.key)}`;
  },
  repeat: (rnd, slot) => {
    // bounded to about 2 MB of JSON, under the test server's body limit
    const size = JSON.stringify(get(slot))?.length ?? 4;
    const copies = Math.max(2, Math.min(rnd.pick([2, 100, 2000]), Math.floor(2_000_000 / size)));
    set(
      slot,
      Array.from({ length: copies }, () => structuredClone(get(slot))),
    );
    return `${String(slot.key)} → ×${copies} in an array`;
  },
};

/** A mutation of the object in a slot. */
type ObjectMutation = (rnd: Random, slot: Slot, target: { [key: string]: Json }, raw: RawParts) => string;

const OBJECT_MUTATIONS: Readonly<Record<string, ObjectMutation>> = {
  'odd key': (rnd, _slot, target) => {
    const key = rnd.pick(ODD_KEYS);
    Object.defineProperty(target, key, { value: rnd.pick(WRONG_TYPES), enumerable: true, writable: true });
    return `add key ${JSON.stringify(key.slice(0, 20))}`;
  },
  'attribute key': (rnd, _slot, target) => {
    // KeyValue.key: the attribute name an odd key plants in the store
    if (typeof target.key !== 'string') return 'no key';
    target.key = rnd.pick([...ODD_KEYS, 'a\u0000b', '$.x', 'x"y', 'k'.repeat(20_000)]);
    return `attribute key → ${JSON.stringify(target.key.slice(0, 20))}`;
  },
  'duplicate key': (rnd, slot, target, raw) => {
    const keys = Object.keys(target);
    if (keys.length === 0) return 'no keys';
    const key = rnd.pick(keys);
    const body = JSON.stringify(target);
    set(
      slot,
      raw.add(`${body.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(rnd.pick(WRONG_TYPES))}}`),
    );
    return `duplicate key ${key}`;
  },
};

function pickSlot(rnd: Random, slots: readonly Slot[]): Slot {
  const interesting = slots.filter((slot) => INTERESTING.has(String(slot.key)));
  return rnd.chance(0.6) && interesting.length > 0 ? rnd.pick(interesting) : rnd.pick(slots);
}

/** A mutation fit for the slot: ids get bad ids, times far times, else any of them. */
function slotMutation(rnd: Random, slot: Slot): SlotMutation {
  const key = String(slot.key);
  if (ID_KEYS.has(key) && rnd.chance(0.6)) return SLOT_MUTATIONS['bad id']!;
  if (TIME_KEYS.has(key) && rnd.chance(0.6)) return SLOT_MUTATIONS['far time']!;
  return rnd.pick(Object.values(SLOT_MUTATIONS));
}

function mutateOnce(rnd: Random, root: Json, raw: RawParts): string {
  const slots = collect(root, []);
  if (slots.length === 0) return 'empty body';
  const objects = slots.filter((slot) => isObject(get(slot)));
  if (objects.length > 0 && rnd.chance(0.25)) {
    const name = rnd.pick(Object.keys(OBJECT_MUTATIONS));
    const keyValues = objects.filter((slot) => typeof (get(slot) as { key?: unknown }).key === 'string');
    const slot = name === 'attribute key' && keyValues.length > 0 ? rnd.pick(keyValues) : rnd.pick(objects);
    return OBJECT_MUTATIONS[name]!(rnd, slot, get(slot) as { [key: string]: Json }, raw);
  }
  const slot = pickSlot(rnd, slots);
  return slotMutation(rnd, slot)(rnd, slot, raw);
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const GARBAGE: readonly (readonly number[])[] = [
  [0x00],
  [0xff, 0xfe],
  [0x7b],
  [0x22],
  [0x5d, 0x5d],
  [0xef, 0xbb, 0xbf],
];

function textMutation(rnd: Random, bytes: Uint8Array): Mutated {
  if (rnd.chance(0.5)) {
    const at = rnd.int(bytes.length);
    return { body: bytes.subarray(0, at), what: `truncate at ${at} of ${bytes.length}` };
  }
  const at = rnd.int(bytes.length + 1);
  const junk = Uint8Array.from(rnd.pick(GARBAGE));
  return { body: Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]), what: `garbage@${at}` };
}

/** One to three structural mutations of a valid OTLP/JSON body, then sometimes a text-level one. */
export function mutateJson(rnd: Random, body: object): Mutated {
  const root = structuredClone(body) as Json;
  const raw = new RawParts();
  const steps: string[] = [];
  for (let n = 1 + rnd.int(3); n > 0; n--) steps.push(mutateOnce(rnd, root, raw));
  let bytes = raw.bytes(JSON.stringify(root));
  if (rnd.chance(0.15)) {
    const mutated = textMutation(rnd, bytes);
    bytes = mutated.body;
    steps.push(mutated.what);
  }
  return { body: bytes, what: `json: ${steps.join(', ')}` };
}
