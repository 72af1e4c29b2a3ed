import {
  CLAUDE_CODE_SERVICE_NAMES,
  CODEX_ATTRIBUTES,
  CODEX_SERVICE_NAMES,
  COMMON_ATTRIBUTES,
  GEMINI_CLI_ATTRIBUTES,
  GEMINI_CLI_SERVICE_NAME,
  GEN_AI_ATTRIBUTES,
  SAMPLE_RATE_ATTRIBUTES,
  UNKNOWN_SERVICE,
} from '@loopline/conventions';
import type { Attributes, AttrValue } from '../raw-otlp.ts';
import { type Slots, slot } from './attribute-slots.ts';
import { readNumber, readString } from './attribute-values.ts';

/** Columns every signal shares: dataset, user, conversation, sample rate; and attribute JSON text. */
const S_SERVICE_NAME = slot(COMMON_ATTRIBUTES.SERVICE_NAME);
const S_USER_ID = slot(COMMON_ATTRIBUTES.USER_ID);
const S_USER_EMAIL = slot(COMMON_ATTRIBUTES.USER_EMAIL);
const USER_SLOTS = [
  S_USER_ID,
  slot(COMMON_ATTRIBUTES.ENDUSER_ID),
  S_USER_EMAIL,
  slot(COMMON_ATTRIBUTES.USER_NAME),
];
const S_SESSION_ID = slot(COMMON_ATTRIBUTES.SESSION_ID);
const CONVERSATION_SLOTS = [
  slot(GEN_AI_ATTRIBUTES.CONVERSATION_ID),
  S_SESSION_ID,
  slot(CODEX_ATTRIBUTES.CONVERSATION_ID),
];
const CLAUDE_CODE_SERVICES: ReadonlySet<string> = new Set(CLAUDE_CODE_SERVICE_NAMES);
/** The assistant's own identity of its person, when no user attribute names them (as on its chat spans). */
const FALLBACK_USER_SLOT: ReadonlyMap<string, number> = new Map([
  ...CODEX_SERVICE_NAMES.map((name) => [name, slot(CODEX_ATTRIBUTES.USER_ACCOUNT_ID)] as const),
  [GEMINI_CLI_SERVICE_NAME, slot(GEMINI_CLI_ATTRIBUTES.INSTALLATION_ID)],
]);
const SAMPLE_RATE_SLOTS = SAMPLE_RATE_ATTRIBUTES.map((name) => slot(name));

export function firstString(slots: Slots, indices: readonly number[]): string | null {
  for (const index of indices) {
    const value = readString(slots[index]);
    if (value !== null) return value;
  }
  return null;
}

/** The resource `service.name`, or `unknown_service`. */
export function datasetOf(resource: Attributes): string {
  const name = resource[COMMON_ATTRIBUTES.SERVICE_NAME];
  return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
}

export function datasetFromSlots(slots: Slots): string {
  return readString(slots[S_SERVICE_NAME]) ?? UNKNOWN_SERVICE;
}

/** Claude Code's own `user.id`: 32 random bytes in hex, made once per installation (seen with 2.1.330). */
const CLAUDE_CODE_ANONYMOUS_USER = /^[0-9a-f]{64}$/;

/**
 * First of `user.id`, `enduser.id`, `user.email`, `user.name`. For Claude Code's own telemetry, its account's
 * `user.email` (sent when signed in) comes before its anonymous `user.id`, so the person is named as
 * Loopline's hook names them (git's `user.email`). Codex's own records fall back to `user.account_id`,
 * Gemini CLI's to `installation.id`, as their derived chat spans do.
 */
export function userIdFromSlots(slots: Slots): string | null {
  const service = readString(slots[S_SERVICE_NAME]);
  if (service !== null && CLAUDE_CODE_SERVICES.has(service)) {
    const email = readString(slots[S_USER_EMAIL]);
    const id = readString(slots[S_USER_ID]);
    if (email !== null && (id === null || CLAUDE_CODE_ANONYMOUS_USER.test(id))) return email;
  }
  const user = firstString(slots, USER_SLOTS);
  if (user !== null || service === null) return user;
  const fallback = FALLBACK_USER_SLOT.get(service);
  return fallback === undefined ? null : readString(slots[fallback]);
}

