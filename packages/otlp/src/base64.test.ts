import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64.ts';

describe('base64', () => {
  it('encodes like Buffer (standard alphabet, padded) for every length up to 64', () => {
    for (let length = 0; length <= 64; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 13) & 0xff);
      const expected = Buffer.from(bytes).toString('base64');
      expect(bytesToBase64(bytes)).toBe(expected);
      expect(base64ToBytes(expected)).toEqual(bytes);
    }
  });

  it('encodes a range of a larger buffer', () => {
    expect(bytesToBase64(Uint8Array.from([9, 0xfb, 0xff, 0xfe, 9]), 1, 4)).toBe('+//+');
  });

  it('decodes URL-safe and unpadded text, as proto3 JSON allows', () => {
    expect(base64ToBytes('-_-_')).toEqual(Uint8Array.from([0xfb, 0xff, 0xbf]));
    expect(base64ToBytes('aGk')).toEqual(new TextEncoder().encode('hi'));
    expect(base64ToBytes('aGk=')).toEqual(new TextEncoder().encode('hi'));
  });

  it('refuses invalid base64', () => {
    expect(base64ToBytes('a')).toBeUndefined();
    expect(base64ToBytes('ab$=')).toBeUndefined();
    expect(base64ToBytes('a===')).toBeUndefined();
    expect(base64ToBytes('日本')).toBeUndefined();
  });
});
