import type { DuckDbStorageOptions } from '../duckdb/duckdb-storage.ts';
import type { ColumnBatch, ResultRow, SqlParam } from '../storage.ts';

export type WorkerRequest =
  | { type: 'append'; id: number; batches: ColumnBatch[] }
  | { type: 'query'; id: number; sql: string; params: SqlParam[] }
  | { type: 'checkpoint'; id: number }
  | { type: 'close'; id: number };

export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'open-failed'; message: string }
  | { id: number; ok: true; rows?: ResultRow[] }
  | { id: number; ok: false; code: string; message: string };

export interface WorkerData {
  storage: DuckDbStorageOptions;
  /** run CHECKPOINT this often when rows were written since the last one */
  checkpointIntervalMs: number;
  /** how long a small commit waits for more rows to join it */
  commitLingerMs: number;
}
