/**
 * Deterministic trace and span ids. The hook (live) and the importer (after the fact) run in different
 * processes, maybe more than once: both derive every id from the session id and a transcript key, so they
 * agree and a re-import replaces rather than duplicates. The hash is FNV-1a 64 over the UTF-16 code units
 * followed by the MurmurHash3 64-bit finaliser (so that near-identical keys differ in every bit); a trace
 * id is two such hashes with different seeds. Not cryptographic: ids only need to be stable and spread.
 */

const MASK = 0xffffffffffffffffn;
const NAMESPACE = 'loopline/claude-code';

/**
 * FNV-1a 64 of `text` (each UTF-16 code unit as two bytes, low first), started from the FNV offset basis
 * xor `seed`, then avalanched. The FNV loop runs on four 16-bit limbs (prime 2^40 + 0x1b3), so no bigint
 * arithmetic happens per character.
 */
export function hash64(text: string, seed = 0n): bigint {
  const basis = 0xcbf29ce484222325n ^ (seed & MASK);
  let h0 = Number(basis & 0xffffn);
  let h1 = Number((basis >> 16n) & 0xffffn);
  let h2 = Number((basis >> 32n) & 0xffffn);
  let h3 = Number((basis >> 48n) & 0xffffn);
  for (let i = 0; i < text.length * 2; i++) {
    const c = text.charCodeAt(i >> 1);
    h0 ^= i & 1 ? c >>> 8 : c & 0xff;
    // h × (2^40 + 0x1b3) mod 2^64
    let t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    let t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    t0 &= 0xffff;
    t2 += t1 >>> 16;
    t1 &= 0xffff;
    t3 += t2 >>> 16;
    t2 &= 0xffff;
    h0 = t0;
    h1 = t1;
    h2 = t2;
    h3 = t3 & 0xffff;
  }
  let h = (BigInt(h3) << 48n) | (BigInt(h2) << 32n) | (BigInt(h1) << 16n) | BigInt(h0);
  // MurmurHash3 fmix64
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & MASK;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & MASK;
  h ^= h >> 33n;
  return h;
}

function hex16(value: bigint): string {
  // An all-zero id is invalid in OTLP; the chance is 2^-64, but never emit one.
  return (value === 0n ? 1n : value).toString(16).padStart(16, '0');
}

/** 16 hex characters. */
export function spanIdFrom(key: string): string {
  return hex16(hash64(key));
}

/** 32 hex characters. */
export function traceIdFrom(key: string): string {
  return hex16(hash64(key)) + hex16(hash64(key, 0x9e3779b97f4a7c15n));
}

function key(sessionId: string, kind: string, ...parts: string[]): string {
  return [NAMESPACE, kind, sessionId, ...parts].join('\u001f');
}

/**
 * The key of a prompt turn: the prompt record's `promptId` when Claude Code wrote one (hooks see the same
 * value as `prompt_id`), else its `uuid`.
 */
export function turnKey(prompt: { uuid: string; promptId: string | null }): string {
  return prompt.promptId ?? prompt.uuid;
}

/** The trace of one prompt turn. */
export function turnTraceId(sessionId: string, turn: string): string {
  return traceIdFrom(key(sessionId, 'trace', turn));
}

/** The `invoke_agent claude-code` span of one prompt turn. */
export function turnSpanId(sessionId: string, turn: string): string {
  return spanIdFrom(key(sessionId, 'turn', turn));
}

/** The `chat {model}` span of one API call (`message.id`, and `requestId` when known). */
export function chatSpanId(sessionId: string, messageId: string, requestId: string | null): string {
  return spanIdFrom(key(sessionId, 'chat', messageId, requestId ?? ''));
}

/** The `execute_tool {tool}` span of one tool call. */
export function toolSpanId(sessionId: string, toolUseId: string): string {
  return spanIdFrom(key(sessionId, 'tool', toolUseId));
}

/** The `invoke_agent` span of one sub-agent. */
export function subagentSpanId(sessionId: string, agentId: string): string {
  return spanIdFrom(key(sessionId, 'agent', agentId));
}

/** The trace of a sub-agent that could not be tied to the tool call that launched it. */
export function subagentTraceId(sessionId: string, agentId: string): string {
  return traceIdFrom(key(sessionId, 'agent-trace', agentId));
}
