import type { SignalTable, StorageColumn } from '@loopline/model';
import { TABLE_SCHEMAS } from '@loopline/model';
import type { ColumnBatch, PackedStrings } from './storage.ts';

/**
 * Turns row objects into a column batch in the table's storage order. String columns are packed as UTF-8
 * into one buffer with end offsets: the buffer is transferred to the storage thread without a copy, and
 * DuckDB takes the bytes as they are (no per-string transcoding on the storage thread).
 */
export function toColumnBatch<Row>(table: SignalTable, rows: readonly Row[]): ColumnBatch {
  const schema = TABLE_SCHEMAS[table] as readonly StorageColumn<Row>[];
  const columns = schema.map((col) =>
    col.type === 'string' || col.type === 'json'
      ? packStrings(rows, col.column)
      : rows.map((row) => row[col.column] as unknown),
  );
  return { table, rowCount: rows.length, columns };
}

const encoder = new TextEncoder();

/**
 * Joins the column's strings and encodes them with one TextEncoder call (per-string encodeInto costs
 * about a microsecond a call). When the bytes are as many as the characters the text was ASCII, a
 * character is a byte and the ends are character offsets; otherwise the column is encoded string by string.
 */
function packStrings<Row>(rows: readonly Row[], column: keyof Row): PackedStrings {
  const ends = new Int32Array(rows.length);
  const nulls = new Uint8Array(rows.length);
  const parts: string[] = [];
  let at = 0;
  for (let r = 0; r < rows.length; r++) {
    const value = (rows[r] as Row)[column] as string | null | undefined;
    if (value === null || value === undefined) nulls[r] = 1;
    else {
      parts.push(value);
      at += value.length;
    }
    ends[r] = at;
  }
  const joined = parts.join('');
  const bytes = encoder.encode(joined);
  if (bytes.length === joined.length) return { bytes, ends, nulls };
  return packUtf8(parts, ends, nulls);
}

function packUtf8(parts: readonly string[], ends: Int32Array, nulls: Uint8Array): PackedStrings {
  let bytes = new Uint8Array(Math.max(1024, ends.length * 64));
  let at = 0;
  let part = 0;
  for (let r = 0; r < ends.length; r++) {
    if (!nulls[r]) {
      const value = parts[part++] as string;
      if (bytes.length - at < value.length * 3) bytes = grow(bytes, at + value.length * 3);
      at += encoder.encodeInto(value, bytes.subarray(at)).written;
    }
    ends[r] = at;
  }
  return { bytes: bytes.subarray(0, at), ends, nulls };
}

function grow(bytes: Uint8Array, needed: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.max(needed, bytes.length * 2));
  next.set(bytes);
  return next;
}

export function isPacked(column: unknown): column is PackedStrings {
  return (column as PackedStrings).bytes instanceof Uint8Array;
}

/** The buffers to transfer (not copy) when a batch crosses threads. */
export function transferables(batches: readonly ColumnBatch[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const batch of batches) {
    for (const column of batch.columns) {
      if (!isPacked(column)) continue;
      buffers.add(column.bytes.buffer as ArrayBuffer);
      buffers.add(column.ends.buffer as ArrayBuffer);
      buffers.add(column.nulls.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}

/** Visits a packed column's values as UTF-8 byte ranges (null for NULL). */
export function forEachBytes(
  column: PackedStrings,
  visit: (value: Uint8Array | null, row: number) => void,
): void {
  const { bytes, ends, nulls } = column;
  let start = 0;
  for (let row = 0; row < ends.length; row++) {
    const end = ends[row] as number;
    visit(nulls[row] ? null : bytes.subarray(start, end), row);
    start = end;
  }
}

const decoder = new TextDecoder();

/** Visits a column's strings in order (null for NULL), packed or not. */
export function forEachString(column: unknown, visit: (value: string | null, row: number) => void): void {
  if (isPacked(column)) {
    forEachBytes(column, (bytes, row) => visit(bytes === null ? null : decoder.decode(bytes), row));
    return;
  }
  const values = column as (string | null)[];
  for (let row = 0; row < values.length; row++) visit(values[row] ?? null, row);
}
