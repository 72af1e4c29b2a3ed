import { AppError } from '@loopline/model';
import { hexToBytes } from './hex.ts';
import { utf8Length, writeUtf8 } from './utf8.ts';

const TWO_32 = 4294967296;
const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/**
 * An append-only protobuf writer. Nested messages are written in place: `fork()` marks where a message
 * body starts and `ldelim(field, start)` slides the body right to insert its key and length prefix, so the
 * output is canonical (minimal varints) without a size pre-pass. Every `*Field` method omits proto3
 * defaults (0, '', false); callers write oneof and `optional` members with `key()` plus a value method.
 */
export class ProtoWriter {
  pos = 0;
  private buf: Uint8Array;
  private view: DataView;
  private lo = 0;
  private hi = 0;

  constructor(initialSize = 4096) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  key(field: number, wireType: number): void {
    this.uint32(((field << 3) | wireType) >>> 0);
  }

  uint32(value: number): void {
    this.ensure(5);
    this.pos = writeVarint32(this.buf, this.pos, value >>> 0);
  }

  /** int32 and enums: negative values take ten bytes, sign-extended to 64 bits. */
  int32(value: number): void {
    if (value >= 0) this.uint32(value);
    else this.varint64(value >>> 0, 0xffffffff);
  }

  sint32(value: number): void {
    this.uint32((value << 1) ^ (value >> 31));
  }

  int64(value: number): void {
    this.split(value, true);
    this.varint64(this.lo, this.hi);
  }

  uint64(value: number): void {
    this.split(Math.max(0, value), false);
    this.varint64(this.lo, this.hi);
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  /** fixed64 (unsigned; negative values are written as 0). */
  fixed64(value: number): void {
    this.split(Math.max(0, value), false);
    this.fixed64Parts(this.lo, this.hi);
  }

  /** Integer microseconds as fixed64 nanoseconds, exactly (negative or non-finite times are written as 0). */
  timeUs(us: number): void {
    const t = Number.isFinite(us) && us > 0 ? Math.floor(us) : 0;
    const high = Math.floor(t / TWO_32);
    const low = (t - high * TWO_32) * 1000; // < 2^42, exact
    const carry = Math.floor(low / TWO_32);
    this.fixed64Parts(low - carry * TWO_32, high * 1000 + carry);
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A length-prefixed UTF-8 string (the value only; write the key first). */
  string(value: string): void {
    const length = utf8Length(value);
    this.uint32(length);
    this.ensure(length);
    this.pos = writeUtf8(value, this.buf, this.pos);
  }

  bytes(value: Uint8Array): void {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Marks the start of a nested message body; pass the result to `ldelim`. */
  fork(): number {
    return this.pos;
  }

  /** Closes the nested message begun at `start` as field `field` (key and length go in front of it). */
  ldelim(field: number, start: number): void {
    const key = ((field << 3) | 2) >>> 0;
    const length = this.pos - start;
    const header = varint32Size(key) + varint32Size(length);
    this.ensure(header);
    this.buf.copyWithin(start + header, start, this.pos);
    writeVarint32(this.buf, writeVarint32(this.buf, start, key), length);
    this.pos += header;
  }

  stringField(field: number, value: string): void {
    if (value === '') return;
    this.key(field, 2);
    this.string(value);
  }

  /** A bytes field given as hex (trace and span ids); '' is omitted. */
  hexField(field: number, hex: string, name: string): void {
    if (hex === '') return;
    const bytes = hexToBytes(hex);
    if (bytes === undefined) {
      throw new AppError('BAD_REQUEST', `${name}: expected an even-length hex string, got '${hex}'`);
    }
    this.key(field, 2);
    this.bytes(bytes);
  }

  uint32Field(field: number, value: number): void {
    if (value === 0) return;
    this.key(field, 0);
    this.uint32(value);
  }

  int32Field(field: number, value: number): void {
    if (value === 0) return;
    this.key(field, 0);
    this.int32(value);
  }

  boolField(field: number, value: boolean): void {
    if (!value) return;
    this.key(field, 0);
    this.uint32(1);
  }

  fixed32Field(field: number, value: number): void {
    if (value === 0) return;
    this.key(field, 5);
    this.fixed32(value);
  }

  fixed64Field(field: number, value: number): void {
    if (value === 0) return;
    this.key(field, 1);
    this.fixed64(value);
  }

  timeField(field: number, us: number): void {
    if (!(us >= 1)) return;
    this.key(field, 1);
    this.timeUs(us);
  }

  doubleField(field: number, value: number): void {
    if (value === 0 && !Object.is(value, -0)) return;
    this.key(field, 1);
    this.double(value);
  }

  private fixed64Parts(lo: number, hi: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, lo >>> 0, true);
    this.view.setUint32(this.pos + 4, hi >>> 0, true);
    this.pos += 8;
  }

  private varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let low = lo >>> 0;
    let high = hi >>> 0;
    while (high !== 0 || low > 0x7f) {
      buf[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.pos++] = low;
  }

  /**
   * Splits an integer into 64-bit two's-complement halves in `lo`/`hi`. Out-of-range values saturate: a
   * signed value of 2^63 or more (which is what int64 max decodes to as a double) becomes int64 max.
   */
  private split(value: number, signed: boolean): void {
    const n = Number.isFinite(value) ? Math.trunc(value) : 0;
    if (n >= (signed ? TWO_63 : TWO_64)) {
      this.lo = 0xffffffff;
      this.hi = signed ? 0x7fffffff : 0xffffffff;
      return;
    }
    const magnitude = Math.min(Math.abs(n), TWO_63);
    let hi = Math.floor(magnitude / TWO_32);
    let lo = magnitude - hi * TWO_32;
    if (n < 0) {
      lo = (~lo + 1) >>> 0;
      hi = ~hi + (lo === 0 ? 1 : 0);
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

function varint32Size(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

function writeVarint32(buf: Uint8Array, pos: number, value: number): number {
  let p = pos;
  let v = value;
  while (v > 0x7f) {
    buf[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[p++] = v;
  return p;
}
