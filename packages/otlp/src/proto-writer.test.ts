import { describe, expect, it } from 'vitest';
import { ProtoReader } from './proto-reader.ts';
import { ProtoWriter } from './proto-writer.ts';

function readBack(write: (w: ProtoWriter) => void, read: (r: ProtoReader) => number): number {
  const w = new ProtoWriter(8);
  write(w);
  return read(new ProtoReader(w.finish()));
}

describe('ProtoWriter', () => {
  it('writes microseconds as exact nanoseconds', () => {
    for (const us of [0, 1, 999, 4294967, 4294968, 1544712660300000, 2 ** 53 - 1]) {
      const w = new ProtoWriter();
      w.timeUs(us);
      const bytes = w.finish();
      const ns = new DataView(bytes.buffer).getBigUint64(0, true);
      expect(ns).toBe(BigInt(us) * 1000n);
    }
  });

  it('round-trips int64 across the whole range, saturating beyond it', () => {
    const values = [
      0,
      1,
      -1,
      2 ** 31,
      -(2 ** 31),
      2 ** 32,
      -(2 ** 32) - 1,
      2 ** 53 - 1,
      -(2 ** 53) + 1,
      2 ** 62,
    ];
    for (const value of [...values, -(2 ** 63)]) {
      expect(
        readBack(
          (w) => w.int64(value),
          (r) => r.int64(),
        ),
      ).toBe(value);
      expect(
        readBack(
          (w) => w.fixed64(Math.abs(value)),
          (r) => r.fixed64(),
        ),
      ).toBe(Math.abs(value));
    }
    expect(
      readBack(
        (w) => w.int64(2 ** 70),
        (r) => r.int64(),
      ),
    ).toBe(2 ** 63);
    expect(
      readBack(
        (w) => w.int64(-(2 ** 70)),
        (r) => r.int64(),
      ),
    ).toBe(-(2 ** 63));
    expect(
      readBack(
        (w) => w.uint64(2 ** 64),
        (r) => r.uint64(),
      ),
    ).toBe(2 ** 64);
    expect(
      readBack(
        (w) => w.int32(-5),
        (r) => r.int32(),
      ),
    ).toBe(-5);
    expect(
      readBack(
        (w) => w.sint32(-3),
        (r) => r.sint32(),
      ),
    ).toBe(-3);
  });

  it('prefixes nested messages of every length size with a minimal varint', () => {
    for (const size of [0, 1, 127, 128, 16383, 16384, 70000]) {
      const w = new ProtoWriter(16);
      const outer = w.fork();
      const inner = w.fork();
      w.key(1, 2);
      w.string('x'.repeat(size));
      w.ldelim(3, inner);
      w.ldelim(2, outer);
      const r = new ProtoReader(w.finish());
      expect(r.tag()).toBe((2 << 3) | 2);
      const outerEnd = r.end(r.length);
      expect(outerEnd).toBe(r.length);
      expect(r.tag()).toBe((3 << 3) | 2);
      const innerEnd = r.end(outerEnd);
      expect(r.tag()).toBe((1 << 3) | 2);
      expect(r.string(innerEnd)).toBe('x'.repeat(size));
    }
  });

  it('omits proto3 defaults and refuses ids that are not hex', () => {
    const w = new ProtoWriter();
    w.stringField(1, '');
    w.uint32Field(2, 0);
    w.timeField(3, 0);
    w.hexField(4, '', 'traceId');
    w.doubleField(5, 0);
    expect(w.finish()).toHaveLength(0);
    expect(() => w.hexField(1, 'abc', 'spanId')).toThrow(
      "spanId: expected an even-length hex string, got 'abc'",
    );
  });
});
