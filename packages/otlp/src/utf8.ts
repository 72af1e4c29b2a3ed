/** Shared decoder: replacement characters for invalid sequences, and a leading U+FEFF is kept (ignoreBOM). */
const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

/** ASCII strings up to this many bytes go through the string cache. */
const MAX_CACHED_LENGTH = 48;
const CACHE_SLOTS = 4096;

/**
 * Recently decoded short ASCII strings by hash slot. Attribute keys and many values (model names, service
 * names) repeat across spans; returning the same string instance skips the allocation and lets V8 reuse
 * its internalised form when the string becomes a property key. A slot holds one string and is
 * overwritten on collision, so memory stays bounded.
 */
const cache: string[] = new Array<string>(CACHE_SLOTS).fill('');

/** Decodes UTF-8 `bytes[start..end)`. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length > MAX_CACHED_LENGTH || length === 0) {
    return length === 0 ? '' : DECODER.decode(bytes.subarray(start, end));
  }
  // A cheap hash of the length and five sampled bytes; the full comparison below decides.
  let hash = Math.imul(length, 0x9e3779b1) ^ bytes[start]!;
  hash = Math.imul(hash, 0x85ebca6b) ^ bytes[start + (length >> 2)]!;
  hash = Math.imul(hash, 0xc2b2ae35) ^ bytes[start + (length >> 1)]!;
  hash = Math.imul(hash, 0x27d4eb2f) ^ bytes[start + ((length * 3) >> 2)]!;
  hash = Math.imul(hash, 0x165667b1) ^ bytes[end - 1]!;
  const slot = (hash ^ (hash >>> 15)) & (CACHE_SLOTS - 1);
  const cached = cache[slot]!;
  // A cached string is ASCII, so it can only equal bytes that are ASCII too.
  if (cached.length === length && sameAscii(cached, bytes, start)) return cached;
  return decodeAndCache(bytes, start, end, slot);
}

function sameAscii(text: string, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== bytes[start + i]) return false;
  }
  return true;
}

/** Decodes a short string; ASCII ones replace the string in `slot`, others go through TextDecoder. */
function decodeAndCache(bytes: Uint8Array, start: number, end: number, slot: number): string {
  const codes: number[] = [];
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return DECODER.decode(bytes.subarray(start, end));
    codes.push(byte);
  }
  const text = String.fromCharCode.apply(null, codes);
  cache[slot] = text;
  return text;
}

/** Number of bytes `text` takes as UTF-8 (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder does). */
export function utf8Length(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code < 0xdc00 && isLowSurrogate(text.charCodeAt(i + 1))) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/** Writes `text` as UTF-8 at `pos` (the caller made room, see utf8Length) and returns the new position. */
export function writeUtf8(text: string, buf: Uint8Array, pos: number): number {
  let p = pos;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      buf[p++] = code;
      continue;
    }
    if (code < 0x800) {
      buf[p++] = 0xc0 | (code >> 6);
      buf[p++] = 0x80 | (code & 63);
      continue;
    }
    if (code >= 0xd800 && code < 0xe000) {
      const next = text.charCodeAt(i + 1);
      if (code < 0xdc00 && isLowSurrogate(next)) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        buf[p++] = 0xf0 | (code >> 18);
        buf[p++] = 0x80 | ((code >> 12) & 63);
        buf[p++] = 0x80 | ((code >> 6) & 63);
        buf[p++] = 0x80 | (code & 63);
        continue;
      }
      code = 0xfffd;
    }
    buf[p++] = 0xe0 | (code >> 12);
    buf[p++] = 0x80 | ((code >> 6) & 63);
    buf[p++] = 0x80 | (code & 63);
  }
  return p;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code < 0xe000;
}
