import type { SignalTable } from '@loopline/model';

/**
 * A batch of rows in column order of `TABLE_SCHEMAS[table]`, ready to cross a thread boundary cheaply
 * (arrays of primitives clone far faster than arrays of row objects). Timestamps are integer microseconds.
 */
export interface ColumnBatch {
  table: SignalTable;
  rowCount: number;
  /** per column: plain values, or (string columns) UTF-8 bytes with each row's end offset */
  columns: (unknown[] | PackedStrings)[];
}

/**
 * A string column as a dictionary of UTF-8 values and a per-row index into it. Repeated values (a
 * batch's models, datasets, tool names, trace ids) are encoded, sent and written once.
 */
export interface PackedStrings {
  bytes: Uint8Array;
  /** entry k is bytes[ends[k-1] .. ends[k]) (from 0 for k = 0) */
  ends: Int32Array;
  /** row r holds entry index[r], or NULL when it is -1 */
  index: Int32Array;
}

export interface SqlParam {
  value: unknown;
  type: string;
}

export type ResultRow = Record<string, unknown>;

export interface StorageStats {
  pendingRows: number;
  appendedRows: number;
}

/** The storage driver seen by ingest and the API. Implementations own their database entirely. */
export interface Storage {
  append(batches: ColumnBatch[]): Promise<void>;
  query(sql: string, params: readonly SqlParam[]): Promise<ResultRow[]>;
  checkpoint(): Promise<void>;
  stats(): StorageStats;
  close(): Promise<void>;
}
