import { AppError } from '@loopline/model';
import { bytesToBase64 } from './base64.ts';
import { bytesToHex } from './hex.ts';
import { MAX_NESTING } from './otlp-limits.ts';
import { type MessageFields, WIRE_TYPE_NAMES } from './proto-fields.ts';
import { decodeUtf8 } from './utf8.ts';

const TWO_32 = 4294967296;

const wireTypeName = (wireType: number): string => `${wireType} (${WIRE_TYPE_NAMES[wireType]})`;

/**
 * A cursor over protobuf wire bytes. Every read checks bounds and throws AppError('OTLP_MALFORMED_BODY')
 * naming the byte offset; message decoders loop `while (r.pos < end)` and finish with `r.expectEnd(end)`.
 * Fields that take a `limit` refuse to run past it (the end of the enclosing message).
 */
export class ProtoReader {
  readonly buf: Uint8Array;
  readonly length: number;
  pos = 0;
  /** Current AnyValue nesting depth. */
  depth = 0;
  private readonly view: DataView;
  /** High 32 bits of the last varint read by varint64Lo. */
  private hi = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.length = buf.length;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Throws OTLP_MALFORMED_BODY; `details.reason` is the message without the offset. */
  fail(message: string, offset: number = this.pos): never {
    throw new AppError('OTLP_MALFORMED_BODY', `Malformed protobuf body: ${message} at byte ${offset}`, {
      offset,
      reason: message,
    });
  }

  /** A field key (field number << 3 | wire type); the message decoders switch on it. */
  tag(): number {
    return this.uint32();
  }

  /** uint32: a varint's low 32 bits as an unsigned number (longer varints are read and truncated). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos + 5 > this.length) return this.varint64Lo() >>> 0;
    let byte = buf[pos++]!;
    let value = byte & 0x7f;
    if (byte < 0x80) return this.at(pos, value);
    byte = buf[pos++]!;
    value |= (byte & 0x7f) << 7;
    if (byte < 0x80) return this.at(pos, value);
    byte = buf[pos++]!;
    value |= (byte & 0x7f) << 14;
    if (byte < 0x80) return this.at(pos, value);
    byte = buf[pos++]!;
    value |= (byte & 0x7f) << 21;
    if (byte < 0x80) return this.at(pos, value);
    byte = buf[pos++]!;
    value |= byte << 28;
    if (byte < 0x80) return this.at(pos, value >>> 0);
    return this.varint64Lo() >>> 0; // a 6..10-byte varint (negative int32 or oversized): the general path
  }

  /** int32 and enums: a varint's low 32 bits, signed. */
  int32(): number {
    return this.uint32() | 0;
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    return this.varint64Lo() !== 0 || this.hi !== 0;
  }

  /** int64 as a number (exact below 2^53). */
  int64(): number {
    const lo = this.varint64Lo();
    return (this.hi | 0) * TWO_32 + (lo >>> 0);
  }

  /** uint64 as a number (exact below 2^53). */
  uint64(): number {
    const lo = this.varint64Lo();
    return (this.hi >>> 0) * TWO_32 + (lo >>> 0);
  }

  fixed32(): number {
    const pos = this.need(4);
    return this.view.getUint32(pos, true);
  }

  fixed64(): number {
    const pos = this.need(8);
    return this.view.getUint32(pos + 4, true) * TWO_32 + this.view.getUint32(pos, true);
  }

  sfixed64(): number {
    const pos = this.need(8);
    return this.view.getInt32(pos + 4, true) * TWO_32 + this.view.getUint32(pos, true);
  }

  /**
   * A fixed64 nanosecond timestamp as integer microseconds, floor(ns / 1000), without BigInt: exact for
   * every result below 2^53 µs (until the year 2255).
   */
  timeUs(): number {
    const pos = this.need(8);
    const lo = this.view.getUint32(pos, true);
    const hi = this.view.getUint32(pos + 4, true);
    // 2^32 = 4294967 * 1000 + 296, so ns / 1000 = hi * 4294967 + (hi * 296 + lo) / 1000.
    return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000);
  }

  double(): number {
    const pos = this.need(8);
    return this.view.getFloat64(pos, true);
  }

  /** Reads a length prefix and returns where that field ends, refusing to run past `limit`. */
  end(limit: number): number {
    const start = this.pos;
    const end = this.uint32() + this.pos;
    if (end > limit) this.fail(`length ${end - this.pos} runs past the end of its message (${limit})`, start);
    return end;
  }

  string(limit: number): string {
    const end = this.end(limit);
    const start = this.pos;
    this.pos = end;
    return decodeUtf8(this.buf, start, end);
  }

  /** A bytes field as lowercase hex ('' when empty). */
  hex(limit: number): string {
    const end = this.end(limit);
    const start = this.pos;
    this.pos = end;
    return bytesToHex(this.buf, start, end);
  }

  /** A bytes field as standard base64. */
  base64(limit: number): string {
    const end = this.end(limit);
    const start = this.pos;
    this.pos = end;
    return bytesToBase64(this.buf, start, end);
  }

  /**
   * Skips the value of a field its decoder does not read: one `fields` does not declare, or one it
   * declares and leaves out. A declared field with another wire type is malformed (checked only here,
   * off the decoders' hot path).
   */
  skip(tag: number, limit: number, fields: MessageFields): void {
    const start = this.pos;
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) this.fail('field number 0 is invalid', start);
    if (WIRE_TYPE_NAMES[wireType] === undefined) {
      this.fail(`unsupported wire type ${wireType} (field ${number})`, start);
    }
    const field = fields.byNumber[number];
    if (field !== undefined && field[1] !== wireType) {
      this.fail(
        `${fields.message}.${field[0]} (field ${number}) has wire type ${wireTypeName(wireType)}, expected ${wireTypeName(field[1])}`,
        start,
      );
    }
    if (wireType === 0) this.varint64Lo();
    else if (wireType === 2) this.pos = this.end(limit);
    else this.need(wireType === 1 ? 8 : 4);
  }

  /** Called after a message's field loop: the last field must end exactly where the message does. */
  expectEnd(end: number): void {
    if (this.pos !== end) this.fail(`field runs past the end of its message (${end})`);
  }

  /** Enters one level of AnyValue nesting. */
  enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`values nested deeper than ${MAX_NESTING} levels`);
  }

  leave(): void {
    this.depth--;
  }

  private at(pos: number, value: number): number {
    this.pos = pos;
    return value;
  }

  /** Advances past `n` bytes and returns where they start. */
  private need(n: number): number {
    const pos = this.pos;
    if (pos + n > this.length) this.fail(`truncated ${n}-byte fixed-width value`, pos);
    this.pos = pos + n;
    return pos;
  }

  /** Reads a varint of up to 10 bytes; returns its low 32 bits and leaves the high 32 bits in `hi`. */
  private varint64Lo(): number {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= this.length) this.fail('truncated varint', start);
      const byte = buf[pos++]!;
      const bits = byte & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= bits << 28;
        hi = bits >>> 4;
      } else hi |= bits << (shift - 32);
      if (byte < 0x80) {
        this.pos = pos;
        this.hi = hi;
        return lo;
      }
    }
    return this.fail('varint longer than 10 bytes', start);
  }
}
