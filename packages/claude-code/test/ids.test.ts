import { describe, expect, it } from 'vitest';
import { hash64, spanIdFrom, traceIdFrom, turnKey, turnSpanId, turnTraceId } from '../src/index.ts';

const MASK = 0xffffffffffffffffn;

/** Straightforward bigint FNV-1a 64 over the UTF-16 code units (low byte first) + fmix64. */
function reference(text: string, seed = 0n): bigint {
  let h = 0xcbf29ce484222325n ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    for (const byte of [c & 0xff, c >>> 8]) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & MASK;
  }
  h ^= h >> 33n;
  h = (h * 0xff51afd7ed558ccdn) & MASK;
  h ^= h >> 33n;
  h = (h * 0xc4ceb9fe1a85ec53n) & MASK;
  return h ^ (h >> 33n);
}

describe('ids', () => {
  it('hash64 is FNV-1a 64 followed by fmix64', () => {
    for (const text of ['', 'a', 'session|prompt', 'ünïcødé — 日本語', 'emoji 🚀', 'x'.repeat(1000)]) {
      expect(hash64(text)).toBe(reference(text));
      expect(hash64(text, 0x9e3779b97f4a7c15n)).toBe(reference(text, 0x9e3779b97f4a7c15n));
    }
  });

  it('gives well-formed, stable ids (pinned: the hook and the importer must keep agreeing)', () => {
    expect(spanIdFrom('k')).toMatch(/^[0-9a-f]{16}$/);
    expect(traceIdFrom('k')).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdFrom('k').slice(0, 16)).not.toBe(traceIdFrom('k').slice(16));
    const session = '7c1e4b2a-3f5d-4e8a-9b6c-1d2e3f4a5b6c';
    const turn = turnKey({
      uuid: '5f0c2d1e-8a4b-4c6d-9e1f-2a3b4c5d6e01',
      promptId: 'e2d1c0b9-a8f7-4e6d-b5c4-a3b2c1d0e9f8',
    });
    expect(turn).toBe('e2d1c0b9-a8f7-4e6d-b5c4-a3b2c1d0e9f8');
    expect(turnTraceId(session, turn)).toBe('b54e4892c4219576d0548969910d72c6');
    expect(turnSpanId(session, turn)).toBe('597033c19c020b2b');
    expect(turnKey({ uuid: 'u-1', promptId: null })).toBe('u-1');
  });
});