/**
 * First of `gen_ai.conversation.id`, `session.id` (Claude Code, Gemini CLI, OpenInference), `conversation.id`
 * (Codex). For Claude Code's own telemetry `session.id` comes first: its sub-agents' `llm_request` spans
 * carry the agent's id as `gen_ai.conversation.id` (seen with 2.1.330), while Loopline's conversation is
 * the session, as in the hook's spans.
 */
export function conversationIdFromSlots(slots: Slots): string | null {
  const service = readString(slots[S_SERVICE_NAME]);
  if (service !== null && CLAUDE_CODE_SERVICES.has(service)) {
    const session = readString(slots[S_SESSION_ID]);
    if (session !== null) return session;
  }
  return firstString(slots, CONVERSATION_SLOTS);
}

/** First of `SampleRate`, `sample_rate`, `sampling.rate` that is ≥ 1, rounded; else 1. */
export function sampleRateFromSlots(slots: Slots): number {
  return declaredSampleRate(slots) ?? 1;
}

/** First of `SampleRate`, `sample_rate`, `sampling.rate` that is ≥ 1, rounded; null when none is. */
export function declaredSampleRate(slots: Slots): number | null {
  for (const index of SAMPLE_RATE_SLOTS) {
    const rate = readNumber(slots[index]);
    if (rate !== null && rate >= 1) return Math.round(rate);
  }
  return null;
}

/**
 * 1-in-N from an OpenTelemetry probability-sampling threshold in `tracestate` (`ot=th:<hex>`):
 * probability = 1 − th / 2^56, so N = 2^56 / (2^56 − th). Returns 1 when absent or malformed.
 */
export function sampleRateFromTraceState(traceState: string): number {
  const ot = traceState.indexOf('ot=');
  if (ot === -1) return 1;
  const th = traceState.indexOf('th:', ot);
  if (th === -1) return 1;
  let end = th + 3;
  while (end < traceState.length && end < th + 17 && isHexDigit(traceState.charCodeAt(end))) end++;
  const digits = traceState.slice(th + 3, end);
  if (digits === '') return 1;
  const threshold = Number.parseInt(digits.padEnd(14, '0'), 16);
  const full = 2 ** 56;
  if (!(threshold >= 0 && threshold < full)) return 1;
  return Math.max(1, Math.round(full / (full - threshold)));
}

const isHexDigit = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);

/** JSON object text of `attrs` without its braces ('' for no keys), for splicing resource + item. */
export function attributesFragment(attrs: Attributes): string {
  const json = JSON.stringify(attrs);
  return json.length <= 2 ? '' : json.slice(1, -1);
}

/** `{...lower, ...upper}` as JSON text; `lowerFragment` is lower's pre-built fragment. */
export function mergedAttributesJson(
  lower: Attributes,
  lowerFragment: string,
  upper: Attributes,
  mergeValue?: (key: string, lowerValue: AttrValue, upperValue: AttrValue) => AttrValue,
): string {
  let overlap = false;
  for (const key in upper) {
    if (Object.hasOwn(lower, key)) {
      overlap = true;
      break;
    }
  }
  if (!overlap) {
    const upperFragment = attributesFragment(upper);
    if (lowerFragment === '') return `{${upperFragment}}`;
    return upperFragment === '' ? `{${lowerFragment}}` : `{${lowerFragment},${upperFragment}}`;
  }
  const merged: Attributes = { ...lower };
  for (const key in upper) {
    const upperValue = upper[key] as AttrValue;
    const lowerValue = merged[key];
    merged[key] =
      mergeValue !== undefined && lowerValue !== undefined
        ? mergeValue(key, lowerValue, upperValue)
        : upperValue;
  }
  return JSON.stringify(merged);
}
