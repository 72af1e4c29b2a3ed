import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '@loopline/model';
import { transferables } from '../column-batch.ts';
import type { DuckDbStorageOptions } from '../duckdb/duckdb-storage.ts';
import type { ColumnBatch, ResultRow, SqlParam, Storage, StorageStats } from '../storage.ts';
import type { WorkerData, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

interface Pending {
  resolve: (rows: ResultRow[]) => void;
  reject: (error: Error) => void;
  rows: number;
}

type Outgoing = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface WorkerStorageOptions {
  workerUrl: URL;
  storage: DuckDbStorageOptions;
  checkpointIntervalMs?: number;
  commitLingerMs?: number;
}

/** The main-thread face of the storage thread: every call is a message; appends count as pending rows. */
export class WorkerStorage implements Storage {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private pendingRows = 0;
  private appendedRows = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: WorkerResponse) => this.onMessage(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('storage thread exited')));
  }

  static open(options: WorkerStorageOptions): Promise<WorkerStorage> {
    const data: WorkerData = {
      storage: options.storage,
      checkpointIntervalMs: options.checkpointIntervalMs ?? 30_000,
      commitLingerMs: options.commitLingerMs ?? 5,
    };
    const worker = new Worker(options.workerUrl, { workerData: data });
    return new Promise((resolve, reject) => {
      const onReady = (message: WorkerResponse): void => {
        if ('type' in message && message.type === 'ready') {
          worker.off('message', onReady);
          resolve(new WorkerStorage(worker));
        } else if ('type' in message && message.type === 'open-failed') {
          worker.off('message', onReady);
          void worker.terminate();
          reject(new AppError('STORAGE_FAILED', `cannot open the store: ${message.message}`));
        }
      };
      worker.on('message', onReady);
      worker.once('error', reject);
    });
  }

  private call(request: Outgoing, rows = 0, transfer: ArrayBuffer[] = []): Promise<ResultRow[]> {
    const id = this.nextId++;
    this.pendingRows += rows;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, rows });
      this.worker.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  private onMessage(message: WorkerResponse): void {
    if (!('id' in message)) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    this.pendingRows -= pending.rows;
    if (message.ok) {
      this.appendedRows += pending.rows;
      pending.resolve(message.rows ?? []);
    } else {
      pending.reject(new AppError(message.code as ErrorCode, message.message));
    }
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new AppError('STORAGE_FAILED', error.message));
    }
    this.pendingRows = 0;
  }

  async append(batches: ColumnBatch[]): Promise<void> {
    const rows = batches.reduce((sum, batch) => sum + batch.rowCount, 0);
    await this.call({ type: 'append', batches }, rows, transferables(batches));
  }

  query(sql: string, params: readonly SqlParam[]): Promise<ResultRow[]> {
    return this.call({ type: 'query', sql, params: [...params] });
  }

  async checkpoint(): Promise<void> {
    await this.call({ type: 'checkpoint' });
  }

  stats(): StorageStats {
    return { pendingRows: this.pendingRows, appendedRows: this.appendedRows };
  }

  /**
   * Asks the thread to finish its work, checkpoint and close DuckDB; if that has not happened within
   * `timeoutMs` the thread is stopped anyway (every acknowledged append is already committed to the WAL).
   */
  async close(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.call({ type: 'close' }).catch(() => undefined), timedOut]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}
