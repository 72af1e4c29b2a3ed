/** Lowercase two-character hex for every byte value, so encoding an id is one table lookup per byte. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Nibble value for an ASCII char code, or -1 for a non-hex character. */
const NIBBLE: Int8Array = buildNibbleTable();

function buildNibbleTable(): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[65 + i] = 10 + i;
    table[97 + i] = 10 + i;
  }
  return table;
}

/** Lowercase hex of `bytes[start..end)`; '' for an empty range. */
export function bytesToHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX_BYTE[bytes[i]!]!;
  return out;
}

/** True when `text` consists only of hex digits (either case); '' counts as hex. */
export function isHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || NIBBLE[code]! < 0) return false;
  }
  return true;
}

/** Bytes of an even-length hex string, or undefined when it is not one. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !isHex(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (NIBBLE[hex.charCodeAt(2 * i)]! << 4) | NIBBLE[hex.charCodeAt(2 * i + 1)]!;
  }
  return out;
}
