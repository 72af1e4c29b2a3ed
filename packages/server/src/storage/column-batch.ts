import type { SignalTable, StorageColumn } from '@loopline/model';
import { TABLE_SCHEMAS } from '@loopline/model';
import type { ColumnBatch, PackedStrings } from './storage.ts';

/**
 * Turns row objects into a column batch in the table's storage order. String columns are packed as a
 * dictionary of UTF-8 values in one buffer (with end offsets) and a per-row index: the buffers are
 * transferred to the storage thread without a copy, DuckDB takes the bytes as they are (no per-string
 * transcoding on the storage thread), and a value repeated across rows is encoded and written once.
 */
export function toColumnBatch<Row>(table: SignalTable, rows: readonly Row[]): ColumnBatch {
  const schema = TABLE_SCHEMAS[table] as readonly StorageColumn<Row>[];
  const values = columnsOf(table)(rows);
  const columns = schema.map((col, c) =>
    col.type === 'string' || col.type === 'json'
      ? packStrings(values[c] as readonly (string | null | undefined)[])
      : (values[c] as unknown[]),
  );
  return { table, rowCount: rows.length, columns };
}

type ColumnReader = (rows: readonly unknown[]) => unknown[][];
const COLUMN_READERS = new Map<SignalTable, ColumnReader>();

/**
 * A table's rows → one array per column, read by a function generated once per table with each column
 * as a constant property name: rows share one shape, so every read is monomorphic, where `row[name]`
 * with the name in a variable went through V8's megamorphic keyed-load path for every value
 * (bench:ingest). The names are the schema's own constants, never input.
 */
function columnsOf(table: SignalTable): ColumnReader {
  let reader = COLUMN_READERS.get(table);
  if (reader) return reader;
  const names = TABLE_SCHEMAS[table].map((col) => JSON.stringify(col.column));
  const body = [
    'const n = rows.length;',
    `const columns = [${names.map(() => 'new Array(n)').join(', ')}];`,
    ...names.map((_, c) => `const c${c} = columns[${c}];`),
    'for (let r = 0; r < n; r++) {',
    '  const row = rows[r];',
    ...names.map((name, c) => `  c${c}[r] = row[${name}];`),
    '}',
    'return columns;',
  ].join('\n');
  reader = new Function('rows', body) as ColumnReader;
  COLUMN_READERS.set(table, reader);
  return reader;
}

/** Past this many entries, a column whose entries are more than half its rows stops looking for repeats. */
const DEDUPE_PROBE = 64;
/** Longer values (attribute JSON, event lists) are not looked up: hashing them costs more than it saves. */
const DEDUPE_MAX_LENGTH = 256;

/**
 * Builds the column's dictionary (repeats found with a Map until the column shows itself mostly
 * distinct, like ids and attribute JSON) and writes each entry's UTF-8 straight into one buffer with
 * `Buffer#write`, which returns the bytes written, so the ends are byte offsets as they are written
 * (a lone surrogate becomes U+FFFD within its own value, as TextEncoder writes it). Joining the entries
 * and encoding the text once had cost 3.95 µs a span for all string columns, 3.2 µs of it the attribute
 * JSON: one non-ASCII value in a batch made the joined text two-byte, every other value widened into it.
 * Written value by value: 1.36 µs a span, 0.32 µs of it the attributes (demo spans, same rows). The
 * buffer is never pooled memory, so it can be transferred to the storage thread.
 */
export function packStrings(values: readonly (string | null | undefined)[]): PackedStrings {
  const index = new Int32Array(values.length);
  const ends = new Int32Array(values.length);
  let chars = 0;
  for (let r = 0; r < values.length; r++) chars += values[r]?.length ?? 0;
  let capacity = chars + (chars >> 3) + 64;
  let buffer = Buffer.allocUnsafeSlow(capacity);
  let at = 0;
  let entries = 0;
  let seen: Map<string, number> | null = new Map();
  for (let r = 0; r < values.length; r++) {
    const value = values[r];
    if (value === null || value === undefined) {
      index[r] = -1;
      continue;
    }
    if (seen !== null && value.length <= DEDUPE_MAX_LENGTH) {
      const known = seen.get(value);
      if (known !== undefined) {
        index[r] = known;
        continue;
      }
      if (entries >= DEDUPE_PROBE && entries * 2 > r) seen = null;
      else seen.set(value, entries);
    }
    // a UTF-16 unit is at most 3 bytes of UTF-8: count exactly only when the room left might not do
    if (capacity - at < value.length * 3) {
      const needed = Buffer.byteLength(value, 'utf8');
      if (capacity - at < needed) {
        capacity = Math.max(capacity * 2, at + needed);
        const bigger = Buffer.allocUnsafeSlow(capacity);
        buffer.copy(bigger, 0, 0, at);
        buffer = bigger;
      }
    }
    at += buffer.write(value, at, 'utf8');
    index[r] = entries;
    ends[entries++] = at;
  }
  return { bytes: buffer.subarray(0, at), ends: ends.subarray(0, entries), index };
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
      buffers.add(column.index.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}

/** The UTF-8 bytes of a packed column's entry `k`. */
export function entryBytes(column: PackedStrings, k: number): Uint8Array {
  return column.bytes.subarray(k === 0 ? 0 : (column.ends[k - 1] as number), column.ends[k] as number);
}

const decoder = new TextDecoder();

/** Visits a column's strings in order (null for NULL), packed or not; each entry is decoded once. */
export function forEachString(column: unknown, visit: (value: string | null, row: number) => void): void {
  if (isPacked(column)) {
    const entries: (string | undefined)[] = new Array(column.ends.length);
    const { index } = column;
    for (let row = 0; row < index.length; row++) {
      const k = index[row] as number;
      if (k < 0) {
        visit(null, row);
        continue;
      }
      let value = entries[k];
      if (value === undefined) {
        value = decoder.decode(entryBytes(column, k));
        entries[k] = value;
      }
      visit(value, row);
    }
    return;
  }
  const values = column as (string | null)[];
  for (let row = 0; row < values.length; row++) visit(values[row] ?? null, row);
}
