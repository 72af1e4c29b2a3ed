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

/** Limits of one read: every statement a client can start is bounded in time and size. */
export interface QueryOptions {
  /** aborted when the client goes away: the statement is interrupted in the engine (`QUERY_CANCELLED`) */
  signal?: AbortSignal;
  /** interrupt the statement past this many ms, time waiting for a reader included (`QUERY_TIMEOUT`) */
  timeoutMs?: number;
  /** the limit the answer names when it runs out, when `timeoutMs` is what remains of a longer one */
  limitMs?: number;
}

export interface CheckpointStats {
  /** checkpoints that completed */
  done: number;
  /** checkpoints that failed (each is logged); the next timer tick tries again */
  failed: number;
  /** when the last one failed (ISO); its reason is in the server log, never in an answer */
  lastFailedAt: string | null;
  lastDurationMs: number | null;
}

export interface ReadStats {
  readers: number;
  busy: number;
  waiting: number;
  timedOut: number;
  cancelled: number;
  refused: number;
}

export interface StorageStats {
  pendingRows: number;
  appendedRows: number;
  checkpoints?: CheckpointStats;
  reads?: ReadStats;
}

/** The storage driver seen by ingest and the API. Implementations own their database entirely. */
export interface Storage {
  append(batches: ColumnBatch[]): Promise<void>;
  query(sql: string, params: readonly SqlParam[], options?: QueryOptions): Promise<ResultRow[]>;
  checkpoint(): Promise<void>;
  stats(): StorageStats;
  close(): Promise<void>;
}
