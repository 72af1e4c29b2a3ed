import type { DuckDbStorageOptions } from '../duckdb/duckdb-storage.ts';
import type { ColumnBatch, ResultRow, SqlParam, StorageStats } from '../storage.ts';

export type WorkerRequest =
  | { type: 'append'; id: number; batches: ColumnBatch[] }
  | { type: 'query'; id: number; sql: string; params: SqlParam[]; timeoutMs?: number; limitMs?: number }
  /** stop query `id`: its client went away */
  | { type: 'cancel'; id: number; query: number }
  | { type: 'checkpoint'; id: number }
  | { type: 'close'; id: number };

export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'open-failed'; message: string }
  /** a line for the server log (a failed checkpoint) */
  | { type: 'log'; line: string }
  /** the thread's counters, sent after each checkpoint and each failed read */
  | { type: 'stats'; stats: StorageStats }
  | { id: number; ok: true; rows?: ResultRow[] }
  | {
      id: number;
      ok: false;
      code: string;
      message: string;
      details?: Record<string, unknown>;
      /** the engine error the failure wraps, for the main thread's log */
      cause?: { message: string; stack?: string | undefined };
    };

export interface WorkerData {
  storage: DuckDbStorageOptions;
  /** run CHECKPOINT this often when rows were written since the last one */
  checkpointIntervalMs: number;
  /** how long a small commit waits for more rows to join it */
  commitLingerMs: number;
}
