import type { Prng } from './prng.ts';

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Eight lowercase hex characters from the generator. */
export function hex8(rng: Prng): string {
  const x = rng.uint32();
  return HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

/** A W3C trace id: 32 lowercase hex characters. */
export function traceId(rng: Prng): string {
  return hex8(rng) + hex8(rng) + hex8(rng) + hex8(rng);
}

/** A W3C span id: 16 lowercase hex characters. */
export function spanId(rng: Prng): string {
  return hex8(rng) + hex8(rng);
}

/** A version-4-shaped UUID, as assistants use for session ids. */
export function uuid(rng: Prng): string {
  const a = hex8(rng);
  const b = hex8(rng);
  const c = hex8(rng);
  const d = hex8(rng);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${'89ab'[rng.int(4)]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** A 40-character git commit sha. */
export function gitSha(rng: Prng): string {
  return traceId(rng) + hex8(rng);
}

const PAIRS: readonly string[] = Array.from(
  { length: 62 * 62 },
  (_, i) => BASE62[Math.floor(i / 62)]! + BASE62[i % 62]!,
);

/** A provider-style opaque id such as `toolu_01Ab…`: the prefix plus `pairs × 2` base62 characters. */
export function opaqueId(rng: Prng, prefix: string, pairs: number): string {
  let out = prefix;
  for (let i = 0; i < pairs; i += 2) {
    const x = rng.uint32();
    out += PAIRS[x % 3844]!;
    if (i + 1 < pairs) out += PAIRS[Math.floor(x / 3844) % 3844]!;
  }
  return out;
}
