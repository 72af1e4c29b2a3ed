import { LOOPLINE_ATTRIBUTES } from '@loopline/conventions';
import type { Attributes, AttrValue } from '../raw-otlp.ts';
import { CONTENT_EVENTS, type ContentLabeller, contentLabeller } from './content-keys.ts';

/**
 * Redaction before storage.
 * 1. Content (prompts, responses, tool arguments and results, retrieved text; `content-keys.ts`) is
 *    dropped unless `captureContent` is true; the dropped keys are listed in `loopline.redacted`.
 * 2. Secrets in any string value are always masked as `[REDACTED:<kind>]`, content kept or not.
 */

interface SecretRule {
  kind: string;
  pattern: RegExp;
  replacement: string;
}

const rule = (kind: string, pattern: RegExp, keep = ''): SecretRule => ({
  kind,
  pattern,
  replacement: `${keep}[REDACTED:${kind}]`,
});

/** Order matters: `sk-ant-` before the generic `sk-`. */
export const SECRET_RULES: readonly SecretRule[] = [
  rule(
    'private_key',
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  ),
  rule('anthropic_api_key', /\bsk-ant-[A-Za-z0-9_-]{16,}/g),
  rule('openai_api_key', /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g),
  rule('aws_access_key_id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g),
  rule('github_token', /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g),
  rule('slack_token', /\bxox[abposr]-[A-Za-z0-9-]{10,}/g),
  rule('google_api_key', /\bAIza[0-9A-Za-z_-]{35}/g),
  {
    kind: 'bearer_token',
    pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
    replacement: '$1[REDACTED:bearer_token]',
  },
];

/** One cheap test that rules out almost every string before the per-kind patterns run. */
const SECRET_HINT = /sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|-----BEGIN|[Bb]earer|BEARER/;
const SHORTEST_SECRET = 12;

/** Replaces every secret in `text` with `[REDACTED:<kind>]`; returns `text` itself when there is none. */
export function maskSecrets(text: string): string {
  if (text.length < SHORTEST_SECRET || !SECRET_HINT.test(text)) return text;
  let masked = text;
  for (const { pattern, replacement } of SECRET_RULES) masked = masked.replace(pattern, replacement);
  return masked;
}

/** Masks secrets in a value, recursing into arrays and maps; returns `value` itself when unchanged. */
export function maskValue(value: AttrValue): AttrValue {
  if (typeof value === 'string') return maskSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: AttrValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as AttrValue;
      const masked = maskValue(item);
      if (masked !== item) {
        copy ??= value.slice();
        copy[i] = masked;
      }
    }
    return copy ?? value;
  }
  const result = maskAttributes(value);
  return result;
}

function maskAttributes(attrs: { [key: string]: AttrValue }): { [key: string]: AttrValue } {
  let copy: { [key: string]: AttrValue } | undefined;
  for (const key in attrs) {
    const item = attrs[key] as AttrValue;
    const masked = maskValue(item);
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
  const labelOf = contentLabeller(options.eventName);
  let dropped: string[] | undefined;
  let changed = false;
  for (const key in attrs) {
    if (!options.captureContent) {
      const label = labelOf(key);
      if (label !== null) {
        dropped ??= [];
        if (!dropped.includes(label)) dropped.push(label);
        changed = true;
        continue;
      }
    }
    const value = attrs[key] as AttrValue;
    if (typeof value === 'string' ? value.length >= SHORTEST_SECRET : typeof value === 'object') {
      if (maskValue(value) !== value) changed = true;
    }
  }
  if (!changed) return { attributes: attrs, dropped: NOTHING_DROPPED };
  return rebuild(attrs, options.captureContent ? null : labelOf, dropped ?? NOTHING_DROPPED);
}

/** A copy of `attrs` with content dropped (when `labelOf` is given) and secrets masked. */
function rebuild(attrs: Attributes, labelOf: ContentLabeller | null, dropped: string[]): RedactResult {
  const out: Attributes = {};
  for (const key in attrs) {
    if (labelOf !== null && labelOf(key) !== null) continue;
    out[key] = maskValue(attrs[key] as AttrValue);
  }
  if (dropped.length > 0) {
    out[LOOPLINE_ATTRIBUTES.REDACTED] = mergeRedactedLists(out[LOOPLINE_ATTRIBUTES.REDACTED], dropped);
  }
  return { attributes: out, dropped };
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
