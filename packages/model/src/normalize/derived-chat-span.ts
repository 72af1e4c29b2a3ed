import { COMMON_ATTRIBUTES, VCS_ATTRIBUTES } from '@loopline/conventions';
import type { Attributes, RawLogRecord, RawSpan } from '../raw-otlp.ts';
import { readString } from './attribute-values.ts';

/**
 * What the per-assistant derivers (codex-log-spans.ts, gemini-log-spans.ts) share: a log record's event
 * name, and the `chat {model}` span made from one model-call event, with ids derived from the event so the
 * same event always gives the same span.
 */

/** On a derived span: the event it was made from. */
export const DERIVED_FROM = 'loopline.derived_from';

/** The `event.name` attribute, else the record's event_name. */
export function logEventName(record: RawLogRecord): string | null {
  return readString(record.attributes[COMMON_ATTRIBUTES.EVENT_NAME]) ?? (record.eventName || null);
}

/** FNV-1a over the text, 64 bits as 16 hex characters (seeded, so two calls give independent halves). */
function hash64(text: string, seed: bigint): string {
  let h = 0xcbf29ce484222325n ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** The repository attributes a derived span carries over from its event or the event's resource. */
const REPOSITORY_KEYS = [
  VCS_ATTRIBUTES.REPOSITORY_NAME,
  VCS_ATTRIBUTES.REPOSITORY_URL_FULL,
  VCS_ATTRIBUTES.REF_HEAD_NAME,
  VCS_ATTRIBUTES.REF_HEAD_REVISION,
] as const;

const fromEventOrResource = (record: RawLogRecord, resource: Attributes, key: string): string | null =>
  readString(record.attributes[key]) ?? readString(resource[key]);

/**
 * Who made the call and in which repository, as far as the event (else its resource) says: `user.id` is
 * the first of `userKeys` present (the assistant's own identity attributes, most personal first), and the
 * `vcs.*` repository attributes are copied. Nothing is made up when neither says.
 */
export function personAndRepository(
  record: RawLogRecord,
  resource: Attributes,
  userKeys: readonly string[],
): Attributes {
  const out: Attributes = {};
  for (const key of userKeys) {
    const user = fromEventOrResource(record, resource, key);
    if (user === null) continue;
    out[COMMON_ATTRIBUTES.USER_ID] = user;
    break;
  }
  for (const key of REPOSITORY_KEYS) {
    const value = fromEventOrResource(record, resource, key);
    if (value !== null) out[key] = value;
  }
  return out;
}

export interface DerivedChat {
  /** the session: the trace's id when the event carries no trace context */
  conversation: string;
  model: string | null;
  /** what identifies the call within the session (time stamp, counts…): the span id's source */
  key: string;
  startUs: number;
  endUs: number;
  attributes: Attributes;
}

/**
 * A client `chat {model}` span for one model-call event: under the span the event was logged in when it
 * carries trace context, else in one trace per session.
 */
export function derivedChatSpan(record: RawLogRecord, chat: DerivedChat): RawSpan {
  const inTrace = record.traceId !== '' && record.spanId !== '';
  return {
    traceId: inTrace ? record.traceId : `${hash64(chat.conversation, 1n)}${hash64(chat.conversation, 2n)}`,
    spanId: hash64(chat.key, 3n),
    parentSpanId: inTrace ? record.spanId : '',
    traceState: '',
    flags: 0,
    name: chat.model === null ? 'chat' : `chat ${chat.model}`,
    kind: 3,
    startUs: chat.startUs,
    endUs: chat.endUs,
    attributes: chat.attributes,
    droppedAttributesCount: 0,
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
  };
}
