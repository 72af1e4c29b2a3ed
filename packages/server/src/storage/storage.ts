import type { SignalTable } from '@loopline/model';

/**
 * A batch of rows in column order of `TABLE_SCHEMAS[table]`, ready to cross a thread boundary cheaply
 * (arrays of primitives clone far faster than arrays of row objects). Timestamps are integer microseconds.
 */
export interface ColumnBatch {
  table: SignalTable;
  rowCount: number;
  /** per column: plain values, or (string columns) one packed string with per-row lengths, -1 = NULL */
  columns: (unknown[] | PackedStrings)[];
}

export interface PackedStrings {
  packed: string;
  lengths: Int32Array;
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
