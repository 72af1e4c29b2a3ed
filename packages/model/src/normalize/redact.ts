import { LOOPLINE_ATTRIBUTES } from '@loopline/conventions';
import type { Attributes, AttrValue } from '../raw-otlp.ts';
import { CONTENT_EVENTS, contentLabeller } from './content-keys.ts';
import { secretKeyKind } from './secret-keys.ts';
import { maskSecrets } from './secret-rules.ts';

export { maskSecrets } from './secret-rules.ts';

/**
 * Redaction before storage.
 * 1. Content (prompts, responses, tool arguments and results, retrieved text; `content-keys.ts`) is
 *    dropped unless `captureContent` is true; the dropped keys are listed in `loopline.redacted`.
 * 2. Secrets are always masked as `[REDACTED:<kind>]`, content kept or not: the whole value of a key
 *    named like a secret (`secret-keys.ts`), and secrets found in any string (`secret-rules.ts`).
 */

/** Masks secrets in a value, recursing into arrays and maps; returns `value` itself when unchanged. */
export function maskValue(value: AttrValue): AttrValue {
  if (typeof value === 'string') return maskSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return mapArray(value, maskValue);
  return maskAttributes(value);
}

/** Masks the value of attribute `key`: whole when the key names a secret, else the secrets inside. */
export function maskEntry(key: string, value: AttrValue): AttrValue {
  if (value === '' || value === null || (typeof value !== 'string' && typeof value !== 'object')) {
    return value;
  }
  const kind = secretKeyKind(key);
  return kind === null ? maskValue(value) : maskNamed(value, kind);
}

/** A value stored under a secret's name: every string in it masked whole, numbers and flags kept. */
function maskNamed(value: AttrValue, kind: string): AttrValue {
  if (typeof value === 'string') return maskWhole(value, kind);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return mapArray(value, (item) => maskNamed(item, kind));
  let copy: { [key: string]: AttrValue } | undefined;
  for (const key in value) {
    const item = value[key] as AttrValue;
    const masked = maskNamed(item, kind);
    if (masked !== item) {
      copy ??= { ...value };
      copy[key] = masked;
    }
  }
  return copy ?? value;
}

/** One secret with an optional scheme word: `[REDACTED:github_token]`, `Bearer [REDACTED:jwt]`. */
const ONE_MASKED_SECRET = /^(?:[A-Za-z-]+\s+)?\[REDACTED:[a-z0-9_]+\]$/;

function maskWhole(text: string, kind: string): string {
  if (text === '' || text.startsWith('[REDACTED:')) return text;
  const masked = maskSecrets(text);
  return masked !== text && ONE_MASKED_SECRET.test(masked) ? masked : `[REDACTED:${kind}]`;
}

function mapArray(values: AttrValue[], mask: (value: AttrValue) => AttrValue): AttrValue[] {
  let copy: AttrValue[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const item = values[i] as AttrValue;
    const masked = mask(item);
    if (masked !== item) {
      copy ??= values.slice();
      copy[i] = masked;
    }
  }
  return copy ?? values;
}

function maskAttributes(attrs: { [key: string]: AttrValue }): { [key: string]: AttrValue } {
  let copy: { [key: string]: AttrValue } | undefined;
  for (const key in attrs) {
    const item = attrs[key] as AttrValue;
    const masked = maskEntry(key, item);
    if (masked !== item) {
      copy ??= { ...attrs };
      copy[key] = masked;
    }
  }
  return copy ?? attrs;
}

export interface RedactOptions {
  /** keep content attributes (secrets are masked either way) */
  captureContent: boolean;
  /** the event or log event name, for event-specific content keys */
  eventName?: string;
}

export interface RedactResult {
  /** `attrs` itself when nothing changed; else a copy with content dropped and secrets masked */
  attributes: Attributes;
  /** labels of the dropped content keys (also written to `loopline.redacted`) */
  dropped: string[];
}

const NOTHING_DROPPED: string[] = [];

/**
 * Drops content (unless captured) and masks secrets in one attribute set. When anything was dropped,
 * the result carries `loopline.redacted` = the sorted labels, merged with any list already there.
 */
export function redactAttributes(attrs: Attributes, options: RedactOptions): RedactResult {
  const labelOf = options.captureContent ? null : contentLabeller(options.eventName);
  let out: Attributes | undefined;
  let dropped: string[] | undefined;
  for (const key in attrs) {
    const label = labelOf === null ? null : labelOf(key);
    if (label !== null) {
      dropped ??= [];
      if (!dropped.includes(label)) dropped.push(label);
      out ??= copyBefore(attrs, key);
      continue;
    }
    const value = attrs[key] as AttrValue;
    const masked = maskEntry(key, value);
    if (out === undefined && masked !== value) out = copyBefore(attrs, key);
    if (out !== undefined) out[key] = masked;
  }
  if (out === undefined) return { attributes: attrs, dropped: NOTHING_DROPPED };
  if (dropped !== undefined) {
    out[LOOPLINE_ATTRIBUTES.REDACTED] = mergeRedactedLists(out[LOOPLINE_ATTRIBUTES.REDACTED], dropped);
  }
  return { attributes: out, dropped: dropped ?? NOTHING_DROPPED };
}

/** The entries of `attrs` before `stop` (all kept as they were), as the start of the redacted copy. */
function copyBefore(attrs: Attributes, stop: string): Attributes {
  const out: Attributes = {};
  for (const key in attrs) {
    if (key === stop) break;
    out[key] = attrs[key] as AttrValue;
  }
  return out;
}

/** Union of an existing `loopline.redacted` value and new labels, sorted. */
export function mergeRedactedLists(existing: AttrValue | undefined, labels: readonly string[]): string[] {
  const all = new Set<string>(labels);
  if (Array.isArray(existing)) {
    for (const item of existing) if (typeof item === 'string') all.add(item);
  } else if (typeof existing === 'string' && existing !== '') {
    all.add(existing);
  }
  return [...all].sort();
}

export const REDACTED_CONTENT = '[REDACTED:content]';

/**
 * A log record body: masked always; replaced by `[REDACTED:content]` when the event is a content event
 * (a body that only repeats the event name is kept), or map-shaped with content keys dropped.
 */
export function redactBody(
  body: AttrValue,
  eventName: string,
  captureContent: boolean,
): { body: AttrValue; dropped: boolean } {
  if (!captureContent && CONTENT_EVENTS.has(eventName)) {
    const onlyName = body === null || body === '' || body === eventName;
    if (!onlyName) return { body: REDACTED_CONTENT, dropped: true };
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const result = redactAttributes(body, { captureContent, eventName });
    return { body: result.attributes, dropped: result.dropped.length > 0 };
  }
  return { body: maskValue(body), dropped: false };
}
