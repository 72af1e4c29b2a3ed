import { type DuckDBAppender, DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { StorageColumn, StorageType } from '@loopline/model';
import { isPacked } from '../column-batch.ts';
import type { ColumnBatch, PackedStrings } from '../storage.ts';
import { DUCKDB_TYPES } from './duckdb-values.ts';

/**
 * Writes column batches straight into DuckDB vectors: numbers, timestamps and booleans go into typed
 * arrays copied with one native call per column, NULLs into a validity bitmask built with 32-bit
 * words. The generic vector setters of @duckdb/node-api pay BigInt
 * arithmetic per value for validity (≈0.45 µs a value); this path avoids it (see bench:ingest). String
 * columns come as dictionaries: one native call per distinct value in a chunk, not per row.
 */
const CHUNK_ROWS = 2048;
const TWO_32 = 4294967296;

type Vector = ReturnType<typeof duckdb.data_chunk_get_vector>;

class Validity {
  private words: Uint32Array | null = null;

  constructor(private readonly rows: number) {}

  markNull(row: number): void {
    if (!this.words) this.words = new Uint32Array(Math.ceil(this.rows / 64) * 2).fill(0xffffffff);
    this.words[row >>> 5] = (this.words[row >>> 5] as number) & ~(1 << (row & 31));
  }

  writeTo(vector: Vector): void {
    if (!this.words) return;
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(
      vector,
      0,
      this.words.buffer as ArrayBuffer,
      0,
      this.words.byteLength,
    );
  }
}

function copy(vector: Vector, array: ArrayBufferView): void {
  duckdb.copy_data_to_vector(vector, 0, array.buffer as ArrayBuffer, array.byteOffset, array.byteLength);
}

function writeStrings(
  vector: Vector,
  values: unknown[],
  offset: number,
  n: number,
  validity: Validity,
): void {
  for (let i = 0; i < n; i++) {
    const value = values[offset + i];
    if (value === null || value === undefined) validity.markNull(i);
    else duckdb.vector_assign_string_element(vector, i, value as string);
  }
}

function writeFloats(vector: Vector, values: unknown[], offset: number, n: number, validity: Validity): void {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[offset + i];
    if (value === null || value === undefined) validity.markNull(i);
    else out[i] = value as number;
  }
  copy(vector, out);
}

/** BIGINT and TIMESTAMP (µs) are int64: written as little-endian 32-bit halves, no BigInt. */
function writeInt64s(vector: Vector, values: unknown[], offset: number, n: number, validity: Validity): void {
  const out = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const value = values[offset + i];
    if (value === null || value === undefined) {
      validity.markNull(i);
      continue;
    }
    const whole = Math.trunc(value as number);
    out[2 * i] = whole >>> 0;
    out[2 * i + 1] = Math.floor(whole / TWO_32);
  }
  copy(vector, out);
}

function writeBooleans(
  vector: Vector,
  values: unknown[],
  offset: number,
  n: number,
  validity: Validity,
): void {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[offset + i];
    if (value === null || value === undefined) validity.markNull(i);
    else out[i] = value ? 1 : 0;
  }
  copy(vector, out);
}

/** DuckDB's string_t: 16 bytes (length, then the string inline up to 12 bytes or a prefix and a pointer). */
const STRING_T_BYTES = 16;

/**
 * A dictionary column into a string vector: each entry's first row in the chunk is assigned with one
 * native call (DuckDB copies the bytes into the vector's string heap); the other rows holding that entry
 * get a copy of its 16-byte string_t, written back with one bulk copy. The copied string_t points into
 * the same vector's heap, as DuckDB's own dictionary flattening does, so it lives as long as the chunk.
 */
function writePackedStrings(
  vector: Vector,
  column: PackedStrings,
  offset: number,
  n: number,
  validity: Validity,
  scratch: ChunkScratch,
): void {
  const { bytes, ends, index } = column;
  const firstRow = scratch.firstRow(ends.length);
  const { copyTo, copyFrom } = scratch;
  let copies = 0;
  for (let i = 0; i < n; i++) {
    const k = index[offset + i] as number;
    if (k < 0) {
      validity.markNull(i);
      continue;
    }
    const first = firstRow[k] as number;
    if (first >= 0) {
      copyTo[copies] = i;
      copyFrom[copies] = first;
      copies++;
      continue;
    }
    firstRow[k] = i;
    const start = k === 0 ? 0 : (ends[k - 1] as number);
    duckdb.vector_assign_string_element_len(vector, i, bytes.subarray(start, ends[k] as number));
  }
  if (copies === 0) return;
  const data = duckdb.vector_get_data(vector, n * STRING_T_BYTES);
  for (let c = 0; c < copies; c++) {
    const from = (copyFrom[c] as number) * STRING_T_BYTES;
    data.copyWithin((copyTo[c] as number) * STRING_T_BYTES, from, from + STRING_T_BYTES);
  }
  duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, n * STRING_T_BYTES);
}

/** Per-chunk working arrays for dictionary columns, reused across columns. */
class ChunkScratch {
  readonly copyTo = new Int32Array(CHUNK_ROWS);
  readonly copyFrom = new Int32Array(CHUNK_ROWS);
  private first = new Int32Array(CHUNK_ROWS);

  /** -1 for each of `entries` entries: the row each entry was first assigned in, in this chunk */
  firstRow(entries: number): Int32Array {
    if (this.first.length < entries) this.first = new Int32Array(entries);
    const first = this.first.subarray(0, entries);
    first.fill(-1);
    return first;
  }
}

type Writer = (vector: Vector, values: unknown[], offset: number, n: number, validity: Validity) => void;

const WRITERS: Readonly<Record<StorageType, Writer>> = {
  string: writeStrings,
  json: writeStrings,
  float: writeFloats,
  integer: writeInt64s,
  timestamp: writeInt64s,
  boolean: writeBooleans,
};

/** Appends a batch (not flushed: the caller commits). */
export function appendColumnBatch(
  appender: DuckDBAppender,
  schema: readonly StorageColumn<unknown>[],
  batch: ColumnBatch,
): void {
  const types = schema.map((col) => DUCKDB_TYPES[col.type]);
  const scratch = new ChunkScratch();
  for (let offset = 0; offset < batch.rowCount; offset += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, batch.rowCount - offset);
    const chunk = DuckDBDataChunk.create(types, n);
    schema.forEach((col, c) => {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
      const validity = new Validity(n);
      const column = batch.columns[c] as unknown[] | PackedStrings;
      if (isPacked(column)) writePackedStrings(vector, column, offset, n, validity, scratch);
      else WRITERS[col.type](vector, column, offset, n, validity);
      validity.writeTo(vector);
    });
    appender.appendDataChunk(chunk);
  }
}
