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

export interface PackedStrings {
  bytes: Uint8Array;
  /** row r is bytes[ends[r-1] .. ends[r]) */
  ends: Int32Array;
  /** 1 where the row is NULL */
  nulls: Uint8Array;
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
