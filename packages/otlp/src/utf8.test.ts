import { describe, expect, it } from 'vitest';
import { decodeUtf8, utf8Length, writeUtf8 } from './utf8.ts';

const SAMPLES = [
  '',
  'a',
  'gen_ai.request.model',
  'x'.repeat(48),
  'x'.repeat(49),
  'héllo',
  '日本語のテキスト',
  '🌍👩‍💻',
  '\uFEFFbom first',
  '\u0000nul',
  'e\u0301',
  '\u{10FFFF}',
];

function encode(text: string): Uint8Array {
  const buf = new Uint8Array(utf8Length(text) + 4);
  const end = writeUtf8(text, buf, 2);
  expect(end - 2).toBe(utf8Length(text));
  return buf.subarray(2, end);
}

describe('utf8', () => {
  it.each(SAMPLES)('writes %j like TextEncoder and reads it back', (text) => {
    const bytes = encode(text);
    expect(bytes).toEqual(new TextEncoder().encode(text));
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe(text);
  });

  it('writes a lone surrogate as U+FFFD, as TextEncoder does', () => {
    for (const text of ['a\uD800b', '\uDC00', 'x\uD83D']) {
      expect(encode(text)).toEqual(new TextEncoder().encode(text));
    }
  });

  it('decodes invalid UTF-8 with replacement characters instead of failing', () => {
    expect(decodeUtf8(Uint8Array.from([0x61, 0xff, 0x62]), 0, 3)).toBe('a\uFFFDb');
  });

  it('never confuses two different short strings that share a cache slot', () => {
    const texts = Array.from({ length: 20_000 }, (_, i) => `k${i.toString(36)}`);
    const decodeAll = (): string[] =>
      texts.map((text) => {
        const bytes = new TextEncoder().encode(text);
        return decodeUtf8(bytes, 0, bytes.length);
      });
    expect(decodeAll()).toEqual(texts);
    expect(decodeAll()).toEqual(texts);
  });
});
