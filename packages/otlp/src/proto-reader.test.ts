import { isAppError } from '@loopline/model';
import { describe, expect, it } from 'vitest';
import { LEN, messageFields, VARINT } from './proto-fields.ts';
import { ProtoReader } from './proto-reader.ts';
import { ProtoWriter } from './proto-writer.ts';

const NO_FIELDS = messageFields('Test', {});

function reader(bytes: number[]): ProtoReader {
  return new ProtoReader(Uint8Array.from(bytes));
}

function fixed64Bytes(value: bigint): number[] {
  const bytes: number[] = [];
  for (let i = 0n; i < 8n; i++) bytes.push(Number((value >> (8n * i)) & 0xffn));
  return bytes;
}

describe('ProtoReader', () => {
  it('reads varints of every length', () => {
    expect(reader([0x00]).uint32()).toBe(0);
    expect(reader([0x96, 0x01]).uint32()).toBe(150);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x0f]).uint32()).toBe(4294967295);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).int32()).toBe(-1);
    expect(reader([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).int64()).toBe(-2);
    expect(reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).int64()).toBe(-(2 ** 63));
    expect(reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).uint64()).toBe(2 ** 64);
    expect(reader([0x80, 0x80, 0x80, 0x80, 0x10]).int64()).toBe(2 ** 32);
    expect(reader([0x03]).sint32()).toBe(-2);
    expect(reader([0x04]).sint32()).toBe(2);
  });

  it('reads varints near the end of the buffer (the bounds-checked path)', () => {
    const r = reader([0x05, 0xac, 0x02]);
    expect(r.uint32()).toBe(5);
    expect(r.uint32()).toBe(300);
    expect(r.pos).toBe(3);
  });

  it('turns fixed64 nanoseconds into exact floor(ns / 1000) microseconds (up to 2^53 µs, year 2255)', () => {
    const limit = 2n ** 53n * 1000n;
    let value = 0x9e3779b97f4a7c15n;
    const samples = [0n, 999n, 1000n, 1001n, 4294967295n, 4294967296n, 1544712660300000000n, limit - 1n];
    for (let i = 0; i < 2000; i++) {
      value = (value * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
      samples.push(value % limit);
    }
    for (const ns of samples) {
      const expected = Number(ns / 1000n);
      expect(reader(fixed64Bytes(ns)).timeUs()).toBe(expected);
    }
  });

  it('reads from a view that does not start at the beginning of its buffer (pooled Node Buffers)', () => {
    const backing = new Uint8Array([
      0xff,
      0xff,
      0xff,
      0x09,
      ...fixed64Bytes(1544712660300000999n),
      0x96,
      0x01,
    ]);
    const r = new ProtoReader(backing.subarray(3));
    expect(r.tag()).toBe(9);
    expect(r.timeUs()).toBe(1544712660300000);
    expect(r.uint32()).toBe(150);
  });

  it('reads fixed64 unsigned and sfixed64 signed', () => {
    expect(reader(fixed64Bytes(2n ** 64n - 1n)).fixed64()).toBe(2 ** 64);
    expect(reader(fixed64Bytes(2n ** 64n - 5n)).sfixed64()).toBe(-5);
    expect(reader(fixed64Bytes(123456789012n)).sfixed64()).toBe(123456789012);
  });

  it('skips every wire type and refuses the invalid ones with the offset', () => {
    const w = new ProtoWriter();
    w.key(1, 0);
    w.int64(-1);
    w.key(2, 1);
    w.double(1.5);
    w.key(3, 2);
    w.string('skip me');
    w.key(4, 5);
    w.fixed32(7);
    const bytes = w.finish();
    const r = new ProtoReader(bytes);
    while (r.pos < bytes.length) r.skip(r.tag(), bytes.length, NO_FIELDS);
    expect(r.pos).toBe(bytes.length);
    for (const wireType of [3, 4, 6, 7]) {
      const bad = reader([0x01, (1 << 3) | wireType]);
      bad.pos = 1;
      expect(() => bad.skip(bad.tag(), 2, NO_FIELDS)).toThrow(
        `unsupported wire type ${wireType} (field 1) at byte 2`,
      );
    }
  });

  it('skips a declared field it is given with its wire type, and refuses it with another', () => {
    const fields = messageFields('Thing', { 1: ['count', VARINT], 2: ['items', LEN] });
    const ok = reader([0x08, 0x05, 0x12, 0x01, 0x00]);
    ok.skip(ok.tag(), 5, fields);
    ok.skip(ok.tag(), 5, fields);
    expect(ok.pos).toBe(5);
    const bad = reader([0x10, 0x05]);
    expect(() => bad.skip(bad.tag(), 2, fields)).toThrow(
      'Malformed protobuf body: Thing.items (field 2) has wire type 0 (varint), expected 2 (length-delimited) at byte 1',
    );
  });

  it('throws AppError OTLP_MALFORMED_BODY with the offset in details', () => {
    try {
      reader([0x80, 0x80]).uint32();
      expect.unreachable();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('OTLP_MALFORMED_BODY');
      expect(isAppError(error) && error.details).toEqual({ offset: 0, reason: 'truncated varint' });
    }
  });
});
