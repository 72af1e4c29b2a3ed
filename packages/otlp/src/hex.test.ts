import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, isHex } from './hex.ts';

describe('hex', () => {
  it('matches Buffer for every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToHex(all)).toBe(Buffer.from(all).toString('hex'));
    expect(bytesToHex(all, 250, 253)).toBe('fafbfc');
    expect(bytesToHex(new Uint8Array(0))).toBe('');
  });

  it('parses either case and refuses odd lengths and non-hex characters', () => {
    expect(hexToBytes('00FFaB')).toEqual(Uint8Array.from([0, 255, 171]));
    expect(hexToBytes('')).toEqual(new Uint8Array(0));
    expect(hexToBytes('abc')).toBeUndefined();
    expect(hexToBytes('zz')).toBeUndefined();
    expect(hexToBytes('é0')).toBeUndefined();
    expect(isHex('5B8EFFF798038103d269b633813fc60c')).toBe(true);
    expect(isHex('0x12')).toBe(false);
  });
});
